"""Shared machinery for the derivations: a builder that evaluates steps as they are added."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..errors import NumericError
from ..steps import AnswerKind, Env, Mistake, Phase, Step, Tolerance, Value, with_components
from .symbols import Notation


def as_value(result: Any) -> Value:
    """Plain Python floats (or tuples of them) so steps never leak NumPy scalars."""
    # Adding 0.0 turns -0.0 (e.g. a negative delta times an input of 0) into a plain 0.
    if isinstance(result, (tuple, list, np.ndarray)):
        return tuple(float(v) + 0.0 for v in np.asarray(result, dtype=float).ravel())
    return float(result) + 0.0


def is_finite(value: Value) -> bool:
    values = value if isinstance(value, tuple) else (value,)
    return all(math.isfinite(v) for v in values)


def _plain(compute: Callable[[Env], Any]) -> Callable[[Env], Value]:
    return lambda env: as_value(compute(env))


class StepBuilder:
    """Collects steps in order, computing each value from the ones before it."""

    def __init__(self, notation: Notation, givens: dict[str, Value], tolerance_for: Callable[[str], Tolerance]):
        self.notation = notation
        self.givens = givens
        self.env: dict[str, Value] = with_components(dict(givens))
        self.steps: list[Step] = []
        self._tolerance_for = tolerance_for

    def tolerance_for(self, name: str) -> Tolerance:
        return self._tolerance_for(name)

    def add(
        self,
        name: str,
        phase: Phase,
        formula: Any,
        compute: Callable[[Env], Any],
        *,
        mistakes: Iterable[Mistake] = (),
        answer: AnswerKind = AnswerKind.NUMBER,
        layer: int | None = None,
        index: tuple[int, ...] = (),
        node: str | None = None,
        variables: tuple[str, ...] = (),
        expected_formula: str = "",
        label: str | None = None,
        tolerance: Tolerance | None = None,
        rule: str = "",
        shape: tuple[int, ...] = (),
    ) -> Step:
        checked = _plain(compute)
        with np.errstate(all="ignore"):
            try:
                value = checked(self.env)
            except NumericError:
                raise
            except (OverflowError, ZeroDivisionError, ValueError) as exc:
                raise NumericError(f"{label or name}: cannot be computed ({exc})") from None
        if not is_finite(value):
            raise NumericError(
                f"{label or name}: the value is not a finite number (it overflows or takes the log of 0);"
                " choose smaller weights or inputs"
            )
        symbol = self.notation[name]
        uses = tuple(sorted(str(s) for s in getattr(formula, "free_symbols", ()) if str(s) in self.env))
        step = Step(
            name=name,
            phase=phase,
            symbol=symbol,
            formula=formula,
            uses=uses,
            compute=checked,
            value=value,
            answer=answer,
            tolerance=tolerance or self._tolerance_for(name),
            mistakes=tuple(Mistake(m.key, _plain(m.compute)) for m in mistakes),
            variables=variables,
            expected_formula=expected_formula,
            layer=layer,
            index=index,
            node=node,
            rule=rule,
            shape=shape,
        )
        self.steps.append(step)
        self.env[name] = value
        if isinstance(value, tuple):
            self.env.update(with_components({name: value}))
        return step


def update_tolerance(base: Tolerance, weight: float, change: float) -> Tolerance:
    """Judge an updated weight by its change, not its size.

    With small gradients, w - eta*g is within 1% of w itself, so a plain 1% would accept a
    student who forgot the update (or eta). Allow a quarter of the change, but never less than
    half a unit in the third significant figure: a student rounding to 3 figures must pass, even
    where that rounding hides the change (``bptutor validate`` warns the author then).
    """
    new = abs(weight - change)
    if new == 0:
        return base
    third_figure = 0.5 * 10 ** (math.floor(math.log10(new)) - 2) / new
    return Tolerance(rel=min(base.rel, max(0.25 * abs(change) / new, third_figure)), abs=base.abs)
