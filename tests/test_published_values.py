"""Every number the course material publishes, reproduced by the built-in problems."""

from __future__ import annotations

import math

import pytest

from .conftest import solved


def close(a, b, tol=1e-9):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def test_apple_graph_matches_the_book():
    _, s = solved("apple")
    v = s.values
    assert close(v["price"], 220)
    assert close(v["grad_apple"], 2.2)
    assert close(v["grad_apple_num"], 110)
    assert close(v["grad_tax"], 200)


def test_apple_orange_graph_matches_the_book():
    _, s = solved("apple_orange")
    v = s.values
    assert close(v["price"], 715)
    expected = {"grad_apple": 2.2, "grad_apple_num": 110, "grad_orange": 3.3, "grad_orange_num": 165, "grad_tax": 650}
    for name, value in expected.items():
        assert close(v[name], value), name


def test_pytorch_example_gradients_match_the_lecture():
    # Lecture 6: Linear(1,1)-ReLU-Linear(1,1), MSELoss; printed grads -8.25, -2.75, -3.85, -5.5.
    _, s = solved("pytorch_relu")
    v = s.values
    assert close(v["grad_W1"][0][0], -8.25)
    assert close(v["grad_b1"][0], -2.75)
    assert close(v["grad_W2"][0][0], -3.85)
    assert close(v["grad_b2"][0], -5.5)


def test_softmax_of_3_1_4():
    _, s = solved("softmax_scores")
    assert [round(p, 3) for p in s.values["h1"]] == [0.259, 0.035, 0.705]


def test_softmax_with_loss_backward_is_y_minus_t():
    _, s = solved("softmax_loss")
    assert s.values["delta1"] == pytest.approx([0.3, -0.8, 0.5], abs=1e-12)
    assert close(s.values["E"], -math.log(0.2))


def test_sigmoid_graph_backward_equals_y_times_one_minus_y():
    _, s = solved("sigmoid_graph")
    y = s.values["y"]
    assert close(y, 1 / (1 + math.exp(-s.givens["x"])))
    assert close(s.values["grad_x"], y * (1 - y))


def test_chain_rule_log_cos():
    _, s = solved("chain_log_cos")
    x = s.givens["x"]
    assert close(s.values["y"], math.log(math.cos(x)))
    assert close(s.values["grad_x"], -math.tan(x))
    formula_step = s.step("formula_grad_x")
    assert formula_step.expected_formula.replace(" ", "") == "-tan(x)"


def test_chain_rule_square_through_t():
    _, s = solved("chain_square")
    x, y = s.givens["x"], s.givens["y"]
    assert close(s.values["z"], (x + y) ** 2)
    assert close(s.values["grad_x"], 2 * (x + y))
    assert close(s.values["grad_y"], 2 * (x + y))
    assert close(s.step("formula_grad_x").value, 2 * (x + y))


def test_xor_one_step_by_hand():
    # Every weight 0.5, zero biases, input (1, 0), target 1, E = 1/2 (y - d)^2.
    problem, s = solved("xor")
    v = s.values
    h = 1 / (1 + math.exp(-0.5))
    y = 1 / (1 + math.exp(-(0.5 * h + 0.5 * h)))
    delta2 = (y - 1) * y * (1 - y)
    delta1 = 0.5 * delta2 * h * (1 - h)
    eta = problem.network.learning_rate
    assert v["h1"] == pytest.approx([h, h], rel=1e-12)
    assert close(v["h2"][0], y)
    assert close(v["E"], 0.5 * (y - 1) ** 2)
    assert close(v["delta2"][0], delta2)
    assert v["delta1"] == pytest.approx([delta1, delta1], rel=1e-12)
    assert v["grad_W2"][0] == pytest.approx([delta2 * h, delta2 * h], rel=1e-12)
    assert v["grad_W1"][0] == pytest.approx([delta1, 0.0], rel=1e-12)
    assert v["grad_W1"][1] == pytest.approx([delta1, 0.0], rel=1e-12)
    assert v["W1_new"][0][0] == pytest.approx(0.5 - eta * delta1, rel=1e-12)
    assert v["b2_new"] == pytest.approx([-eta * delta2], rel=1e-12)
    assert round(y, 4) == 0.6508 and round(delta2, 5) == -0.07937


def test_exercise_71_has_an_inactive_relu_unit():
    _, s = solved("ex71_relu")
    v = s.values
    inactive = [j for j, u in enumerate(v["u1"]) if u <= 0]
    assert inactive, "one hidden unit must be inactive so that ReLU'(u) = 0 is practised"
    for j in inactive:
        assert v["h1"][j] == 0 and v["delta1"][j] == 0
        assert all(g == 0 for g in v["grad_W1"][j])
