"""Common slips are named, in English and in Japanese, through the real Session.

Expected values are worked out by hand here (XOR: every weight 0.5, biases 0, input (1, 0), target 1,
rate 0.5: h⁽¹⁾ = σ(0.5) = 0.622459, y = σ(0.622459) = 0.650769, δ⁽²⁾ = -0.079366,
δ₁⁽¹⁾ = 0.5 · δ⁽²⁾ · h(1 − h) = -0.0093257).
"""

from __future__ import annotations

import pytest

from tutor.engine import derive
from tutor.outcomes import Outcome
from tutor.problem import load_problem_text
from tutor.session import Session

from .conftest import solved

LANGS = ("en", "ja")


def session_at(problem_and_solution, step: str, lang: str) -> Session:
    problem, solution = problem_and_solution
    session = Session(problem, solution, lang=lang)
    while session.current.name != step:
        session.show()
    return session


def answer(problem_and_solution, step: str, text: str, lang: str):
    return session_at(problem_and_solution, step, lang).submit(text)


# (problem, step, typed, mistake, English words, Japanese words)
NAMED = [
    ("xor", "h1_1", "0.5", "activation_forgotten", "activation was not applied", "活性化関数が適用されていません"),
    ("softmax_3layer", "h3_1", "2", "scores_as_probabilities", "scores u, not the probabilities", "スコア u"),
    ("softmax_scores", "h1", "3, 1, 4", "scores_as_probabilities", "scores u, not the probabilities", "スコア u"),
    ("xor", "delta2_1", "-0.08207", "slope_in_u", "σ′(u) = h(1 − h), not u(1 − u)", "u(1 − u) ではありません"),
    ("xor", "delta1_1", "0.009326", "sign_flipped_back", "sign is flipped", "符号が逆"),
    ("xor", "grad_W2_1_1", "0.0494", "sign_flipped_back", "sign is flipped", "符号が逆"),
    ("xor", "grad_W2_1_1", "-0.005805", "delta_wrong_layer", "δ of another layer", "別の層の δ"),
    ("xor", "W2_1_1_new", "0.5", "update_forgotten", "old weight", "更新前の重み"),
    ("apple", "grad_apple", "2", "upstream_forgotten", "only the local derivative", "局所的な微分だけ"),
    ("apple", "grad_apple_num", "100", "upstream_forgotten", "only the local derivative", "局所的な微分だけ"),
    ("chain_log_cos", "formula_grad_x", "tan(x)", "formula_sign", "wrong sign", "符号が逆"),
    ("chain_log_cos", "formula_grad_x", "-sin(x)", "chain_factor_forgotten", "factor of the chain rule", "連鎖律の因子"),
    ("chain_log_cos", "formula_grad_x", "1/cos(x)", "chain_factor_forgotten", "factor of the chain rule", "連鎖律の因子"),
    ("chain_log_cos", "formula_grad_x", "-3*tan(x)", "formula_factor", "constant factor", "定数倍"),
    ("chain_square", "formula_grad_x", "x + y", "formula_factor", "constant factor", "定数倍"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("problem_id", "step", "typed", "key", "en", "ja"), NAMED)
def test_slip_is_named_and_marked_wrong(problem_id, step, typed, key, en, ja, lang):
    feedback = answer(solved(problem_id), step, typed, lang)
    assert feedback.outcome is Outcome.WRONG
    assert feedback.verdict.mistake == key
    assert (en if lang == "en" else ja) in feedback.message
    assert "round" not in feedback.message and "丸め" not in feedback.message


NET = """
id: one_unit
title: {{en: one unit, ja: 一つのユニット}}
statement: {{en: One sigmoid unit., ja: シグモイドのユニット一つ。}}
kind: network
network:
  sizes: [1, 1]
  activations: [sigmoid]
  loss: squared_error
  weights:
    W1: [[0.5]]
    b1: [{bias}]
  input: [2]
  target: [1]
"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("typed", "key", "en", "ja"), [
    ("1.5", "bias_twice", "added twice", "2 回足して"),  # u = 0.5 · 2 + 0.25 + 0.25
    ("1", "bias_forgotten", "left out of u", "バイアス b が抜けて"),
])
def test_bias_twice_or_forgotten_in_u_is_named(typed, key, en, ja, lang):
    problem = load_problem_text(NET.format(bias=0.25), "one_unit.yaml")
    feedback = answer((problem, derive(problem)), "u1_1", typed, lang)
    assert feedback.outcome is Outcome.WRONG
    assert feedback.verdict.mistake == key
    assert (en if lang == "en" else ja) in feedback.message


@pytest.mark.parametrize(("problem_id", "step", "typed", "right", "en", "ja"), [
    ("chain_log_cos", "formula_grad_x", "-0.5463", True, "right at x = 0.5", "x = 0.5 では正しい値"),
    ("chain_log_cos", "formula_grad_x", "0.3", False, "wrong at x = 0.5", "x = 0.5 での値と違います"),
    ("chain_square", "formula_grad_x", "6", True, "right at x = 1, y = 2", "x = 1, y = 2 では正しい値"),
])
@pytest.mark.parametrize("lang", LANGS)
def test_a_number_at_a_formula_step_is_not_an_attempt(problem_id, step, typed, right, en, ja, lang):
    session = session_at(solved(problem_id), step, lang)
    feedback = session.submit(typed)
    assert feedback.outcome is Outcome.INVALID
    assert (en if lang == "en" else ja) in feedback.message
    assert session.current.name == step and session.states[step].attempts == 0
    assert session.submit(session.current.expected_formula).outcome is Outcome.CORRECT
    assert session.states[step].first_try  # the number cost nothing, not even the first try


def test_a_number_is_the_answer_where_the_formula_is_a_constant():
    text = """
id: linear
title: {en: linear, ja: 一次}
statement: {en: z = 3x., ja: z = 3x。}
kind: graph
graph:
  inputs: {x: 1}
  nodes: {z: 3*x}
  output: z
  formula_of: [x]
"""
    problem = load_problem_text(text, "linear.yaml")
    feedback = answer((problem, derive(problem)), "formula_grad_x", "3", "en")
    assert feedback.outcome is Outcome.CORRECT


def test_a_number_matching_no_slip_is_not_called_a_rounding_slip_at_a_step_from_exact_values():
    # h₁⁽¹⁾ = σ(0.5) = 0.622459 from exact inputs: 2 % off is not explained by rounding anything earlier
    feedback = answer(solved("xor"), "h1_1", "0.635", "en")
    assert feedback.outcome is Outcome.WRONG and feedback.verdict.mistake is None
    assert "round" not in feedback.message
