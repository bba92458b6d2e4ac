"""The engine's numbers against independent routes: SymPy differentiation of the whole loss,
central finite differences, and each step's own printed formula evaluated by SymPy."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
import sympy as sp
import yaml

from tutor.engine import derive
from tutor.maths.printed import NUMERIC as NUMERIC_FUNCTIONS
from tutor.problem import load_problem_text
from tutor.steps import AnswerKind

from .conftest import BUILTIN_IDS, solved
from .oracle import central_differences, sympy_network

NETWORKS = [i for i in BUILTIN_IDS if solved(i)[0].kind == "network"]


def assert_matches(actual, expected, tol=1e-9):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float), rtol=tol, atol=tol)


def check_against_sympy(problem, solution):
    oracle = sympy_network(problem.network)
    for key, expected in oracle.items():
        assert_matches(solution.values[key], expected)
    # delta_j = dE/du_j = dE/db_j, so SymPy's bias gradient checks every delta too.
    for l in range(1, problem.network.layers + 1):
        assert_matches(solution.values[f"delta{l}"], oracle[f"grad_b{l}"])


def check_against_finite_differences(problem, solution):
    for key, grad in central_differences(problem.network).items():
        assert_matches(solution.values[key], grad, tol=1e-6)


@pytest.mark.parametrize("problem_id", NETWORKS)
def test_builtin_network_agrees_with_sympy(problem_id):
    check_against_sympy(*solved(problem_id))


@pytest.mark.parametrize("problem_id", NETWORKS)
def test_builtin_network_agrees_with_finite_differences(problem_id):
    check_against_finite_differences(*solved(problem_id))


GRAPHS = [i for i in BUILTIN_IDS if solved(i)[0].kind == "graph"]


@pytest.mark.parametrize("problem_id", GRAPHS)
def test_builtin_graph_gradients_agree_with_sympy_and_finite_differences(problem_id):
    problem, solution = solved(problem_id)
    graph = problem.graph
    symbols = {n: sp.Symbol(n) for n in [*graph.inputs, *graph.nodes]}
    exprs = {n: e.to_sympy(symbols) for n, e in graph.parsed_nodes().items()}
    composed = exprs[graph.output]
    for name in reversed(list(exprs)):
        composed = composed.xreplace({symbols[name]: exprs[name]})
    point = {symbols[n]: v for n, v in graph.inputs.items()}
    f = sp.lambdify([symbols[n] for n in graph.inputs], composed, "math")
    for k, name in enumerate(graph.inputs):
        exact = float(sp.diff(composed, symbols[name]).subs(point))
        assert math.isclose(solution.values[f"grad_{name}"], exact, rel_tol=1e-9, abs_tol=1e-12)
        args = [float(v) for v in graph.inputs.values()]
        eps = 1e-6 * max(1.0, abs(args[k]))
        plus, minus = list(args), list(args)
        plus[k] += eps
        minus[k] -= eps
        numeric = (f(*plus) - f(*minus)) / (2 * eps)
        assert math.isclose(solution.values[f"grad_{name}"], numeric, rel_tol=1e-6, abs_tol=1e-6)


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_every_printed_formula_evaluates_to_the_step_value(problem_id):
    """What the student reads (the formula) gives what the tutor marks (the value)."""
    _, solution = solved(problem_id)
    env = solution.exact_env()
    notation = solution.symbols
    for step in solution.steps:
        if step.answer is AnswerKind.FORMULA:
            continue
        symbols = sorted(step.formula.free_symbols, key=str)
        function = sp.lambdify(symbols, step.formula, modules=[NUMERIC_FUNCTIONS, "math"])
        args = [env[str(s)] for s in symbols]
        value = function(*args)
        got = tuple(value) if isinstance(value, (tuple, list)) else value
        assert_matches(got, step.value, tol=1e-9), step.name
        assert notation[step.name] == step.symbol


# ------------------------------------------------------------------ random teacher-written nets

COMPATIBLE = {
    "squared_error": ["identity", "sigmoid", "tanh", "relu", "softmax"],
    "mse": ["identity", "sigmoid", "tanh", "relu"],
    "binary_cross_entropy": ["sigmoid"],
    "cross_entropy": ["softmax"],
}


def random_network(rng: random.Random) -> dict:
    layers = rng.randint(1, 4)
    sizes = [rng.randint(1, 3) for _ in range(layers + 1)]
    loss = rng.choice(list(COMPATIBLE))
    output = rng.choice(COMPATIBLE[loss])
    if output == "softmax" and sizes[-1] < 2:
        sizes[-1] = 2
    hidden = [rng.choice(["identity", "sigmoid", "tanh", "relu"]) for _ in range(layers - 1)]

    def number():
        return round(rng.uniform(-1.5, 1.5), 2)

    weights = {}
    for l in range(1, layers + 1):
        weights[f"W{l}"] = [[number() for _ in range(sizes[l - 1])] for _ in range(sizes[l])]
        weights[f"b{l}"] = [number() for _ in range(sizes[l])]
    if loss == "cross_entropy":
        target = [0.0] * sizes[-1]
        target[rng.randrange(sizes[-1])] = 1.0
    elif loss == "binary_cross_entropy":
        target = [float(rng.choice([0, 1])) for _ in range(sizes[-1])]
    else:
        target = [number() for _ in range(sizes[-1])]
    return {
        "id": "random_net",
        "title": "random",
        "kind": "network",
        "network": {
            "sizes": sizes,
            "activations": [*hidden, output],
            "loss": loss,
            "weights": weights,
            "input": [number() for _ in range(sizes[0])],
            "target": target,
            "learning_rate": 0.1,
        },
    }


def _has_kink(solution) -> bool:
    # ReLU at exactly 0 has no derivative; finite differences would straddle the kink.
    return any(abs(v) < 1e-4 for k, v in solution.exact_env().items() if k.startswith("u") and isinstance(v, float))


@pytest.mark.parametrize("seed", range(60))
def test_random_teacher_network_agrees_with_both_oracles(seed):
    problem = load_problem_text(yaml.safe_dump(random_network(random.Random(seed))), "random_net.yaml")
    solution = derive(problem)
    check_against_sympy(problem, solution)
    if not _has_kink(solution):
        check_against_finite_differences(problem, solution)


LAYERS = [i for i in BUILTIN_IDS if solved(i)[0].kind == "layer"]


@pytest.mark.parametrize("problem_id", LAYERS)
def test_builtin_output_layer_agrees_with_sympy(problem_id):
    """delta = dE/du by SymPy; given outputs stand for scores u = log(y) (softmax is shift-invariant)."""
    problem, solution = solved(problem_id)
    spec = problem.layer
    n = len(spec.values)
    u = sp.symbols(f"u1:{n + 1}")
    point = spec.scores if spec.scores is not None else [math.log(y) for y in spec.outputs]
    at = dict(zip(u, point))
    total = sum(sp.exp(x) for x in u)
    if spec.activation == "softmax":
        h = [sp.exp(x) / total for x in u]
    else:
        h = [1 / (1 + sp.exp(-x)) for x in u]
    assert_matches(solution.values["h1"], [float(x.subs(at)) for x in h])
    if spec.loss is None:
        return
    t = [float(v) for v in spec.target]
    if spec.loss == "cross_entropy":
        E = -sum(tj * sp.log(hj) for tj, hj in zip(t, h) if tj)
    else:
        E = -sum(tj * sp.log(hj) + (1 - tj) * sp.log(1 - hj) for tj, hj in zip(t, h))
    assert math.isclose(solution.values["E"], float(E.subs(at)), rel_tol=1e-9)
    assert_matches(solution.values["delta1"], [float(sp.diff(E, x).subs(at)) for x in u])
