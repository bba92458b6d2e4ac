"""The Affine layer on a batch (problem kind "affine"), in the row-vector convention Y = X W + b.

X is N x D (one row per example), W is D x M, b has M entries and is added to every row, and
dE/dY (N x M) is given. Steps, one per matrix entry: every Y_nj forward, then every
dE/dX_ni = sum_j dE/dY_nj W_ij (dE/dX = dE/dY W^T), every dE/dW_ij = sum_n X_ni dE/dY_nj
(dE/dW = X^T dE/dY) and every dE/db_j = sum_n dE/dY_nj (the column sums: b is shared by the batch).
Indices: n runs over examples, i over inputs, j over outputs.
"""

from __future__ import annotations

import math

import sympy as sp

from tutor.steps import Env, Phase, Solution
from tutor.engine import mistakes as rules
from tutor.engine.build import StepBuilder
from tutor.maths.forms import add as _add
from tutor.maths.forms import mul as _mul
from tutor.engine.keys import Affine as N_
from tutor.engine.symbols import Notation




def _gradient_symbol(notation: Notation, key: str, base: str, indices: tuple[int, ...]) -> None:
    notation.gradient(key, base, base, None, indices)


def _declare(spec, notation: Notation) -> dict[str, float]:
    n_rows, d, m = spec.N, spec.D, spec.M
    givens: dict[str, float] = {}
    for n in range(1, n_rows + 1):
        for i in range(1, d + 1):
            notation.indexed(N_.X(n, i), "X", "X", None, (n, i))
            givens[N_.X(n, i)] = float(spec.X[n - 1][i - 1])
    for i in range(1, d + 1):
        for j in range(1, m + 1):
            notation.indexed(N_.W(i, j), "W", "W", None, (i, j))
            givens[N_.W(i, j)] = float(spec.W[i - 1][j - 1])
    for j, value in enumerate(spec.bias(), 1):
        notation.indexed(N_.b(j), "b", "b", None, (j,))
        givens[N_.b(j)] = float(value)
    for n in range(1, n_rows + 1):
        for j in range(1, m + 1):
            _gradient_symbol(notation, N_.dY(n, j), "Y", (n, j))
            givens[N_.dY(n, j)] = float(spec.dY[n - 1][j - 1])
    for n in range(1, n_rows + 1):
        for j in range(1, m + 1):
            notation.indexed(N_.Y(n, j), "Y", "Y", None, (n, j))
        for i in range(1, d + 1):
            _gradient_symbol(notation, N_.dX(n, i), "X", (n, i))
    for i in range(1, d + 1):
        for j in range(1, m + 1):
            _gradient_symbol(notation, N_.dW(i, j), "W", (i, j))
    for j in range(1, m + 1):
        _gradient_symbol(notation, N_.db(j), "b", (j,))
    return givens


def derive_affine(problem) -> Solution:
    spec = problem.affine
    notation = Notation()
    givens = _declare(spec, notation)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    _forward(spec, builder)
    _input_gradients(spec, builder)
    _weight_gradients(spec, builder)
    _bias_gradients(spec, builder)
    env = builder.env
    rows, d, m = range(1, spec.N + 1), range(1, spec.D + 1), range(1, spec.M + 1)
    values = {
        "Y": [[env[N_.Y(n, j)] for j in m] for n in rows],
        "dX": [[env[N_.dX(n, i)] for i in d] for n in rows],
        "dW": [[env[N_.dW(i, j)] for j in m] for i in d],
        "db": [env[N_.db(j)] for j in m],
    }
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def _sum_of_products(pairs: list[tuple[str, str]]):
    return lambda env: math.fsum(env[a] * env[b] for a, b in pairs)


def _formula(sym: Notation, pairs: list[tuple[str, str]], *extra: str) -> sp.Expr:
    return _add(*(_mul(sym[a], sym[b]) for a, b in pairs), *(sym[e] for e in extra))


def _forward(spec, builder: StepBuilder) -> None:
    sym = builder.notation
    for n in range(1, spec.N + 1):
        for j in range(1, spec.M + 1):
            pairs = [(N_.X(n, i), N_.W(i, j)) for i in range(1, spec.D + 1)]
            weighted = _sum_of_products(pairs)
            bias = N_.b(j)
            builder.add(
                N_.Y(n, j), Phase.FORWARD, _formula(sym, pairs, bias),
                lambda env, weighted=weighted, bias=bias: weighted(env) + env[bias],
                mistakes=[rules.bias_forgotten(weighted)], index=(n, j), rule="affine_forward",
            )


def _input_gradients(spec, builder: StepBuilder) -> None:
    sym = builder.notation
    square = spec.D == spec.M  # only then does dE/dY W (no transpose) have the shape of X
    for n in range(1, spec.N + 1):
        for i in range(1, spec.D + 1):
            pairs = [(N_.dY(n, j), N_.W(i, j)) for j in range(1, spec.M + 1)]
            found = []
            if square:
                found.append(rules.dx_transpose_forgotten(
                    _sum_of_products([(N_.dY(n, k), N_.W(k, i)) for k in range(1, spec.M + 1)])
                ))
            builder.add(
                N_.dX(n, i), Phase.BACKWARD, _formula(sym, pairs), _sum_of_products(pairs),
                mistakes=found, index=(n, i), rule="affine_dx",
            )


def _weight_gradients(spec, builder: StepBuilder) -> None:
    sym = builder.notation
    fits = spec.N == spec.D  # only then does X dE/dY (no transpose) have the shape of W
    for i in range(1, spec.D + 1):
        for j in range(1, spec.M + 1):
            pairs = [(N_.X(n, i), N_.dY(n, j)) for n in range(1, spec.N + 1)]
            compute = _sum_of_products(pairs)
            found = []
            if fits:
                found.append(rules.dw_transpose_forgotten(
                    _sum_of_products([(N_.X(i, k), N_.dY(k, j)) for k in range(1, spec.N + 1)])
                ))
            if spec.N > 1:
                found += rules.batch_not_summed([_sum_of_products([pair]) for pair in pairs])
                found.append(rules.batch_averaged(compute, spec.N))
            builder.add(
                N_.dW(i, j), Phase.GRADIENT, _formula(sym, pairs), compute,
                mistakes=found, index=(i, j), rule="affine_dw",
            )


def _bias_gradients(spec, builder: StepBuilder) -> None:
    sym = builder.notation
    for j in range(1, spec.M + 1):
        keys = [N_.dY(n, j) for n in range(1, spec.N + 1)]
        compute = lambda env, keys=keys: math.fsum(env[k] for k in keys)  # noqa: E731
        found = []
        if spec.N > 1:
            found += rules.batch_not_summed([lambda env, k=k: env[k] for k in keys])
            found.append(rules.batch_averaged(compute, spec.N))
        builder.add(
            N_.db(j), Phase.GRADIENT, _add(*(sym[k] for k in keys)), compute,
            mistakes=found, index=(j,), rule="affine_db",
        )


def objective(problem, env: Env) -> float:
    """sum over n, j of Y_nj * dE/dY_nj: E to first order around the given point, so its
    derivatives by X, W and b are the backward pass's (the gradient check differentiates it)."""
    spec = problem.affine
    return math.fsum(
        env[N_.Y(n, j)] * env[N_.dY(n, j)] for n in range(1, spec.N + 1) for j in range(1, spec.M + 1)
    )
