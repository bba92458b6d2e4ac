"""Reading and marking one answer against a ``Step``. No I/O, no printing, no UI imports.

Two stages, as in STACK: ``read_answer`` says how the text was understood (invalid input is
reported and should cost no attempt); ``check`` then marks it.

Numbers are accepted within ``step.tolerance`` of the exact value *or* of the follow-through
value, i.e. the step recomputed from the student's own accepted earlier answers. With a 1 %
tolerance that combination rejected no correctly-working student who rounds to 3 or 4
significant figures, where the exact value alone rejects about one in ten. Within that band a
value one of the step's named mistakes gives is never accepted: tutor/marking.py narrows the band
and, where the digits typed cannot tell the two apart, asks for one more significant figure.

Formulas are marked in tutor/check_formula.py. A number typed where a formula is asked is read
but not marked: the reading says whether it is right at the problem's inputs, and costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tutor import i18n, marking
from tutor.check_formula import is_constant, mark_formula
from tutor.expr import Expr, parse
from tutor.marking import Mark
from tutor.numbers import format_number, typed_value
from tutor.reading import Reading, matrix_text, read_answer, split_matrix
from tutor.reading import floats as _floats
from tutor.steps import AnswerKind, Env, Step, Tolerance, Value

__all__ = ["Reading", "Verdict", "check", "describe", "format_number", "read_answer"]

NEAR_MISS_REL = 0.05  # "close" band: within 5 % but outside the tolerance
MAX_SCALE_EXPONENT = 9  # off by 10^1 ... 10^9 counts as a decimal-point slip
ROUNDED_FIGURES = (2, 3)  # earlier values rounded this far, to see how far a step can move
ROUNDING_MARGIN = 2.0  # rounding's errors add up differently for each student: allow twice that
SHOW_PERCENT_FROM = 0.05  # below 0.05 % off, just say "Correct."
FAR_OFF_EXPONENT = 3  # 1000 times the right value or more: "far too large", not a percentage


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
    more_digits: tuple[int, ...] = ()  # entries (1-based) whose digits cannot tell right from a mistake
    columns: int = 0  # MATRIX steps: entries per row, to name an entry by (row, column)

    @property
    def asks_more_digits(self) -> bool:
        """Neither right nor wrong: one more significant figure is needed (tutor/marking.py)."""
        return bool(self.more_digits)


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
    return _check_values(reading, step, follow_env, envs, text)


def _check_values(reading: Reading, step: Step, follow_env: Env | None, envs: list[Env], text: str) -> Verdict:
    answer = _floats(reading.value) or ()
    exact = _floats(step.value) or ()
    follow = _run(step.compute, follow_env)
    if follow is not None and len(follow) != len(exact):
        follow = None  # a compute that returns another shape cannot be a target
    tol = step.tolerance
    rights = [t for t in (exact, follow) if t is not None]
    wrongs = _mistake_values(step, envs, len(exact))
    slips = [marking.mistake_entries(rights, [w for _, w in wrongs], i) for i in range(len(exact))]
    if step.answer == AnswerKind.MATRIX:
        halves = marking.half_units_of([item for row in split_matrix(text) for item in row], len(answer))
    else:
        halves = marking.half_units(text, len(answer))
    typed = list(zip(answer, halves, slips))

    def marks_against(targets: list[Sequence[float]]) -> tuple[Mark, ...]:
        return tuple(marking.mark_entry(a, h, [t[i] for t in targets], m, tol) for i, (a, h, m) in enumerate(typed))

    marks = marks_against(rights)
    complete = bool(exact) and len(marks) == len(exact)  # no exact value: never right
    correct = complete and all(m is Mark.RIGHT for m in marks)
    more = () if correct or not complete or Mark.WRONG in marks else _positions(marks, Mark.MORE)
    uses_follow = correct and follow is not None and any(m is not Mark.RIGHT for m in marks_against([exact]))
    entries = tuple(m is not Mark.WRONG for m in marks)
    mistake = None if correct or more else _match_mistake(answer, wrongs, rights, tol)
    near = None if correct or more or mistake else _near_miss(answer, entries, rights, tol, _rounding_reach(step, envs, exact))
    scalar = step.answer not in (AnswerKind.VECTOR, AnswerKind.MATRIX)
    return Verdict(
        reading=reading,
        correct=correct,
        target=_shape(follow if uses_follow else exact, scalar),
        follow_through=uses_follow,
        relative_error=_relative_error(answer, exact),
        mistake=mistake,
        entries=entries if not scalar else (),
        near_miss=near,
        exact=_shape(exact, scalar),
        more_digits=more,
        columns=step.shape[1] if step.answer == AnswerKind.MATRIX and len(step.shape) == 2 else 0,
    )


def _positions(marks: Sequence[Mark], mark: Mark) -> tuple[int, ...]:
    return tuple(i for i, m in enumerate(marks, 1) if m is mark)


def _mistake_values(step: Step, envs: list[Env], size: int) -> list[tuple[str, tuple[float, ...]]]:
    """(key, value) for every mistake rule on every environment where it gives ``size`` numbers."""
    found = []
    for mistake in step.mistakes:
        for env in envs:
            wrong = _run(mistake.compute, env)
            if wrong is not None and len(wrong) == size:
                found.append((mistake.key, wrong))
    return found


def _match_mistake(
    answer: Sequence[float],
    wrongs: list[tuple[str, tuple[float, ...]]],
    rights: list[Sequence[float]],
    tol: Tolerance,
) -> str | None:
    """The named mistake whose value the answer points at (nearest first), else None.

    A mistake that gives a right value on these numbers tells nothing and is never named."""
    best: tuple[float, str] | None = None
    for key, wrong in wrongs:
        if len(wrong) != len(answer):
            continue
        if any(all(marking.same(w, r) for w, r in zip(wrong, right)) for right in rights):
            continue
        if all(marking.points_at(a, [r[i] for r in rights], w, tol) for i, (a, w) in enumerate(zip(answer, wrong))):
            gap = marking.distance(answer, wrong)
            if best is None or gap < best[0]:
                best = (gap, key)
    return best[1] if best else None


def _near_miss(
    answer: Sequence[float], entries: Sequence[bool], targets: list[Sequence[float]], tol: Tolerance,
    reach: Sequence[float],
) -> str | None:
    wrong = [i for i, ok in enumerate(entries) if not ok]
    if not wrong:
        return None
    if all(any(_is_rounding(answer[i], target[i], reach[i]) for target in targets) for i in wrong):
        return "rounding"
    if all(any(_is_scale(answer[i], target[i], tol) for target in targets) for i in wrong):
        return "scale"
    return None


def _is_rounding(answer: float, target: float, reach: float) -> bool:
    """Within what rounding the earlier values could do (and within 5 %)."""
    gap = abs(answer - target)
    return target != 0 and gap <= NEAR_MISS_REL * abs(target) and gap <= ROUNDING_MARGIN * reach


def _rounding_reach(step: Step, envs: list[Env], exact: Sequence[float]) -> list[float]:
    """How far this step moves, entry by entry, when the values it is computed from are rounded
    to ROUNDED_FIGURES significant figures: the distance rounding too early can explain."""
    reach = [0.0] * len(exact)
    for env in envs:
        for figures in ROUNDED_FIGURES:
            moved = _run(step.compute, _rounded(env, figures))
            if moved is not None and len(moved) == len(exact):
                reach = [max(r, abs(m - x)) for r, m, x in zip(reach, moved, exact)]
    return reach


def _rounded(env: Env, figures: int) -> Env:
    def one(v: float) -> float:
        return float(f"{v:.{figures}g}") if math.isfinite(v) else v

    out: dict = {}
    for key, value in env.items():
        if isinstance(value, float):
            out[key] = one(value)
        elif isinstance(value, tuple) and all(isinstance(v, float) for v in value):
            out[key] = tuple(one(v) for v in value)
        else:
            out[key] = value
    return out


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


# -- formulas ----------------------------------------------------------------------------------


def _check_formula(reading: Reading, step: Step, envs: list[Env]) -> Verdict:
    student = reading.expr
    assert isinstance(student, Expr)
    target = float(step.value) if isinstance(step.value, (int, float)) else None
    expected = parse(step.expected_formula, step.variables)
    if is_constant(student) and not is_constant(expected):
        return Verdict(_number_for_formula(reading, student, step, envs), False, target, False, None, None)
    correct, mistake = mark_formula(student, step)
    return Verdict(reading, correct, target, False, None, mistake, exact=target)


def _number_for_formula(reading: Reading, number: Expr, step: Step, envs: list[Env]) -> Reading:
    """Not an attempt: the number is read, and said right or wrong at the problem's own inputs."""
    params = {"variables": ", ".join(step.variables)}
    env = next((e for e in reversed(envs) if all(isinstance(e.get(v), (int, float)) for v in step.variables)), None)
    if env is None or not isinstance(step.value, (int, float)):  # no point to say it at
        return Reading(False, reading.shown, None, "check.formula_number", params, number)
    right = marking.within(step.tolerance, number.evaluate(), float(step.value))
    params["at"] = ", ".join(f"{name} = {format_number(float(env[name]))}" for name in step.variables)
    key = "check.formula_number_right" if right else "check.formula_number_wrong"
    return Reading(False, reading.shown, None, key, params, number)


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
    elif verdict.asks_more_digits:
        return _describe_more_digits(verdict, lang)
    elif verdict.correct:
        parts = _describe_correct(verdict, lang)
    else:
        parts = [_describe_wrong(verdict, lang)]
    if not verdict.correct:
        parts += _describe_why(verdict, lang)
    return i18n.join_sentences(parts, lang)


def _describe_correct(verdict: Verdict, lang: str) -> list[str]:
    relative = verdict.relative_error
    if relative is None or relative > NEAR_MISS_REL:
        # The exact value is (nearly) 0, so a percentage says nothing: give the difference itself.
        answer, exact = _floats(verdict.reading.value) or (), _floats(verdict.exact) or ()
        gap = max((abs(a - x) for a, x in zip(answer, exact)), default=0.0)
        parts = [i18n.t("check.correct_off_by", lang, gap=format_number(gap), exact=_show_value(verdict.exact, verdict.columns))]
    elif relative * 100 >= SHOW_PERCENT_FROM:
        parts = [i18n.t("check.correct_close", lang, percent=format_number(relative * 100, 2))]
    else:
        parts = [i18n.t("check.correct", lang)]
    if verdict.follow_through:
        target, exact = _show_value(verdict.target, verdict.columns), _show_value(verdict.exact, verdict.columns)
        parts.append(i18n.t("check.follow_through", lang, target=target, exact=exact))
    return parts


def _describe_more_digits(verdict: Verdict, lang: str) -> str:
    if not verdict.entries:
        return i18n.t("check.more_digits", lang)
    if verdict.columns:
        return i18n.t("check.matrix_more_digits", lang, entries=_cells(verdict.more_digits, verdict.columns))
    return i18n.t("check.more_digits_entries", lang, entries=", ".join(map(str, verdict.more_digits)))


def _cells(positions: Sequence[int], columns: int) -> str:
    """Flat 1-based positions as "(row, column)": "(3, 2), (1, 1)"."""
    return ", ".join(f"({(p - 1) // columns + 1}, {(p - 1) % columns + 1})" for p in positions)


def _describe_wrong(verdict: Verdict, lang: str) -> str:
    if not verdict.entries:
        return _how_far(verdict, lang)
    wrong = [i for i, ok in enumerate(verdict.entries, 1) if not ok]
    total = len(verdict.entries)
    if verdict.columns:
        key = "check.matrix_entry" if len(wrong) == 1 else "check.matrix_entries"
        return i18n.t(key, lang, wrong=_cells(wrong, verdict.columns), right=total - len(wrong), total=total)
    key = "check.vector_entry" if len(wrong) == 1 else "check.vector_entries"
    return i18n.t(key, lang, wrong=", ".join(map(str, wrong)), right=total - len(wrong), total=total)


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


def _show_value(value: Value | None, columns: int = 0) -> str:
    values = tuple(_floats(value) or ())
    return matrix_text(values, columns) if columns else typed_value(values)
