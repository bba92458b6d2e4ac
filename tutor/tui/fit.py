"""Fitting text into the screen's boxes: the title into the header, step labels into the step
list, and a window of the picture around the current quantity. Pure functions on plain strings
(no Textual), so the rules can be tested without a terminal.

Widths are in terminal cells: a wide (CJK) character takes two, a combining mark none.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..render.columns import cell_width

ELLIPSIS = "…"
# What a picture draws with: arrows, box lines, blocks and shapes (arrowheads ▶ ◀ ▲ ▼).
_DRAWING = "\u2190-\u21ff\u2500-\u25ff\u2794-\u27bf\u27f0-\u27ff\u2900-\u297f\u2b00-\u2b2f"
_DRAWN = re.compile(f"[{_DRAWING}]")
_NUMBER = re.compile(r"[0-9]+")
_OPERATORS = set("=−+·×<>≤≥≈→-")
_HEAD = re.compile(r"(.+?[:：])\s*(.+)")  # "Exercise 7.2: one backpropagation step on XOR"

# No line starts with these (Japanese line-breaking rules, and closing brackets in general) ...
_NO_LINE_START = set("、。，．）」』】〕）:：,.;!?・ー")
# ... and none ends with these.
_NO_LINE_END = set("（「『【〔(")


def clusters(text: str) -> list[tuple[str, int]]:
    """``text`` as (character with its combining marks, cells) pairs: the units a cut may fall between."""
    out: list[tuple[str, int]] = []
    for char in text:
        if unicodedata.combining(char) and out:
            out[-1] = (out[-1][0] + char, out[-1][1])
        else:
            out.append((char, cell_width(char)))
    return out


def _wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char[:1]) in ("W", "F")


def _hiragana(char: str) -> bool:
    return "\u3041" <= char[:1] <= "\u309f"


def _ends_word(char: str, following: str) -> bool:
    """Whether a Japanese word ends between ``char`` and ``following``: after a run of hiragana
    (the particles and endings that close a word) or after a Japanese punctuation mark. Inside a
    run of kanji or katakana ("誤差逆伝播", "ソフトマックス") no line breaks."""
    return (_hiragana(char) and not _hiragana(following)) or char in "、。・：）」』"


def _pieces(text: str, breaks_after: str = " ") -> list[str]:
    """``text`` cut where a line may break: after a space or a character of ``breaks_after``, and
    where a Japanese word ends (``_ends_word``); never before a closing mark or after an opening one."""
    pieces: list[str] = []
    current = ""
    units = [char for char, _ in clusters(text)]
    for position, char in enumerate(units):
        current += char
        following = units[position + 1] if position + 1 < len(units) else ""
        if not following or following in _NO_LINE_START or char in _NO_LINE_END:
            continue
        if following != " " and (char in breaks_after or _ends_word(char, following)):
            if char == " " and _NUMBER.fullmatch(current.rsplit(" ", 2)[-2]):
                continue  # a number stays with the word it counts: "1 ステップ", "3 個"
            if char == " " and (following in _OPERATORS or current.rstrip()[-1:] in _OPERATORS):
                continue  # a formula stays whole: "δ = h − d"
            pieces.append(current)
            current = ""
    if current:
        pieces.append(current)
    return pieces


def wrap(text: str, cells: int, breaks_after: str = " ") -> list[str]:
    """Greedy wrap at break opportunities (see ``_pieces``); a piece wider than ``cells`` is cut
    between characters. Spaces at a line's end are dropped."""
    lines: list[str] = []
    line = ""
    for piece in _pieces(text, breaks_after):
        if line and cell_width((line + piece).rstrip()) > cells:
            lines.append(line.rstrip())
            line = ""
            piece = piece.lstrip()
        while cell_width(piece.rstrip()) > cells:  # one word wider than the box: cut it
            head = crop(piece, 0, cells) or clusters(piece)[0][0]
            lines.append(head)
            piece = piece[len(head) :]
        line += piece
    if line.strip() or not lines:
        lines.append(line.rstrip())
    return lines


def crop(text: str, start: int, cells: int) -> str:
    """The characters of ``text`` wholly inside cells [start, start + cells)."""
    out = ""
    at = 0
    for char, size in clusters(text):
        if at >= start and at + size <= start + cells:
            out += char
        at += size
    return out


def title_lines(title: str, cells: int, most: int = 2) -> list[str]:
    """The title on at most ``most`` lines of ``cells``: whole when it fits. Wrapped, it breaks
    after its head ("Exercise 7.2:" over "one backpropagation step on XOR") when both parts fit,
    else between words into lines of even length; a formula is not broken.

    When even that does not fit, the end of the title gives way whole words at a time and "…"
    says so; a word is never cut and nothing is left out in the middle."""
    title = " ".join(title.split())
    if cell_width(title) <= cells:
        return [title]
    head = _HEAD.fullmatch(title)
    if head and cell_width(head[1]) <= cells:
        rest = _balanced(head[2], cells)
        if len(rest) < most and _fit(rest, cells):
            return [head[1], *rest]
    lines = _balanced(title, cells)
    if len(lines) <= most and _fit(lines, cells):
        return lines
    kept = wrap(title, cells)[:most]
    last = kept[-1]
    while last and cell_width(last + " " + ELLIPSIS) > cells:
        pieces = _pieces(last)
        last = "".join(pieces[:-1]).rstrip()
    kept[-1] = f"{last} {ELLIPSIS}".strip() if not _wide(last[-1:]) else f"{last}{ELLIPSIS}"
    return kept


def _fit(lines: list[str], cells: int) -> bool:
    return all(cell_width(line) <= cells for line in lines)


def _balanced(text: str, cells: int) -> list[str]:
    """``wrap`` into as few lines as at ``cells``, but as narrow as that allows, so that the
    last line is not a lone word ("The sigmoid function as a / computational graph")."""
    lines = wrap(text, cells)
    narrowest = cells
    while narrowest > 1 and len(wrap(text, narrowest - 1)) == len(lines):
        narrowest -= 1
    return wrap(text, narrowest)


def label_lines(label: str, cells: int) -> list[str]:
    """A step's label for the step list, on as many lines of ``cells`` as it needs. A long label
    breaks after a space or a fraction's "/", so "local ∂apple_price/∂apple_num" reads
    "local ∂apple_price/" over "∂apple_num": nothing is cut, so labels stay as different as the
    quantities they name."""
    return wrap(label, cells, breaks_after=" /")


# ---------------------------------------------------------------- the picture's window


@dataclass(frozen=True)
class Spot:
    """Where the current quantity's entry is in the picture: line, first cell, width in cells."""

    line: int
    column: int
    cells: int


# An entry "symbol = value" ends at two spaces, at an arrow or a box line, or at the line's end.
_ENTRY_END = re.compile(rf"\s{{2,}}|\s?[{_DRAWING}]|\s*$")


def locate(text: str, label: str) -> Spot | None:
    """Where the entry "label = value" is in the picture ``text``: ``label`` at a line's start or
    after a space, a bracket, an arrow or a box line, never inside a longer symbol (the "E = " of
    "∂E/∂E = " or the "b₁ = " of "∂E/∂b₁ = ")."""
    for number, line in enumerate(text.split("\n")):
        start = 0
        while (found := line.find(label, start)) >= 0:
            before = line[found - 1] if found else " "
            if before in "([{" or not _is_word(before):
                end = _ENTRY_END.search(line, found + len(label)).start()
                return Spot(number, cell_width(line[:found]), cell_width(line[found:end]))
            start = found + 1
    return None


def scroll_target(
    picture: tuple[int, int], view: tuple[int, int], spot: Spot, look_left: bool, margin: int = 2, below: int = 2
) -> tuple[int, int]:
    """The scroll offset (x, y) that shows the whole entry at ``spot`` and as much context as the
    view allows on the side it comes from: to its left (the inputs a forward value is computed
    from) when ``look_left``, else to its right (the gradients a backward value comes from).
    Vertically the picture scrolls down only as far as needed to show the entry with ``below``
    lines under it, so its headings and first rows stay in view as long as they can."""
    width, height = picture
    view_width, view_height = view
    if look_left:
        x = spot.column + spot.cells + margin - view_width
    else:
        x = spot.column - margin
    x = min(x, spot.column)  # an entry wider than the view shows its start
    x = max(0, min(x, width - view_width))
    y = spot.line + 1 + min(below, (view_height - 1) // 2) - view_height
    y = max(0, min(y, height - view_height))
    return x, y


def _is_word(char: str) -> bool:
    """Part of a symbol or a value (cut, it would read as something else); box lines, arrows and
    spaces can be cut anywhere."""
    return not (char.isspace() or _DRAWN.fullmatch(char[:1]))


def window(line: str, start: int, cells: int) -> str:
    """Cells [start, start + cells) of ``line``, padded to ``cells``. A word (a symbol or a value)
    crossing either edge is not shown cut, where "E = 0.06098" would read "E = 0.0": its visible part
    gives way to "…", so the student knows to scroll."""
    units = clusters(line)
    out: list[str] = []
    at = 0
    for position, (char, size) in enumerate(units):
        if at + size <= start or at >= start + cells:
            at += size
            continue
        inside = at >= start and at + size <= start + cells
        out.append(char if inside else " " * (min(at + size, start + cells) - max(at, start)))
        at += size
    text = "".join(out)
    text += " " * (cells - cell_width(text))
    return _mark_cuts(line, start, cells, text)


def _cell_chars(line: str) -> list[str]:
    """One entry per cell: the character starting there, "" for the second half of a wide one."""
    chars: list[str] = []
    for char, size in clusters(line):
        chars.append(char)
        chars.extend([""] * (size - 1))
    return chars


def _mark_cuts(line: str, start: int, cells: int, shown: str) -> str:
    """Blank what shows of an entry ("E = 0.06098") or a word cut by an edge of the window, and
    put "…" in its place: at the left edge, or where the entry starts on the right ("→ …"), so
    no part of an entry passes for the whole of it."""
    chars = _cell_chars(line)
    seen = _cell_chars(shown)
    end = start + cells
    word = [char == "" or _is_word(char) for char in chars]
    for at in range(len(chars) - 2):  # "symbol = value" is one unit
        if chars[at : at + 3] == [" ", "=", " "]:
            word[at] = word[at + 2] = True

    def word_at(cell: int) -> bool:
        return 0 <= cell < len(chars) and word[cell]

    if start > 0 and word_at(start) and word_at(start - 1):
        run = 0
        while run < cells and word_at(start + run):
            run += 1
        seen[:run] = [ELLIPSIS] + [" "] * (run - 1)
    if word_at(end - 1) and word_at(end):
        run = 0
        while run < cells and word_at(end - 1 - run):
            run += 1
        seen[cells - run :] = [ELLIPSIS] + [" "] * (run - 1)
    return "".join(seen)
