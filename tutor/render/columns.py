"""Text laid out in columns, measured in terminal cells: a CJK character takes two.

For ``bptutor list``, which must start in about the time Typer alone takes and so cannot afford
Rich's import (100 ms here); the other commands use Rich tables.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def cell_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def columns(headers: Sequence[str], rows: Sequence[Sequence[str]], gap: int = 2) -> str:
    """Left-aligned columns under their headers; the last column is not padded."""
    table = [list(headers), *(list(row) for row in rows)]
    widths = [max(cell_width(row[i]) for row in table) for i in range(len(headers))]
    lines = []
    for row in table:
        cells = [cell + " " * (widths[i] - cell_width(cell)) for i, cell in enumerate(row[:-1])]
        lines.append((" " * gap).join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)
