"""Every output activation × loss pair, for a layer alone (kind loss) and at the top of a network:
the pairs the schema accepts derive, and E and every gradient agree with central finite
differences of a forward pass written here; the pairs it refuses are refused in words."""

from __future__ import annotations

import itertools
import json

import mpmath
import numpy as np
import pytest
from typer.testing import CliRunner

from tutor.cli import app
from tutor.engine import derive
from tutor.errors import ProblemError
from tutor.problem.load import load_problem_text

ACTIVATIONS = ("identity", "relu", "sigmoid", "tanh", "softmax")
LOSSES = ("squared_error", "mse", "binary_cross_entropy", "cross_entropy")
# What the lecture pairs: the cross-entropies only after their own output activation.
NEEDS = {"binary_cross_entropy": "sigmoid", "cross_entropy": "softmax"}
PAIRS = list(itertools.product(ACTIVATIONS, LOSSES))
STEP = 1e-6

FORWARD = {
    "identity": lambda u: u,
    "relu": lambda u: np.maximum(u, 0.0),
    "sigmoid": lambda u: 1.0 / (1.0 + np.exp(-u)),
    "tanh": np.tanh,
    "softmax": lambda u: np.exp(u) / np.exp(u).sum(),
}


def error(loss: str, h: np.ndarray, d: np.ndarray) -> float:
    if loss == "squared_error":
        return 0.5 * float(np.sum((h - d) ** 2))
    if loss == "mse":
        return float(np.mean((h - d) ** 2))
    if loss == "binary_cross_entropy":
        return -float(np.sum(d * np.log(h) + (1 - d) * np.log(1 - h)))
    return -float(np.sum(d * np.log(h)))


def accepted(activation: str, loss: str) -> bool:
    return NEEDS.get(loss, activation) == activation


def problem(kind: str, section: dict):
    return load_problem_text(json.dumps({"id": "p", "title": "t", "kind": kind, kind if kind != "loss" else "layer": section}))


TARGET = [0.0, 1.0]  # one-hot: fits every loss
SCORES = [-0.7, 1.3]  # a ReLU unit off and one on, both far from the kink


@pytest.mark.parametrize(("activation", "loss"), PAIRS)
def test_a_layer_alone(activation, loss):
    section = {"activation": activation, "scores": SCORES, "loss": loss, "target": TARGET}
    if not accepted(activation, loss):
        with pytest.raises(ProblemError, match=f"{loss} needs a {NEEDS[loss]} output layer"):
            problem("loss", section)
        return
    values = derive(problem("loss", section)).values
    d = np.array(TARGET)
    e_of = lambda u: error(loss, FORWARD[activation](np.array(u)), d)  # noqa: E731
    assert values["E"] == pytest.approx(e_of(SCORES), rel=1e-12)
    for j in range(2):
        up, down = list(SCORES), list(SCORES)
        up[j] += STEP
        down[j] -= STEP
        assert values["delta1"][j] == pytest.approx((e_of(up) - e_of(down)) / (2 * STEP), rel=1e-6, abs=1e-9)


NET = {
    "sizes": [2, 3, 2],
    "weights": {
        "W1": [[0.5, -0.3], [0.8, 0.2], [-0.4, 0.9]],
        "b1": [0.1, -0.2, 0.05],
        "W2": [[0.7, -0.5, 0.3], [-0.6, 0.4, 0.8]],
        "b2": [-0.5, 0.3],  # output scores about -0.48 and 0.37: one ReLU off, one on
    },
    "input": [1.0, 0.5],
    "target": TARGET,
}


def network_error(weights: dict, hidden: str, output: str, loss: str) -> float:
    h = np.array(NET["input"])
    for l, act in ((1, hidden), (2, output)):
        h = FORWARD[act](np.array(weights[f"W{l}"]) @ h + np.array(weights[f"b{l}"]))
    return error(loss, h, np.array(TARGET))


def _nudged(weights: dict, key: str, index: tuple, step: float) -> dict:
    copy = {k: np.array(v, dtype=float) for k, v in weights.items()}
    copy[key][index] += step
    return copy


@pytest.mark.parametrize(("activation", "loss"), PAIRS)
@pytest.mark.parametrize("hidden", ["tanh", "relu"])
def test_a_network(activation, loss, hidden):
    section = dict(NET, activations=[hidden, activation], loss=loss)
    if not accepted(activation, loss):
        with pytest.raises(ProblemError, match=f"{loss} needs a {NEEDS[loss]} output layer"):
            problem("network", section)
        return
    values = derive(problem("network", section)).values
    weights = NET["weights"]
    assert values["E"] == pytest.approx(network_error(weights, hidden, activation, loss), rel=1e-12)
    for key in weights:
        for index in np.ndindex(np.shape(weights[key])):
            up = network_error(_nudged(weights, key, index, STEP), hidden, activation, loss)
            down = network_error(_nudged(weights, key, index, -STEP), hidden, activation, loss)
            got = np.array(values[f"grad_{key}"])[index]
            assert got == pytest.approx((up - down) / (2 * STEP), rel=1e-6, abs=1e-9), (key, index)


def bce_from_sigmoid_exactly(u: float, d: float) -> float:
    """-d log σ(u) - (1-d) log(1 - σ(u)) at 50 digits."""
    with mpmath.workdps(50):
        s = 1 / (1 + mpmath.exp(-mpmath.mpf(u)))
        return float(-(d * mpmath.log(s) + (1 - d) * mpmath.log(1 - s)))


@pytest.mark.parametrize("u", [30.0, 36.0, -36.0])
def test_binary_cross_entropy_keeps_its_digits_when_the_sigmoid_saturates(u):
    net = {"sizes": [1, 1], "activations": ["sigmoid"], "loss": "binary_cross_entropy",
           "weights": {"W1": [[u]]}, "input": [1], "target": [0]}
    assert derive(problem("network", net)).values["E"] == pytest.approx(bce_from_sigmoid_exactly(u, 0.0), rel=1e-15)
    layer = {"activation": "sigmoid", "scores": [u, -u], "loss": "binary_cross_entropy", "target": [0, 1]}
    expected = bce_from_sigmoid_exactly(u, 0.0) + bce_from_sigmoid_exactly(-u, 1.0)
    assert derive(problem("loss", layer)).values["E"] == pytest.approx(expected, rel=1e-15)


def test_cross_entropy_keeps_its_digits_when_the_softmax_saturates():
    scores = [40.0, 0.0, -5.0]
    layer = {"activation": "softmax", "scores": scores, "loss": "cross_entropy", "target": [0, 1, 0]}
    with mpmath.workdps(50):
        expected = float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in scores)) - 0)
    assert derive(problem("loss", layer)).values["E"] == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("loss", ["squared_error", "mse"])
def test_a_relu_layer_with_a_squared_loss_validates_and_solves(tmp_path, loss):
    path = tmp_path / "relu_layer.yaml"
    path.write_text(f"id: relu_layer\ntitle: t\nkind: loss\n"
                    f"layer: {{activation: relu, scores: [1.5, -0.5], loss: {loss}, target: [1, 0]}}\n")
    runner = CliRunner()
    env = {"COLUMNS": "200", "BPTUTOR_LANG": "en"}
    assert runner.invoke(app, ["validate", str(path)], env=env).exit_code == 0
    shown = runner.invoke(app, ["solution", str(path)], env=env)
    assert shown.exit_code == 0, shown.output
    assert "ReLU'(u" in shown.output
