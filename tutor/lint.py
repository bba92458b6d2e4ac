"""Warnings for problem authors: places where a known mistake cannot be told from the right answer.

When a mistake's value lands within tolerance of the right value (but is not the same value), a
student who makes it is marked right and never hears about it. That is a property of the
problem's numbers, so ``bptutor validate`` reports it and the teacher can change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .steps import AnswerKind, Solution, Value


@dataclass(frozen=True)
class Coincidence:
    step: str
    mistake: str
    right: Value
    wrong: Value


def _entries(value: Value) -> tuple[float, ...]:
    return value if isinstance(value, tuple) else (value,)


def coincidences(solution: Solution) -> list[Coincidence]:
    env = solution.exact_env()
    found = []
    for step in solution.steps:
        if step.answer is AnswerKind.FORMULA:
            continue
        right = _entries(step.value)
        for mistake in step.mistakes:
            try:
                wrong = _entries(mistake.compute(env))
            except (ArithmeticError, ValueError, KeyError):
                continue
            same = all(abs(w - r) <= 1e-12 * max(1.0, abs(r)) for w, r in zip(wrong, right))
            hidden = all(step.tolerance.accepts(w, r) for w, r in zip(wrong, right))
            if hidden and not same:
                found.append(Coincidence(step.name, mistake.key, step.value, mistake.compute(env)))
    return found
