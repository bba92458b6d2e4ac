"""The problem's data (inputs, weights, targets): as one line for the solution's header, and as
the block plain mode prints before the first question."""

from __future__ import annotations

from .. import formula
from ..i18n import has, t
from ..numbers import format_value
from ..steps import Solution
from .diagram import diagram


def _pairs(solution: Solution):
    notation = solution.symbols
    for name, value in solution.givens.items():
        if name not in notation.symbols:
            continue
        yield notation[name], format_value(value)


def given_text(solution: Solution) -> str:
    return ",  ".join(f"{formula.text(s, solution.symbols)} = {v}" for s, v in _pairs(solution))


def given_latex(solution: Solution) -> str:
    return r",\ ".join(f"{formula.latex(s, solution.symbols)} = {v}" for s, v in _pairs(solution))


def given_block(problem, solution: Solution, lang: str) -> str:
    """The statement and the problem's data as plain text, enough to solve it without a picture:
    the kind's own diagram with nothing found yet (its data, a graph's node definitions, "?" for
    what is to find), and the kind's note on its notation when it has one."""
    parts = []
    if problem.statement is not None:
        parts += [problem.statement.get(lang).strip(), ""]
    parts += [t("plain.given", lang), diagram(problem, solution, {}, lang)]
    note = f"plain.notation_{problem.kind}"
    if has(note, lang):
        parts.append(t(note, lang))
    return "\n".join(parts)
