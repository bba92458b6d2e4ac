"""An output layer on its own (problem kind "layer"): h = f(u), then E and delta = dE/du.

Softmax acts on the whole vector, so these steps are vectors: the student types "0.3, -0.8, 0.5".
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from tutor.steps import AnswerKind, Env, Phase, Solution
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder
from tutor.engine.ops import ACTIVATIONS, FUSED, loss_formula, loss_value
from tutor.engine.forms import minus as _minus
from tutor.engine.symbols import Notation


def derive_layer(problem) -> Solution:
    spec = problem.layer
    act = ACTIVATIONS[spec.activation]
    n = len(spec.scores if spec.scores is not None else spec.outputs)
    notation = Notation()
    givens: dict = {}
    u = [notation.indexed(f"u1_{j}", "u", "u", None, (j,)) for j in range(1, n + 1)]
    h = [notation.indexed(f"h1_{j}", "h", "h", None, (j,)) for j in range(1, n + 1)]
    notation.add("h1", "h", r"\mathbf{h}")
    if spec.scores is not None:
        givens.update({f"u1_{j}": float(v) for j, v in enumerate(spec.scores, 1)})
    else:
        givens["h1"] = tuple(float(v) for v in spec.outputs)
    if spec.loss is not None:
        for j, t in enumerate(spec.target, 1):
            notation.indexed(f"d_{j}", "d", "d", None, (j,))
            givens[f"d_{j}"] = float(t)
    builder = StepBuilder(notation, givens, problem.tolerance_for)

    if spec.scores is not None:
        rule = "activation" if act.elementwise else "softmax"
        builder.add("h1", Phase.FORWARD, _output_formula(act, u), _forward(act, n), answer=AnswerKind.VECTOR, rule=rule)
    if spec.loss is not None:
        d = [notation[f"d_{j}"] for j in range(1, n + 1)]
        notation.add("E", "E", "E")
        builder.add(
            "E", Phase.LOSS, loss_formula(spec.loss, h, d), _loss(spec.loss, n, spec.scores is not None),
            rule=f"loss_{spec.loss}",
        )
        notation.add("delta1", "δ", r"\boldsymbol{\delta}")
        _delta(spec, act, builder, h, d, n)
    values = {"h1": list(builder.env["h1"])}
    if spec.loss is not None:
        values.update(E=builder.env["E"], delta1=list(builder.env["delta1"]))
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def _vector(env: Env, key: str) -> np.ndarray:
    return np.asarray(env[key], dtype=float)


def _scores(env: Env, n: int) -> np.ndarray:
    return np.array([env[f"u1_{j}"] for j in range(1, n + 1)], dtype=float)


def _targets(env: Env, n: int) -> np.ndarray:
    return np.array([env[f"d_{j}"] for j in range(1, n + 1)], dtype=float)


def _output_formula(act, u: list[sp.Symbol]) -> sp.Expr:
    if act.elementwise:
        return sp.Tuple(*(act.formula(uj) for uj in u))
    total = sp.Add(*(sp.exp(uk, evaluate=False) for uk in u), evaluate=False)
    return sp.Tuple(*(sp.Mul(sp.exp(uj, evaluate=False), sp.Pow(total, -1, evaluate=False), evaluate=False) for uj in u))


def _forward(act, n: int):
    return lambda env: act.forward(_scores(env, n))


def _loss(loss: str, n: int, have_scores: bool):
    def compute(env: Env) -> float:
        scores = _scores(env, n) if have_scores else None
        return loss_value(loss, _vector(env, "h1"), _targets(env, n), scores)

    return compute


def _scaled(scale: float, expr: sp.Expr) -> sp.Expr:
    return expr if scale == 1.0 else sp.Mul(sp.nsimplify(scale), expr, evaluate=False)


def _delta(spec, act, builder: StepBuilder, h, d, n: int) -> None:
    output = lambda env: _vector(env, "h1")  # noqa: E731
    if (spec.activation, spec.loss) in FUSED:
        compute = lambda env: _vector(env, "h1") - _targets(env, n)  # noqa: E731
        formula = sp.Tuple(*(_minus(hj, dj) for hj, dj in zip(h, d)))
        found = [rules.output_as_gradient(output), rules.sign_flipped(compute),
                 rules.slope_not_cancelled(compute, lambda env: _vector(env, "h1") * (1.0 - _vector(env, "h1")))]
    else:
        scale = 1.0 if spec.loss == "squared_error" else 2.0 / n
        g = lambda env: scale * (_vector(env, "h1") - _targets(env, n))  # noqa: E731
        if act.elementwise:
            slope = lambda env: act.slope(_scores(env, n) if spec.scores is not None else None, _vector(env, "h1"))  # noqa: E731
            compute = lambda env: g(env) * slope(env)  # noqa: E731
            formula = sp.Tuple(*(sp.Mul(_minus(hj, dj), act.slope_formula(None, hj), evaluate=False) for hj, dj in zip(h, d)))
        else:
            compute = lambda env: _vector(env, "h1") * (g(env) - float(np.dot(_vector(env, "h1"), g(env))))  # noqa: E731
            g_formula = [_scaled(scale, _minus(hj, dj)) for hj, dj in zip(h, d)]
            mixed = sp.Add(*(sp.Mul(hk, gk, evaluate=False) for hk, gk in zip(h, g_formula)), evaluate=False)
            formula = sp.Tuple(*(sp.Mul(hj, _minus(gj, mixed), evaluate=False) for hj, gj in zip(h, g_formula)))
        found = [rules.sign_flipped(compute), rules.missing_derivative(g)]
    rule = "delta_output_matched" if (spec.activation, spec.loss) in FUSED else "delta_output"
    rule = rule if act.elementwise else "delta_output_softmax"
    builder.add("delta1", Phase.BACKWARD, formula, compute, mistakes=found, answer=AnswerKind.VECTOR, rule=rule)

