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
        if step.answer == AnswerKind.MATRIX:
            return _read_matrix(text, step.shape)
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


def split_matrix(text: str) -> list[list[str]]:
    """The entries of a typed matrix, row by row: rows end at ";" or a line break (a last empty row
    is dropped, so "1, 2; 3, 4;" is 2×2); a row with a comma splits at commas (an entry may then be
    "3 - 1"), else at spaces ("26 6 -6")."""
    body = normalize(text.replace("\r", "\n").replace("\n", ";"))
    if body.startswith("[") and body.endswith("]"):  # [[1, 2], [3, 4]] as NumPy prints it
        body = body[1:-1].replace("],", ";").replace("[", "").replace("]", "")
    rows = [row.strip() for row in body.split(";")]
    if len(rows) > 1 and not rows[-1]:
        rows.pop()
    return [[item.strip() for item in row.split(",")] if "," in row else row.split() for row in rows]


def matrix_text(values: Sequence[float], columns: int) -> str:
    """Entries row by row as a student types them: "26, 6, -6; 0, -4, 8"."""
    rows = [tuple(values[r:r + columns]) for r in range(0, len(values), max(columns, 1))]
    return typed_value(rows) if len(rows) > 1 else typed_value(rows[0] if rows else ())


def _read_matrix(text: str, shape: Sequence[int]) -> Reading:
    rows, columns = (tuple(shape) + (1, 1))[:2]
    items = split_matrix(text)
    if not any(items):
        parse(text)  # nothing typed: the reader's own message for it
    if len(items) == 1 and rows > 1 and len(items[0]) == rows * columns:  # every entry, row after row
        items = [items[0][r:r + columns] for r in range(0, rows * columns, columns)]
    shown = "; ".join(", ".join(row) for row in items)
    widths = [len(row) for row in items]
    if any(width != widths[0] for width in widths):
        row = next(r for r, width in enumerate(widths, 1) if width != widths[0])
        params = {"row": row, "got": widths[row - 1], "first": widths[0]}
        return Reading(False, shown, None, "check.matrix_ragged", params)
    if (len(items), widths[0]) != (rows, columns):
        params = {"got": f"{len(items)}×{widths[0]}", "expected": f"{rows}×{columns}"}
        return Reading(False, shown, None, "check.matrix_shape", params)
    values, exprs, literal = [], [], True
    for r, row in enumerate(items, 1):
        for c, item in enumerate(row, 1):
            try:
                expr = parse(item)
                values.append(expr.evaluate())
            except ExprError as err:
                params = {"row": r, "column": c, "detail": err.msg(), "inner": err.code}
                return Reading(False, shown, None, "check.matrix_item", params)
            exprs.append(expr)
            literal = literal and expr.is_literal
    shown = "; ".join(", ".join(e.text for e in exprs[r:r + columns]) for r in range(0, len(exprs), columns))
    if not literal:
        shown += " = " + matrix_text(values, columns)
    return Reading(True, shown, tuple(values), expr=tuple(exprs))


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
