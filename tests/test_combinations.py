"""Every combination a teacher can write, through the public commands: accepted problems give
values that agree with maths written here, refused ones get one clear located line."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from tutor.maths.names import ACTIVATIONS, ALIASES, FUNCTIONS, LOSSES

from .combinations import (
    ACTIVATION,
    BINARY,
    FUNCTION,
    LAYER_KIND,
    LOSS,
    assert_one_located_line,
    assert_own_words,
    central_differences,
    forward,
    line_of,
    run_cli,
    solution_values,
    write,
    yaml_list,
)


@pytest.fixture(autouse=True)
def _english_wide(monkeypatch):
    monkeypatch.setenv("BPTUTOR_LANG", "en")
    monkeypatch.setenv("COLUMNS", "200")


def assert_accepted(path):
    code, output = run_cli("validate", str(path))
    assert code == 0 and f"{path}: ok" in output, output
    assert_own_words(output)


def assert_gradcheck_passes(path):
    code, output = run_cli("gradcheck", str(path))
    assert code == 0, output
    assert "PASS" in output or "nothing to check" in output, output


# ----------------------------------------------------------------------------------------------
# Networks: hidden activation x output activation x loss

X = np.array([1.0, 0.5])
W1 = np.array([[0.5, -0.3], [0.2, 0.8]])
B1 = np.array([0.1, -0.9])  # hidden unit 2 has u = -0.3: a ReLU there is off, and not on its kink
W2 = np.array([[0.4, -0.6], [-0.7, 0.3]])
B2 = np.array([0.2, 0.1])


def target_for(loss: str) -> list[float]:
    return {"cross_entropy": [0.0, 1.0], "binary_cross_entropy": [1.0, 0.0]}.get(loss, [0.3, -0.4])


def network_refusal(hidden: str, output: str, loss: str) -> str | None:
    """The rules README "Writing a problem" states: the key a refusal must point at, or None."""
    if hidden == "softmax":
        return "network.activations[0]"  # softmax: last layer only
    if loss == "binary_cross_entropy" and output != "sigmoid":
        return "network.loss"
    if loss == "cross_entropy" and output != "softmax":
        return "network.loss"
    return None


NETWORKS = list(itertools.product(ACTIVATIONS, ACTIVATIONS, LOSSES))


def network_file(tmp_path, hidden, output, loss):
    return write(tmp_path, "net", f"""kind: network
network:
  sizes: [2, 2, 2]
  activations: [{hidden}, {output}]
  loss: {loss}
  weights:
    W1: {yaml_list(W1)}
    b1: {yaml_list(B1)}
    W2: {yaml_list(W2)}
    b2: {yaml_list(B2)}
  input: {yaml_list(X)}
  target: {yaml_list(target_for(loss))}
""")


def test_the_reference_network_keeps_every_relu_off_its_kink():
    for hidden, output in itertools.product(ACTIVATIONS, ACTIVATIONS):
        params = {"W1": W1, "b1": B1, "W2": W2, "b2": B2}
        _, scores = forward(params, [hidden, output], "squared_error", X, [0, 0])
        assert np.min(np.abs(np.concatenate(scores))) > 0.05


@pytest.mark.parametrize(("hidden", "output", "loss"), NETWORKS, ids="-".join)
def test_every_network_is_solved_right_or_refused_in_one_located_line(tmp_path, hidden, output, loss):
    path = network_file(tmp_path, hidden, output, loss)
    refused_at = network_refusal(hidden, output, loss)
    code, out = run_cli("validate", str(path))
    if refused_at is not None:
        assert code == 2, out
        message = assert_one_located_line(out, path, refused_at)
        assert ("softmax" if hidden == "softmax" or loss == "cross_entropy" else "sigmoid") in message
        expected_line = line_of(path.read_text(), "activations:" if hidden == "softmax" else "loss:")
        assert out.startswith(f"{path}:{expected_line}:")
        return
    assert code == 0 and f"{path}: ok" in out, out

    values = solution_values(path)
    target = target_for(loss)
    params = {"W1": W1.copy(), "b1": B1.copy(), "W2": W2.copy(), "b2": B2.copy()}
    activations = [hidden, output]
    energy = lambda p: forward(p, activations, loss, X, target)[0]  # noqa: E731
    assert values["E"] == pytest.approx(energy(params), rel=1e-9)
    for key, grad in central_differences(energy, params).items():
        np.testing.assert_allclose(values[f"grad_{key}"], grad, rtol=1e-6, atol=1e-9, err_msg=key)
    assert_gradcheck_passes(path)


# ----------------------------------------------------------------------------------------------
# An output layer alone: activation x loss, from scores or from outputs

SCORES = np.array([0.7, -1.3])
OUTPUTS = np.array([0.3, 0.7])  # adds up to 1, so softmax can take it too


def layer_refusal(activation: str, loss: str | None, given: str) -> str | None:
    if given == "outputs" and activation not in ("sigmoid", "softmax"):
        return "layer.outputs"  # h = f(u) is given only where it is a probability
    return network_refusal("identity", activation, loss or "mse") and "layer.loss"


LAYERS = list(itertools.product(ACTIVATIONS, (None, *LOSSES), ("scores", "outputs")))


@pytest.mark.parametrize(("activation", "loss", "given"), LAYERS, ids=lambda v: str(v))
def test_every_output_layer_is_solved_right_or_refused_in_one_located_line(tmp_path, activation, loss, given):
    numbers = SCORES if given == "scores" else OUTPUTS
    body = f"kind: {LAYER_KIND}\nlayer:\n  activation: {activation}\n  {given}: {yaml_list(numbers)}\n"
    if loss is not None:
        body += f"  loss: {loss}\n  target: {yaml_list(target_for(loss))}\n"
    path = write(tmp_path, "out", body)
    refused_at = layer_refusal(activation, loss, given)
    code, out = run_cli("validate", str(path))
    if refused_at is not None:
        assert code == 2, out
        assert activation in assert_one_located_line(out, path, refused_at)
        return
    assert code == 0, out

    values = solution_values(path)
    # From outputs, go back to scores that give them, and run the same forward pass.
    if given == "scores":
        u = SCORES
    else:
        u = np.log(OUTPUTS) if activation == "softmax" else np.log(OUTPUTS / (1 - OUTPUTS))
    h = ACTIVATION[activation](u)
    np.testing.assert_allclose(values["h1"], h, rtol=1e-9)
    if loss is not None:
        d = np.array(target_for(loss))
        energy = lambda p: float(LOSS[loss](ACTIVATION[activation](p["u"]), d))  # noqa: E731
        assert values["E"] == pytest.approx(energy({"u": u}), rel=1e-9)
        delta = central_differences(energy, {"u": u.copy()})["u"]
        np.testing.assert_allclose(values["delta1"], delta, rtol=1e-6, atol=1e-9)
    assert_gradcheck_passes(path)
