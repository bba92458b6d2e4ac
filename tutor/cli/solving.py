"""Commands for students: solve (the full-screen app or line prompts) and progress."""

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
    LangOption,
    RandomOption,
    SeedOption,
    app,
    resolve_lang,
    solve_ref,
    variant_seed,
)


def _interactive() -> bool:
    """Textual needs a real terminal on both ends; without one it would wait forever."""

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
    from ..i18n import t
    from ..problem.variants import seed_label
    from ..progress import ProgressStore
    from ..session import open_session

    language = resolve_lang(lang)
    if problem is None:
        _solve_from_list(language, dirs, resume, plain or not _interactive(), random_variant or seed is not None)
        return
    seed = variant_seed(random_variant, seed, problem)
    variant = seed_label(seed) if seed is not None else ""
    loaded, derived = solve_ref(problem, dirs, seed)
    store = ProgressStore()
    if store.warning:
        typer.echo(f"bptutor: {store.warning}", err=True)
    unfinished = store.unfinished_session(loaded.id, variant) if resume is not False else None
    if plain or not _interactive():
        from ..plain import run_plain

        if unfinished is not None and resume is None:  # a pipe can't be asked; say how to continue
            step = min(unfinished.current_step + 1, len(derived.steps))
            typer.echo(t("plain.unfinished", language, step=step, total=len(derived.steps), ref=problem), err=True)
        session = open_session(loaded, derived, language, store, unfinished if resume else None, variant)
        status = run_plain(session, sys.stdin, sys.stdout)
        store.close()
        raise typer.Exit(status)
    from ..tui.app import TutorApp

    TutorApp(loaded, derived, language, store, unfinished, ask_resume=resume is None, variant=variant).run()
    store.close()


def _solve_from_list(language: str, dirs: list[Path] | None, resume: bool | None, plain: bool, variant: bool):
    """The problem list first (tutor/tui/screens/picker.py); each problem chosen opens in the TutorApp."""
    if variant:
        raise TutorError("--random and --seed need a problem id")
    if plain:
        raise TutorError("solve needs a problem id where the full-screen list cannot open (bptutor list shows them)")
    from ..progress import ProgressStore
    from ..tui.app import TutorApp
    from ..tui.screens.picker import Library

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

    from ..i18n import t
    from ..progress import ProgressStore

    language = resolve_lang(lang)
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
