"""Reading and marking answers against hand-built Steps; number formatting; the message catalogue."""

from __future__ import annotations

import math

import pytest

from tutor import i18n
from tutor.check import Reading, Verdict, check, describe, format_number, read_answer
from tutor.expr import Expr
from tutor.steps import AnswerKind, Mistake, Phase, Step, Tolerance


def make_step(value, compute=None, *, answer=AnswerKind.NUMBER, mistakes=(), variables=(), formula="", tol=None):
    return Step(
        name="s",
        phase=Phase.FORWARD,
        symbol=None,
        formula=None,
        uses=(),
        compute=compute or (lambda env: value),
        value=value,
        answer=answer,
        tolerance=tol or Tolerance(),
        mistakes=tuple(mistakes),
        variables=tuple(variables),
        expected_formula=formula,
    )


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def sig3(x: float) -> str:
    """What a student with a calculator writes down: 3 significant figures."""
    return f"{x:.3g}"


# -- reading ------------------------------------------------------------------------------------


def test_reading_a_fraction_shows_its_value():
    reading = read_answer("3/4", make_step(0.75))
    assert reading == Reading(True, "3/4 = 0.75", 0.75, None, {}, reading.expr)
    assert isinstance(reading.expr, Expr)


def test_reading_a_plain_number_echoes_it_once():
    reading = read_answer("０．６２２５", make_step(0.6225))
    assert (reading.ok, reading.shown, reading.value) == (True, "0.6225", 0.6225)
    assert read_answer("－０．５", make_step(-0.5)).shown == "-0.5"


def test_reading_arithmetic_for_a_number_step():
    reading = read_answer("1/(1+exp(-1))", make_step(0.7311))
    assert reading.ok
    assert reading.value == 1 / (1 + math.exp(-1))
    assert reading.shown == "1/(1 + exp(-1)) = 0.7311"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "expr.empty"),
        ("0,62", "expr.decimal_comma"),
        ("2x", "expr.implicit_multiplication"),
        ("x", "expr.unknown_name"),  # a number step allows no variables
        ("1/0", "expr.division_by_zero"),
        ("9**9**9**9", "expr.overflow"),
        ("[/b]", "expr.brackets"),
    ],
)
def test_unreadable_number_answers(text, error):
    reading = read_answer(text, make_step(0.5))
    assert not reading.ok
    assert reading.error == error
    assert reading.value is None
    assert reading.message()  # a sentence, in English by default


def test_unreadable_input_is_not_marked():
    verdict = check("2x", make_step(0.5))
    assert not verdict.reading.ok
    assert not verdict.correct
    assert verdict.mistake is None and verdict.target is None


def test_invalid_preview_hides_control_characters():
    reading = read_answer("1\x00", make_step(1.0))
    assert reading.error == "expr.control_char"
    assert "\x00" not in reading.shown


def test_reading_vectors():
    step = make_step((0.3, -0.8, 0.5), answer=AnswerKind.VECTOR)
    reading = read_answer("[0.3, -0.8, 0.5]", step)
    assert (reading.ok, reading.shown, reading.value) == (True, "0.3, -0.8, 0.5", (0.3, -0.8, 0.5))
    reading = read_answer("1/4, 0.5, 1", step)
    assert reading.shown == "1/4, 0.5, 1 = 0.25, 0.5, 1"
    reading = read_answer("0.3, 0.5", step)
    assert not reading.ok
    assert (reading.error, reading.error_params) == ("check.vector_length", {"expected": 3, "got": 2})
    assert reading.message() == "I expected 3 values but read 2."
    reading = read_answer("0,3, -0,8, 0,5", step)
    assert reading.error == "check.vector_length_comma"
    reading = read_answer("0.3, 1/0, 0.5", step)
    assert (reading.error, reading.error_params["item"]) == ("expr.list_item", 2)
    assert reading.message() == "Value 2: This divides by zero."
    assert reading.message("ja") == "2 番目の値: 0 で割っています。"


def test_reading_formulas():
    step = make_step(None, answer=AnswerKind.FORMULA, variables=("x",), formula="-tan(x)")
    reading = read_answer("-sin(x)/cos(x)", step)
    assert (reading.ok, reading.shown, reading.value) == (True, "-sin(x)/cos(x)", None)
    assert read_answer("-tan(y)", step).error == "expr.unknown_name"
    assert read_answer("σ(x)*(1-σ(x))", step).shown == "sigma(x)*(1 - sigma(x))"


# -- numbers: tolerance and follow-through ------------------------------------------------------


def test_rounding_student_is_accepted_through_follow_through():
    # A 1-1 sigmoid chain worked by hand: u = w*x, h = sigmoid(u), g = h*(1-h).
    # The student rounds every result to 3 significant figures and carries the rounded value.
    w, x = 2.7, 2.0
    u = w * x
    h = sigmoid(u)
    g = h * (1 - h)
    step_u = make_step(u, lambda env: env["w"] * env["x"])
    step_h = make_step(h, lambda env: 1 / (1 + math.exp(-env["u"])))
    step_g = make_step(g, lambda env: env["h"] * (1 - env["h"]))
    exact = {"w": w, "x": x, "u": u, "h": h, "g": g}
    follow = {"w": w, "x": x}

    typed_u = sig3(u)  # "5.4"
    verdict = check(typed_u, step_u, follow, exact_env=exact)
    assert verdict.correct and not verdict.follow_through
    follow["u"] = float(typed_u)

    typed_h = sig3(sigmoid(float(typed_u)))  # "0.996" (exact 0.99550...)
    verdict = check(typed_h, step_h, follow, exact_env=exact)
    assert verdict.correct and not verdict.follow_through
    follow["h"] = float(typed_h)

    typed_g = sig3(float(typed_h) * (1 - float(typed_h)))  # "0.00398"; exact is 0.004476
    assert typed_g == "0.00398"
    assert abs(float(typed_g) - g) / g > 0.10  # the exact value alone would reject it
    verdict = check(typed_g, step_g, follow, exact_env=exact)
    assert verdict.correct
    assert verdict.follow_through
    assert verdict.target == pytest.approx(0.996 * 0.004)
    assert verdict.exact == g
    assert verdict.relative_error == pytest.approx(abs(0.00398 - g) / g)
    text = describe(verdict)
    assert "earlier answers" in text and "0.003984" in text and "0.004476" in text


def test_follow_through_is_not_claimed_when_exact_accepts():
    step = make_step(0.5, lambda env: env["a"])
    verdict = check("0.5", step, {"a": 0.5001})
    assert verdict.correct and not verdict.follow_through
    assert verdict.target == 0.5


def test_one_and_a_half_percent_off_is_rejected():
    exact = 0.2689414213699951  # sigmoid(-1)
    step = make_step(exact, lambda env: 1 / (1 + math.exp(-env["u"])))
    off = exact * 1.015
    verdict = check(repr(off), step, {"u": -1.0})
    assert not verdict.correct
    assert verdict.relative_error == pytest.approx(0.015)
    inside = exact * 1.009
    assert check(repr(inside), step, {"u": -1.0}).correct


def test_rounding_is_suggested_only_where_rounding_earlier_values_reaches():
    u = -1.234567  # rounded to 2 figures, -1.2 moves sigmoid(u) by about 2.7 %
    exact = 1 / (1 + math.exp(-u))
    step = make_step(exact, lambda env: 1 / (1 + math.exp(-env["u"])))
    assert check(repr(exact * 1.015), step, {"u": u}).near_miss == "rounding"
    assert "round" in describe(check(repr(exact * 1.015), step, {"u": u}))
    # u = -1 is exact: rounding it changes nothing, so 1.5 % off is not a rounding slip
    exact_at_one = 1 / (1 + math.exp(1.0))
    step = make_step(exact_at_one, lambda env: 1 / (1 + math.exp(-env["u"])))
    verdict = check(repr(exact_at_one * 1.015), step, {"u": -1.0})
    assert verdict.near_miss is None
    assert "round" not in describe(verdict)


def test_tolerance_is_the_steps_own():
    step = make_step(2.0, tol=Tolerance(rel=0.0, abs=0.1))
    assert check("2.09", step).correct
    assert not check("2.11", step).correct


def test_zero_needs_the_absolute_floor():
    step = make_step(0.0)  # e.g. a ReLU that switched the unit off
    assert check("0", step).correct
    verdict = check("0.001", step)
    assert not verdict.correct and verdict.relative_error is None


def test_compute_failure_falls_back_to_exact():
    def broken(env):
        raise KeyError("h")

    step = make_step(0.25, broken)
    assert check("0.25", step, {"x": 1.0}).correct
    verdict = check("0.3", step, {"x": 1.0})
    assert not verdict.correct and verdict.target == 0.25


def test_numpy_results_are_accepted():
    np = pytest.importorskip("numpy")
    step = make_step(0.5, lambda env: np.float64(env["a"]) / 2)
    verdict = check("0.6", step, {"a": 1.2})
    assert verdict.correct and verdict.follow_through and verdict.target == pytest.approx(0.6)


# -- mistakes and near misses -------------------------------------------------------------------


def sign_flip_step():
    # dE/dy = y - t; the classic slip writes t - y.
    y, t = 0.7, 1.0
    flipped = Mistake("t_minus_y", lambda env: env["t"] - env["y"])
    return make_step(y - t, lambda env: env["y"] - env["t"], mistakes=[flipped]), {"y": y, "t": t}


def test_sign_flip_mistake_is_named():
    step, env = sign_flip_step()
    verdict = check("0.3", step, env, exact_env=env)
    assert not verdict.correct
    assert verdict.mistake == "t_minus_y"
    assert verdict.near_miss is None


def test_mistake_is_also_tried_on_the_exact_env():
    step, exact = sign_flip_step()
    follow = {"y": 0.71, "t": 1.0}  # the student's own y was slightly off; the slip used exact y
    verdict = check("0.3", step, follow, exact_env=exact)
    assert verdict.mistake == "t_minus_y"


def test_mistake_equal_to_the_right_value_is_not_reported():
    flipped = Mistake("t_minus_y", lambda env: env["t"] - env["y"])
    step = make_step(0.0, lambda env: env["y"] - env["t"], mistakes=[flipped])
    env = {"y": 0.5, "t": 0.5}  # y == t: the mistake gives the right value, so it tells nothing
    verdict = check("0.2", step, env, exact_env=env)
    assert verdict.mistake is None


def test_first_matching_mistake_wins_and_failing_rules_are_skipped():
    def explodes(env):
        raise ZeroDivisionError

    step = make_step(
        1.0,
        mistakes=[
            Mistake("broken", explodes),
            Mistake("doubled", lambda env: 2.0),
            Mistake("also_two", lambda env: 2.0),
        ],
    )
    verdict = check("2", step, {}, exact_env={})
    assert verdict.mistake == "doubled"


def test_decimal_point_slip_is_a_scale_near_miss():
    step = make_step(0.0731)
    verdict = check("0.731", step)
    assert (verdict.correct, verdict.near_miss) == (False, "scale")
    assert describe(verdict) == "Not correct. Your answer is 10 times too large: check the decimal point."
    verdict = check("0.000731", step)
    assert verdict.near_miss == "scale"
    assert "100 times too small" in describe(verdict)
    assert check("-0.731", step).near_miss is None  # a sign error is not a scale slip


def test_far_off_answer_has_no_near_miss():
    verdict = check("0.5", make_step(0.0731))
    assert (verdict.correct, verdict.mistake, verdict.near_miss) == (False, None, None)
    # 0.5 / 0.0731 = 6.84: the student hears how far off, not the answer.
    assert describe(verdict) == "Not correct: your answer is 584% too large."


def test_wrong_sign_gets_no_percentage():
    assert describe(check("-0.5", make_step(0.0731))) == "Not correct."


# -- vectors ------------------------------------------------------------------------------------


def test_vectors_are_marked_entry_by_entry():
    step = make_step((0.3, -0.8, 0.5), answer=AnswerKind.VECTOR)
    verdict = check("0.3, 0.8, 0.5", step)
    assert not verdict.correct
    assert verdict.entries == (True, False, True)
    assert verdict.relative_error == pytest.approx(2.0)  # the worst entry: 0.8 vs -0.8
    assert describe(verdict) == "Entry 2 is not correct (2 of 3 are right)."
    verdict = check("0.3, -0.8, 0.5", step)
    assert verdict.correct and verdict.entries == (True, True, True)
    assert verdict.target == (0.3, -0.8, 0.5)


def test_vector_follow_through_per_entry():
    step = make_step((0.5, 0.25), lambda env: (env["a"], env["a"] / 2), answer=AnswerKind.VECTOR)
    verdict = check("0.5, 0.3", step, {"a": 0.6})  # entry 1 by the exact value, entry 2 by follow-through
    assert verdict.correct and verdict.follow_through
    assert verdict.entries == (True, True)
    verdict = check("0.5, 0.4", step, {"a": 0.6})
    assert verdict.entries == (True, False)
    assert "Entry 2" in describe(verdict)


def test_vector_mistake_rule():
    step = make_step(
        (0.2, 0.0),
        answer=AnswerKind.VECTOR,
        mistakes=[Mistake("missing_relu_mask", lambda env: (0.2, -0.4))],
    )
    verdict = check("0.2, -0.4", step, {}, exact_env={})
    assert verdict.mistake == "missing_relu_mask"
    assert verdict.entries == (True, False)


# -- formulas -------------------------------------------------------------------------------------


def formula_step(expected: str, variables=("x",), value=None):
    return make_step(value, answer=AnswerKind.FORMULA, variables=variables, formula=expected)


@pytest.mark.parametrize(
    ("typed", "expected", "variables", "equivalent"),
    [
        ("-tan(x)", "-sin(x)/cos(x)", ("x",), True),
        ("-sin(x)/cos(x)", "-tan(x)", ("x",), True),
        ("2*(x+y)", "2*x+2*y", ("x", "y"), True),
        ("2*x+y", "2*(x+y)", ("x", "y"), False),
        ("y*(1-y)", "y-y**2", ("y",), True),
        ("y-y^2", "y*(1-y)", ("y",), True),
        ("sigma(u)*(1-sigma(u))", "exp(-u)/(1+exp(-u))**2", ("u",), True),
        ("σ(u)*(1-σ(u))", "exp(-u)/(1+exp(-u))^2", ("u",), True),
        ("sigma(u)", "exp(-u)/(1+exp(-u))**2", ("u",), False),
        ("1-tanh(x)^2", "1/cos(0)-tanh(x)**2", ("x",), True),
        ("log(x^2)", "2*log(x)", ("x",), True),  # equal where the expected side is defined (x > 0)
        ("x", "relu(x)", ("x",), False),
        ("x*0 + 1", "1", ("x",), True),
    ],
)
def test_formula_equivalence(typed, expected, variables, equivalent):
    verdict = check(typed, formula_step(expected, variables))
    assert verdict.reading.ok
    assert verdict.correct is equivalent
    assert verdict.relative_error is None
    assert verdict.follow_through is False


def test_formula_undefined_where_expected_is_defined_is_wrong():
    # sqrt(x)^2 equals x only for x >= 0; the expected x is defined everywhere.
    assert not check("sqrt(x)^2", formula_step("x")).correct


def test_formula_target_is_the_value_at_the_problem_point():
    verdict = check("-tan(x)", formula_step("-sin(x)/cos(x)", value=-math.tan(0.5)))
    assert verdict.correct
    assert verdict.target == -math.tan(0.5)
    assert describe(verdict) == "Correct: your formula agrees with the expected one."
    wrong = describe(check("cos(x)", formula_step("-tan(x)")))
    assert wrong == "Not correct: your formula does not agree with the expected one."


def test_formula_mistake_matched_as_a_function():
    step = make_step(
        0.25,
        answer=AnswerKind.FORMULA,
        variables=("y",),
        formula="y*(1-y)",
        mistakes=[Mistake("sigma_for_sigma_prime", lambda env: env["y"])],
    )
    verdict = check("y", step, {"y": 0.5}, exact_env={"y": 0.5})
    assert not verdict.correct
    assert verdict.mistake == "sigma_for_sigma_prime"


def test_untestable_expected_formula_is_an_error():
    from tutor.expr import ExprError

    with pytest.raises(ExprError) as info:
        check("x", formula_step("log(-1-x^2)"))
    assert info.value.code == "check.formula_untestable"


# -- describe -------------------------------------------------------------------------------------


def test_describe_correct_with_distance():
    step = make_step(0.2689414213699951)
    assert describe(check("0.2689", step)) == "Correct."  # 0.005 % off: not worth a remark
    assert describe(check("0.268", step)) == "Correct (0.35% from the exact value)."
    assert describe(check("0.268", step), "ja") == "正解です（厳密な値との差は 0.35% です）。"


def test_describe_invalid_reading_is_the_error():
    verdict = check("0,5", make_step(0.5))
    assert describe(verdict) == "Use a decimal point, not a comma: 0.5"


def test_describe_uses_mistake_messages(monkeypatch):
    step, env = sign_flip_step()
    verdict = check("0.3", step, env, exact_env=env)
    assert describe(verdict) == "Not correct. This matches a known mistake (t_minus_y)."
    monkeypatch.setitem(i18n.EN, "mistake.t_minus_y", "You computed t - y; the derivative of E is y - t.")
    monkeypatch.setitem(i18n.JA, "mistake.t_minus_y", "t - y になっています。E の微分は y - t です。")
    assert describe(verdict) == "Not correct. You computed t - y; the derivative of E is y - t."
    assert describe(verdict, "ja") == "不正解です。t - y になっています。E の微分は y - t です。"


def test_describe_has_no_markup():
    step = make_step((0.3, -0.8), answer=AnswerKind.VECTOR)
    for text in ("0.3, 0.8", "[/b]", "[@click=app.quit]", "0.3, -0.8", "0.30001, -0.8"):
        for lang in ("en", "ja"):
            out = describe(check(text, step), lang)
            assert out and "[/" not in out and "[@" not in out and "[b]" not in out


def test_verdict_defaults():
    verdict = Verdict(Reading(False, "", None), False, None, False, None, None)
    assert verdict.entries == () and verdict.near_miss is None


# -- format_number ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (2.0, "2"),
        (2, "2"),
        (-3.0, "-3"),
        (0.75, "0.75"),
        (1 / 3, "0.3333"),
        (2 / 3, "0.6667"),
        (-0.62250, "-0.6225"),
        (0.2689414213699951, "0.2689"),
        (0.7310585786300049, "0.7311"),
        (12.3456, "12.35"),
        (123456.7, "123457"),  # whole-number digits are not rounded away
        (999999.0, "999999"),
        (1234567.0, "1.235e6"),
        (1e6, "1e6"),
        (1e100, "1e100"),
        (0.0001, "0.0001"),
        (0.00012345678, "0.0001235"),
        (1e-5, "1e-5"),
        (1.2e-5, "1.2e-5"),
        (-1.23456e-7, "-1.235e-7"),
        (4.25e-18, "4.25e-18"),
        (0.1 + 0.2, "0.3"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (float("nan"), "nan"),
    ],
)
def test_format_number(x, text):
    assert format_number(x) == text


def test_format_number_significant_figures():
    assert format_number(math.pi, 2) == "3.1"
    assert format_number(math.pi, 6) == "3.14159"
    assert format_number(0.004476, 3) == "0.00448"
    assert format_number(-1e-9, 1) == "-1e-9"


def test_format_number_never_shows_minus_zero_or_padding():
    for x in (-1e-300, -0.0, 1e-7, 3.3e-5, 123456789.0, -98765.4321):
        text = format_number(x)
        assert text not in ("-0", "-0.0")
        assert "e-0" not in text and "e+" not in text


def test_format_number_reads_back_within_half_a_unit():
    # The shown text is within rounding of the value (relative 5e-4 for 4 figures).
    for x in (0.2689414, 1234.5678, 7.777e-9, -5.5555e8, 0.99996):
        assert float(format_number(x)) == pytest.approx(x, rel=5e-4)


# -- the catalogue ------------------------------------------------------------------------------


def test_every_english_expr_and_check_message_has_a_japanese_one():
    mine = {k for k in i18n.EN if k.startswith(("expr.", "check."))}
    assert mine <= set(i18n.JA)


def test_translations_use_the_same_parameters():
    for key, template in i18n.JA.items():
        assert key in i18n.EN, key
        assert i18n.fields(template) == i18n.fields(i18n.EN[key]), key


def test_every_error_code_the_parser_raises_has_a_message():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "tutor"
    parser = sorted((root / "expr").glob("*.py"))
    assert parser, "the parser's modules were not found"
    source = "".join(path.read_text() for path in [*parser, root / "check.py"])
    for key in set(re.findall(r'"((?:expr|check)\.[a-z_]+)"', source)):
        assert key in i18n.EN, key


def test_t_falls_back():
    assert i18n.t("check.correct", "ja_JP.UTF-8") == "正解です。"
    assert i18n.t("check.correct", "fr") == "Correct."
    assert i18n.t("no.such.key") == "no.such.key"
    assert i18n.t("expr.too_long", "ja") == i18n.EN["expr.too_long"]  # a missing parameter: no crash
    assert i18n.t("expr.list_item", "ja", item=2, detail=i18n.Msg("expr.empty")) == "2 番目の値: 答えを入力してください。"
    assert i18n.join_sentences(["正解です。", "次へ。"], "ja") == "正解です。次へ。"
    assert i18n.join_sentences(["Correct.", "Next."]) == "Correct. Next."


def test_values_are_written_the_same_way_everywhere():
    from tutor.numbers import format_value, typed_value

    assert format_value(0.062) == "0.062"
    assert format_value((0.3, -0.8, 0.5)) == "(0.3, -0.8, 0.5)"
    assert format_value(((26.0, 6.0), (-6.0, 0.0))) == "((26, 6), (-6, 0))"
    assert format_value((1.0, 2.5), (r"\left(", r"\right)")) == r"\left(1, 2.5\right)"
    assert typed_value((0.3, -0.8, 0.5)) == "0.3, -0.8, 0.5"
    assert typed_value(((26.0, 6.0, -6.0), (0.0, -4.0, 8.0))) == "26, 6, -6; 0, -4, 8"
    assert typed_value(-0.079370) == "-0.07937"


# -- answers far off, lists where one number goes, formulas that divide by zero -----------------


@pytest.mark.parametrize("typed", ["exp(709)", "1e308", "600"])
def test_an_answer_a_thousand_times_too_large_is_called_far_too_large(typed):
    text = describe(check(typed, make_step(0.5)))
    assert text == "Not correct: your answer is far too large (1000 times the right value or more)."
    assert "inf" not in describe(check(typed, make_step(0.5)), "ja")


def test_a_list_at_a_number_step_says_one_number_is_wanted():
    reading = read_answer("0.1,0.1", make_step(0.1))
    assert not reading.ok
    assert reading.message() == "Type a single value here, not a list."
    assert "0.1.0.1" not in reading.message("ja")
    assert read_answer("0,5", make_step(0.5)).message() == "Use a decimal point, not a comma: 0.5"


@pytest.mark.parametrize("typed", ["1/0", "x/0", "1/(x - x)", "0^(-1)"])
def test_a_formula_that_divides_by_zero_is_unreadable_not_wrong(typed):
    reading = read_answer(typed, formula_step("-tan(x)"))
    assert not reading.ok
    assert reading.message() == f"I read this as {typed}, which divides by zero; check what you divide by."
    assert typed in reading.message("ja")


def test_a_formula_undefined_only_somewhere_is_still_marked():
    assert read_answer("1/x", formula_step("-tan(x)")).ok
    assert not check("1/x", formula_step("-tan(x)")).correct


def test_a_formula_dividing_by_zero_costs_no_attempt_in_a_session():
    from tutor.loading import load_and_derive
    from tutor.session import Outcome, open_session

    problem, solution = load_and_derive("chain_log_cos")
    session = open_session(problem, solution)
    formula = next(i for i, step in enumerate(solution.steps) if step.answer is AnswerKind.FORMULA)
    while session.index < formula:
        session.skip()
    assert session.submit("1/0").outcome is Outcome.INVALID
    assert session.states[solution.steps[formula].name].attempts == 0
    assert session.submit("-tan(x)").outcome is Outcome.CORRECT


def test_a_number_for_a_formula_is_read_but_not_marked_even_without_the_problems_inputs():
    verdict = check("0.5", formula_step("-tan(x)"))
    assert not verdict.reading.ok and not verdict.correct
    assert describe(verdict) == "This step asks for a formula in x, not a number."
