"""An output layer on its own (problem kind "layer"): h = f(u), then E and delta = dE/du.

Softmax acts on the whole vector, so these steps are vectors: the student types "0.3, -0.8, 0.5".
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from tutor.steps import AnswerKind, Env, Phase, Solution
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder
from tutor.maths.activations import ACTIVATIONS
from tutor.maths.losses import LOSSES, delta_formulas, fused, loss_value, output_delta
from tutor.engine.keys import Net as N
from tutor.engine.symbols import Notation


def derive_layer(problem) -> Solution:
    spec = problem.layer
    act = ACTIVATIONS[spec.activation]
    n = len(spec.scores if spec.scores is not None else spec.outputs)
    notation = Notation()
    givens: dict = {}
    u = [notation.indexed(N.u(1, j), "u", "u", None, (j,)) for j in range(1, n + 1)]
    h = [notation.indexed(N.h(1, j), "h", "h", None, (j,)) for j in range(1, n + 1)]
    notation.add("h1", "h", r"\mathbf{h}")
    if spec.scores is not None:
        givens.update({N.u(1, j): float(v) for j, v in enumerate(spec.scores, 1)})
    else:
        givens["h1"] = tuple(float(v) for v in spec.outputs)
    if spec.loss is not None:
        for j, t in enumerate(spec.target, 1):
            notation.indexed(N.d(j), "d", "d", None, (j,))
            givens[N.d(j)] = float(t)
    builder = StepBuilder(notation, givens, problem.tolerance_for)

    if spec.scores is not None:
        rule = "activation" if act.elementwise else "softmax"
        typed_scores = lambda env: _scores(env, n)  # noqa: E731
        slip = rules.activation_forgotten(typed_scores) if act.elementwise else rules.scores_as_probabilities(typed_scores)
        builder.add("h1", Phase.FORWARD, sp.Tuple(*act.formulas(u)), _forward(act, n), mistakes=[slip],
                    answer=AnswerKind.VECTOR, rule=rule)
    if spec.loss is not None:
        d = [notation[N.d(j)] for j in range(1, n + 1)]
        notation.add("E", "E", "E")
        builder.add(
            "E", Phase.LOSS, LOSSES[spec.loss].formula(h, d), _loss(spec, n),
            rule=f"loss_{spec.loss}",
        )
        notation.add("delta1", "δ", r"\boldsymbol{\delta}")
        _delta(spec, act, builder, u, h, d, n)
    values = {"h1": list(builder.env["h1"])}
    if spec.loss is not None:
        values.update(E=builder.env["E"], delta1=list(builder.env["delta1"]))
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def _vector(env: Env, key: str) -> np.ndarray:
    return np.asarray(env[key], dtype=float)


def _scores(env: Env, n: int) -> np.ndarray:
    return np.array([env[N.u(1, j)] for j in range(1, n + 1)], dtype=float)


def _targets(env: Env, n: int) -> np.ndarray:
    return np.array([env[N.d(j)] for j in range(1, n + 1)], dtype=float)


def _forward(act, n: int):
    return lambda env: act.forward(_scores(env, n))


def _loss(spec, n: int):
    def compute(env: Env) -> float:
        scores = _scores(env, n) if spec.scores is not None else None
        return float(loss_value(spec.loss, _vector(env, "h1"), _targets(env, n), scores, spec.activation))

    return compute


def _delta(spec, act, builder: StepBuilder, u, h, d, n: int) -> None:
    output = lambda env: _vector(env, "h1")  # noqa: E731
    scores = lambda env: _scores(env, n) if spec.scores is not None else None  # noqa: E731
    compute = lambda env: output_delta(spec.activation, spec.loss, output(env), _targets(env, n), scores(env))  # noqa: E731
    formula = sp.Tuple(*delta_formulas(spec.activation, spec.loss, u, h, d))
    if fused(spec.activation, spec.loss):
        found = [rules.output_as_gradient(output), rules.sign_flipped(compute),
                 rules.slope_not_cancelled(compute, lambda env: output(env) * (1.0 - output(env)))]
    else:
        g = lambda env: LOSSES[spec.loss].slope(output(env), _targets(env, n))  # noqa: E731
        found = [rules.sign_flipped(compute)] + ([rules.missing_derivative(g)] if "missing_derivative" in act.mistakes else [])
    rule = "delta_output_matched" if fused(spec.activation, spec.loss) else "delta_output"
    rule = rule if act.elementwise else "delta_output_softmax"
    builder.add("delta1", Phase.BACKWARD, formula, compute, mistakes=found, answer=AnswerKind.VECTOR, rule=rule)
