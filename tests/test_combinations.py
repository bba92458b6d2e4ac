"""Every combination a teacher can write, through the public commands: accepted problems give
values that agree with maths written here, refused ones get one clear located line."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from tutor.maths.names import ACTIVATIONS, ALIASES, FUNCTIONS, LOSSES

from .combinations import (
    ACTIVATION,
    BINARY,
    LAYER_KIND,
    LOSS,
    adam,
    assert_one_located_line,
    assert_own_words,
    central_differences,
    expected_call,
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
    energy = lambda p: forward(p, activations, loss, X, target)[0]
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
        energy = lambda p: float(LOSS[loss](ACTIVATION[activation](p["u"]), d))
        assert values["E"] == pytest.approx(energy({"u": u}), rel=1e-9)
        delta = central_differences(energy, {"u": u.copy()})["u"]
        np.testing.assert_allclose(values["delta1"], delta, rtol=1e-6, atol=1e-9)
    assert_gradcheck_passes(path)


# ----------------------------------------------------------------------------------------------
# Graph nodes: every function and operator, at ordinary points and at their edges

NODE = "z1"  # a name no message uses by accident
EPS = 1e-4  # gradcheck's default step
EDGES = {"exp": [709.0], "log": [5e-5], "ln": [5e-5], "sqrt": [5e-5], "tan": [math.pi / 2]}
FUNCTION_CASES = [(f, x) for f in (*FUNCTIONS, *ALIASES) for x in (0.7, -1.3, 0.0, 800.0, -800.0, *EDGES.get(f, []))]


def graph_file(tmp_path, inputs: dict, node: str):
    given = ", ".join(f"{k}: {v!r}" for k, v in inputs.items())
    return write(tmp_path, "g", f'kind: graph\ngraph:\n  inputs: {{{given}}}\n  nodes:\n    {NODE}: "{node}"\n'
                                f"  output: {NODE}\n")


def assert_graph_refused(path, output: str, word: str) -> None:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{path}:"), output
    assert re.search(rf"\b{NODE}\b", lines[0]) and word in lines[0], lines[0]
    assert_own_words(lines[0])


def check_graph(tmp_path, inputs: dict, node: str, expected) -> None:
    """``expected``: {input: derivative} and the node's value, or the word of a refusal."""
    path = graph_file(tmp_path, inputs, node)
    code, out = run_cli("validate", str(path))
    if isinstance(expected, str):
        assert code == 2, out
        assert_graph_refused(path, out, expected)
        code, out = run_cli("solution", str(path), "--format", "json")
        assert code == 2 and "Traceback" not in out, out
        return
    assert code == 0, out
    value, slopes = expected
    values = solution_values(path)
    assert values[NODE] == pytest.approx(value, rel=1e-12, abs=1e-300)
    for name, slope in slopes.items():
        assert values[f"grad_{name}"] == pytest.approx(slope, rel=1e-9, abs=1e-12), name


@pytest.mark.parametrize(("f", "x"), FUNCTION_CASES, ids=str)
def test_every_node_function_gives_its_derivative_or_names_what_is_undefined(tmp_path, f, x):
    expected = expected_call(f, x)
    check_graph(tmp_path, {"x": x}, f"{f}(x)", expected if isinstance(expected, str) else
                (expected[0], {"x": expected[1]}))


@pytest.mark.parametrize(("f", "x"), [(f, x) for f, x in FUNCTION_CASES
                                      if not isinstance(expected_call(f, x), str)], ids=str)
def test_gradcheck_agrees_for_every_node_function_it_accepts(tmp_path, f, x):
    assert_gradcheck_passes(graph_file(tmp_path, {"x": x}, f"{f}(x)"))


BINARY_CASES = [(op, x, y) for op in BINARY for x, y in ((0.7, -1.3), (2.0, 3.0), (-1.5, 0.4))
                if not (op == "**" and x < 0)]


@pytest.mark.parametrize(("op", "x", "y"), BINARY_CASES, ids=str)
def test_every_operator_gives_both_partial_derivatives(tmp_path, op, x, y):
    value, slopes = BINARY[op]
    dx, dy = slopes(x, y)
    check_graph(tmp_path, {"x": x, "y": y}, f"x {op} y", (value(x, y), {"x": dx, "y": dy}))
    assert_gradcheck_passes(graph_file(tmp_path, {"x": x, "y": y}, f"x {op} y"))


# Edges written out by hand: (inputs, node, value and derivatives, or the refusal's word).
EDGE_CASES = [
    ({"x": 1.0, "y": 0.0}, "x / y", "divides by zero"),
    ({"x": 0.0, "y": 0.0}, "x / y", "divides by zero"),
    ({"x": 0.0}, "1/x", "divides by zero"),
    ({"x": 1e-200}, "1/x", "too large"),  # 1/x is fine; its slope -1/x^2 is beyond any float
    ({"x": 1.0, "y": 1e-200}, "x / y", "too large"),
    ({"x": -2.0, "y": 0.5}, "x ** y", "negative number"),
    ({"x": -8.0}, "x ** 0.25", "negative number"),
    ({"x": 0.0, "y": -1.0}, "x ** y", "divides by zero"),
    ({"x": 0.0}, "x ** -0.5", "divides by zero"),
    ({"x": -2.0, "y": 2.0}, "x ** y", "undefined"),  # d/dy = x^y ln x needs x > 0
    ({"x": 0.0}, "x ** 0.5", "undefined"),
    ({"x": 10.0, "y": 400.0}, "x ** y", "too large"),
    ({"x": 300.0}, "exp(x) * exp(x)", (math.exp(600), {"x": 2 * math.exp(600)})),
    ({"x": -2.0}, "x ** 3", (-8.0, {"x": 12.0})),
    ({"x": 0.0}, "x ** 2", (0.0, {"x": 0.0})),
    ({"x": 0.0}, "x ** 0", (1.0, {"x": 0.0})),
    ({"x": 2.0}, "1 / (x - 2)", "divides by zero"),
    ({"x": 0.5}, "log(x - 0.5)", "log"),
]


@pytest.mark.parametrize(("inputs", "node", "expected"), EDGE_CASES, ids=lambda v: str(v)[:24])
def test_operator_edges_give_the_derivative_or_a_refusal_in_words(tmp_path, inputs, node, expected):
    check_graph(tmp_path, inputs, node, expected)


def test_a_node_that_cannot_be_computed_is_refused_at_its_own_line(tmp_path):
    path = graph_file(tmp_path, {"x": -1.3}, "log(x)")
    code, out = run_cli("validate", str(path))
    assert code == 2
    assert_one_located_line(out, path, f"graph.nodes.{NODE}")
    assert out.startswith(f"{path}:{line_of(path.read_text(), NODE + ':')}:")


# ----------------------------------------------------------------------------------------------
# Affine layers and Adam updates

AFFINE_CASES = [  # X, W, b (None: not given), dY
    ([[1.0, 2.0]], [[-0.5, -2.0, 1.0], [-2.0, -1.0, 2.0]], [-1.0, 0.5, 1.0], [[0.5, -2.0, 1.0]]),
    ([[1.0, 2.0], [3.0, 2.0], [-1.0, 0.5]], [[0.3, -0.2], [0.1, 0.4]], None, [[1.0, 0.0], [-0.5, 2.0], [0.25, -1.0]]),
    ([[0.2, -0.4, 1.5], [1.0, 0.0, -2.0]], [[1.0], [-1.0], [0.5]], [0.3], [[2.0], [-1.0]]),
]


@pytest.mark.parametrize(("X", "W", "b", "dY"), AFFINE_CASES, ids=["N1-with-b", "N3-without-b", "M1"])
def test_affine_values_follow_y_equals_xw_plus_b(tmp_path, X, W, b, dY):
    bias = f"  b: {yaml_list(b)}\n" if b is not None else ""
    path = write(tmp_path, "aff", f"kind: affine\naffine:\n  X: {yaml_list(X)}\n  W: {yaml_list(W)}\n{bias}"
                                  f"  dY: {yaml_list(dY)}\n")
    assert_accepted(path)
    X, W, dY = np.array(X), np.array(W), np.array(dY)
    b = np.zeros(W.shape[1]) if b is None else np.array(b)
    values = solution_values(path)
    np.testing.assert_allclose(values["Y"], X @ W + b, rtol=1e-12)
    np.testing.assert_allclose(values["dX"], dY @ W.T, rtol=1e-12)
    np.testing.assert_allclose(values["dW"], X.T @ dY, rtol=1e-12)
    np.testing.assert_allclose(values["db"], dY.sum(axis=0), rtol=1e-12)
    assert_gradcheck_passes(path)


@pytest.mark.parametrize(("lines", "key"), [
    (["X: [[1, 2]]", "W: [[1, 2, 3]]", "dY: [[1, 2, 3]]"], "affine.W"),
    (["X: [[1, 2]]", "W: [[1], [2]]", "b: [1, 2]", "dY: [[1]]"], "affine.b"),
    (["X: [[1, 2], [3, 4]]", "W: [[1], [2]]", "dY: [[1]]"], "affine.dY"),
    (["X: [[1, 2], [3]]", "W: [[1], [2]]", "dY: [[1], [2]]"], "affine.X"),
], ids=["W-rows", "b-length", "dY-shape", "ragged-X"])
def test_affine_shape_errors_are_refused_at_their_key(tmp_path, lines, key):
    path = write(tmp_path, "aff", "kind: affine\naffine:\n" + "".join(f"  {line}\n" for line in lines))
    code, out = run_cli("validate", str(path))
    assert code == 2, out
    assert_one_located_line(out, path, key)
    assert out.startswith(f"{path}:{line_of(path.read_text(), key.split('.')[1] + ':')}:")


OPTIMIZER_CASES = [  # t, m (None: not given), v, extra keys
    (1, None, None, {}),
    (1, [0.0, 0.0, 0.0], None, {"learning_rate": 0.1}),
    (3, [0.02, -0.02, -0.01], [4e-5, 4e-5, 1e-5], {"learning_rate": 0.1}),
    (3, [0.02, -0.02, -0.01], None, {"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}),
]


@pytest.mark.parametrize(("t", "m", "v", "extra"), OPTIMIZER_CASES, ids=["t1", "t1-zero-m", "t3-m-v", "t3-m-betas"])
def test_adam_values_follow_the_bias_corrected_update(tmp_path, t, m, v, extra):
    w, g = [0.6, -0.3, 0.8], [0.2, -0.4, 0.1]
    keys = {"weights": w, "gradients": g, "t": t, "m": m, "v": v, **extra}
    body = "".join(f"  {k}: {json.dumps(val)}\n" for k, val in keys.items() if val is not None)
    path = write(tmp_path, "opt", f"kind: optimizer\noptimizer:\n  method: adam\n{body}")
    assert_accepted(path)
    zeros = np.zeros(3)
    expected = adam(np.array(w), np.array(g), zeros if m is None else np.array(m), zeros if v is None else np.array(v),
                    t, extra.get("learning_rate", 0.001),
                    **{k: extra[k] for k in ("beta1", "beta2", "epsilon") if k in extra})
    values = solution_values(path)
    for key, array in expected.items():
        np.testing.assert_allclose(values[key], array, rtol=1e-12, err_msg=key)
    assert_gradcheck_passes(path)


@pytest.mark.parametrize(("lines", "key"), [
    (["weights: [1, 2]", "gradients: [1]"], "optimizer.gradients"),
    (["weights: [1, 2]", "gradients: [1, 2]", "t: 1", "m: [0.1, 0]"], "optimizer.m[0]"),
    (["weights: [1, 2]", "gradients: [1, 2]", "t: 2", "v: [0.1, -0.1]"], "optimizer.v[1]"),
    (["weights: [1, 2]", "gradients: [1, 2]", "t: 0"], "optimizer.t"),
], ids=["gradients-length", "m-at-t1", "negative-v", "t-zero"])
def test_adam_shape_and_range_errors_are_refused_at_their_key(tmp_path, lines, key):
    path = write(tmp_path, "opt", "kind: optimizer\noptimizer:\n" + "".join(f"  {line}\n" for line in lines))
    code, out = run_cli("validate", str(path))
    assert code == 2, out
    assert_one_located_line(out, path, key)


# ----------------------------------------------------------------------------------------------
# The real entry point behaves as the in-process one (three processes in all)


def test_the_installed_command_gives_the_same_exit_status_and_lines(tmp_path):
    bad = network_file(tmp_path, "tanh", "sigmoid", "cross_entropy").rename(tmp_path / "net_bad.yaml")
    bad.write_text(bad.read_text().replace("id: net\n", "id: net_bad\n"))
    good = network_file(tmp_path, "relu", "softmax", "cross_entropy")
    env = dict(os.environ, BPTUTOR_LANG="en", COLUMNS="200")
    for argv, status in ((["validate", str(bad)], 2), (["solution", str(good), "--format", "json"], 0),
                         (["gradcheck", str(good)], 0)):
        real = subprocess.run([sys.executable, "-m", "tutor", *argv], capture_output=True, text=True, env=env, check=False,
                              timeout=60)
        code, output = run_cli(*argv)
        assert real.returncode == code == status, (argv, real.stderr)
        assert real.stdout + real.stderr == output, argv
        assert "Traceback" not in real.stderr
