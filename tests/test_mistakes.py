"""Each mistake rule on its own, then the rules as the checker meets them in real problems."""

from __future__ import annotations

import math

import pytest

from tutor.check import check
from tutor.engine import derive
from tutor.engine import mistakes as rules
from tutor.problem import load_problem_text

from .conftest import solved

ENV = {"y": 0.8, "d": 1.0, "h": 0.6, "w": 0.5, "eta": 0.1, "g": -0.2}
delta = lambda env: (env["y"] - env["d"]) * env["y"] * (1 - env["y"])  # noqa: E731


def test_sign_flipped_negates():
    assert rules.sign_flipped(delta).compute(ENV) == pytest.approx((1.0 - 0.8) * 0.8 * 0.2)


def test_missing_derivative_is_the_part_without_the_slope():
    assert rules.missing_derivative(lambda env: env["y"] - env["d"]).compute(ENV) == pytest.approx(-0.2)


def test_derivative_at_h_evaluates_the_slope_at_the_output():
    sigma = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    mistake = rules.derivative_at_h(lambda env: -0.2, lambda v: sigma(v) * (1 - sigma(v)), lambda env: env["y"])
    assert mistake.compute(ENV) == pytest.approx(-0.2 * sigma(0.8) * (1 - sigma(0.8)))


def test_half_forgotten_doubles():
    assert rules.half_forgotten(lambda env: 0.02).compute(ENV) == pytest.approx(0.04)


def test_mse_rules():
    assert rules.mse_sum_not_mean(lambda env: 0.5, 3).compute(ENV) == pytest.approx(1.5)
    assert rules.mse_factor_forgotten(lambda env: -5.5).compute(ENV) == pytest.approx(-2.75)
    assert rules.squared_error_for_mse(lambda env: 7.5625).compute(ENV) == pytest.approx(3.78125)


def test_update_rules():
    w, eta, g = (lambda env: env["w"]), (lambda env: env["eta"]), (lambda env: env["g"])
    assert rules.update_sign(w, eta, g).compute(ENV) == pytest.approx(0.5 + 0.1 * -0.2)
    assert rules.learning_rate_forgotten(w, g).compute(ENV) == pytest.approx(0.5 + 0.2)


def test_value_passing_rules_return_what_they_are_given():
    for rule in (rules.transposed_weights, rules.output_as_gradient, rules.bias_forgotten, rules.gradient_uses_u):
        assert rule(lambda env: 0.123).compute(ENV) == 0.123


def test_fan_out_gives_one_mistake_per_path():
    found = rules.fan_out_not_summed([lambda env: 1.0, lambda env: 2.0])
    assert [m.key for m in found] == ["fan_out_not_summed"] * 2
    assert [m.compute(ENV) for m in found] == [1.0, 2.0]


def test_slope_in_u_puts_u_where_the_slope_wants_h():
    # σ′ written h(1 − h), evaluated with u = 0.6 for h: 0.6 · 0.4 = 0.24
    mistake = rules.slope_in_u(lambda env: -0.2, lambda v: v * (1 - v), lambda env: env["h"])
    assert mistake.compute(ENV) == pytest.approx(-0.2 * 0.24)


def test_bias_twice_adds_the_bias_again():
    assert rules.bias_twice(lambda env: 1.25, lambda env: 0.25).compute(ENV) == pytest.approx(1.5)


def test_upstream_forgotten_sums_the_local_derivatives_alone():
    assert rules.upstream_forgotten([lambda env: 2.0, lambda env: 3.0]).compute(ENV) == pytest.approx(5.0)


def test_every_rule_has_messages_in_both_languages():
    from tutor.i18n import EN, JA

    for key in rules.KEYS:
        assert f"mistake.{key}" in EN and f"mistake.{key}" in JA
        assert f"mistake_name.{key}" in EN and f"mistake_name.{key}" in JA


# ---------------------------------------------------------------- in real problems


def mistake_for(problem_id: str, step_name: str, answer: str) -> str | None:
    _, solution = solved(problem_id)
    env = solution.exact_env()
    verdict = check(answer, solution.step(step_name), env, exact_env=env)
    assert not verdict.correct
    return verdict.mistake


def xor_numbers():
    h = 1 / (1 + math.exp(-0.5))
    y = 1 / (1 + math.exp(-h))
    return h, y


def test_xor_output_delta_mistakes():
    h, y = xor_numbers()
    right = (y - 1) * y * (1 - y)
    assert mistake_for("xor", "delta2_1", repr(-right)) == "sign_flipped"
    assert mistake_for("xor", "delta2_1", repr(y - 1)) == "missing_derivative"
    assert mistake_for("xor", "delta2_1", repr(2 * right)) == "half_forgotten"


def test_derivative_taken_at_h():
    # In XOR u = 0.6225 and h = 0.6508 are so close that sigma'(h) is within 1% of sigma'(u); a unit
    # with u = 2 tells them apart: h = 0.8808, h(1-h) = 0.105 but sigma(h)(1-sigma(h)) = 0.2017.
    text = """
id: s
title: s
kind: network
network:
  sizes: [1, 1]
  activations: [sigmoid]
  loss: squared_error
  weights: {W1: [[2]]}
  input: [1]
  target: [0]
"""
    solution = derive(load_problem_text(text, "s.yaml"))
    env = solution.exact_env()
    h = 1 / (1 + math.exp(-2))
    s = 1 / (1 + math.exp(-h))
    verdict = check(repr(h * s * (1 - s)), solution.step("delta1_1"), env, exact_env=env)
    assert verdict.mistake == "derivative_at_h"


def test_xor_loss_without_the_half():
    _, y = xor_numbers()
    assert mistake_for("xor", "E", repr((y - 1) ** 2)) == "half_forgotten"


def test_xor_update_with_plus():
    _, solution = solved("xor")
    g = solution.exact_env()["grad_W2_1_1"]
    assert mistake_for("xor", "W2_1_1_new", repr(0.5 + 0.5 * g)) == "update_sign"


def test_mse_as_the_lectures_squared_error():
    # pytorch_relu: y = 1.25, d = 4; MSELoss = (1.25 - 4)^2 = 7.5625; with a 1/2 it would be 3.78125.
    assert mistake_for("pytorch_relu", "E", "3.78125") == "squared_error_for_mse"
    assert mistake_for("pytorch_relu", "delta2_1", "-2.75") == "mse_factor_forgotten"


def test_softmax_with_loss_answered_with_y():
    assert mistake_for("softmax_loss", "delta1", "0.3, 0.2, 0.5") == "output_as_gradient"


def test_transposed_weights_in_a_hidden_delta():
    text = """
id: t
title: t
kind: network
network:
  sizes: [1, 2, 2]
  activations: [identity, identity]
  loss: squared_error
  weights: {W1: [[1], [1]], W2: [[1, 2], [3, 4]]}
  input: [1]
  target: [0, 0]
"""
    problem = load_problem_text(text, "t.yaml")
    solution = derive(problem)
    env = solution.exact_env()
    d1, d2 = env["delta2_1"], env["delta2_2"]
    right = 1 * d1 + 3 * d2  # w_11 d_1 + w_21 d_2: column 1 of W2
    assert math.isclose(env["delta1_1"], right)
    verdict = check(repr(1 * d1 + 2 * d2), solution.step("delta1_1"), env, exact_env=env)  # row 1 instead
    assert verdict.mistake == "transposed_weights"


def test_fan_out_not_summed_in_a_graph():
    text = """
id: f
title: f
kind: graph
graph:
  inputs: {x: 2, y: 3}
  nodes: {a: x * y, b: x + y, f: a * b}
  output: f
"""
    solution = derive(load_problem_text(text, "f.yaml"))
    env = solution.exact_env()
    # df/dx = b*y + a*1 = 5*3 + 6 = 21; one path alone gives 15 or 6.
    assert env["grad_x"] == pytest.approx(21)
    verdict = check("15", solution.step("grad_x"), env, exact_env=env)
    assert verdict.mistake == "fan_out_not_summed"


def test_update_forgotten_is_named_and_not_accepted():
    # XOR: w21 = 0.5, dE/dw21 = -0.009326, eta = 0.5: w_new = 0.50466; 0.5 is only 0.9% off.
    assert mistake_for("xor", "W1_2_1_new", "0.5") == "update_forgotten"
    assert rules.update_forgotten(lambda env: env["w"]).compute(ENV) == 0.5


def test_an_update_rounded_to_three_figures_is_still_accepted():
    _, solution = solved("xor")
    env = solution.exact_env()
    assert check("0.505", solution.step("W1_2_1_new"), env, exact_env=env).correct
    assert not check("0.503", solution.step("W1_2_1_new"), env, exact_env=env).correct


# ---------------------------------------------------------------- rules for Affine, Adam and cross-entropy

AFFINE_ENV = {"x1": 1.0, "x2": 3.0, "g1": 0.5, "g2": 2.0}  # one column of X and of dE/dY, batch of 2


def test_slope_not_cancelled_multiplies_by_the_slope():
    mistake = rules.slope_not_cancelled(lambda env: env["y"] - env["d"], lambda env: env["y"] * (1 - env["y"]))
    assert mistake.key == "slope_not_cancelled"
    assert mistake.compute(ENV) == pytest.approx(-0.2 * 0.8 * 0.2)


def test_transpose_rules_return_the_untransposed_product():
    for rule, key in ((rules.dx_transpose_forgotten, "dx_transpose_forgotten"),
                      (rules.dw_transpose_forgotten, "dw_transpose_forgotten")):
        mistake = rule(lambda env: 4.5)
        assert mistake.key == key and mistake.compute(AFFINE_ENV) == 4.5


def test_batch_rules_give_one_example_or_the_mean():
    terms = [lambda env: env["x1"] * env["g1"], lambda env: env["x2"] * env["g2"]]
    found = rules.batch_not_summed(terms)
    assert [m.key for m in found] == ["batch_not_summed"] * 2
    assert [m.compute(AFFINE_ENV) for m in found] == [0.5, 6.0]
    mean = rules.batch_averaged(lambda env: sum(t(env) for t in terms), 2)
    assert mean.key == "batch_averaged" and mean.compute(AFFINE_ENV) == pytest.approx(3.25)


ADAM_ENV = {"w": 0.5, "eta": 0.1, "mhat": 0.2, "vhat": 0.04, "eps": 1e-8, "beta": 0.9, "old": 0.02, "g": 0.2}


def test_bias_correction_forgotten_passes_the_raw_moment_on():
    mistake = rules.bias_correction_forgotten(lambda env: 0.038)
    assert mistake.key == "bias_correction_forgotten" and mistake.compute(ADAM_ENV) == 0.038


def test_sqrt_forgotten_divides_by_v_hat_itself():
    get = lambda key: (lambda env: env[key])  # noqa: E731
    mistake = rules.sqrt_forgotten(get("w"), get("eta"), get("mhat"), get("vhat"), get("eps"))
    assert mistake.compute(ADAM_ENV) == pytest.approx(0.5 - 0.1 * 0.2 / (0.04 + 1e-8))


def test_moment_rules():
    get = lambda key: (lambda env: env[key])  # noqa: E731
    # v = 0.9 * 0.02 + 0.1 * 0.2 with g not squared; the swapped weights give 0.1 * 0.02 + 0.9 * 0.2.
    assert rules.gradient_not_squared(get("beta"), get("old"), get("g")).compute(ADAM_ENV) == pytest.approx(0.038)
    assert rules.moment_weights_swapped(get("beta"), get("old"), get("g")).compute(ADAM_ENV) == pytest.approx(0.182)


def test_affine_batch_mistakes():
    # X = [[1, 2], [3, 2]], dE/dY = [[0.5, -2, 1], [2, 0.5, -2]], b = (-1, 0.5, 1).
    assert mistake_for("affine_batch", "dW_1_1", "4.5") == "dw_transpose_forgotten"  # (X dY)_11 = 1*0.5 + 2*2
    assert mistake_for("affine_batch", "db_1", "0.5") == "batch_not_summed"  # first row only
    assert mistake_for("affine_batch", "db_1", "2") == "batch_not_summed"  # second row only
    assert mistake_for("affine_batch", "db_1", "1.25") == "batch_averaged"
    assert mistake_for("affine_batch", "dW_1_1", "3.25") == "batch_averaged"
    assert mistake_for("affine_batch", "Y_1_1", "-4.5") == "bias_forgotten"


def test_dx_without_the_transpose_when_w_is_square():
    text = """
id: a
title: a
kind: affine
affine:
  X: [[1, 2]]
  W: [[1, 2], [3, 4]]
  dY: [[1, -1]]
"""
    solution = derive(load_problem_text(text, "a.yaml"))
    env = solution.exact_env()
    assert env["dX_1_1"] == pytest.approx(1 * 1 + (-1) * 2)  # dY W^T: row 1 of W
    verdict = check(repr(1 * 1 + (-1) * 3), solution.step("dX_1_1"), env, exact_env=env)  # dY W: column 1
    assert verdict.mistake == "dx_transpose_forgotten"


def test_adam_step_mistakes():
    # Weight 1: m = 0.038, v = 7.996e-5, m^ = 0.2, v^ = 0.04, w = 0.6, eta = 0.1.
    assert mistake_for("adam_step", "mhat_1", "0.038") == "bias_correction_forgotten"
    assert mistake_for("adam_step", "vhat_1", "7.996e-5") == "bias_correction_forgotten"
    uncorrected = 0.6 - 0.1 * 0.038 / math.sqrt(7.996e-5)
    assert mistake_for("adam_step", "w_1_new", repr(uncorrected)) == "bias_correction_forgotten"
    assert mistake_for("adam_step", "w_1_new", "0.1") == "sqrt_forgotten"  # 0.6 - 0.1 * 0.2 / 0.04
    assert mistake_for("adam_step", "w_1_new", "0.7") == "update_sign"
    assert mistake_for("adam_step", "w_1_new", "0.6") == "update_forgotten"
    assert mistake_for("adam_step", "v_1", repr(0.999 * 4e-5 + 0.001 * 0.2)) == "gradient_not_squared"
    assert mistake_for("adam_step", "m_1", repr(0.1 * 0.02 + 0.9 * 0.2)) == "moment_weights_swapped"


def test_cross_entropy_delta_with_the_slope_kept():
    # bce_sigmoid: y = sigma(1), t = 1; (y - t) y (1 - y) is the squared-error habit.
    y = 1 / (1 + math.exp(-1))
    assert mistake_for("bce_sigmoid", "delta1_1", repr((y - 1) * y * (1 - y))) == "slope_not_cancelled"
