"""Reading and marking one answer against a ``Step``. No I/O, no printing, no UI imports.

Two stages, as in STACK: ``read_answer`` says how the text was understood (invalid input is
reported and should cost no attempt); ``check`` then marks it.

Numbers are accepted within ``step.tolerance`` of the exact value *or* of the follow-through
value, i.e. the step recomputed from the student's own accepted earlier answers. With a 1 %
tolerance that combination rejected no correctly-working student who rounds to 3 or 4
significant figures, where the exact value alone rejects about one in ten.

Formulas are compared by evaluating both sides in floats at seeded random points in [-2, 2];
sympy's ``simplify`` is never run on what a student typed (it can take minutes).
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor import i18n
from tutor.numbers import format_number, typed_value
from tutor.expr import Expr, ExprError, normalize, parse, parse_list
from tutor.steps import AnswerKind, Env, Step, Tolerance, Value

__all__ = ["Reading", "Verdict", "check", "describe", "format_number", "read_answer"]

NEAR_MISS_REL = 0.05  # "close" band: within 5 % but outside the tolerance
MAX_SCALE_EXPONENT = 9  # off by 10^1 ... 10^9 counts as a decimal-point slip
FORMULA_POINTS = 8  # points where two formulas must agree
FORMULA_MIN_POINTS = 4  # fewer usable points than this: the expected formula is unusable
FORMULA_MAX_DRAWS = 64  # draws allowed to find those points (log(x) is undefined on half of [-2, 2])
FORMULA_REL = 1e-9
FORMULA_ABS = 1e-12
SHOW_PERCENT_FROM = 0.05  # below 0.05 % off, just say "Correct."
FAR_OFF_EXPONENT = 3  # 1000 times the right value or more: "far too large", not a percentage

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


@dataclass(frozen=True)
class Verdict:
    reading: Reading
    correct: bool
    target: Value | None  # the value compared against: follow-through if it decided, else exact
    follow_through: bool  # accepted only thanks to the follow-through value
    relative_error: float | None  # vs the exact value; for vectors the max over entries
    mistake: str | None  # Mistake.key of the first matching rule, when not correct
    entries: tuple[bool, ...] = ()  # per-entry marks for VECTOR steps
    near_miss: str | None = None  # "rounding", "scale" or None
    exact: Value | None = None  # the exact value (step.value), for the follow-through note


# ---------------------------------------------------------------------------------------------
# Reading


def read_answer(text: str, step: Step) -> Reading:
    """Parse and, for numbers, evaluate the answer. Never raises for any text."""
    try:
        if step.answer == AnswerKind.VECTOR:
            return _read_vector(text, len(_floats(step.value) or ()))
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


# ---------------------------------------------------------------------------------------------
# Marking


def check(
    text: str,
    step: Step,
    follow_env: Env | None = None,
    *,
    exact_env: Env | None = None,
) -> Verdict:
    """Mark ``text`` against ``step``.

    ``follow_env``: the environment where the student's accepted earlier answers replace the
    exact ones; ``step.compute(follow_env)`` is the follow-through target.
    ``exact_env``: the exact environment, so mistake rules can also be tried on it (a student
    may make the classic mistake while using exact earlier values).
    Raises ExprError only when a FORMULA step's own ``expected_formula`` is unusable.
    """
    reading = read_answer(text, step)
    if not reading.ok:
        return Verdict(reading, False, None, False, None, None)
    envs = [env for env in (follow_env, exact_env) if env is not None]
    if step.answer == AnswerKind.FORMULA:
        return _check_formula(reading, step, envs)
    return _check_values(reading, step, follow_env, envs)


def _check_values(reading: Reading, step: Step, follow_env: Env | None, envs: list[Env]) -> Verdict:
    answer = _floats(reading.value) or ()
    exact = _floats(step.value) or ()
    follow = _run(step.compute, follow_env)
    if follow is not None and len(follow) != len(exact):
        follow = None  # a compute that returns another shape cannot be a target
    tol = step.tolerance
    by_exact = [tol.accepts(a, x) for a, x in zip(answer, exact)]
    by_follow = [follow is not None and tol.accepts(a, f) for a, f in zip(answer, follow or exact)]
    entries = tuple(e or f for e, f in zip(by_exact, by_follow))
    correct = bool(exact) and len(entries) == len(exact) and all(entries)  # no exact value: never right
    uses_follow = follow is not None and not all(by_exact)
    targets = [t for t in (exact, follow) if t is not None]
    mistake = None if correct else _match_mistake(answer, step, envs, targets)
    near = None if correct or mistake else _near_miss(answer, entries, targets, tol)
    scalar = step.answer != AnswerKind.VECTOR
    return Verdict(
        reading=reading,
        correct=correct,
        target=_shape(follow if uses_follow else exact, scalar),
        follow_through=correct and uses_follow,
        relative_error=_relative_error(answer, exact),
        mistake=mistake,
        entries=entries if not scalar else (),
        near_miss=near,
        exact=_shape(exact, scalar),
    )


def _match_mistake(
    answer: Sequence[float], step: Step, envs: list[Env], rights: list[Sequence[float]]
) -> str | None:
    tol = step.tolerance
    for mistake in step.mistakes:
        for env in envs:
            wrong = _run(mistake.compute, env)
            if wrong is None or len(wrong) != len(answer):
                continue
            if any(_all_accept(tol, wrong, right) for right in rights):
                continue  # on these numbers the mistake gives the right value: it tells nothing
            if _all_accept(tol, answer, wrong):
                return mistake.key
    return None


def _near_miss(
    answer: Sequence[float], entries: Sequence[bool], targets: list[Sequence[float]], tol: Tolerance
) -> str | None:
    wrong = [i for i, ok in enumerate(entries) if not ok]
    if not wrong:
        return None
    for kind, test in (("rounding", _is_rounding), ("scale", _is_scale)):
        if all(any(test(answer[i], target[i], tol) for target in targets) for i in wrong):
            return kind
    return None


def _is_rounding(answer: float, target: float, tol: Tolerance) -> bool:
    return target != 0 and abs(answer - target) <= NEAR_MISS_REL * abs(target)


def _is_scale(answer: float, target: float, tol: Tolerance) -> bool:
    k = _scale_exponent(answer, target)
    return k is not None and tol.accepts(answer, target * 10.0**k)


def _scale_exponent(answer: float, target: float) -> int | None:
    """k when answer ≈ target·10^k for a whole k ≠ 0 (same sign), else None."""
    if answer == 0 or target == 0 or (answer > 0) != (target > 0):
        return None
    k = round(math.log10(abs(answer)) - math.log10(abs(target)))  # answer / target may overflow
    return k if k != 0 and abs(k) <= MAX_SCALE_EXPONENT else None


def _relative_error(answer: Sequence[float], exact: Sequence[float]) -> float | None:
    errors = []
    for a, x in zip(answer, exact):
        if x != 0:
            errors.append(abs(a - x) / abs(x))
        elif a == 0:
            errors.append(0.0)
    return max(errors) if errors else None  # an entry whose exact value is 0 has no relative error


def _all_accept(tol: Tolerance, values: Sequence[float], targets: Sequence[float]) -> bool:
    return len(values) == len(targets) and all(tol.accepts(v, t) for v, t in zip(values, targets))


# -- formulas ----------------------------------------------------------------------------------


def _check_formula(reading: Reading, step: Step, envs: list[Env]) -> Verdict:
    expected = parse(step.expected_formula, step.variables)
    student = reading.expr
    assert isinstance(student, Expr)
    correct = _same_function(student, expected, step.variables)
    mistake = None
    if not correct:
        at_point = _value_at_problem_point(student, envs)
        rights = [_floats(step.value)] if _floats(step.value) else []
        mistake = _match_mistake(at_point, step, envs, rights) if at_point else None
    target = float(step.value) if isinstance(step.value, (int, float)) else None
    return Verdict(reading, correct, target, False, None, mistake, exact=target)


def _same_function(student: Expr, expected: Expr, variables: Sequence[str]) -> bool:
    """Whether both agree at FORMULA_POINTS points where the expected side is defined."""
    rng = random.Random(zlib.crc32(expected.text.encode()))  # seeded: the same verdict every time
    usable = 0
    for _ in range(FORMULA_MAX_DRAWS):
        point = {name: rng.uniform(-2.0, 2.0) for name in variables}
        try:
            want = expected.evaluate(point)
        except ExprError:
            continue  # undefined for the expected formula too: not a fair test point
        try:
            got = student.evaluate(point)
        except ExprError:
            return False
        if abs(got - want) > max(FORMULA_REL * abs(want), FORMULA_ABS):
            return False
        usable += 1
        if usable == FORMULA_POINTS:
            return True
    if usable < FORMULA_MIN_POINTS:
        raise ExprError("check.formula_untestable", formula=expected.text)
    return True


def _value_at_problem_point(expr: Expr, envs: list[Env]) -> tuple[float, ...] | None:
    for env in envs:
        try:
            return (expr.evaluate(env),)  # type: ignore[arg-type]
        except ExprError:
            continue
    return None


# -- values from engine code -------------------------------------------------------------------


def _run(compute: Callable[[Env], Value], env: Env | None) -> tuple[float, ...] | None:
    """``compute(env)`` as floats, or None if it fails or is not finite.

    Engine and mistake functions are NumPy code over values the student typed; any exception
    means "this rule does not apply here", never a crash in front of the student.
    """
    if env is None:
        return None
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            return _floats(compute(env))
    except Exception:  # noqa: BLE001 - see docstring
        return None


def _floats(value: Any) -> tuple[float, ...] | None:
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


def _shape(values: Sequence[float] | None, scalar: bool) -> Value | None:
    if not values:
        return None
    if scalar and len(values) == 1:
        return values[0]
    return tuple(values)


# ---------------------------------------------------------------------------------------------
# Words for front ends


def describe(verdict: Verdict, lang: str = "en") -> str:
    """One or two plain sentences (no markup): right or wrong, how close, and why."""
    reading = verdict.reading
    if not reading.ok:
        return reading.message(lang)
    if reading.value is None:
        key = "check.formula_correct" if verdict.correct else "check.formula_incorrect"
        parts = [i18n.t(key, lang)]
    elif verdict.correct:
        parts = _describe_correct(verdict, lang)
    else:
        parts = [_describe_wrong(verdict, lang)]
    if not verdict.correct:
        parts += _describe_why(verdict, lang)
    return i18n.join_sentences(parts, lang)


def _describe_correct(verdict: Verdict, lang: str) -> list[str]:
    percent = (verdict.relative_error or 0.0) * 100
    if percent >= SHOW_PERCENT_FROM:
        parts = [i18n.t("check.correct_close", lang, percent=format_number(percent, 2))]
    else:
        parts = [i18n.t("check.correct", lang)]
    if verdict.follow_through:
        target, exact = _show_value(verdict.target), _show_value(verdict.exact)
        parts.append(i18n.t("check.follow_through", lang, target=target, exact=exact))
    return parts


def _describe_wrong(verdict: Verdict, lang: str) -> str:
    if not verdict.entries:
        return _how_far(verdict, lang)
    wrong = [str(i) for i, ok in enumerate(verdict.entries, 1) if not ok]
    key = "check.vector_entry" if len(wrong) == 1 else "check.vector_entries"
    total = len(verdict.entries)
    return i18n.t(key, lang, wrong=", ".join(wrong), right=total - len(wrong), total=total)


def _how_far(verdict: Verdict, lang: str) -> str:
    """How far off, when the answer has the right sign (a sign error gets its own message)."""
    answer, target = verdict.reading.value, verdict.target
    if verdict.mistake or verdict.near_miss == "scale":  # their own message says it better
        return i18n.t("check.incorrect", lang)
    if not isinstance(answer, float) or not isinstance(target, float) or target == 0 or answer * target <= 0:
        return i18n.t("check.incorrect", lang)
    if math.log10(abs(answer)) - math.log10(abs(target)) >= FAR_OFF_EXPONENT:  # the ratio may overflow
        return i18n.t("check.incorrect_far_large", lang, factor=format_number(10.0**FAR_OFF_EXPONENT))
    ratio = answer / target
    key = "check.incorrect_large" if ratio > 1 else "check.incorrect_small"
    return i18n.t(key, lang, percent=format_number(abs(ratio - 1) * 100, 2))


def _describe_why(verdict: Verdict, lang: str) -> list[str]:
    if verdict.mistake:
        key = f"mistake.{verdict.mistake}"
        if i18n.has(key, lang):
            return [i18n.t(key, lang)]
        return [i18n.t("check.mistake_unknown", lang, mistake=verdict.mistake)]
    if verdict.near_miss == "rounding":
        return [i18n.t("check.near_rounding", lang)]
    if verdict.near_miss == "scale":
        k = _first_scale_exponent(verdict)
        if k is not None:
            key = "check.near_scale_large" if k > 0 else "check.near_scale_small"
            return [i18n.t(key, lang, factor=format_number(10.0 ** abs(k)))]
    return []


def _first_scale_exponent(verdict: Verdict) -> int | None:
    answer = _floats(verdict.reading.value) or ()
    for values in (verdict.target, verdict.exact):
        for a, target in zip(answer, _floats(values) or ()):
            k = _scale_exponent(a, target)
            if k is not None:
                return k
    return None


def _show_value(value: Value | None) -> str:
    return typed_value(tuple(_floats(value) or ()))
