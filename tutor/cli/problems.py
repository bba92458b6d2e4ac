"""Commands about problems: list, show, solution (in every format and as a picture) and validate."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import TutorError
from ..safe_text import clean
from .app import (
    DirOption,
    Format,
    LangOption,
    ProblemArg,
    RandomOption,
    SeedOption,
    app,
    resolve_lang,
    solve_ref,
    variant_seed,
)


@app.command("list")
def list_command(dirs: DirOption = None, lang: LangOption = None) -> None:
    """List the problems: built-in ones and those in --dir folders."""
    from ..problem.library import list_problems
    from ..render.columns import columns

    language = resolve_lang(lang)
    rows, broken = [], []
    for info in list_problems(dirs or ()):
        if info.error:
            broken.append(f"{info.id}: {info.error}")
            continue
        title = info.title.get(language) or info.title.get("en", "")
        rows.append([info.id, title, info.kind or "", ", ".join(info.topics)])
    typer.echo(clean(columns(["id", "title", "kind", "topics"], rows)))
    for line in broken:
        typer.echo(clean(f"bptutor: cannot list {line}"), err=True)


@app.command()
def show(problem: ProblemArg, dirs: DirOption = None, lang: LangOption = None) -> None:
    """Show a problem's statement, with its network or graph drawn as text."""
    from rich.console import Console
    from rich.text import Text

    from ..render.diagram import diagram
    from ..steps import in_language

    language = resolve_lang(lang)
    loaded, solution = solve_ref(problem, dirs)
    solution = in_language(solution, language)
    from ..render.wrap import wrap_paragraphs

    console = Console()
    # Prose wrapped as the printed solution wraps it (whole words, the Japanese line-breaking rule).
    for line in wrap_paragraphs(loaded.title.get(language), console.width):
        console.print(Text(clean(line), style="bold"), soft_wrap=True)
    if loaded.statement is not None:
        for line in wrap_paragraphs(loaded.statement.get(language), console.width):
            console.print(Text(clean(line)), soft_wrap=True)
    console.print()
    # A picture's lines are drawn to join up: never re-wrapped to the terminal (it may cut them).
    console.print(Text(clean(diagram(loaded, solution, {}, language))), soft_wrap=True)


@app.command()
def solution(
    problem: ProblemArg,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="text, md, latex, json, or the picture: dot, svg, png.")
    ] = Format.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file.")] = None,
    figure: Annotated[
        bool,
        typer.Option("--figure", help="md/latex: add the picture (FILE.svg/.pdf beside -o FILE; else its DOT source)."),
    ] = False,
    dirs: DirOption = None,
    lang: LangOption = None,
    random_variant: RandomOption = False,
    seed: SeedOption = None,
) -> None:
    """Print the worked solution: every step with its formula, the numbers put in, and the value."""
    language = resolve_lang(lang)
    loaded, derived = solve_ref(problem, dirs, variant_seed(random_variant, seed, problem))
    from ..steps import in_language

    derived = in_language(derived, language)
    if figure and format not in (Format.md, Format.latex):
        raise TutorError("--figure goes with --format md or latex; for the picture alone use --format dot, svg or png")
    if format in (Format.dot, Format.svg, Format.png):
        _picture(format.value, loaded, derived, language, output)
        return
    if format is Format.text:
        from rich.console import Console

        from ..render.text import render_text

        renderable = render_text(loaded, derived, language)
        if output is None:
            Console(width=_print_width()).print(renderable)
            return
        import io

        console = Console(record=True, width=120, file=io.StringIO(), color_system=None)
        console.print(renderable)
        _write(output, console.export_text())
        return
    if format is Format.md:
        from ..render.markdown import render_markdown as render
    elif format is Format.latex:
        from ..render.latex import render_latex as render
    else:
        from ..render.json import render_json as render
    text = clean(render(loaded, derived, language))  # a document is read in a terminal too
    if figure:
        from ..render.dot import add_figure

        text, note = add_figure(text, format.value, loaded, derived, language, output)
        if note:
            typer.echo(f"bptutor: {note}", err=True)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, text)


def _print_width() -> int | None:
    """COLUMNS when set; else, when stdout is not a terminal (a pipe, a file), 100 columns rather
    than Rich's 80; else None: the terminal's own width."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if sys.stdout.isatty() else 100


def _picture(kind: str, problem, solution, language: str, output: Path | None) -> None:
    """--format dot, svg or png: the graph or network with its values, drawn by Graphviz."""
    from ..render.dot import render_image, to_dot

    source = clean(to_dot(problem, solution, language))
    if kind == "dot":
        data = source.encode("utf-8")
    else:
        if kind == "png" and output is None and sys.stdout.isatty():
            raise TutorError("--format png writes binary data: give -o FILE.png or redirect the output")
        data = render_image(source, kind)
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise TutorError(f"cannot write {output}: {exc.strerror}") from None


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise TutorError(f"cannot write {path}: {exc.strerror}") from None


@app.command()
def validate(paths: Annotated[list[Path], typer.Argument(help="Problem files to check.")]) -> None:
    """Check problem files: one line per file; exit status 0 only if all are valid.

    Warnings (a known mistake so near the right value that students will be asked for many
    significant figures) go to stderr and do not fail the check.
    """
    from ..engine import derive
    from ..lint import coincidences
    from ..problem import load_problem

    failed = 0
    for path in paths:
        try:
            derived = derive(load_problem(path))
        except TutorError as exc:
            failed += 1
            typer.echo(clean(str(exc)), err=False)
            continue
        typer.echo(clean(f"{path}: ok"))
        for c in coincidences(derived):
            typer.echo(clean(f"{path}: warning: {c.message()}"), err=True)
    if failed:
        raise typer.Exit(2)
