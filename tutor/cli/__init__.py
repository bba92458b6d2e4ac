"""The command line: ``bptutor`` and its commands (Typer).

``app.py`` holds the app and the options commands share; the commands live in ``problems.py``
(list, show, solution, validate), ``solving.py`` (solve, progress) and ``tools.py`` (gradcheck,
serve, train), registered in that order, the order ``--help`` lists them in.
"""

from __future__ import annotations

import sys

from ..errors import TutorError
from ..safe_text import clean
from . import problems, solving, tools  # noqa: F401 - importing them registers their commands
from .app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: user errors become one line on stderr and exit status 2, never a traceback."""
    try:
        app()
    except TutorError as exc:
        sys.stderr.write(f"bptutor: {clean(str(exc))}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
