"""Prose wrapped to a width in terminal cells: at spaces, and between CJK characters following the
usual Japanese line-breaking rule (kinsoku) that no line starts with a closing mark or ends with an
opening one. Pure text in, lines out."""

from __future__ import annotations

import re
import unicodedata

from .columns import cell_width

# Marks that may not start a line, and marks that may not end one.
NO_START = set("、。，．・：；？！ー）」』】〕〉》”’ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥,.;:!?)]}%")
NO_END = set("（「『【〔〈《“‘([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _atoms(text: str) -> list[tuple[bool, str]]:
    """Pieces no line breaks inside, each with whether a space comes before it."""
    atoms: list[tuple[bool, str]] = []
    space = False
    for char in text:
        if char.isspace():
            space = True
            continue
        if atoms and not space:
            last = atoms[-1][1]
            joined = not (_wide(char) or _wide(last[-1])) or char in NO_START or last[-1] in NO_END
            if joined:
                atoms[-1] = (atoms[-1][0], last + char)
                continue
        atoms.append((space, char))
        space = False
    return atoms


# A line never breaks beside one of these, so "(y − d)²" and "d = 1" in a statement stay whole.
OPERATORS = {"=", "−", "-", "+", "·", "×", "/", "→", "←", "≈", "≠", "≤", "≥", "<", ">", "⊙"}


def _units(atoms: list[tuple[bool, str]]) -> list[list[tuple[bool, str]]]:
    """Atoms grouped so that no break falls next to an operator standing between spaces."""
    units: list[list[tuple[bool, str]]] = []
    for space, atom in atoms:
        if units and space and (atom in OPERATORS or units[-1][-1][1] in OPERATORS):
            units[-1].append((space, atom))
        else:
            units.append([(space, atom)])
    return units


def _joined(line: str, space: bool, atom: str) -> str:
    return f"{line} {atom}" if line and space else line + atom


def wrap(text: str, width: int) -> list[str]:
    """One paragraph as lines of at most ``width`` cells (a single word longer than that stays
    whole; a formula longer than a line breaks at its spaces)."""
    lines: list[str] = []
    line = ""
    for unit in _units(_atoms(text)):
        whole = unit[0][1] + "".join(f" {atom}" for _, atom in unit[1:])
        pieces = [(unit[0][0], whole)] if cell_width(whole) <= width else unit
        for space, atom in pieces:
            candidate = _joined(line, space, atom)
            if line and cell_width(candidate) > width:
                lines.append(line)
                line = atom
            else:
                line = candidate
    if line:
        lines.append(line)
    return lines


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each joined onto one line: a line break inside a paragraph
    becomes a space, except between Japanese characters, which take none."""
    result = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        joined = lines[0] if lines else ""
        for line in lines[1:]:
            glue = "" if _wide(joined[-1]) or _wide(line[0]) else " "
            joined += glue + line
        result.append(joined)
    return result


def wrap_paragraphs(text: str, width: int) -> list[str]:
    """Every paragraph wrapped, with one blank line between paragraphs."""
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs(text)):
        if number:
            lines.append("")
        lines += wrap(paragraph, width)
    return lines
