"""The problem's data (inputs, weights, targets) as one line, for the solution's header."""

from __future__ import annotations

from .. import formula
from ..numbers import format_value
from ..steps import Solution


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
