"""The worked solution for the terminal, as Rich renderables. The only renderer that uses Rich.

Everything is laid out here, to the console's width, rather than left to Rich's wrapping, which
breaks formulas anywhere and pads lines with spaces: a phase is a table when its widest cells fit
side by side, and otherwise one "symbol = formula" line per step with the numbers and the value on
the indented lines below. Prose is wrapped by paragraph with the Japanese line-breaking rule."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.text import Text

from ..i18n import t
from ..steps import AnswerKind, Solution
from .columns import cell_width
from .given import given_text
from .rows import Row, sections, value_text
from .wrap import wrap_paragraphs

GAP = "   "
INDENT = "  "


def _line(*parts: tuple[str, str]) -> Text:
    """One output line from (text, style) pieces; never wrapped again by Rich."""
    text = Text(no_wrap=True, overflow="ignore", end="\n")
    for piece, style in parts:
        text.append(piece, style)
    return text


def _components(expression: str) -> list[str]:
    """A vector "(a, b, c)" as "(a," "b," "c)", the places it may be broken; anything else whole."""
    if not (expression.startswith("(") and expression.endswith(")")):
        return [expression]
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(expression):
        depth += char in "([{"
        depth -= char in ")]}"
        if depth == 0 and index < len(expression) - 1:
            return [expression]  # "(a)·(b)": not one vector
        if depth == 1 and char == ",":
            pieces.append(expression[start : index + 1])
            start = index + 2
    pieces.append(expression[start:])
    return pieces


def _fit(first: str, expression: str, rest: str, width: int) -> list[str]:
    """``first + expression`` on one line, or, when that is too wide, broken only between the
    components of a vector, the following lines starting with ``rest``."""
    if cell_width(first + expression) <= width:
        return [first + expression]
    room = width - cell_width(rest)
    # Last resort, for a component still too wide: break at the spaces around its operators.
    pieces = [part for piece in _components(expression) for part in (piece.split(" ") if cell_width(piece) > room else [piece])]
    lines, line = [], first
    for piece in pieces:
        if line.strip() and cell_width(line + piece) > width:
            lines.append(line.rstrip())
            line = rest
        line += piece + " "
    return [*lines, line.rstrip()]


def _stacked(row: Row, width: int) -> list[Text]:
    value = value_text(row.step.value) if row.step.answer is AnswerKind.FORMULA else row.value_text
    head = f"{INDENT}{row.symbol_text} = "
    if cell_width(head + row.formula_text) <= width:
        formula = [head + row.formula_text]
        pad = " " * (cell_width(head) - 2)
    else:  # the formula does not fit beside its symbol: it goes onto its own line
        pad = INDENT * 2
        # Indented under the "=" when there is room, less when that is what keeps it on one line.
        indent = " " * max(0, min(len(pad) + 2, width - cell_width(row.formula_text)))
        formula = [f"{INDENT}{row.symbol_text} ="] + _fit(indent, row.formula_text, pad + "  ", width)
    lines = [_line((text, "")) for text in formula]
    lines[0] = _line((INDENT, ""), (row.symbol_text, "cyan"), (formula[0][len(INDENT) + len(row.symbol_text) :], ""))
    further = [row.numbers_text] if row.numbers_text not in (row.formula_text, value) else []
    for number, expression in enumerate([*further, value]):
        style = "bold" if number == len(further) else ""
        lines += [_line((text, style)) for text in _fit(f"{pad}= ", expression, f"{pad}  ", width)]
    return lines


def _table(headers: list[str], rows: list[Row]) -> tuple[int, list[Text]]:
    cells = [[r.symbol_text, r.formula_text, r.numbers_text, r.value_text] for r in rows]
    widths = [max(cell_width(c[i]) for c in [headers, *cells]) for i in range(4)]

    def pad(text: str, i: int) -> str:
        room = " " * (widths[i] - cell_width(text))
        return room + text if i == 3 else text + room

    def line(row: list[str], styles: tuple[str, ...]) -> Text:
        parts = [(pad(text, i) + (GAP if i < 3 else ""), style) for i, (text, style) in enumerate(zip(row, styles))]
        return _line((INDENT, ""), *parts)

    total = len(INDENT) + sum(widths) + len(GAP) * 3
    lines = [line(headers, ("bold",) * 4), _line((INDENT + "─" * (total - len(INDENT)), "dim"))]
    lines += [line(c, ("cyan", "", "", "bold")) for c in cells]
    return total, lines


def _phase(title: str, rows: list[Row], lang: str, width: int) -> list[Text]:
    headers = [t(f"solution.{key}", lang) for key in ("quantity", "formula", "with_numbers", "value")]
    total, lines = _table(headers, rows)
    if total > width:
        lines = [line for row in rows for line in _stacked(row, width)]
    return [_line((title, "bold")), *lines]


def _box(title: str, lines: list[str]) -> Panel:
    body = Text("\n".join(lines), no_wrap=True, overflow="ignore")
    return Panel(body, title=title, title_align="left", box=box.ROUNDED)


def _given(solution: Solution, width: int) -> list[str]:
    """The data, broken only between its "name = value" items."""
    lines, line = [], ""
    for item in given_text(solution).split(",  "):
        if line and cell_width(f"{line},  {item},") > width:
            lines.append(line + ",")
            line = item
        else:
            line = f"{line},  {item}" if line else item
    return [*lines, line] if line else lines


class _Solution:
    """Laid out when printed, to the width of the console it is printed on."""

    def __init__(self, problem, solution: Solution, lang: str) -> None:
        self.problem, self.solution, self.lang = problem, solution, lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        problem, lang = self.problem, self.lang
        # Teacher text goes in Text objects so that "[...]" in a YAML file is never read as markup.
        yield from (_line((line, "bold")) for line in wrap_paragraphs(problem.title.get(lang), width))
        if problem.statement is not None:
            yield from (_line((line, "")) for line in wrap_paragraphs(problem.statement.get(lang), width))
        yield _box(t("solution.given", lang), _given(self.solution, width - 4))
        for number, (phase, rows) in enumerate(sections(self.solution), 1):
            yield Text("")
            yield from _phase(f"{number}. {t(f'phase.{phase.value}', lang)}", rows, lang, width)
        if problem.notes is not None:
            yield Text("")
            yield _box(t("solution.notes", lang), wrap_paragraphs(problem.notes.get(lang), width - 4))


def render_text(problem, solution: Solution, lang: str = "en") -> RenderableType:
    return Group(_Solution(problem, solution, lang))
