"""Narrowed acceptance bands: a number is right only when its typed digits point at the right value
rather than at a value one of the step's named mistakes gives. No I/O, no third-party imports.

The rule, for one number (each entry of a vector on its own):

* The answer ``a`` stands for the interval I = [a − h, a + h] of the values it could be a rounding
  of, ``h`` being half a unit in the last place typed ("-0.079": h = 0.0005, "0.500": h = 0.0005,
  "7.996e-5": h = 5e-9, "8e-2": h = 0.005). An answer that is not a decimal fraction is exact, h = 0:
  a whole number ("6": the problems' whole numbers are exact), an expression ("3/4"), and a typed
  zero ("0", "0.00"), which has no significant figure to add.
* The right values R are the exact value and the follow-through value. The mistake values M are
  those the step's mistake rules give on the exact and on the follow-through environment, leaving
  out any equal to a right value (to 1e-9 relative): on these numbers that slip gives the right value.
* For a right value r that accepts ``a`` within the step's tolerance and a mistake value m, the
  midpoint of r and m splits the line: I lies wholly on r's side (strictly nearer r), wholly on m's
  side, or reaches across the midpoint.
* RIGHT when, for some such r, I lies on r's side for every m.
* MORE ("give one more significant figure", costs nothing) when not RIGHT, h > 0 and, for some such
  r, I lies on m's side for no m: the digits typed cannot tell r from m.
* WRONG otherwise: no right value within tolerance, or the answer points at a mistake's value.

So in XOR's δ₁⁽²⁾ (right -0.07937, σ′ taken at h gives -0.07868, midpoint -0.079025): "-0.0794" and
"-0.07937" are RIGHT, "-0.079" (I = [-0.0795, -0.0785]) is MORE, "-0.07868" and "-0.0789" are WRONG.
A student who rounds to 3 figures is RIGHT unless the mistake's value rounds to nearly the same
digits; a 4th figure then decides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from enum import StrEnum

from .expr import normalize
from .steps import Tolerance

SAME_REL = 1e-9  # a mistake value this close to a right value is that value (an identity, not a slip)
SAME_ABS = 1e-15

_LITERAL = re.compile(r"[+-]?(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?")


class Mark(StrEnum):
    RIGHT = "right"
    MORE = "more"
    WRONG = "wrong"


def half_units(text: str, count: int) -> tuple[float, ...]:
    """Half a unit in the last place typed, for each of ``count`` comma-separated values; 0 for a
    value that is not a plain decimal (or when the text does not split into ``count`` values)."""
    body = normalize(text).strip().strip("()[]").strip()
    return half_units_of([item.strip() for item in body.split(",")], count)


def half_units_of(items: Sequence[str], count: int) -> tuple[float, ...]:
    """``half_units`` of values already split apart (a matrix's entries, row by row)."""
    if len(items) != count:
        return (0.0,) * count
    return tuple(_half_unit(item) for item in items)


def _half_unit(item: str) -> float:
    match = _LITERAL.fullmatch(item)
    if match is None or not any(c in "123456789" for c in item.partition("e")[0].partition("E")[0]):
        return 0.0
    if match.group(2) is None and match.group(3) is None and match.group(4) is None:
        return 0.0  # a whole number
    decimals = len(match.group(2) or match.group(3) or "")
    exponent = int(match.group(4) or 0)
    return 0.5 * 10.0 ** (exponent - decimals)


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=SAME_REL, abs_tol=SAME_ABS)


def mistake_entries(rights: Sequence[Sequence[float]], wrongs: Sequence[Sequence[float]], i: int) -> list[float]:
    """Entry ``i`` of each mistake's value, without those equal to entry ``i`` of a right value."""
    return [w[i] for w in wrongs if not any(same(w[i], r[i]) for r in rights)]


def within(tol: Tolerance, a: float, r: float) -> bool:
    """``tol.accepts`` with room for binary rounding: -0.500 is within 0.1% of -0.4995 as on paper."""
    return abs(a - r) <= max(tol.rel * abs(r), tol.abs) * (1 + 1e-9)


def mark_entry(a: float, h: float, rights: Sequence[float], wrongs: Sequence[float], tol: Tolerance) -> Mark:
    """RIGHT, MORE or WRONG for one typed number (see the module docstring)."""
    result = Mark.WRONG
    for r in rights:
        if not within(tol, a, r):
            continue
        sides = [_side(a, h, r, m) for m in wrongs]
        if all(side > 0 for side in sides):
            return Mark.RIGHT
        if h > 0 and all(side >= 0 for side in sides):
            result = Mark.MORE
    return result


def _side(a: float, h: float, r: float, m: float) -> int:
    """+1: [a − h, a + h] lies on r's side of the midpoint of r and m; -1: on m's side; 0: the
    midpoint is inside it. An end that only touches the midpoint (to rounding error) does not count:
    "0.1" is on the side of 0.1 against 0.2, as 0.15 would be typed "0.2"."""
    offset = (a - (r + m) / 2) * (1 if r > m else -1)  # > 0: a is nearer r
    reach = h * (1 - 1e-9)
    if offset > 0 and offset >= reach:
        return 1
    if offset < 0 and -offset >= reach:
        return -1
    return 0


def points_at(a: float, rights: Sequence[float], m: float, tol: Tolerance) -> bool:
    """Whether the answer entry ``a`` can be read as the mistake's value ``m``: within tolerance of it,
    or accepted by a right value's tolerance yet nearer ``m`` than every right value."""
    if within(tol, a, m):
        return True
    near_right = [r for r in rights if within(tol, a, r)]
    return bool(near_right) and all(abs(a - m) < abs(a - r) for r in near_right)


def distance(answer: Sequence[float], value: Sequence[float]) -> float:
    """The largest relative difference over entries (absolute where the value is 0)."""
    return max((abs(a - v) / (abs(v) or 1.0) for a, v in zip(answer, value)), default=0.0)
