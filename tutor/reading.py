"""Reading an answer: how the text was understood, before it is marked (tutor/check.py marks it).

Invalid input is reported with an i18n key and should cost no attempt. No I/O, no UI imports.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor import i18n
from tutor.expr import Expr, ExprError, normalize, parse, parse_list
from tutor.numbers import format_number, typed_value
from tutor.steps import AnswerKind, Step, Value

FORMULA_POINTS = 8  # points where two formulas must agree

_DECIMAL_COMMA = re.compile(r"\d,\d")


@dataclass(frozen=True)
class Reading:
    """How an answer was read, shown to the student before it is marked."""

    ok: bool
    shown: str  # canonical text of what was read: "3/4 = 0.75", "0.3, -0.8, 0.5", "-tan(x)"
    value: Value | None  # float, tuple of floats, or None (a formula, or unreadable input)
    error: str | None = None  # i18n key when not ok
    error_params: dict[str, Any] = field(default_factory=dict)
    expr: Expr | tuple[Expr, ...] | None = None

    def message(self, lang: str = "en") -> str:
        """The error message (empty when ok)."""
        return i18n.t(self.error, lang, **self.error_params) if self.error else ""


def read_answer(text: str, step: Step) -> Reading:
    """Parse and, for numbers, evaluate the answer. Never raises for any text."""
    try:
        if step.answer == AnswerKind.VECTOR:
            return _read_vector(text, len(floats(step.value) or ()))
        if step.answer == AnswerKind.FORMULA:
            return _read_formula(text, step.variables)
        return _read_number(text)
    except ExprError as err:
        return Reading(False, _preview(text), None, err.code, dict(err.params))


def _read_number(text: str) -> Reading:
    expr = parse(text)
    try:
        value = expr.evaluate()
    except ExprError as err:
        return Reading(False, expr.text, None, err.code, dict(err.params), expr)
    shown = expr.text if expr.is_literal else f"{expr.text} = {format_number(value)}"
    return Reading(True, shown, value, expr=expr)


def _read_vector(text: str, expected: int) -> Reading:
    exprs = parse_list(text)
    texts = ", ".join(e.text for e in exprs)
    if len(exprs) != expected:
        # More values than expected and "0,3" somewhere: probably decimal commas.
        commas = len(exprs) > expected and _DECIMAL_COMMA.search(normalize(text))
        key = "check.vector_length_comma" if commas else "check.vector_length"
        return Reading(False, texts, None, key, {"expected": expected, "got": len(exprs)}, exprs)
    values = []
    for item, expr in enumerate(exprs, 1):
        try:
            values.append(expr.evaluate())
        except ExprError as err:
            params = {"item": item, "detail": err.msg(), "inner": err.code}
            return Reading(False, texts, None, "expr.list_item", params, exprs)
    if not all(e.is_literal for e in exprs):
        texts += " = " + typed_value(tuple(values))
    return Reading(True, texts, tuple(values), expr=exprs)


def _read_formula(text: str, variables: Sequence[str]) -> Reading:
    expr = parse(text, variables)
    if _divides_by_zero_everywhere(expr, variables):  # 1/0, x/0: a slip, not an answer; costs nothing
        return Reading(False, expr.text, None, "check.formula_divides_by_zero", {"formula": expr.text}, expr)
    return Reading(True, expr.text, None, expr=expr)


def _divides_by_zero_everywhere(expr: Expr, variables: Sequence[str]) -> bool:
    rng = random.Random(zlib.crc32(expr.text.encode()))
    for _ in range(FORMULA_POINTS):
        try:
            expr.evaluate({name: rng.uniform(-2.0, 2.0) for name in variables})
        except ExprError as err:
            if err.code == "expr.division_by_zero":
                continue
        return False
    return True


def _preview(text: str, limit: int = 80) -> str:
    # What to echo next to an error: normalised, with invisible characters made visible.
    clipped = text[: limit * 2]
    shown = "".join("\ufffd" if unicodedata.category(c).startswith("C") else c for c in normalize(clipped))
    return shown if len(shown) <= limit and len(clipped) == len(text) else shown[:limit] + "…"


def floats(value: Any) -> tuple[float, ...] | None:
    """A scalar, sequence or array as a flat tuple of finite floats (None if impossible)."""
    if value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            values: tuple[float, ...] = (float(value),)
        else:
            import numpy as np

            values = tuple(float(v) for v in np.asarray(value, dtype=float).ravel())
    except (TypeError, ValueError, OverflowError):
        return None
    return values if all(math.isfinite(v) for v in values) else None
