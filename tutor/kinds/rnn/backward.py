"""BPTT for the unrolled RNN: every δ from t = T down, then each weight's gradient as the sum of
its terms over t, then (with a learning rate) every update. See derive.py for the equations."""

from __future__ import annotations

import math

import numpy as np

from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder, update_tolerance
from tutor.engine.keys import grad, new
from tutor.maths.activations import ACTIVATIONS
from tutor.maths.forms import add, minus, mul
from tutor.maths.losses import LOSSES, delta_formulas, fused, output_delta
from tutor.steps import Env, Phase

from . import names as N
from .rules import (
    not_summed_over_t,
    recurrent_term_forgotten,
    recurrent_transposed,
    state_of_same_t,
)


def backward(spec, builder: StepBuilder) -> None:
    for t in range(spec.T, 0, -1):
        _output_deltas(spec, builder, t)
        for j in range(1, spec.sizes[1] + 1):
            _hidden_delta(spec, builder, t, j)
    _gradients(spec, builder)
    if spec.learning_rate is not None:
        _updates(spec, builder)


def _output_deltas(spec, builder: StepBuilder, t: int) -> None:
    sym, n_out = builder.notation, spec.sizes[2]
    act_name, loss = spec.output_activation, spec.loss
    act = ACTIVATIONS[act_name]
    outputs = range(1, n_out + 1)
    formulas = delta_formulas(act_name, loss, [sym[N.v(t, k)] for k in outputs], [sym[N.y(t, k)] for k in outputs],
                              [sym[N.d(t, k)] for k in outputs])
    for k in outputs:
        def compute(env: Env, k: int = k) -> float:
            y, d, v = (N.vector(env, key, t, n_out) for key in (N.y, N.d, N.v))
            return float(output_delta(act_name, loss, y, d, v)[k - 1])

        def dE_dy(env: Env, k: int = k) -> float:
            return float(LOSSES[loss].slope(N.vector(env, N.y, t, n_out), N.vector(env, N.d, t, n_out))[k - 1])

        y_key, v_key = N.y(t, k), N.v(t, k)
        y_of = lambda env, key=y_key: env[key]
        v_of = lambda env, key=v_key: env[key]
        found = [rules.sign_flipped(compute)]
        if fused(act_name, loss):
            found += [rules.output_as_gradient(y_of),
                      rules.slope_not_cancelled(compute, lambda env, y_of=y_of: y_of(env) * (1.0 - y_of(env)))]
        else:
            if "missing_derivative" in act.mistakes:
                found.append(rules.missing_derivative(dE_dy))
            if "derivative_at_h" in act.mistakes:
                found.append(rules.derivative_at_h(dE_dy, act.slope_at, y_of))
            if "slope_in_u" in act.mistakes:
                found.append(rules.slope_in_u(dE_dy, _slope_from_output(act), v_of))
            if act.elementwise:
                found += [getattr(rules, key)(compute) for key in LOSSES[loss].delta_mistakes]
        builder.add(N.delta_out(t, k), Phase.BACKWARD, formulas[k - 1], compute, mistakes=found,
                    layer=t, index=(k,), rule="rnn_delta_out")


def _slope_from_output(act):
    """f′ as written in the unit's output (σ′ = y(1 − y)), evaluated at whatever is put for it."""
    return lambda value: float(act.slope(np.array([value]), np.array([value]))[0])


def _received(spec, t: int, j: int, *, recurrent: bool = True, transposed: bool = False):
    """Σ_k w_kj^out δ_k^out,t + Σ_j' w_j'j δ_j'^(t+1): what z_j^t sends back (the second sum from
    t + 1, absent at t = T)."""
    _, n_hidden, n_out = spec.sizes

    def compute(env: Env) -> float:
        terms = [env[N.w_out(k, j)] * env[N.delta_out(t, k)] for k in range(1, n_out + 1)]
        if recurrent and t < spec.T:
            terms += [env[N.w(j, jp) if transposed else N.w(jp, j)] * env[N.delta(t + 1, jp)]
                      for jp in range(1, n_hidden + 1)]
        return math.fsum(terms)

    return compute


def _hidden_delta(spec, builder: StepBuilder, t: int, j: int) -> None:
    sym = builder.notation
    _, n_hidden, n_out = spec.sizes
    act = ACTIVATIONS[spec.activation]
    received = _received(spec, t, j)

    def slope(env: Env) -> float:
        return float(act.slope(np.array([env[N.u(t, j)]]), np.array([env[N.z(t, j)]]))[0])

    compute = lambda env: received(env) * slope(env)
    terms = [mul(sym[N.w_out(k, j)], sym[N.delta_out(t, k)]) for k in range(1, n_out + 1)]
    if t < spec.T:
        terms += [mul(sym[N.w(jp, j)], sym[N.delta(t + 1, jp)]) for jp in range(1, n_hidden + 1)]
    found = [rules.sign_flipped_back(compute)]
    if t < spec.T:
        alone = _received(spec, t, j, recurrent=False)
        found.append(recurrent_term_forgotten(lambda env: alone(env) * slope(env)))
        if n_hidden > 1:
            swapped = _received(spec, t, j, transposed=True)
            found.append(recurrent_transposed(lambda env: swapped(env) * slope(env)))
    z_of = lambda env: env[N.z(t, j)]
    if "missing_derivative" in act.mistakes:
        found.append(rules.missing_derivative(received))
    if "derivative_at_h" in act.mistakes:
        found.append(rules.derivative_at_h(received, act.slope_at, z_of))
    if "slope_in_u" in act.mistakes:
        found.append(rules.slope_in_u(received, _slope_from_output(act), lambda env: env[N.u(t, j)]))
    formula = mul(add(*terms), act.slope_formula(sym[N.u(t, j)], sym[N.z(t, j)]))
    builder.add(N.delta(t, j), Phase.BACKWARD, formula, compute, mistakes=found, layer=t, index=(j,),
                rule="rnn_delta_hidden")


def _terms(spec, parameter: str, indices: tuple[int, ...]) -> list[tuple[str, str | None]]:
    """The factors of each t's term of ∂E/∂parameter: (δ, what it multiplies; None for a bias)."""
    times = range(1, spec.T + 1)
    if parameter == "W_in":
        j, i = indices
        return [(N.delta(t, j), N.x(t, i)) for t in times]
    if parameter == "W":
        j, jp = indices
        return [(N.delta(t, j), N.z(t - 1, jp)) for t in times]
    if parameter == "W_out":
        k, j = indices
        return [(N.delta_out(t, k), N.z(t, j)) for t in times]
    if parameter == "b":
        return [(N.delta(t, indices[0]), None) for t in times]
    return [(N.delta_out(t, indices[0]), None) for t in times]


def _term(pair: tuple[str, str | None]):
    delta, factor = pair
    return lambda env: env[delta] * (env[factor] if factor is not None else 1.0)


def _sum_of(pairs):
    parts = [_term(pair) for pair in pairs]
    return lambda env: math.fsum(part(env) for part in parts)


_RULES = {"W_in": "rnn_grad_in", "W": "rnn_grad_recurrent", "W_out": "rnn_grad_out", "b": "rnn_grad_bias",
          "b_out": "rnn_grad_bias_out"}


def _gradients(spec, builder: StepBuilder) -> None:
    sym = builder.notation
    for parameter, entries in N.parameters(spec.sizes).items():
        for name, indices in entries:
            pairs = _terms(spec, parameter, indices)
            compute = _sum_of(pairs)
            found = [rules.sign_flipped_back(compute)]
            if spec.T > 1:
                found += not_summed_over_t([_term(pair) for pair in pairs])
            if parameter == "W":
                j, jp = indices
                found.append(state_of_same_t(_sum_of([(N.delta(t, j), N.z(t, jp)) for t in range(1, spec.T + 1)])))
                if j != jp:
                    found.append(recurrent_transposed(_sum_of(_terms(spec, "W", (jp, j)))))
            formula = add(*(mul(sym[delta], sym[factor]) if factor else sym[delta] for delta, factor in pairs))
            builder.add(grad(name), Phase.GRADIENT, formula, compute, mistakes=found, index=indices,
                        rule=_RULES[parameter])


def _updates(spec, builder: StepBuilder) -> None:
    sym, env = builder.notation, builder.env
    for entries in N.parameters(spec.sizes).values():
        for name, indices in entries:
            slope = grad(name)
            weight = lambda env, p=name: env[p]
            gradient = lambda env, g=slope: env[g]
            builder.add(
                new(name), Phase.UPDATE, minus(sym[name], mul(sym["eta"], sym[slope])),
                lambda env, p=name, g=slope: env[p] - env["eta"] * env[g],
                tolerance=update_tolerance(builder.tolerance_for(new(name)), env[name], env["eta"] * env[slope]),
                mistakes=[rules.update_sign(weight, lambda env: env["eta"], gradient),
                          rules.learning_rate_forgotten(weight, gradient), rules.update_forgotten(weight)],
                index=indices, rule="update",
            )


def grouped_values(spec, env: Env) -> dict:
    """The answer key: T rows for each per-time quantity, matrices shaped as in the problem file."""
    _, n_hidden, n_out = spec.sizes
    times = range(1, spec.T + 1)

    def rows(key, n: int) -> list[list[float]]:
        return [[env[key(t, j)] for j in range(1, n + 1)] for t in times]

    values: dict = {"u": rows(N.u, n_hidden), "z": rows(N.z, n_hidden), "v": rows(N.v, n_out), "y": rows(N.y, n_out),
                    "E_t": [env[N.loss(t)] for t in times], "E": env["E"], "delta_out": rows(N.delta_out, n_out), "delta": rows(N.delta, n_hidden)}
    shaped = {parameter: _shaped(entries) for parameter, entries in N.parameters(spec.sizes).items()}
    for parameter, layout in shaped.items():
        values[f"grad_{parameter}"] = _fill(layout, lambda name: env[grad(name)])
    if spec.learning_rate is not None:
        for parameter, layout in shaped.items():
            values[f"{parameter}_new"] = _fill(layout, lambda name: env[new(name)])
    return values


def _shaped(entries):
    """Names laid out as their matrix (rows of names) or vector (a list of names)."""
    if len(entries[0][1]) == 1:
        return [name for name, _ in entries]
    layout: dict[int, list[str]] = {}
    for name, (row, _) in entries:
        layout.setdefault(row, []).append(name)
    return [layout[row] for row in sorted(layout)]


def _fill(layout, value):
    return [_fill(item, value) if isinstance(item, list) else value(item) for item in layout]
