"""The command line. Each command imports what it needs inside its body, so start-up stays fast."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import TutorError
from .safe_text import clean

app = typer.Typer(
    name="bptutor",
    help="Practise backpropagation by hand: every forward and backward step, checked as you type.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich-formatted help imports rich.markdown and more, doubling start-up.
    rich_markup_mode=None,
)


class Format(str, Enum):
    text = "text"
    md = "md"
    latex = "latex"
    json = "json"
    dot = "dot"  # the picture: Graphviz source, or drawn by Graphviz's dot program
    svg = "svg"
    png = "png"


def _existing_dirs(dirs: list[Path] | None) -> list[Path] | None:
    """A --dir that is not a folder is a typing mistake: say so rather than list nothing from it."""
    for directory in dirs or ():
        if not directory.is_dir():
            from .problem.library import shown_path

            what = "is not a folder" if directory.exists() else "does not exist"
            raise TutorError(f"--dir {shown_path(directory)} {what}")
    return dirs


DirOption = Annotated[
    Optional[list[Path]],
    typer.Option("--dir", "-d", help="Also look for problems in this folder (repeatable).", callback=_existing_dirs),
]
LangOption = Annotated[Optional[str], typer.Option("--lang", help="en or ja (default: $BPTUTOR_LANG, then the locale).")]
ProblemArg = Annotated[str, typer.Argument(help="A problem id (see 'bptutor list') or the path of a YAML file.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"bptutor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Practise backpropagation by hand: every forward and backward step, checked as you type."""


def _language(option: str | None) -> str:
    from .lang import resolve_language

    return resolve_language(option)


def _open_problem(ref: str, dirs: list[Path] | None):
    from .loading import open_problem

    return open_problem(ref, dirs or ())


def _solve_problem(ref: str, dirs: list[Path] | None, seed: int | None = None):
    from .loading import load_and_derive

    return load_and_derive(ref, dirs or (), seed)


RandomOption = Annotated[
    bool, typer.Option("--random", help="A random variant: new numbers, same questions (see --seed).")
]
SeedOption = Annotated[
    Optional[int], typer.Option("--seed", min=0, help="Which random variant (implies --random); same seed, same numbers.")
]


def _variant_seed(random_variant: bool, seed: int | None, ref: str) -> int | None:
    """The variant asked for, if any; a new seed is chosen and shown so the variant can be had again."""
    if seed is None and not random_variant:
        return None
    if seed is None:
        import secrets

        seed = secrets.randbelow(10_000)
    typer.echo(f"bptutor: random variant, seed {seed} (again: --seed {seed}; the worked solution: "
               f"bptutor solution {ref} --seed {seed})", err=True)
    return seed


@app.command("list")
def list_command(dirs: DirOption = None, lang: LangOption = None) -> None:
    """List the problems: built-in ones and those in --dir folders."""
    from .problem.library import list_problems
    from .render.columns import columns

    language = _language(lang)
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

    from .render.diagram import diagram
    from .steps import in_language

    language = _language(lang)
    loaded, solution = _solve_problem(problem, dirs)
    solution = in_language(solution, language)
    from .render.wrap import wrap_paragraphs

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
    language = _language(lang)
    loaded, derived = _solve_problem(problem, dirs, _variant_seed(random_variant, seed, problem))
    from .steps import in_language

    derived = in_language(derived, language)
    if figure and format not in (Format.md, Format.latex):
        raise TutorError("--figure goes with --format md or latex; for the picture alone use --format dot, svg or png")
    if format in (Format.dot, Format.svg, Format.png):
        _picture(format.value, loaded, derived, language, output)
        return
    if format is Format.text:
        from rich.console import Console

        from .render.text import render_text

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
        from .render.markdown import render_markdown as render
    elif format is Format.latex:
        from .render.latex import render_latex as render
    else:
        from .render.json import render_json as render
    text = clean(render(loaded, derived, language))  # a document is read in a terminal too
    if figure:
        from .render.dot import add_figure

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
    from .render.dot import render_image, to_dot

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
    from .engine import derive
    from .lint import coincidences
    from .problem import load_problem

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


def _interactive() -> bool:
    """Textual needs a real terminal on both ends; without one it would wait forever."""
    import os

    if os.environ.get("TEXTUAL_DRIVER"):  # under bptutor serve the app talks to a browser over pipes
        return True
    term = os.environ.get("TERM", "")
    return sys.stdin.isatty() and sys.stdout.isatty() and term not in ("", "dumb")


@app.command()
def solve(
    problem: Annotated[
        Optional[str], typer.Argument(help="A problem id or the path of a YAML file; none: choose from a list.")
    ] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Line-by-line prompts instead of the full-screen app.")] = False,
    resume: Annotated[
        Optional[bool],
        typer.Option("--resume/--new", help="Continue the unfinished session, or start over (default: ask)."),
    ] = None,
    dirs: DirOption = None,
    lang: LangOption = None,
    random_variant: RandomOption = False,
    seed: SeedOption = None,
) -> None:
    """Solve a problem step by step: type each value or formula; it is checked at once."""
    from .i18n import t
    from .problem.variants import seed_label
    from .progress import ProgressStore
    from .session import open_session

    language = _language(lang)
    if problem is None:
        _solve_from_list(language, dirs, resume, plain or not _interactive(), random_variant or seed is not None)
        return
    seed = _variant_seed(random_variant, seed, problem)
    variant = seed_label(seed) if seed is not None else ""
    loaded, derived = _solve_problem(problem, dirs, seed)
    store = ProgressStore()
    if store.warning:
        typer.echo(f"bptutor: {store.warning}", err=True)
    unfinished = store.unfinished_session(loaded.id, variant) if resume is not False else None
    if plain or not _interactive():
        from .plain import run_plain

        if unfinished is not None and resume is None:  # a pipe can't be asked; say how to continue
            step = min(unfinished.current_step + 1, len(derived.steps))
            typer.echo(t("plain.unfinished", language, step=step, total=len(derived.steps), ref=problem), err=True)
        session = open_session(loaded, derived, language, store, unfinished if resume else None, variant)
        status = run_plain(session, sys.stdin, sys.stdout)
        store.close()
        raise typer.Exit(status)
    from .tui.app import TutorApp

    TutorApp(loaded, derived, language, store, unfinished, ask_resume=resume is None, variant=variant).run()
    store.close()


def _solve_from_list(language: str, dirs: list[Path] | None, resume: bool | None, plain: bool, variant: bool):
    """The problem list first (tutor/tui/screens/picker.py); each problem chosen opens in the TutorApp."""
    if variant:
        raise TutorError("--random and --seed need a problem id")
    if plain:
        raise TutorError("solve needs a problem id where the full-screen list cannot open (bptutor list shows them)")
    from .progress import ProgressStore
    from .tui.app import TutorApp
    from .tui.screens.picker import Library

    store = ProgressStore()
    if store.warning:
        typer.echo(f"bptutor: {store.warning}", err=True)
    TutorApp(None, None, language, store, library=Library(dirs or (), resume)).run()
    store.close()


@app.command()
def progress(lang: LangOption = None) -> None:
    """Show your progress: steps done, first-try accuracy and your most frequent mistakes."""
    from rich.console import Console
    from rich.table import Table

    from .i18n import t
    from .progress import ProgressStore

    language = _language(lang)
    store = ProgressStore()
    console = Console()
    if store.warning:
        console.print(store.warning, style="yellow", markup=False)
    summaries = store.summary()
    store.close()
    if not summaries:
        console.print(t("progress.empty", language), markup=False)
        return
    table = Table(*(t(f"progress.{c}", language) for c in ("problem", "done", "accuracy", "mistakes")), box=None)
    for s in summaries:
        total = f"/{s.steps_total}" if s.steps_total else ""
        accuracy = "-" if s.first_try_accuracy is None else f"{s.first_try_accuracy:.0%}"
        mistakes = ", ".join(f"{t(f'mistake_name.{key}', language)} ×{n}" for key, n in s.top_mistakes)
        table.add_row(clean(s.problem_id), f"{s.steps_done}{total}", accuracy, mistakes)
    console.print(table)


@app.command()
def gradcheck(
    problem: ProblemArg,
    eps: Annotated[float, typer.Option("--eps", help="The finite-difference step.", min=1e-12, max=1.0)] = 1e-4,
    dirs: DirOption = None,
    random_variant: RandomOption = False,
    seed: SeedOption = None,
) -> None:
    """Gradient check: each backprop gradient beside the central finite difference; exit 1 if one disagrees."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from . import formula
    from .gradcheck import REL_TOLERANCE, Verdict, differentiated, gradient_check
    from .numbers import format_number

    loaded, derived = _solve_problem(problem, dirs, _variant_seed(random_variant, seed, problem))
    checks = gradient_check(loaded, derived, eps)
    console = Console()
    if not checks:
        console.print(f"{loaded.id}: nothing to check (no weights, inputs or scores to move)", markup=False)
        return
    output = differentiated(loaded)
    table = Table("parameter", "backprop", "finite difference", "|difference|", "relative", "", box=None)
    notes = []
    for check in checks:
        try:
            label = formula.text(derived.symbols[check.name], derived.symbols)
        except KeyError:
            label = check.name
        symbol = f"∂{output}/∂{label}"
        table.add_row(Text(symbol), format_number(check.backprop), format_number(check.numeric),
                      f"{check.difference:.1e}", f"{check.relative:.1e}", _gradcheck_mark(check))
        if check.verdict is Verdict.KINK:
            left, right = check.one_sided
            notes.append(f"{symbol}: at a kink, where the slope from the left ({format_number(left)}) and from "
                         f"the right ({format_number(right)}) differ; backprop's {format_number(check.backprop)} "
                         f"is the convention (ReLU′(0) = 0, |x|′ = 0 at 0)")
        elif check.verdict is Verdict.NOT_SMOOTH:
            notes.append(f"{symbol}: not checked: the finite differences do not settle as eps shrinks, so the "
                         f"function is not smooth within eps of this point (a pole or a jump)")
        elif check.ok and check.eps != eps:
            notes.append(f"{symbol}: checked with eps {check.eps:g}: a larger step left the function's domain or "
                         f"crossed a kink")
    console.print(table)
    for note in notes:
        console.print(note, markup=False, highlight=False, soft_wrap=True)
    failed = [c for c in checks if not c.ok]
    if failed:
        console.print(f"FAIL: {len(failed)} of {len(checks)} gradients disagree (relative tolerance "
                      f"{REL_TOLERANCE:g}, eps {eps:g})", markup=False, soft_wrap=True)
        raise typer.Exit(1)
    agreed = [c for c in checks if c.verdict is Verdict.AGREE]
    worst = max((c.relative for c in agreed), default=0.0)
    kinks = sum(c.verdict is Verdict.KINK for c in checks)
    unsmooth = sum(c.verdict is Verdict.NOT_SMOOTH for c in checks)
    if not kinks and not unsmooth:
        said = f"all {len(checks)} gradients agree"
    else:
        parts = [f"{len(agreed)} agree", f"{kinks} at a kink" if kinks else "", f"{unsmooth} not smooth" if unsmooth else ""]
        said = f"no gradient disagrees ({', '.join(p for p in parts if p)})"
    console.print(f"PASS: {said} (largest relative difference {worst:.1e}, eps {eps:g})", markup=False, soft_wrap=True)


def _gradcheck_mark(check):
    from rich.text import Text

    from .gradcheck import Verdict

    words = {Verdict.AGREE: ("ok", "green"), Verdict.KINK: ("kink", "yellow"),
             Verdict.NOT_SMOOTH: ("not smooth", "yellow"), Verdict.DISAGREE: ("FAIL", "bold red")}
    word, style = words[check.verdict]
    return Text(word, style=style)


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="The address to listen on (0.0.0.0: every network interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 8000,
    dirs: DirOption = None,
    lang: LangOption = None,
    max_pages: Annotated[
        Optional[int],
        typer.Option("--max-pages", min=1, help="Pages open at once (default: what this machine's free memory "
                     "holds at about 150 MB a page, at most 32)."),
    ] = None,
    allow_origin: Annotated[
        Optional[list[str]],
        typer.Option("--allow-origin", help="Also accept pages from this origin, e.g. https://tutor.example.org "
                     "for a reverse proxy (repeatable)."),
    ] = None,
) -> None:
    """Serve the tutor to web browsers: each page opens the problem list. Ctrl+C stops."""
    from .serve import serve as serve_tutor

    serve_tutor(host, port, _language(lang), dirs or (), max_pages, allow_origin or ())


class TrainOptimizer(str, Enum):
    sgd = "sgd"
    momentum = "momentum"
    adam = "adam"


class TrainInit(str, Enum):
    random = "random"
    problem = "problem"


@app.command()
def train(
    problem: ProblemArg,
    steps: Annotated[int, typer.Option("--steps", min=1, max=1_000_000, help="How many updates.")] = 10_000,
    optimizer: Annotated[TrainOptimizer, typer.Option("--optimizer", help="sgd, momentum or adam.")] = TrainOptimizer.sgd,
    lr: Annotated[Optional[float], typer.Option("--lr", help="The learning rate (default: the problem's).")] = None,
    seed: Annotated[
        Optional[int], typer.Option("--seed", min=0, help="Seed of the random starting weights (default: a new one, shown).")
    ] = None,
    init: Annotated[
        TrainInit, typer.Option("--init", help="random (seeded) or problem (the file's weights).")
    ] = TrainInit.random,
    dirs: DirOption = None,
) -> None:
    """Train the network on its training set by gradient descent: progress, loss curve, final outputs."""
    import math

    if lr is not None and not (lr > 0 and math.isfinite(lr)):
        typer.echo(f"bptutor: --lr must be a positive number, got {lr:g}", err=True)
        raise typer.Exit(2)
    loaded = _open_problem(problem, dirs)
    if loaded.network is None:  # training needs a network's section
        from .kinds import get

        what = get(loaded.kind).describe
        typer.echo(f"bptutor: {loaded.id} is {what} (kind {loaded.kind}), not a network: train needs a "
                   "network problem, for example: bptutor train xor", err=True)
        raise typer.Exit(2)
    from .render.train_view import run_training

    status = run_training(loaded, steps=steps, optimizer=optimizer.value, lr=lr, seed=seed, init=init.value)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """Entry point: user errors become one line on stderr and exit status 2, never a traceback."""
    try:
        app()
    except TutorError as exc:
        sys.stderr.write(f"bptutor: {clean(str(exc))}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
