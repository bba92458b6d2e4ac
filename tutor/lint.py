"""Warnings for problem authors: places where a known mistake lies so close to the right answer
that students will be asked for many significant figures.

The tutor never marks a named mistake's value right (tutor/marking.py narrows the acceptance band
and asks for one more figure where the digits typed cannot tell the two apart), so a near pair
no longer lets a mistake pass. What remains for the author is the cost: when telling the pair
apart takes more than ``USUAL_FIGURES`` significant figures, a student who rounds as usual is
asked again and again, and ``bptutor validate`` says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .marking import Mark, mark_entry, same
from .numbers import format_number
from .steps import AnswerKind, Solution, Step, Value

USUAL_FIGURES = 4  # what students type; the tutor asks for a 4th where 3 cannot separate a pair
MAX_FIGURES = 15


@dataclass(frozen=True)
class Coincidence:
    step: str
    mistake: str
    right: Value
    wrong: Value
    figures: int  # significant figures needed to tell ``wrong`` from ``right``

    def message(self) -> str:
        shown = self.figures + 1  # enough figures that the two numbers visibly differ
        right, wrong = (format_number(v, shown) for v in (self.right, self.wrong))
        return (
            f"{self.step}: the mistake '{self.mistake}' gives {wrong}, close to the right {right};"
            f" students will be asked for {self.figures} significant figures to tell them apart"
        )


def figures_needed(step: Step, right: float, wrongs: list[float]) -> int:
    """The fewest significant figures of ``right`` that the tutor accepts against these mistake values."""
    for figures in range(1, MAX_FIGURES + 1):
        typed = float(f"{right:.{figures - 1}e}")
        if typed == 0:
            return figures  # a typed zero is exact
        half = 0.5 * 10.0 ** (math.floor(math.log10(abs(typed))) - figures + 1)
        if mark_entry(typed, half, [right], wrongs, step.tolerance) is Mark.RIGHT:
            return figures
    return MAX_FIGURES + 1


def coincidences(solution: Solution) -> list[Coincidence]:
    env = solution.exact_env()
    found = []
    for step in solution.steps:
        if step.answer is AnswerKind.FORMULA or isinstance(step.value, tuple):
            continue  # vectors: each entry is marked as a number of its own step would be
        for mistake in step.mistakes:
            try:
                wrong = float(mistake.compute(env))
            except (ArithmeticError, ValueError, KeyError, TypeError):
                continue
            if not math.isfinite(wrong) or same(wrong, step.value):
                continue
            needed = figures_needed(step, step.value, [wrong])
            if needed > USUAL_FIGURES:
                found.append(Coincidence(step.name, mistake.key, step.value, wrong, needed))
    return found
