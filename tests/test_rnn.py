"""The unrolled RNN's numbers by three routes written here, none of them the engine's: a NumPy BPTT,
SymPy differentiation of the whole unrolled loss, and central differences of a NumPy forward pass;
and the built-in rnn_three_steps asserted against them, entry by entry, with a few values by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from tutor.engine import derive
from tutor.gradcheck import gradient_check
from tutor.problem import load_problem_text
from tutor.problem.variants import make_variant

from .conftest import solved

PARAMETERS = ("W_in", "W", "W_out", "b", "b_out")


def _f(name: str, u: np.ndarray) -> np.ndarray:
    if name == "softmax":
        e = np.exp(u - u.max())
        return e / e.sum()
    return {"identity": lambda a: a, "tanh": np.tanh, "sigmoid": lambda a: 1 / (1 + np.exp(-a)),
            "relu": lambda a: np.maximum(a, 0)}[name](u)


def _slope(name: str, u: np.ndarray) -> np.ndarray:
    f = _f(name, u)
    return {"identity": np.ones_like(u), "tanh": 1 - f**2, "sigmoid": f * (1 - f), "relu": (u > 0) * 1.0}[name]


def _loss(name: str, y: np.ndarray, d: np.ndarray) -> float:
    if name == "squared_error":
        return 0.5 * float(np.sum((y - d) ** 2))
    if name == "mse":
        return float(np.mean((y - d) ** 2))
    if name == "binary_cross_entropy":
        return -float(np.sum(d * np.log(y) + (1 - d) * np.log(1 - y)))
    return -float(np.sum(d * np.log(y)))  # cross_entropy


def _loss_slope(name: str, y: np.ndarray, d: np.ndarray) -> np.ndarray:
    return {"squared_error": y - d, "mse": 2 * (y - d) / len(y), "cross_entropy": -d / y,
            "binary_cross_entropy": (y - d) / (y * (1 - y))}[name]


def arrays(section: dict) -> dict:
    _, n_hidden, n_out = section["sizes"]
    p = {key: np.array(section[key], dtype=float) for key in ("W_in", "W", "W_out", "inputs", "targets")}
    p["b"] = np.array(section.get("b", [0.0] * n_hidden), dtype=float)
    p["b_out"] = np.array(section.get("b_out", [0.0] * n_out), dtype=float)
    p["h0"] = np.array(section.get("h0", [0.0] * n_hidden), dtype=float)
    return p


def numpy_forward(section: dict, p: dict) -> dict:
    f, f_out = section["activation"], section["output_activation"]
    z, rows = p["h0"], {"u": [], "z": [], "v": [], "y": []}
    E_t = []
    for x, d in zip(p["inputs"], p["targets"]):
        u = p["W_in"] @ x + p["W"] @ z + p["b"]
        z = _f(f, u)
        v = p["W_out"] @ z + p["b_out"]
        y = _f(f_out, v)
        E_t.append(_loss(section["loss"], y, d))
        for key, value in zip("uzvy", (u, z, v, y)):
            rows[key].append(value)
    return {**{key: np.array(value) for key, value in rows.items()}, "E_t": np.array(E_t), "E": float(np.sum(E_t))}


def numpy_bptt(section: dict, p: dict) -> dict:
    """Forward, then δ from t = T down with the recurrent term, and every gradient summed over t."""
    fw = numpy_forward(section, p)
    T = len(p["inputs"])
    f, f_out, loss = section["activation"], section["output_activation"], section["loss"]
    delta_out, delta = np.zeros_like(fw["v"]), np.zeros_like(fw["u"])
    later = np.zeros(p["W"].shape[0])
    for t in reversed(range(T)):
        y, d = fw["y"][t], p["targets"][t]
        g = _loss_slope(loss, y, d)
        delta_out[t] = (np.diag(y) - np.outer(y, y)) @ g if f_out == "softmax" else g * _slope(f_out, fw["v"][t])
        delta[t] = (p["W_out"].T @ delta_out[t] + p["W"].T @ later) * _slope(f, fw["u"][t])
        later = delta[t]
    before = np.vstack([p["h0"], fw["z"][:-1]])
    grads = {
        "grad_W_in": sum(np.outer(delta[t], p["inputs"][t]) for t in range(T)),
        "grad_W": sum(np.outer(delta[t], before[t]) for t in range(T)),
        "grad_W_out": sum(np.outer(delta_out[t], fw["z"][t]) for t in range(T)),
        "grad_b": delta.sum(axis=0),
        "grad_b_out": delta_out.sum(axis=0),
    }
    return {**fw, "delta_out": delta_out, "delta": delta, **grads}


def sympy_gradients(section: dict, p: dict) -> dict:
    """∂E/∂(each parameter) by SymPy, differentiating the whole unrolled E with that entry a symbol."""
    found = {}
    for name in PARAMETERS:
        grid = np.zeros_like(p[name])
        for index in np.ndindex(p[name].shape):
            s = sp.Symbol("s")
            params = {key: sp.Matrix(p[key].tolist()) for key in (*PARAMETERS, "h0")}  # 1-D: a column
            params[name][index if len(index) == 2 else (index[0], 0)] = p[name][index] + s
            E = _sympy_loss(section, p, params)
            grid[index] = float(sp.diff(E, s).subs(s, 0))
        found[f"grad_{name}"] = grid
    return found


def _sympy_loss(section: dict, p: dict, m: dict) -> sp.Expr:
    act = {"tanh": sp.tanh, "identity": lambda a: a, "sigmoid": lambda a: 1 / (1 + sp.exp(-a))}
    z, E = m["h0"], sp.Integer(0)
    for x, d in zip(p["inputs"], p["targets"]):
        u = m["W_in"] * sp.Matrix(x.tolist()) + m["W"] * z + m["b"]
        z = u.applyfunc(act[section["activation"]])
        v = m["W_out"] * z + m["b_out"]
        if section["output_activation"] == "softmax":
            total = sum(sp.exp(vk) for vk in v)
            E += -sum(dk * (vk - sp.log(total)) for vk, dk in zip(v, d) if dk != 0)
        else:
            y = v.applyfunc(act[section["output_activation"]])
            E += sp.Rational(1, 2) * sum((yk - dk) ** 2 for yk, dk in zip(y, d))
    return E


def central_differences(section: dict, p: dict, eps: float = 1e-6) -> dict:
    found = {}
    for name in PARAMETERS:
        grid = np.zeros_like(p[name])
        for index in np.ndindex(p[name].shape):
            moved = []
            for shift in (eps, -eps):
                q = {key: value.copy() for key, value in p.items()}
                q[name][index] += shift
                moved.append(numpy_forward(section, q)["E"])
            grid[index] = (moved[0] - moved[1]) / (2 * eps)
        found[f"grad_{name}"] = grid
    return found


def section_of(problem) -> dict:
    return problem.model_dump(mode="json", exclude_none=True)["rnn"]


def assert_values(values: dict, expected: dict, rel: float = 1e-9, abs_: float = 1e-12) -> None:
    for key, want in expected.items():
        got = np.array(values[key], dtype=float)
        assert got.shape == np.shape(want), key
        np.testing.assert_allclose(got, want, rtol=rel, atol=abs_, err_msg=key)


# ---------------------------------------------------------------- the built-in problem


def test_the_built_in_s_every_value_agrees_with_numpy_bptt():
    problem, solution = solved("rnn_three_steps")
    section = section_of(problem)
    p = arrays(section)
    expected = numpy_bptt(section, p)
    assert_values(solution.values, expected)
    eta = section["learning_rate"]
    for name in PARAMETERS:
        assert_values(solution.values, {f"{name}_new": p[name] - eta * expected[f"grad_{name}"]})
    assert len(solution.steps) == 3 * (2 + 2 + 1 + 1 + 1 + 1 + 2) + 1 + 2 * 11  # E⁽ᵗ⁾ each t, then E


def test_the_built_in_s_gradients_agree_with_sympy_and_with_finite_differences():
    problem, solution = solved("rnn_three_steps")
    section = section_of(problem)
    p = arrays(section)
    assert_values(solution.values, sympy_gradients(section, p), rel=1e-9)
    assert_values(solution.values, central_differences(section, p), rel=1e-6, abs_=1e-9)


def test_the_built_in_s_first_step_and_error_by_hand():
    _, solution = solved("rnn_three_steps")
    v = solution.values
    assert v["u"][0] == pytest.approx([0.5, -0.3])  # z⁰ = 0: only W_in x¹
    assert v["z"][0] == pytest.approx([math.tanh(0.5), math.tanh(-0.3)])
    assert v["y"][0][0] == pytest.approx(0.7 * math.tanh(0.5) - 0.6 * math.tanh(-0.3))
    assert v["E"] == pytest.approx(0.131118, abs=5e-7)
    assert v["delta_out"][2][0] == pytest.approx(v["y"][2][0] + 0.3)
    # t = 1's output is nearly right, yet δ⁽¹⁾ is far from its own output term: the recurrent term.
    own = 0.7 * v["delta_out"][0][0] * (1 - v["z"][0][0] ** 2)
    assert abs(own) < 0.001 < abs(v["delta"][0][0]) - abs(own)


def test_the_built_in_passes_gradcheck():
    problem, solution = solved("rnn_three_steps")
    checks = gradient_check(problem, solution)
    assert len(checks) == 11 and all(check.ok for check in checks)


# ---------------------------------------------------------------- teacher-written problems


ISSUE_FORMAT = """
id: rnn_teacher
title: An RNN
kind: rnn
rnn:
  sizes: [1, 2, 1]
  activation: tanh
  output_activation: identity
  loss: squared_error
  W_in: [[0.5], [-0.3]]
  W: [[0.1, 0.2], [-0.4, 0.3]]
  W_out: [[0.7, -0.6]]
  b: [0, 0]
  h0: [0, 0]
  inputs: [[1.0], [0.5], [-1.0]]
  targets: [[0.5], [0.2], [-0.3]]
  learning_rate: 0.1
"""

SOFTMAX = """
id: rnn_softmax
title: An RNN with a softmax output
kind: rnn
rnn:
  sizes: [2, 2, 3]
  activation: sigmoid
  output_activation: softmax
  loss: cross_entropy
  W_in: [[0.5, -1], [0.2, 0.3]]
  W: [[0.4, -0.2], [0.6, 0.1]]
  W_out: [[1, -0.5], [0.3, 0.8], [-0.7, 0.2]]
  b: [0.1, -0.2]
  b_out: [0, 0.5, -0.5]
  h0: [0.5, -0.5]
  inputs: [[1, 0], [0, 1], [1, 1], [-1, 0.5]]
  targets: [[1, 0, 0], [0, 0, 1], [0, 1, 0], [0, 0, 1]]
"""


@pytest.mark.parametrize("text", [ISSUE_FORMAT, SOFTMAX], ids=["tanh-identity", "sigmoid-softmax"])
def test_a_teacher_written_problem_agrees_with_numpy_sympy_and_differences(text):
    problem = load_problem_text(text, "rnn.yaml")
    solution = derive(problem)
    section = section_of(problem)
    p = arrays(section)
    expected = numpy_bptt(section, p)
    assert_values(solution.values, expected)
    assert_values(solution.values, sympy_gradients(section, p), rel=1e-9)
    assert_values(solution.values, central_differences(section, p), rel=1e-6, abs_=1e-9)
    assert all(check.ok for check in gradient_check(problem, solution))
    updates = "learning_rate" in section
    assert ("W_in_new" in solution.values) is updates


def _problem(**section) -> str:
    lines = [f"  {key}: {value}" for key, value in section.items()]
    return "id: rnn_mix\ntitle: mix\nkind: rnn\nrnn:\n" + "\n".join(lines) + "\n"


MIXES = {
    "relu-mse-T4": _problem(sizes=[2, 3, 2], activation="relu", output_activation="identity", loss="mse",
                            W_in=[[0.5, 1], [1, -0.5], [0.3, 0.2]], W=[[0.2, -0.1, 0.4], [0.3, 0.5, -0.2], [0.1, 0.1, 0.1]],
                            W_out=[[1, -1, 0.5], [0.2, 0.4, -0.6]], b=[0.1, 0.2, 0.3], b_out=[0.5, -0.5],
                            inputs=[[1, 1], [0.5, -1], [1, 0], [-0.5, 1]], targets=[[1, 0], [0, 1], [0.5, 0.5], [1, -1]]),
    "sigmoid-T1": _problem(sizes=[1, 2, 1], activation="sigmoid", output_activation="identity", loss="squared_error",
                           W_in=[[1], [-1]], W=[[0.5, 0.5], [0.5, 0.5]], W_out=[[1, 2]], h0=[1, -1],
                           inputs=[[2]], targets=[[1]], learning_rate=0.5),
    "tanh-sigmoid-bce": _problem(sizes=[1, 2, 1], activation="tanh", output_activation="sigmoid",
                                 loss="binary_cross_entropy", W_in=[[1], [-1]], W=[[0.5, -0.5], [0.2, 0.7]],
                                 W_out=[[1, 2]], inputs=[[1], [-1]], targets=[[1], [0]]),
}


@pytest.mark.parametrize("name", sorted(MIXES))
def test_other_activations_losses_and_lengths_agree_with_numpy_and_differences(name):
    problem = load_problem_text(MIXES[name], "rnn_mix.yaml")
    solution = derive(problem)
    section = section_of(problem)
    p = arrays(section)
    assert_values(solution.values, numpy_bptt(section, p))
    assert_values(solution.values, central_differences(section, p), rel=1e-6, abs_=1e-9)
    assert all(check.ok for check in gradient_check(problem, solution))
    assert problem.rnn.step_count() == len(solution.steps)  # the size limit counts what is asked


def test_without_a_learning_rate_no_update_is_asked():
    problem = load_problem_text(SOFTMAX, "rnn.yaml")
    solution = derive(problem)
    assert not any(step.name.endswith("_new") for step in solution.steps)
    assert solution.steps[-1].name == "grad_bout_3"


# ---------------------------------------------------------------- random variants


def test_fifty_random_variants_pass_gradcheck_and_agree_with_numpy():
    problem, _ = solved("rnn_three_steps")
    for seed in range(50):
        variant = make_variant(problem, seed)
        solution = derive(variant)
        checks = gradient_check(variant, solution)
        assert checks and all(check.ok for check in checks), seed
        section = section_of(variant)
        assert_values(solution.values, numpy_bptt(section, arrays(section)))


def test_variants_keep_hand_friendly_numbers():
    problem, _ = solved("rnn_three_steps")
    for seed in range(10):
        section = section_of(make_variant(problem, seed))
        weights = [w for key in ("W_in", "W", "W_out") for row in section[key] for w in row]
        assert all(abs(w * 10 - round(w * 10)) < 1e-9 and abs(w) <= 1 for w in weights)
        assert all(x in (-1, -0.5, 0, 0.5, 1) for row in section["inputs"] for x in row)
        assert section["h0"] == [0, 0] and section["learning_rate"] == 0.1
