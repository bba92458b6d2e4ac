"""The worked solution for the terminal, as Rich renderables. The only renderer that uses Rich."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..i18n import t
from ..steps import Solution
from .given import given_text
from .rows import sections


def render_text(problem, solution: Solution, lang: str = "en") -> RenderableType:
    # Teacher text is wrapped in Text objects so that "[...]" in a YAML file is never read as markup.
    parts: list[RenderableType] = [Text(problem.title.get(lang), style="bold")]
    if problem.statement is not None:
        parts.append(Text(problem.statement.get(lang).strip()))
    parts.append(Panel(Text(given_text(solution)), title=t("solution.given", lang), title_align="left"))
    for number, (phase, rows) in enumerate(sections(solution), 1):
        table = Table(
            title=Text(f"{number}. {t(f'phase.{phase.value}', lang)}", style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD,
            expand=False,
        )
        table.add_column(t("solution.quantity", lang), style="cyan", no_wrap=True)
        table.add_column(t("solution.formula", lang))
        table.add_column(t("solution.with_numbers", lang))
        table.add_column(t("solution.value", lang), justify="right", style="bold")
        for row in rows:
            table.add_row(Text(row.symbol_text), Text(row.formula_text), Text(row.numbers_text), Text(row.value_text))
        parts.append(table)
    if problem.notes is not None:
        parts.append(Panel(Text(problem.notes.get(lang).strip()), title=t("solution.notes", lang), title_align="left"))
    return Group(*parts)
