"""The worked solution as Markdown with $...$ math (GitHub, VS Code, Obsidian, Typora render it)."""

from __future__ import annotations

from ..i18n import t
from ..steps import Solution
from .rows import Row, sections
from .given import given_latex

# Teacher text must read as text: no raw HTML (<script>, <img onerror=...>), no links or images
# ([x](javascript:...), autolinks <javascript:...>). The backslash is escaped too, or a teacher's
# backslash before "[" would turn our escape into a literal backslash and a live "[".
_SPECIAL = {"\\": "\\\\", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;", "&": "&amp;"}


def escape(text: str) -> str:
    """Teacher-written text as literal Markdown text."""
    return "".join(_SPECIAL.get(c, c) for c in text)


def _chain(row: Row) -> str:
    parts = [row.symbol_latex, row.formula_latex]
    if row.numbers_latex != row.formula_latex:
        parts.append(row.numbers_latex)
    if row.value_latex != parts[-1]:
        parts.append(row.value_latex)
    return " = ".join(parts)


def render_markdown(problem, solution: Solution, lang: str = "en") -> str:
    lines = [f"# {escape(problem.title.get(lang))}", ""]
    if problem.statement is not None:
        lines += [escape(problem.statement.get(lang).strip()), ""]
    lines += [f"## {t('solution.given', lang)}", "", f"${given_latex(solution)}$", ""]
    for number, (phase, rows) in enumerate(sections(solution), 1):
        lines += [f"## {number}. {t(f'phase.{phase.value}', lang)}", ""]
        for row in rows:
            line = f"- ${_chain(row)}$"
            if row.step.expected_formula:
                line += f" — {t('solution.as_formula', lang)}: `{row.step.expected_formula}`"
            lines.append(line)
        lines.append("")
    if problem.notes is not None:
        lines += [f"## {t('solution.notes', lang)}", "", escape(problem.notes.get(lang).strip()), ""]
    return "\n".join(lines)
