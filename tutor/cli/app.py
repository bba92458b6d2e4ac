"""The Typer app, the options several commands share, and how a command opens its problem.

Each command imports what it needs inside its body, so start-up stays fast."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import __version__
from ..errors import TutorError

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
            from ..problem.library import shown_path

            what = "is not a folder" if directory.exists() else "does not exist"
            raise TutorError(f"--dir {shown_path(directory)} {what}")
    return dirs


DirOption = Annotated[
    Optional[list[Path]],
    typer.Option("--dir", "-d", help="Also look for problems in this folder (repeatable).", callback=_existing_dirs),
]


LangOption = Annotated[Optional[str], typer.Option("--lang", help="en or ja (default: $BPTUTOR_LANG, then the locale).")]


ProblemArg = Annotated[str, typer.Argument(help="A problem id (see 'bptutor list') or the path of a YAML file.")]


RandomOption = Annotated[
    bool, typer.Option("--random", help="A random variant: new numbers, same questions (see --seed).")
]


SeedOption = Annotated[
    Optional[int], typer.Option("--seed", min=0, help="Which random variant (implies --random); same seed, same numbers.")
]


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


def resolve_lang(option: str | None) -> str:
    from ..lang import resolve_language

    return resolve_language(option)


def open_ref(ref: str, dirs: list[Path] | None):
    from ..loading import open_problem

    return open_problem(ref, dirs or ())


def solve_ref(ref: str, dirs: list[Path] | None, seed: int | None = None):
    from ..loading import load_and_derive

    return load_and_derive(ref, dirs or (), seed)


def variant_seed(random_variant: bool, seed: int | None, ref: str) -> int | None:
    """The variant asked for, if any; a new seed is chosen and shown so the variant can be had again."""
    if seed is None and not random_variant:
        return None
    if seed is None:
        import secrets

        seed = secrets.randbelow(10_000)
    typer.echo(f"bptutor: random variant, seed {seed} (again: --seed {seed}; the worked solution: "
               f"bptutor solution {ref} --seed {seed})", err=True)
    return seed
