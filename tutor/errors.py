"""The one error family every front end knows how to show. Standard library only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class TutorError(Exception):
    """A problem the user can fix; front ends print it without a traceback."""


@dataclass
class ProblemError(TutorError):
    """A problem file that cannot be used, located as precisely as we know."""

    path: Path | str | None
    message: str
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    key: str | None = None  # dotted path such as "network.weights.W1"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<problem>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{self.key}: {self.message}" if self.key else self.message
        return f"{where}: {text}"


class NumericError(TutorError):
    """A value that overflowed or left its domain, named by the unit or node it belongs to.

    ``at`` is the key in the problem file it comes from, e.g. ("graph", "nodes", "z"), so the
    error can be shown at that line."""

    def __init__(self, message: str, at: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


class DomainError(NumericError, ValueError):
    """A value or derivative undefined at the problem's numbers (sqrt' at 0, log of a negative),
    already worded in the problem's terms. A ValueError, so follow-through treats it as any
    other value a student's numbers cannot give."""
