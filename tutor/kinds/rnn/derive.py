"""A recurrent net unrolled through time (problem kind "rnn"), in the seed's notation (chapter 9).

Forward, for t = 1..T: u_j^t = Σ_i w_ji^in x_i^t + Σ_j' w_jj' z_j'^(t-1) + b_j, z_j^t = f(u_j^t),
v_k^t = Σ_j w_kj^out z_j^t + b_k^out, y_k^t = f_out(v_k^t); then E = Σ_t E^t, the loss summed
over t. Backward (BPTT), from t = T down: δ_k^out,t = ∂E/∂v_k^t, and
δ_j^t = (Σ_k w_kj^out δ_k^out,t + Σ_j' w_j'j δ_j'^(t+1)) f′(u_j^t), the second sum absent at t = T.
Each weight is shared by every t, so its gradient is a sum over t (backward.py).
"""

from __future__ import annotations

import math

import numpy as np

from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder
from tutor.engine.symbols import Notation
from tutor.maths.activations import ACTIVATIONS
from tutor.maths.forms import add, mul
from tutor.maths.losses import LOSSES, loss_value
from tutor.steps import Env, Phase, Solution

from . import names as N
from .backward import backward, grouped_values
from .rules import not_summed_over_t, recurrent_input_forgotten, recurrent_transposed


def derive_rnn(problem) -> Solution:
    spec = problem.rnn
    notation = Notation()
    givens = N.declare(spec, notation)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    for t in range(1, spec.T + 1):
        _hidden(spec, builder, t)
        _output(spec, builder, t)
    _loss(spec, builder)
    backward(spec, builder)
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens,
                    values=grouped_values(spec, builder.env), symbols=notation)


def _sum(pairs: list[tuple[str, str]], *extra: str):
    return lambda env: math.fsum([*(env[a] * env[c] for a, c in pairs), *(env[e] for e in extra)])


def _formula(sym: Notation, pairs: list[tuple[str, str]], *extra: str):
    return add(*(mul(sym[a], sym[c]) for a, c in pairs), *(sym[e] for e in extra))


def _hidden(spec, builder: StepBuilder, t: int) -> None:
    sym = builder.notation
    n_in, n_hidden, _ = spec.sizes
    hidden = range(1, n_hidden + 1)
    for j in hidden:
        pairs = [(N.w_in(j, i), N.x(t, i)) for i in range(1, n_in + 1)]
        pairs += [(N.w(j, jp), N.z(t - 1, jp)) for jp in hidden]
        found = [rules.bias_forgotten(_sum(pairs)), recurrent_input_forgotten(_sum(pairs[:n_in], N.b(j)))]
        if n_hidden > 1:
            swapped = pairs[:n_in] + [(N.w(jp, j), N.z(t - 1, jp)) for jp in hidden]
            found.append(recurrent_transposed(_sum(swapped, N.b(j))))
        builder.add(N.u(t, j), Phase.FORWARD, _formula(sym, pairs, N.b(j)), _sum(pairs, N.b(j)),
                    mistakes=found, layer=t, index=(j,), rule="rnn_hidden_input")
    act = ACTIVATIONS[spec.activation]
    formulas = act.formulas([sym[N.u(t, j)] for j in hidden])
    for j in hidden:
        u_key = N.u(t, j)
        u_of = lambda env, key=u_key: env[key]
        builder.add(N.z(t, j), Phase.FORWARD, formulas[j - 1],
                    lambda env, key=u_key: float(act.forward(np.array([env[key]]))[0]),
                    mistakes=[rules.activation_forgotten(u_of)], layer=t, index=(j,), rule="rnn_hidden_output")


def _output(spec, builder: StepBuilder, t: int) -> None:
    sym = builder.notation
    _, n_hidden, n_out = spec.sizes
    outputs = range(1, n_out + 1)
    for k in outputs:
        pairs = [(N.w_out(k, j), N.z(t, j)) for j in range(1, n_hidden + 1)]
        builder.add(N.v(t, k), Phase.FORWARD, _formula(sym, pairs, N.b_out(k)), _sum(pairs, N.b_out(k)),
                    mistakes=[rules.bias_forgotten(_sum(pairs))], layer=t, index=(k,), rule="rnn_output_input")
    act = ACTIVATIONS[spec.output_activation]
    formulas = act.formulas([sym[N.v(t, k)] for k in outputs])
    for k in outputs:
        v_key = N.v(t, k)
        v_of = lambda env, key=v_key: env[key]
        slip = rules.activation_forgotten(v_of) if act.elementwise else rules.scores_as_probabilities(v_of)
        builder.add(N.y(t, k), Phase.FORWARD, formulas[k - 1],
                    lambda env, k=k: float(act.forward(N.vector(env, N.v, t, n_out))[k - 1]),
                    mistakes=[slip], layer=t, index=(k,), rule="rnn_output")


def loss_at(spec, env: Env, t: int) -> float:
    """E^t, the loss at time t (from the scores where the output activation is the loss's own)."""
    n_out = spec.sizes[2]
    return float(loss_value(spec.loss, N.vector(env, N.y, t, n_out), N.vector(env, N.d, t, n_out),
                            N.vector(env, N.v, t, n_out), spec.output_activation))


def _loss(spec, builder: StepBuilder) -> None:
    """E⁽ᵗ⁾ for every t, then E = Σₜ E⁽ᵗ⁾ (one long formula would not fit a line)."""
    sym = builder.notation
    n_out, times = spec.sizes[2], range(1, spec.T + 1)
    loss = LOSSES[spec.loss]
    for t in times:
        compute = lambda env, t=t: loss_at(spec, env, t)
        found = [getattr(rules, key)(compute) for key in loss.mistakes if key != "mse_sum_not_mean"]
        if "mse_sum_not_mean" in loss.mistakes and n_out > 1:
            found.append(rules.mse_sum_not_mean(compute, n_out))
        formula = loss.formula([sym[N.y(t, k)] for k in range(1, n_out + 1)], [sym[N.d(t, k)] for k in range(1, n_out + 1)])
        builder.add(N.loss(t), Phase.LOSS, formula, compute, mistakes=found, layer=t, rule="rnn_loss_t")
    parts = [N.loss(t) for t in times]
    found = not_summed_over_t([lambda env, key=key: env[key] for key in parts]) if spec.T > 1 else []
    builder.add("E", Phase.LOSS, add(*(sym[key] for key in parts)), lambda env: math.fsum(env[key] for key in parts),
                mistakes=found, rule="rnn_loss")
