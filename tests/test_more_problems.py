"""The Affine, Adam, BCE, tanh and 3-layer softmax problems: each one's numbers computed again here
by an independent route (NumPy matrix products, Adam written out by hand, SymPy differentiation of
the whole loss, central differences), then the generic pieces (diagrams, renderers, schema) on the
affine and optimizer kinds."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import sympy as sp
import yaml

from tutor import formula
from tutor.engine import derive
from tutor.errors import ProblemError
from tutor.gradcheck import gradient_check
from tutor.i18n import EN, JA
from tutor.problem import load_problem_text
from tutor.kinds import KINDS
from tutor.problem.schema import vary_keys
from tutor.render.diagram import diagram
from tutor.render.json import render_json
from tutor.render.latex import render_latex
from tutor.render.markdown import render_markdown
from tutor.steps import Phase

from .conftest import MORE_IDS, solved
from .test_cli import run


def close(actual, expected, tol=1e-12):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=tol, atol=tol)


# ------------------------------------------------------------------ the Affine layer on a batch


def affine_arrays(spec):
    b = spec.b if spec.b is not None else [0.0] * len(spec.W[0])
    return (np.array(spec.X, dtype=float), np.array(spec.W, dtype=float), np.array(b, dtype=float),
            np.array(spec.dY, dtype=float))


def check_affine_against_numpy(problem, solution):
    X, W, b, dY = affine_arrays(problem.affine)
    v = solution.values
    close(v["Y"], X @ W + b)
    close(v["dX"], dY @ W.T)
    close(v["dW"], X.T @ dY)
    close(v["db"], dY.sum(axis=0))
    assert np.shape(v["dX"]) == X.shape and np.shape(v["dW"]) == W.shape and np.shape(v["db"]) == b.shape


def test_affine_batch_matches_numpy_matrix_products():
    check_affine_against_numpy(*solved("affine_batch"))


def test_affine_batch_numbers_by_hand():
    _, s = solved("affine_batch")
    v = s.values
    close(v["Y"], [[-5.5, -3.5, 6], [-6.5, -7.5, 8]])
    close(v["dX"], [[4.75, 3], [-4, -8.5]])
    close(v["dW"], [[6.5, -0.5, -5], [5, -3, -2]])
    close(v["db"], [2.5, -1.5, -1])


def test_affine_batch_steps_go_forward_then_dx_dw_db():
    _, s = solved("affine_batch")
    names = [step.name for step in s.steps]
    assert names[:6] == [f"Y_{n}_{j}" for n in (1, 2) for j in (1, 2, 3)]
    assert names[6:10] == [f"dX_{n}_{i}" for n in (1, 2) for i in (1, 2)]
    assert names[10:16] == [f"dW_{i}_{j}" for i in (1, 2) for j in (1, 2, 3)]
    assert names[16:] == ["db_1", "db_2", "db_3"]
    assert [s.step(n).phase for n in ("Y_1_1", "dX_1_1", "dW_1_1", "db_1")] == [
        Phase.FORWARD, Phase.BACKWARD, Phase.GRADIENT, Phase.GRADIENT,
    ]


def test_affine_batch_statement_gives_the_shapes():
    problem, _ = solved("affine_batch")
    for lang in ("en", "ja"):
        text = problem.statement.get(lang)
        assert "2×2" in text and "2×3" in text and "(3,)" in text and "Wᵀ" in text and "Xᵀ" in text


def test_affine_gradients_agree_with_finite_differences_of_sum_y_dy():
    """dE/dX etc. are the derivatives of sum(Y * dY) (E to first order); differenced here in NumPy."""
    problem, solution = solved("affine_batch")
    X, W, b, dY = affine_arrays(problem.affine)
    arrays = {"dX": X, "dW": W, "db": b}

    def f() -> float:
        return float(np.sum((X @ W + b) * dY))

    eps = 1e-6
    for key, array in arrays.items():
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            plus = f()
            array[index] = saved - eps
            minus = f()
            array[index] = saved
            numeric[index] = (plus - minus) / (2 * eps)
        close(solution.values[key], numeric, tol=1e-7)


def test_gradcheck_moves_every_entry_of_x_w_and_b():
    checks = gradient_check(*solved("affine_batch"))
    assert [c.name for c in checks] == [
        "X_1_1", "X_1_2", "X_2_1", "X_2_2", "W_1_1", "W_1_2", "W_1_3", "W_2_1", "W_2_2", "W_2_3", "b_1", "b_2", "b_3",
    ]
    assert all(c.ok for c in checks)


def random_affine(rng: random.Random) -> dict:
    n, d, m = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)

    def number():
        return round(rng.uniform(-2, 2), 1)

    affine = {
        "X": [[number() for _ in range(d)] for _ in range(n)],
        "W": [[number() for _ in range(m)] for _ in range(d)],
        "dY": [[number() for _ in range(m)] for _ in range(n)],
    }
    if rng.random() < 0.7:
        affine["b"] = [number() for _ in range(m)]
    return {"id": "random_affine", "title": "random", "kind": "affine", "affine": affine}


@pytest.mark.parametrize("seed", range(20))
def test_random_affine_layers_match_numpy(seed):
    problem = load_problem_text(yaml.safe_dump(random_affine(random.Random(seed))), "random_affine.yaml")
    solution = derive(problem)
    check_affine_against_numpy(problem, solution)
    assert all(c.ok for c in gradient_check(problem, solution))


@pytest.mark.parametrize(
    ("affine", "message"),
    [
        ({"X": [[1, 2]], "W": [[1], [2], [3]], "dY": [[1]]}, "W must have 2 rows"),
        ({"X": [[1, 2]], "W": [[1], [2]], "b": [1, 2], "dY": [[1]]}, "b must have 1 entry"),
        ({"X": [[1, 2]], "W": [[1], [2]], "dY": [[1, 2]]}, "dY must be 1x1"),
        ({"X": [[1, 2], [3]], "W": [[1], [2]], "dY": [[1], [1]]}, "rows of X have different lengths"),
    ],
)
def test_affine_shapes_are_checked_with_a_located_message(affine, message):
    text = yaml.safe_dump({"id": "a", "title": "a", "kind": "affine", "affine": affine})
    with pytest.raises(ProblemError) as info:
        load_problem_text(text, "a.yaml")
    assert message in str(info.value) and info.value.line is not None


# ------------------------------------------------------------------ one Adam update


def adam_by_hand(w, g, m, v, t, eta, beta1, beta2, eps):
    """The lecture's Adam update, one weight at a time."""
    out = {"m": [], "v": [], "m_hat": [], "v_hat": [], "w_new": []}
    for wi, gi, mi, vi in zip(w, g, m, v):
        m_new = beta1 * mi + (1 - beta1) * gi
        v_new = beta2 * vi + (1 - beta2) * gi * gi
        m_hat = m_new / (1 - beta1**t)
        v_hat = v_new / (1 - beta2**t)
        out["m"].append(m_new)
        out["v"].append(v_new)
        out["m_hat"].append(m_hat)
        out["v_hat"].append(v_hat)
        out["w_new"].append(wi - eta * m_hat / (math.sqrt(v_hat) + eps))
    return out


def test_adam_step_matches_the_formulas_written_out():
    problem, s = solved("adam_step")
    spec = problem.optimizer
    expected = adam_by_hand(spec.weights, spec.gradients, spec.m, spec.v, spec.t, spec.learning_rate,
                            spec.beta1, spec.beta2, spec.epsilon)
    for key, values in expected.items():
        close(s.values[key], values)


def test_adam_step_numbers_by_hand():
    # Weight 1 saw 0.2 twice: m^ = 0.2, v^ = 0.04 and the step is eta. Weight 3's gradient changed sign.
    _, s = solved("adam_step")
    v = s.values
    close(v["m"], [0.038, -0.058, 0.001])
    close(v["v"], [7.996e-5, 1.9996e-4, 1.999e-5])
    close(v["m_hat"], [0.2, -0.058 / 0.19, 0.001 / 0.19])
    close(v["v_hat"][0], 0.04)
    close(v["v_hat"][2], 0.01)
    assert v["w_new"][0] == pytest.approx(0.5, abs=1e-8)
    assert [round(x, 4) for x in v["w_new"]] == [0.5, -0.2035, 0.7947]


def test_adam_steps_are_in_the_lectures_order_per_weight():
    _, s = solved("adam_step")
    assert [step.name for step in s.steps[:5]] == ["m_1", "v_1", "mhat_1", "vhat_1", "w_1_new"]
    assert len(s.steps) == 15


def test_first_adam_update_moves_every_weight_by_about_eta():
    text = """
id: first
title: first
kind: optimizer
optimizer:
  weights: [1, -2]
  gradients: [0.3, -5]
  learning_rate: 0.01
"""
    problem = load_problem_text(text, "first.yaml")
    s = derive(problem)
    expected = adam_by_hand([1, -2], [0.3, -5], [0, 0], [0, 0], 1, 0.01, 0.9, 0.999, 1e-8)
    for key, values in expected.items():
        close(s.values[key], values)
    close(s.values["m_hat"], [0.3, -5])  # at t = 1 the bias correction gives back g
    assert s.values["w_new"] == pytest.approx([0.99, -1.99], abs=1e-9)
    assert gradient_check(problem, s) == []  # nothing to differentiate


@pytest.mark.parametrize(
    ("optimizer", "message"),
    [
        ({"weights": [1, 2], "gradients": [1]}, "gradients must have 2 entries"),
        ({"weights": [1], "gradients": [1], "m": [0.1]}, "at t = 1 nothing came before"),
        ({"weights": [1], "gradients": [1], "t": 2, "v": [-1]}, "cannot be negative"),
        ({"weights": [1], "gradients": [1], "beta1": 1}, "beta1: must be less than 1"),
        ({"weights": [1], "gradients": [1], "t": 0}, "t: must be greater than or equal to 1"),
        ({"weights": [1], "gradients": [1], "epsilon": 0}, "epsilon: must be greater than 0"),
    ],
)
def test_adam_settings_are_checked(optimizer, message):
    text = yaml.safe_dump({"id": "o", "title": "o", "kind": "optimizer", "optimizer": optimizer})
    with pytest.raises(ProblemError) as info:
        load_problem_text(text, "o.yaml")
    assert message in str(info.value)


# ------------------------------------------------------------------ the three networks, by SymPy


def sympy_gradients(net, activations):
    """E composed from the weights as SymPy symbols and differentiated: no deltas involved."""
    params, W, b = {}, {}, {}
    for l in range(1, net.layers + 1):
        W[l] = [[sp.Symbol(f"w{l}_{j}_{i}") for i in range(net.sizes[l - 1])] for j in range(net.sizes[l])]
        b[l] = [sp.Symbol(f"b{l}_{j}") for j in range(net.sizes[l])]
        params.update({W[l][j][i]: net.W(l)[j][i] for j in range(net.sizes[l]) for i in range(net.sizes[l - 1])})
        params.update({b[l][j]: net.b(l)[j] for j in range(net.sizes[l])})
    h = [sp.Float(x) for x in net.input]
    for l in range(1, net.layers + 1):
        u = [sum(W[l][j][i] * h[i] for i in range(len(h))) + b[l][j] for j in range(net.sizes[l])]
        h = activations[l - 1](u)
    E = net_loss(net.loss, h, [float(d) for d in net.target])
    grads = {f"grad_W{l}": [[float(sp.diff(E, w).subs(params)) for w in row] for row in W[l]]
             for l in range(1, net.layers + 1)}
    grads.update({f"grad_b{l}": [float(sp.diff(E, x).subs(params)) for x in b[l]] for l in range(1, net.layers + 1)})
    return float(E.subs(params)), grads


def net_loss(name, y, d):
    if name == "binary_cross_entropy":
        return -sum(dj * sp.log(yj) + (1 - dj) * sp.log(1 - yj) for yj, dj in zip(y, d))
    if name == "cross_entropy":
        return -sum(dj * sp.log(yj) for yj, dj in zip(y, d) if dj)
    return sp.Rational(1, 2) * sum((yj - dj) ** 2 for yj, dj in zip(y, d))


sigmoid = lambda u: [1 / (1 + sp.exp(-x)) for x in u]  # noqa: E731
tanh = lambda u: [sp.tanh(x) for x in u]  # noqa: E731
identity = lambda u: u  # noqa: E731
relu = lambda u: [sp.Piecewise((x, x > 0), (0, True)) for x in u]  # noqa: E731


def softmax(u):
    total = sum(sp.exp(x) for x in u)
    return [sp.exp(x) / total for x in u]


def check_network(problem_id, activations):
    problem, s = solved(problem_id)
    E, grads = sympy_gradients(problem.network, activations)
    assert math.isclose(s.values["E"], E, rel_tol=1e-12)
    for key, expected in grads.items():
        close(s.values[key], expected, tol=1e-10)
    return problem, s


def test_bce_sigmoid_by_sympy_and_by_hand():
    problem, s = check_network("bce_sigmoid", [sigmoid])
    y = 1 / (1 + math.exp(-1))  # u = 0.5*2 - 0.5*1 + 0.5 = 1
    v = s.values
    assert v["u1"] == [1.0]
    close(v["h1"], [y])
    close(v["E"], -math.log(y))
    close(v["delta1"], [y - 1])  # delta = y - t: the sigmoid's slope cancels
    close(v["grad_W1"], [[2 * (y - 1), 1 * (y - 1)]])
    close(v["W1_new"], [[0.5 - 0.5 * 2 * (y - 1), -0.5 - 0.5 * (y - 1)]])
    close(v["b1_new"], [0.5 - 0.5 * (y - 1)])
    assert round(v["delta1"][0], 4) == -0.2689


def test_tanh_hidden_by_sympy_and_its_slope_from_h():
    problem, s = check_network("tanh_hidden", [tanh, identity])
    v = s.values
    h = [math.tanh(0.5), math.tanh(-1.0)]  # u1 = (1 - 0.5, -0.5 - 1 + 0.5)
    close(v["h1"], h)
    y = h[0] - 0.5 * h[1] + 0.5
    close(v["h2"], [y])
    close(v["delta2"], [y - 1])
    close(v["delta1"], [1 * (y - 1) * (1 - h[0] ** 2), -0.5 * (y - 1) * (1 - h[1] ** 2)])


def test_softmax_3layer_by_sympy():
    problem, s = check_network("softmax_3layer", [relu, relu, softmax])
    v = s.values
    assert all(u > 0.5 for l in (1, 2) for u in v[f"u{l}"])  # every ReLU unit on, far from the kink
    close(v["u3"], [2, 1.125, -0.875])
    e = np.exp([2, 1.125, -0.875])
    close(v["h3"], e / e.sum())
    close(v["delta3"], e / e.sum() - np.array([0, 1, 0]))
    assert len(s.steps) == 64


# ------------------------------------------------------------------ the generic pieces


def test_every_kind_has_a_tui_title_in_both_languages():
    for kind in KINDS:
        assert f"tui.diagram_{kind}" in EN and f"tui.diagram_{kind}" in JA


@pytest.mark.parametrize("problem_id", sorted(MORE_IDS))
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_diagram_shows_every_quantity_and_fills_it_in(problem_id, lang):
    """The TUI highlights the current step by finding "symbol = " in the diagram."""
    problem, s = solved(problem_id)
    empty = diagram(problem, s, {}, lang)
    full = diagram(problem, s, {step.name: step.value for step in s.steps}, lang)
    for step in s.steps:
        label = formula.text(step.symbol, s.symbols)
        assert f"{label} = " in empty, step.name
    if problem.kind in ("affine", "optimizer"):
        assert "?" in empty and "?" not in full


@pytest.mark.parametrize("problem_id", ["affine_batch", "adam_step"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_new_kinds_render_in_every_format(problem_id, lang):
    problem, s = solved(problem_id)
    key = render_json(problem, s, lang)
    assert f'"kind": "{problem.kind}"' in key
    md = render_markdown(problem, s, lang)
    assert md.count("\n- $") == len(s.steps)
    tex = render_latex(problem, s, lang)
    assert tex.count(r"\begin{align*}") == tex.count(r"\end{align*}") >= 1
    assert r"\sqrt{" in tex or r"\frac{\partial E}{\partial X_{11}}" in tex


def test_cli_show_and_solution_for_the_new_kinds():
    shown = run("show", "affine_batch")
    assert shown.exit_code == 0 and "∂E/∂X₁₁ = ?" in shown.output and "X₂₁ = 3" in shown.output
    shown = run("show", "adam_step")
    assert shown.exit_code == 0 and "m̂₁⁽²⁾ = ?" in shown.output and "v₁⁽¹⁾ = 4e-5" in shown.output
    solution = run("solution", "adam_step")
    assert solution.exit_code == 0 and "√(" in solution.output and "0.7947" in solution.output


def test_vary_names_the_numbers_of_the_new_kinds():
    affine, _ = solved("affine_batch")
    adam, _ = solved("adam_step")
    assert vary_keys(affine) == ["X", "W", "b", "dY"]
    assert vary_keys(adam) == ["weights", "gradients", "m", "v", "learning_rate"]
    good = {"id": "o", "title": "o", "kind": "optimizer", "optimizer": {"weights": [1], "gradients": [1]},
            "vary": {"gradients": {"low": -1, "high": 1}}}
    load_problem_text(yaml.safe_dump(good), "o.yaml")
    with pytest.raises(ProblemError, match="not a number of this problem"):
        load_problem_text(yaml.safe_dump(dict(good, vary={"input": [0, 1]})), "o.yaml")
