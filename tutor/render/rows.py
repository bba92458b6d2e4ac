"""The worked solution as rows, one per step: what every renderer prints, computed once."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .. import formula
from ..numbers import format_value
from ..steps import AnswerKind, Env, Phase, Solution, Step, Value


@dataclass(frozen=True)
class Row:
    step: Step
    symbol_text: str
    formula_text: str
    numbers_text: str
    value_text: str
    symbol_latex: str
    formula_latex: str
    numbers_latex: str
    value_latex: str


def value_text(value: Value, shape: tuple[int, ...] = ()) -> str:
    return format_value(_rows(value, shape))


def value_latex(value: Value, shape: tuple[int, ...] = ()) -> str:
    return format_value(_rows(value, shape), (r"\left(", r"\right)"))


def _rows(value: Value, shape: tuple[int, ...]) -> Value:
    """A matrix step's entries (kept row after row) as rows: ((26, 6), (0, -4))."""
    if len(shape) != 2 or not isinstance(value, tuple):
        return value
    return tuple(value[r * shape[1]:(r + 1) * shape[1]] for r in range(shape[0]))


def row(step: Step, solution: Solution, env: Env | None = None) -> Row:
    notation = solution.symbols
    env = solution.exact_env() if env is None else env
    numbers = formula.with_numbers(step, env, notation)
    shown_value = value_text(step.value, step.shape)
    if step.answer is AnswerKind.FORMULA:
        shown_value = f"{step.expected_formula}  ({formula.text(numbers, notation)} = {shown_value})"
    return Row(
        step=step,
        symbol_text=formula.text(step.symbol, notation),
        formula_text=formula.text(step.formula, notation),
        numbers_text=formula.text(numbers, notation),
        value_text=shown_value,
        symbol_latex=formula.latex(step.symbol, notation),
        formula_latex=formula.latex(step.formula, notation),
        numbers_latex=formula.latex(numbers, notation),
        value_latex=value_latex(step.value, step.shape),
    )


def sections(solution: Solution) -> list[tuple[Phase, list[Row]]]:
    """Rows grouped by phase, in step order."""
    env = solution.exact_env()
    return [
        (phase, [row(s, solution, env) for s in steps]) for phase, steps in groupby(solution.steps, key=lambda s: s.phase)
    ]
