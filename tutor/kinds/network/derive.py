"""A layered network in the lecture's notation: u = W h + b, h = f(u), delta_j = dE/du_j.

Steps, in order: every u and h forward, E, every delta from the output layer back (by the
recursion delta^(l) = f'(u^(l)) * W^(l+1)^T delta^(l+1)), every dE/dw_ji = delta_j h_i and
dE/db_j = delta_j, and every updated weight and bias.
"""

from __future__ import annotations

import numpy as np

from tutor.steps import Env, Phase, Solution
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder, update_tolerance
from tutor.maths.forms import add as _add
from tutor.maths.forms import minus as _minus
from tutor.maths.forms import mul as _mul
from tutor.maths.activations import ACTIVATIONS
from tutor.maths.losses import LOSSES, delta_formulas, fused, loss_value, output_delta
from tutor.engine.keys import Net as N
from tutor.engine.keys import grad, new
from tutor.engine.symbols import Notation




def _declare(net, notation: Notation) -> dict[str, float]:
    """The problem's data as environment entries, with their symbols."""
    givens: dict[str, float] = {}
    for i, x in enumerate(net.input, 1):
        notation.indexed(N.x(i), "x", "x", None, (i,))
        givens[N.x(i)] = float(x)
    for l in range(1, net.layers + 1):
        for j, row in enumerate(net.W(l), 1):
            for i, w in enumerate(row, 1):
                notation.indexed(N.w(l, j, i), "w", "w", l, (j, i))
                givens[N.w(l, j, i)] = float(w)
        for j, b in enumerate(net.b(l), 1):
            notation.indexed(N.b(l, j), "b", "b", l, (j,))
            givens[N.b(l, j)] = float(b)
    for j, d in enumerate(net.target, 1):
        notation.indexed(N.d(j), "d", "d", None, (j,))
        givens[N.d(j)] = float(d)
    notation.add("eta", "η", r"\eta")
    givens["eta"] = float(net.learning_rate)
    return givens


def _declare_steps(net, notation: Notation) -> None:
    sizes = net.sizes
    for l in range(1, net.layers + 1):
        for j in range(1, sizes[l] + 1):
            notation.indexed(N.u(l, j), "u", "u", l, (j,))
            notation.indexed(N.h(l, j), "h", "h", l, (j,))
            notation.indexed(N.delta(l, j), "δ", r"\delta", l, (j,))
            notation.gradient(grad(N.b(l, j)), "b", "b", l, (j,))
            notation.updated(new(N.b(l, j)), "b", "b", l, (j,))
            for i in range(1, sizes[l - 1] + 1):
                notation.gradient(grad(N.w(l, j, i)), "w", "w", l, (j, i))
                notation.updated(new(N.w(l, j, i)), "w", "w", l, (j, i))
    notation.add("E", "E", "E")


def derive_network(problem) -> Solution:
    net = problem.network
    notation = Notation()
    givens = _declare(net, notation)
    _declare_steps(net, notation)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    _forward(net, builder)
    _loss(net, builder)
    _deltas(net, builder)
    _gradients(net, builder)
    _updates(net, builder)
    return Solution(
        problem_id=problem.id,
        steps=tuple(builder.steps),
        givens=givens,
        values=_grouped_values(net, builder.env),
        symbols=notation,
    )


# ---------------------------------------------------------------- forward


def _forward(net, builder: StepBuilder) -> None:
    sym = builder.notation
    for l in range(1, net.layers + 1):
        n_in, n_out = net.sizes[l - 1], net.sizes[l]
        for j in range(1, n_out + 1):
            builder.add(
                N.u(l, j),
                Phase.FORWARD,
                _add(*(_mul(sym[N.w(l, j, i)], sym[N.prev(l, i)]) for i in range(1, n_in + 1)), sym[N.b(l, j)]),
                _weighted_sum(l, j, n_in),
                mistakes=_forward_mistakes(l, j, n_in, n_out),
                layer=l,
                index=(j,),
                rule="weighted_sum",
            )
        act = ACTIVATIONS[net.activations[l - 1]]
        formulas = act.formulas([sym[N.u(l, j)] for j in range(1, n_out + 1)])
        for j in range(1, n_out + 1):
            rule = "activation" if act.elementwise else "softmax"
            u_of = lambda env, key=N.u(l, j): env[key]  # noqa: E731
            slip = rules.activation_forgotten(u_of) if act.elementwise else rules.scores_as_probabilities(u_of)
            builder.add(N.h(l, j), Phase.FORWARD, formulas[j - 1], _activation(act, l, j, n_out), mistakes=[slip],
                        layer=l, index=(j,), rule=rule)


def _weighted_sum(l: int, j: int, n_in: int, *, transposed: bool = False, bias: bool = True):
    def compute(env: Env) -> float:
        w = [env[N.w(l, i, j) if transposed else N.w(l, j, i)] for i in range(1, n_in + 1)]
        h = [env[N.prev(l, i)] for i in range(1, n_in + 1)]
        return float(np.dot(w, h)) + (env[N.b(l, j)] if bias else 0.0)

    return compute


def _forward_mistakes(l: int, j: int, n_in: int, n_out: int):
    found = [rules.bias_forgotten(_weighted_sum(l, j, n_in, bias=False)),
             rules.bias_twice(_weighted_sum(l, j, n_in), lambda env: env[N.b(l, j)])]
    if n_in == n_out:
        found.append(rules.transposed_weights(_weighted_sum(l, j, n_in, transposed=True)))
    return found


def _activation(act, l: int, j: int, n: int):
    def compute(env: Env) -> float:
        return float(act.forward(_outputs(env, l, n, prefix="u"))[j - 1])

    return compute


# ---------------------------------------------------------------- loss


def _loss(net, builder: StepBuilder) -> None:
    sym = builder.notation
    L, n = net.layers, net.sizes[-1]
    h = [sym[N.h(L, j)] for j in range(1, n + 1)]
    d = [sym[N.d(j)] for j in range(1, n + 1)]

    def compute(env: Env) -> float:
        u = _outputs(env, L, n, prefix="u")
        return float(loss_value(net.loss, _outputs(env, L, n), _targets(env, n), u, net.activations[-1]))

    # With one output unit the mean is the sum: that mistake would give the right value.
    found = [rules.mse_sum_not_mean(compute, n) if key == "mse_sum_not_mean" else getattr(rules, key)(compute)
             for key in LOSSES[net.loss].mistakes if key != "mse_sum_not_mean" or n > 1]
    builder.add("E", Phase.LOSS, LOSSES[net.loss].formula(h, d), compute, mistakes=found, rule=f"loss_{net.loss}")


def _outputs(env: Env, L: int, n: int, prefix: str = "h") -> np.ndarray:
    unit = N.u if prefix == "u" else N.h
    return np.array([env[unit(L, j)] for j in range(1, n + 1)], dtype=float)


def _targets(env: Env, n: int) -> np.ndarray:
    return np.array([env[N.d(j)] for j in range(1, n + 1)], dtype=float)


# ---------------------------------------------------------------- backward


def _deltas(net, builder: StepBuilder) -> None:
    L, sym = net.layers, builder.notation
    units = range(1, net.sizes[L] + 1)
    formulas = delta_formulas(
        net.activations[-1], net.loss, [sym[N.u(L, k)] for k in units], [sym[N.h(L, k)] for k in units], [sym[N.d(k)] for k in units]
    )
    for j in units:
        _output_delta(net, builder, j, formulas[j - 1])
    for l in range(L - 1, 0, -1):
        for j in range(1, net.sizes[l] + 1):
            _hidden_delta(net, builder, l, j)


def _output_delta(net, builder: StepBuilder, j: int, formula) -> None:
    L, n = net.layers, net.sizes[-1]
    act_name = net.activations[-1]
    act = ACTIVATIONS[act_name]
    h_of = lambda env: env[N.h(L, j)]  # noqa: E731

    def compute(env: Env) -> float:
        u = _outputs(env, L, n, prefix="u")
        return float(output_delta(act_name, net.loss, _outputs(env, L, n), _targets(env, n), u)[j - 1])

    if fused(act_name, net.loss):
        builder.add(
            N.delta(L, j), Phase.BACKWARD, formula, compute,
            mistakes=[rules.output_as_gradient(h_of), rules.sign_flipped(compute),
                      rules.slope_not_cancelled(compute, lambda env: env[N.h(L, j)] * (1.0 - env[N.h(L, j)]))],
            layer=L, index=(j,), rule="delta_output_matched",
        )
        return

    def dE_dh(env: Env) -> float:
        return float(LOSSES[net.loss].slope(_outputs(env, L, n), _targets(env, n))[j - 1])

    found = [rules.sign_flipped(compute)]
    if "missing_derivative" in act.mistakes:
        found.append(rules.missing_derivative(dE_dh))
    if "derivative_at_h" in act.mistakes:
        found.append(rules.derivative_at_h(dE_dh, act.slope_at, h_of))
    if "slope_in_u" in act.mistakes:
        found.append(rules.slope_in_u(dE_dh, _slope_from_h(act), lambda env: env[N.u(L, j)]))
    if act.elementwise:
        found += [getattr(rules, key)(compute) for key in LOSSES[net.loss].delta_mistakes]
    builder.add(
        N.delta(L, j), Phase.BACKWARD, formula, compute,
        mistakes=found, layer=L, index=(j,), rule="delta_output" if act.elementwise else "delta_output_softmax",
    )


def _back_sum(l: int, j: int, n_next: int, *, transposed: bool = False):
    """sum_k w_kj^(l+1) delta_k^(l+1): what unit j of layer l receives from the layer above."""

    def compute(env: Env) -> float:
        w = [env[N.w(l + 1, j, k) if transposed else N.w(l + 1, k, j)] for k in range(1, n_next + 1)]
        deltas = [env[N.delta(l + 1, k)] for k in range(1, n_next + 1)]
        return float(np.dot(w, deltas))

    return compute


def _hidden_delta(net, builder: StepBuilder, l: int, j: int) -> None:
    sym = builder.notation
    n_this, n_next = net.sizes[l], net.sizes[l + 1]
    act_name = net.activations[l - 1]
    act = ACTIVATIONS[act_name]
    u, h = sym[N.u(l, j)], sym[N.h(l, j)]
    received = _add(*(_mul(sym[N.w(l + 1, k, j)], sym[N.delta(l + 1, k)]) for k in range(1, n_next + 1)))
    back_sum = _back_sum(l, j, n_next)
    slope = lambda env: float(act.slope(np.array([env[N.u(l, j)]]), np.array([env[N.h(l, j)]]))[0])  # noqa: E731
    compute = lambda env: back_sum(env) * slope(env)  # noqa: E731

    found = [rules.sign_flipped_back(compute)]
    if "missing_derivative" in act.mistakes:
        found.append(rules.missing_derivative(back_sum))
    if "derivative_at_h" in act.mistakes:
        found.append(rules.derivative_at_h(back_sum, act.slope_at, lambda env: env[N.h(l, j)]))
    if "slope_in_u" in act.mistakes:
        found.append(rules.slope_in_u(back_sum, _slope_from_h(act), lambda env: env[N.u(l, j)]))
    if j <= n_next and n_next <= n_this:
        transposed = _back_sum(l, j, n_next, transposed=True)
        found.append(rules.transposed_weights(lambda env: transposed(env) * slope(env)))
    builder.add(
        N.delta(l, j), Phase.BACKWARD, _mul(received, act.slope_formula(u, h)), compute,
        mistakes=found, layer=l, index=(j,), rule="delta_hidden",
    )


def _slope_from_h(act):
    """f' as the lecture writes it in h (σ′ = h(1 − h)), as a function of whatever is put for h."""
    return lambda v: float(act.slope(np.array([v]), np.array([v]))[0])


def _other_layers(net, l: int, j: int) -> list[int]:
    """Layers next to l that have a unit j: their δⱼ is the one a student may take by mistake."""
    return [k for k in (l + 1, l - 1) if 1 <= k <= net.layers and j <= net.sizes[k]]


def _gradients(net, builder: StepBuilder) -> None:
    sym = builder.notation
    for l in range(net.layers, 0, -1):
        n_out, n_in = net.sizes[l], net.sizes[l - 1]
        for j in range(1, n_out + 1):
            for i in range(1, n_in + 1):
                compute = _product(N.delta(l, j), N.prev(l, i))
                found = [rules.sign_flipped_back(compute)]
                found += [rules.delta_wrong_layer(_product(N.delta(k, j), N.prev(l, i))) for k in _other_layers(net, l, j)]
                if i <= n_out and j <= n_in and i != j:
                    found.append(rules.transposed_weights(_product(N.delta(l, i), N.prev(l, j))))
                if l >= 2 and net.activations[l - 2] != "identity":
                    found.append(rules.gradient_uses_u(_product(N.delta(l, j), N.u(l - 1, i))))
                builder.add(
                    grad(N.w(l, j, i)), Phase.GRADIENT, _mul(sym[N.delta(l, j)], sym[N.prev(l, i)]), compute,
                    mistakes=found, layer=l, index=(j, i), rule="grad_weight",
                )
        for j in range(1, n_out + 1):
            key = N.delta(l, j)
            wrong_layer = [rules.delta_wrong_layer(lambda env, k=N.delta(k, j): env[k]) for k in _other_layers(net, l, j)]
            builder.add(grad(N.b(l, j)), Phase.GRADIENT, sym[key], lambda env, key=key: env[key], layer=l, index=(j,),
                        mistakes=[rules.sign_flipped_back(lambda env, key=key: env[key]), *wrong_layer], rule="grad_bias")


def _product(a: str, b: str):
    return lambda env: env[a] * env[b]


def _updates(net, builder: StepBuilder) -> None:
    sym = builder.notation
    eta = sym["eta"]
    for l in range(1, net.layers + 1):
        params = [(N.w(l, j, i), grad(N.w(l, j, i)), (j, i)) for j in range(1, net.sizes[l] + 1)
                  for i in range(1, net.sizes[l - 1] + 1)]
        params += [(N.b(l, j), grad(N.b(l, j)), (j,)) for j in range(1, net.sizes[l] + 1)]
        for param, slope, index in params:
            weight = lambda env, p=param: env[p]  # noqa: E731
            gradient = lambda env, g=slope: env[g]  # noqa: E731
            name = new(param)
            builder.add(
                name, Phase.UPDATE, _minus(sym[param], _mul(eta, sym[slope])),
                lambda env, p=param, g=slope: env[p] - env["eta"] * env[g],
                tolerance=update_tolerance(builder.tolerance_for(name), builder.env[param], builder.env["eta"] * builder.env[slope]),
                mistakes=[
                    rules.update_sign(weight, lambda env: env["eta"], gradient),
                    rules.learning_rate_forgotten(weight, gradient),
                    rules.update_forgotten(weight),
                ],
                layer=l, index=index, rule="update",
            )


# ---------------------------------------------------------------- answer key


def _grouped_values(net, env: Env) -> dict:
    """Layer vectors and matrices as nested lists, W shaped (n_l, n_(l-1))."""
    values: dict = {}
    sizes = net.sizes
    for l in range(1, net.layers + 1):
        units = range(1, sizes[l] + 1)
        inputs = range(1, sizes[l - 1] + 1)
        values[f"u{l}"] = [env[N.u(l, j)] for j in units]
        values[f"h{l}"] = [env[N.h(l, j)] for j in units]
    values["E"] = env["E"]
    for l in range(net.layers, 0, -1):
        values[f"delta{l}"] = [env[N.delta(l, j)] for j in range(1, sizes[l] + 1)]
    for l in range(net.layers, 0, -1):
        units, inputs = range(1, sizes[l] + 1), range(1, sizes[l - 1] + 1)
        values[f"grad_W{l}"] = [[env[grad(N.w(l, j, i))] for i in inputs] for j in units]
        values[f"grad_b{l}"] = [env[grad(N.b(l, j))] for j in units]
    for l in range(1, net.layers + 1):
        units, inputs = range(1, sizes[l] + 1), range(1, sizes[l - 1] + 1)
        values[f"W{l}_new"] = [[env[new(N.w(l, j, i))] for i in inputs] for j in units]
        values[f"b{l}_new"] = [env[new(N.b(l, j))] for j in units]
    return values
