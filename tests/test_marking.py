"""The narrowed band at its edges: what the typed digits stand for, which side of the midpoint
between the right value and a mistake's value they fall on, and the "one more figure" answer."""

from __future__ import annotations

import pytest

from tutor.check import check, describe
from tutor.marking import half_units
from tutor.session import Outcome, Session
from tutor.steps import AnswerKind, Mistake, Phase, Step, Tolerance

from .conftest import solved


def step_with(value, mistakes, compute=None, answer=AnswerKind.NUMBER, tol=None) -> Step:
    return Step(
        name="s", phase=Phase.FORWARD, symbol=None, formula=None, uses=(),
        compute=compute or (lambda env: value), value=value, answer=answer,
        tolerance=tol or Tolerance(), mistakes=tuple(Mistake(key, f) for key, f in mistakes),
    )


@pytest.mark.parametrize(
    "typed, half",
    [
        ("-0.079", 0.0005),
        ("0.500", 0.0005),  # trailing zeros are figures
        ("7.996e-5", 5e-9),
        ("8e-2", 0.005),
        ("−0.0794", 0.00005),  # a Unicode minus
        ("6", 0.0),  # whole numbers are exact
        ("0", 0.0),
        ("0.00", 0.0),  # zero has no figure to add
        ("3/4", 0.0),  # an expression is exact
    ],
)
def test_a_typed_number_stands_for_half_a_unit_in_its_last_place(typed, half):
    assert half_units(typed, 1) == pytest.approx((half,), abs=1e-18)


def test_vector_entries_each_have_their_own_last_place():
    assert half_units("(0.3, -0.80)", 2) == pytest.approx((0.05, 0.005))
    assert half_units("0.3, -0.80", 3) == (0.0, 0.0, 0.0)  # the count does not match: read as exact


# right 1.0, a slip gives 1.004 (inside the 1% band); the midpoint is 1.002
SLIP = step_with(1.0, [("slip", lambda env: 1.004)])


@pytest.mark.parametrize(
    "typed, correct, more, mistake",
    [
        ("1.001", True, (), None),  # [1.0005, 1.0015]: nearer 1.0 throughout
        ("1.0015", True, (), None),  # [1.00145, 1.00155]
        ("1.00", False, (1,), None),  # [0.995, 1.005] holds both
        ("1.0", False, (1,), None),
        ("1.002", False, (1,), None),  # the midpoint itself
        ("1.0025", False, (), "slip"),  # [1.00245, 1.00255]: nearer the slip throughout
        ("1.004", False, (), "slip"),
        ("0.995", True, (), None),  # within 1%, on the right value's side
        ("1.02", False, (), None),  # out of the band altogether
    ],
)
def test_the_midpoint_between_right_and_slip_decides(typed, correct, more, mistake):
    verdict = check(typed, SLIP, {}, exact_env={})
    assert (verdict.correct, verdict.more_digits, verdict.mistake) == (correct, more, mistake)


def test_an_interval_that_only_touches_the_midpoint_is_on_its_side():
    step = step_with(0.1, [("half_forgotten", lambda env: 0.2)], tol=Tolerance(rel=0.6))
    assert check("0.1", step, {}, exact_env={}).correct  # [0.05, 0.15]; 0.15 would be written 0.2
    assert check("0.2", step, {}, exact_env={}).mistake == "half_forgotten"


def test_a_slip_outside_the_band_does_not_narrow_it():
    step = step_with(1.0, [("far", lambda env: 1.5)])
    assert check("1.009", step, {}, exact_env={}).correct


def test_a_slip_giving_the_right_value_does_not_narrow_it():
    step = step_with(0.5, [("same", lambda env: 0.5)])
    assert check("0.5", step, {}, exact_env={}).correct


def test_follow_through_value_is_guarded_the_same_way():
    # exact a = 1.0; the student's own a = 1.01; the slip multiplies by 1.004
    step = step_with(1.0, [("slip", lambda env: env["a"] * 1.004)], compute=lambda env: env["a"])
    follow, exact = {"a": 1.01}, {"a": 1.0}
    verdict = check("1.010", step, follow, exact_env=exact)
    assert verdict.correct and verdict.follow_through
    assert check("1.01", step, follow, exact_env=exact).more_digits == (1,)  # [1.005, 1.015] holds 1.01404
    assert check("1.014", step, follow, exact_env=exact).mistake == "slip"


def test_vector_entries_are_narrowed_one_by_one():
    step = step_with((1.0, 2.0), [("slip", lambda env: (1.004, 3.0))], answer=AnswerKind.VECTOR)
    verdict = check("1.00, 2.00", step, {}, exact_env={})
    assert not verdict.correct and verdict.more_digits == (1,)
    assert describe(verdict).startswith("Give one more significant figure in entry 1:")
    assert check("1.001, 2.00", step, {}, exact_env={}).correct
    verdict = check("1.004, 2.00", step, {}, exact_env={})
    assert not verdict.correct and verdict.entries == (False, True) and not verdict.more_digits
    verdict = check("1.00, 2.5", step, {}, exact_env={})  # one entry wrong: wrong, not "more figures"
    assert not verdict.correct and not verdict.more_digits and verdict.entries == (True, False)


def session_at(problem_id: str, step_name: str, lang: str = "en") -> Session:
    problem, solution = solved(problem_id)
    session = Session(problem, solution, lang)
    while session.current.name != step_name:
        session.show()
    return session


@pytest.mark.parametrize("lang, words", [("en", "one more significant figure"), ("ja", "有効数字をもう 1 桁")])
def test_one_more_figure_costs_nothing_in_either_language(lang, words):
    session = session_at("xor", "delta2_1", lang)
    feedback = session.submit("-0.079")
    assert feedback.outcome is Outcome.MORE_DIGITS and words in feedback.message
    state = session.states["delta2_1"]
    assert state.attempts == 0 and session.current.name == "delta2_1" and not session.mistakes
    assert session.submit("-0.0794").outcome is Outcome.CORRECT
    assert state.first_try  # asking for a figure did not spend the first try


# -- honest numbers near zero ----------------------------------------------------------------


def test_an_exact_value_near_zero_is_compared_by_the_difference_not_a_percentage():
    # The student's own earlier answers give exactly 0; the exact value is -8.87e-7.
    step = step_with(-8.87e-7, [], compute=lambda env: env["a"] - 0.5)
    verdict = check("0", step, {"a": 0.5}, exact_env={"a": 0.5 - 8.87e-7})
    assert verdict.correct and verdict.follow_through
    text = describe(verdict)
    assert "%" not in text
    assert text == (
        "Correct (8.87e-7 from the exact value -8.87e-7). Accepted using your own earlier answers:"
        " from them this step gives 0 (the exact value is -8.87e-7)."
    )
    assert "%" not in describe(verdict, "ja") and "8.87e-7" in describe(verdict, "ja")


def test_an_exact_zero_met_within_the_absolute_floor_shows_the_difference():
    step = step_with(0.0, [], tol=Tolerance(abs=1e-6))
    assert describe(check("1e-7", step)) == "Correct (1e-7 from the exact value 0)."
