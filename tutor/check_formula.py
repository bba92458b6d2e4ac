"""Marking a formula answer (dy/dx typed as "-tan(x)") and naming the slip it shows. No I/O.

Both sides are evaluated in floats at seeded random points in [-2, 2]; SymPy never touches what a
student typed (simplify can take minutes). A wrong formula is compared, at the same points, with
the step's mistake formulas (tutor/engine/mistakes.py, e.g. a chain-rule factor left out), then
with the right formula's negative (a sign error) and with any other constant multiple of it.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence

from tutor.expr import Expr, ExprError, parse
from tutor.reading import FORMULA_POINTS
from tutor.steps import Step

FORMULA_MIN_POINTS = 4  # fewer usable points than this: the expected formula is unusable
FORMULA_MAX_DRAWS = 64  # draws allowed to find those points (log(x) is undefined on half of [-2, 2])
FORMULA_REL = 1e-9
FORMULA_ABS = 1e-12
FACTOR_TINY = 1e-6  # a right value this small says nothing about a constant factor


def mark_formula(student: Expr, step: Step) -> tuple[bool, str | None]:
    """(right, the named slip or None)."""
    expected = parse(step.expected_formula, step.variables)
    points = _points(expected, step.variables)
    got = _values(student.evaluate, points)
    want = [value for _, value in points]
    if got is not None and _agree(got, want):
        return True, None
    return False, None if got is None else _slip(got, want, points, step)


def is_constant(expr: Expr) -> bool:
    """Whether the formula is a number (uses none of the variables)."""
    try:
        expr.evaluate({})
    except ExprError:
        return False
    return True


def _points(expected: Expr, variables: Sequence[str]) -> list[tuple[dict[str, float], float]]:
    """Up to FORMULA_POINTS points where the expected formula is defined, with its value there."""
    rng = random.Random(zlib.crc32(expected.text.encode()))  # seeded: the same verdict every time
    found = []
    for _ in range(FORMULA_MAX_DRAWS):
        point = {name: rng.uniform(-2.0, 2.0) for name in variables}
        try:
            found.append((point, expected.evaluate(point)))
        except ExprError:
            continue  # undefined for the expected formula too: not a fair test point
        if len(found) == FORMULA_POINTS:
            return found
    if len(found) < FORMULA_MIN_POINTS:
        raise ExprError("check.formula_untestable", formula=expected.text)
    return found


def _values(function: Callable[[dict[str, float]], float], points) -> list[float] | None:
    """The function at every point, or None where it is undefined at one of them.

    Mistake formulas come from engine code; any failure means "this rule does not apply here"."""
    try:
        values = [float(function(point)) for point, _ in points]
    except Exception:  # noqa: BLE001 - see docstring
        return None
    return values if all(map(math.isfinite, values)) else None


def _agree(got: Sequence[float], want: Sequence[float]) -> bool:
    return all(abs(g - w) <= max(FORMULA_REL * abs(w), FORMULA_ABS) for g, w in zip(got, want))


def _slip(got: list[float], want: list[float], points, step: Step) -> str | None:
    for mistake in step.mistakes:
        wrong = _values(mistake.compute, points)
        if wrong is not None and not _agree(wrong, want) and _agree(got, wrong):
            return mistake.key
    factor = _constant_factor(got, want)
    if factor is None:
        return None
    return "formula_sign" if math.isclose(factor, -1.0, rel_tol=FORMULA_REL) else "formula_factor"


def _constant_factor(got: list[float], want: list[float]) -> float | None:
    """c when got = c · want at every point, c ≠ 1 and ≠ 0; else None."""
    usable = [(g, w) for g, w in zip(got, want) if abs(w) > FACTOR_TINY]
    if len(usable) < FORMULA_MIN_POINTS:
        return None
    c = usable[0][0] / usable[0][1]
    if c == 0 or math.isclose(c, 1.0, rel_tol=FORMULA_REL) or not _agree(got, [c * w for w in want]):
        return None
    return c
