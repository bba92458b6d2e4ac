"""A problem drawn as plain text, with the values found so far filled in: the helpers every
kind's diagram uses (each kind draws its own, in ``tutor.kinds.<kind>.pictures``).

Used by ``bptutor show`` (nothing known yet) and by the TUI, which passes the values the student
has found; unknown quantities show as "?". Plain strings: no Rich, no markup.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import formula
from ..numbers import format_value
from .columns import cell_width
from ..steps import Solution, Value

UNKNOWN = "?"

# After a value the student did not find, as in the TUI's step list: shown (asked for) or skipped.
MARK_SHOWN = "!"
MARK_SKIPPED = "–"


class Known(dict):
    """The values to fill in, by step name, and how each was had: ``marks[name]`` is
    :data:`MARK_SHOWN` or :data:`MARK_SKIPPED` for a value the student did not find.

    A plain mapping works wherever a ``Known`` does (nothing is marked)."""

    def __init__(self, values: Mapping[str, Value] = (), marks: Mapping[str, str] | None = None):
        super().__init__(values)
        self.marks: dict[str, str] = dict(marks or {})


width = cell_width  # terminal cells: wide characters take two, combining marks (the hat of m̂) none


def pad(text: str, cells: int) -> str:
    return text + " " * max(cells - width(text), 0)


def shown(value: Value | None) -> str:
    return UNKNOWN if value is None else format_value(value)


def mark(known: Mapping[str, Value], name: str) -> str:
    return getattr(known, "marks", {}).get(name, "")


def entry(solution: Solution, name: str, known: Mapping[str, Value]) -> str:
    """"u₁⁽¹⁾ = 0.6225", "?" for a value not known yet, a mark after one shown or skipped."""
    value = solution.givens.get(name, known.get(name))
    return f"{formula.text(solution.symbols[name], solution.symbols)} = {shown(value)}{mark(known, name)}"


def grid(rows: list[list[str]], indent: str = "  ") -> list[str]:
    """Cells in aligned columns, three spaces apart."""
    columns = max((len(row) for row in rows), default=0)
    widths = [max((width(row[k]) for row in rows if k < len(row)), default=0) for k in range(columns)]
    return [(indent + "   ".join(pad(cell, widths[k]) for k, cell in enumerate(row))).rstrip() for row in rows]


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str = "en") -> str:
    """The problem drawn by its kind, with the ``known`` values filled in."""
    from ..kinds import get

    return get(problem.kind).diagram(problem, solution, known, lang)
