"""A convolution layer (kind "conv", one channel or several summed) and pooling alone (kind "pool").

Forward: the output size ⌊(W − H + 2P)/S⌋ + 1, u_ij = Σ_pq z_(iS+p)(jS+q) h_pq + b (the lecture's
cross-correlation: no flip), the activation f(u), pooling. Backward from ∂E/∂(the last output):
the pooling's δ (max: to the arg-max, the first maximum in row order; average: δ/H² to every
input), ∂E/∂u = ∂E/∂f(u) · f′(u), ∂E/∂h_pq = Σ_ij ∂E/∂u_ij z_(iS+p)(jS+q), ∂E/∂b = Σ_ij ∂E/∂u_ij,
∂E/∂z_ab = Σ ∂E/∂u_ij h_pq over iS + p − P = a, jS + q − P = b (the slides' δ recursion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp

from tutor.engine.build import StepBuilder
from tutor.engine.symbols import Notation
from tutor.maths.activations import ACTIVATIONS
from tutor.maths.forms import add, mul
from tutor.steps import AnswerKind, Env, Mistake, Phase, Solution

from . import grids
from .forms import BlockMax, BlockSum, block, products
from .layout import Grid, grid

_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


@dataclass(frozen=True)
class Layout:
    """Every map of one problem, named once for derive, pictures and the gradient check."""

    zs: tuple[Grid, ...]  # the input, one grid per channel
    up: Grid
    hs: tuple[Grid, ...] = ()  # the filter, one grid per channel
    u: Grid | None = None
    f: Grid | None = None
    y: Grid | None = None
    grad_f: Grid | None = None  # ∂E/∂(the map pooled) when it is f(u); for pool alone it is ∂E/∂z
    grad_u: Grid | None = None
    grad_hs: tuple[Grid, ...] = ()
    grad_zs: tuple[Grid, ...] = ()
    channels: bool = False  # the file gives channels: names and symbols carry the channel

    @property
    def last(self) -> Grid:
        return self.y or self.f or self.u

    @property
    def pooled(self) -> Grid:
        """The map pooling reads."""
        return self.f or self.u or self.zs[0]


def conv_layout(spec) -> Layout:
    g, n = spec.granularity, _side(spec)
    tags = [str(c) for c in range(1, len(spec.images) + 1)] if spec.multichannel else [""]
    u = grid("u", n, g)
    f = grid("f", n, g) if spec.activated else None
    m = _pooled(n, spec.pool) if spec.pool else None
    y = grid("y", m, g) if m else None
    up = Grid("up", m or n)
    grad_f = grid("grad_f", n, g) if f and y else None
    grad_u = grid("grad_u", n, g) if (f or y) else up
    return Layout(zs=tuple(Grid(f"z{c}", spec.side) for c in tags), up=up,
                  hs=tuple(Grid(f"h{c}", spec.size) for c in tags), u=u, f=f, y=y, grad_f=grad_f, grad_u=grad_u,
                  grad_hs=tuple(grid(f"grad_h{c}", spec.size, g) for c in tags),
                  grad_zs=tuple(grid(f"grad_z{c}", spec.side, g) for c in tags), channels=spec.multichannel)


def pool_layout(spec) -> Layout:
    m = _pooled(spec.side, spec.pool)
    return Layout(zs=(Grid("z", spec.side),), up=Grid("up", m), y=grid("y", m, spec.granularity),
                  grad_zs=(grid("grad_z", spec.side, spec.granularity),))


def _side(spec) -> int:
    return (spec.side - spec.size + 2 * spec.padding) // spec.stride + 1


def _pooled(n: int, pool) -> int:
    return (n - pool.size) // pool.step + 1


# ---------------------------------------------------------------------------------------------


def derive_conv(problem) -> Solution:
    spec, lay = problem.conv, conv_layout(problem.conv)
    notation, givens = Notation(), {}
    _declare(lay, notation, spec.activated)
    for g, image in zip(lay.zs, spec.images):
        _given(givens, g, image)
    for g, kernel in zip(lay.hs, spec.filters):
        _given(givens, g, kernel)
    notation.add("b", "b", "b")
    givens["b"] = float(spec.bias)
    _given(givens, lay.up, spec.upstream)
    for key, value in (("W", spec.side), ("H", spec.size), ("P", spec.padding), ("S", spec.stride)):
        notation.add(key, key, key)
        givens[key] = float(value)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    _conv_forward(spec, lay, builder)
    if spec.pool:
        _pool_forward(spec.pool, lay, builder, size_from="size")
        _pool_backward(spec.pool, lay, builder, lay.grad_f or lay.grad_u)
    if lay.f:
        _activation_backward(spec, lay, builder)
    _conv_backward(spec, lay, builder)
    env = builder.env
    values = {"u": _rows(lay.u, env)}
    if lay.f:
        values["z"] = _rows(lay.f, env)
    if lay.y:
        values["pooled"] = _rows(lay.y, env)
        values["grad_pooled_input"] = _rows(lay.grad_f or lay.grad_u, env)
    values.update(grad_u=_rows(lay.grad_u, env), grad_filter=_channels(lay, lay.grad_hs, env),
                  grad_bias=env["grad_b"], grad_input=_channels(lay, lay.grad_zs, env))
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values,
                    symbols=notation)


def derive_pool(problem) -> Solution:
    spec, lay = problem.pool, pool_layout(problem.pool)
    notation, givens = Notation(), {}
    _declare(lay, notation, False)
    _given(givens, lay.zs[0], spec.input)
    _given(givens, lay.up, spec.upstream)
    notation.add("W", "W", "W")
    givens["W"] = float(spec.side)
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    _pool_forward(spec.pool, lay, builder, size_from="W")
    _pool_backward(spec.pool, lay, builder, lay.grad_zs[0])
    env = builder.env
    values = {"pooled": _rows(lay.y, env), "grad_pooled_input": _rows(lay.grad_zs[0], env)}
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values,
                    symbols=notation)


def _declare(lay: Layout, notation: Notation, activated: bool) -> None:
    for c, (z, h) in enumerate(zip(lay.zs, lay.hs or (None,) * len(lay.zs)), 1):
        text, latex = (f"({c})".translate(_SUP), f"^{{({c})}}") if lay.channels else ("", "")
        z.declare(notation, "z{}" + text, "z{}" + latex)
        if h:
            h.declare(notation, "h{}" + text, "h{}" + latex)
            lay.grad_hs[c - 1].declare(notation, "h{}" + text, "h{}" + latex, gradient=True)
        lay.grad_zs[c - 1].declare(notation, "z{}" + text, "z{}" + latex, gradient=True)
    last = {"y": ("y", "y"), "f": ("f(u{})", "f(u{})"), "u": ("u", "u")}[lay.last.name]
    lay.up.declare(notation, *last, gradient=True)
    for g, text in ((lay.u, "u"), (lay.y, "y")):
        if g:
            g.declare(notation, text, text)
    if lay.f:
        lay.f.declare(notation, "f(u{})", "f(u{})")
        if lay.grad_f:
            lay.grad_f.declare(notation, "f(u{})", "f(u{})", gradient=True)
    if lay.grad_u and lay.grad_u is not lay.up:
        lay.grad_u.declare(notation, "u", "u", gradient=True)
    notation.add("grad_b", "∂E/∂b", r"\frac{\partial E}{\partial b}")
    notation.add("size", "n", "n")
    notation.add("pool_size", "m", "m")


def _given(givens: dict, g: Grid, rows) -> None:
    for i, j, key in g.cells():
        givens[key] = float(rows[i - 1][j - 1])


def _rows(g: Grid, env: Env) -> list[list[float]]:
    return [[float(v) for v in row] for row in g.read(env)]


def _channels(lay: Layout, grids_: tuple[Grid, ...], env: Env) -> list:
    """A map of the input or the filter: rows, or one grid of rows per channel when the file gives channels."""
    return [_rows(g, env) for g in grids_] if lay.channels else _rows(grids_[0], env)


def add_map(builder: StepBuilder, g: Grid, phase: Phase, compute, formulas, *, rule: str,
            mistakes: list[tuple[str, object]] = ()) -> None:
    """One matrix step, or one step per entry, for the map ``g`` that ``compute(env)`` gives whole.
    ``formulas(i, j)`` is entry (i, j)'s formula; a matrix step's formula lists every entry's."""
    if g.matrix:
        whole = [Mistake(key, lambda env, wrong=wrong: np.ravel(wrong(env))) for key, wrong in mistakes]
        every = sp.Tuple(*(formulas(i, j) for i, j, _ in g.cells()))  # entries row after row, as typed
        builder.add(g.name, phase, every, lambda env: np.ravel(compute(env)), mistakes=whole,
                    answer=AnswerKind.MATRIX, shape=(g.n, g.n), rule=rule)
        return
    for i, j, key in g.cells():
        at = (i - 1, j - 1)
        entry = [Mistake(k, lambda env, wrong=wrong, at=at: wrong(env)[at]) for k, wrong in mistakes]
        builder.add(key, phase, formulas(i, j), lambda env, at=at: compute(env)[at], mistakes=entry,
                    index=(i, j), rule=rule)


def _conv_forward(spec, lay: Layout, builder: StepBuilder) -> None:
    sym, s, p, k = builder.notation, spec.stride, spec.padding, spec.size
    size = sp.floor(sp.Mul(add(sym["W"], -sym["H"], mul(2, sym["P"])), sp.Pow(sym["S"], -1), evaluate=False)) + 1
    builder.add("size", Phase.FORWARD, size, lambda env: (env["W"] - env["H"] + 2 * env["P"]) // env["S"] + 1,
                rule="conv_size")
    def u(env: Env, flip: bool = False) -> np.ndarray:
        total = sum(grids.correlate(z.read(env), h.read(env)[::-1, ::-1] if flip else h.read(env), 0.0, s, p)
                    for z, h in zip(lay.zs, lay.hs))
        return total + env["b"]

    def window(z: Grid, h: Grid, i: int, j: int):
        at = [(q1, q2, (i - 1) * s + q1 - p, (j - 1) * s + q2 - p) for q1 in range(1, k + 1) for q2 in range(1, k + 1)]
        inside = [(sym[z.key(a, c)], sym[h.key(q1, q2)]) for q1, q2, a, c in at
                  if 1 <= a <= spec.side and 1 <= c <= spec.side]
        return products(inside, k if len(inside) == k * k else 0)

    def formula(i: int, j: int):
        return add(*(window(z, h, i, j) for z, h in zip(lay.zs, lay.hs)), *([sym["b"]] if spec.bias else []))

    flipped = lambda env: u(env, flip=True)

    add_map(builder, lay.u, Phase.FORWARD, u, formula, rule="conv_forward", mistakes=[("conv_filter_flipped", flipped)])
    if lay.f:
        act = ACTIVATIONS[spec.activation]
        add_map(builder, lay.f, Phase.FORWARD, lambda env: act.forward(lay.u.read(env)),
                lambda i, j: act.formulas([sym[lay.u.key(i, j)]])[0], rule="conv_activation",
                mistakes=[("activation_forgotten", lay.u.read)])


def _pool_forward(pool, lay: Layout, builder: StepBuilder, size_from: str) -> None:
    sym, src, k, t = builder.notation, lay.pooled, pool.size, pool.step
    builder.add("pool_size", Phase.FORWARD,
                sp.floor(sp.Mul(add(sym[size_from], -k), sp.Pow(t, -1, evaluate=False), evaluate=False)) + 1,
                lambda env: (env[size_from] - k) // t + 1, rule="conv_pool_size")

    def region(i: int, j: int) -> list:
        r, c = (i - 1) * t, (j - 1) * t
        return [sym[src.key(r + a, c + b)] for a in range(1, k + 1) for b in range(1, k + 1)]

    if pool.method == "max":
        formula = lambda i, j: block(BlockMax, region(i, j), k)
    else:
        formula = lambda i, j: mul(sp.Rational(1, k * k), block(BlockSum, region(i, j), k))
    add_map(builder, lay.y, Phase.FORWARD, lambda env: grids.pool(src.read(env), pool.method, k, t), formula,
            rule=f"conv_pool_{pool.method}")


def _pool_backward(pool, lay: Layout, builder: StepBuilder, target: Grid) -> None:
    sym, src, k, t, m = builder.notation, lay.pooled, pool.size, pool.step, lay.y.n
    right = lambda env: grids.pool_gradient(src.read(env), lay.up.read(env), pool.method, k, t)
    wrong = lambda spread: lambda env: grids.pool_gradient(src.read(env), lay.up.read(env), pool.method, k, t, spread)
    if pool.method == "max":
        mistakes = [("conv_maxpool_to_every_input", wrong("every")), ("conv_maxpool_averaged", wrong("mean"))]
    else:
        mistakes = [("conv_avgpool_not_divided", wrong("undivided"))]
    exact = src.read(builder.env)
    routes: dict[tuple[int, int], list] = {}
    for i in range(m):
        for j in range(m):
            r, c = i * t, j * t
            cells = [grids.arg_max(exact[r:r + k, c:c + k])] if pool.method == "max" else \
                [(a, b) for a in range(k) for b in range(k)]
            for a, b in cells:
                routes.setdefault((r + a + 1, c + b + 1), []).append(sym[lay.up.key(i + 1, j + 1)])

    def formula(i: int, j: int):
        terms = routes.get((i, j), [])
        total = add(*terms) if terms else sp.Integer(0)
        return mul(sp.Rational(1, k * k), total) if pool.method == "average" and terms else total

    add_map(builder, target, Phase.BACKWARD, right, formula, rule=f"conv_grad_pool_{pool.method}", mistakes=mistakes)


def _activation_backward(spec, lay: Layout, builder: StepBuilder) -> None:
    sym, act = builder.notation, ACTIVATIONS[spec.activation]
    above = lay.grad_f or lay.up

    def compute(env: Env) -> np.ndarray:
        u = lay.u.read(env)
        return above.read(env) * act.slope(u, act.forward(u))

    def formula(i: int, j: int):
        slope = act.slope_formula(sym[lay.u.key(i, j)], sym[lay.f.key(i, j)])
        return mul(sym[above.key(i, j)], slope)

    add_map(builder, lay.grad_u, Phase.BACKWARD, compute, formula, rule="conv_grad_u",
            mistakes=[("missing_derivative", above.read)])


def _conv_backward(spec, lay: Layout, builder: StepBuilder) -> None:
    sym, s, p, k, n, w = builder.notation, spec.stride, spec.padding, spec.size, lay.u.n, spec.side
    delta = lay.grad_u

    def inside(a: int, c: int) -> bool:
        return 1 <= a <= w and 1 <= c <= w

    for z, grad_h in zip(lay.zs, lay.grad_hs):
        def filter_formula(q1: int, q2: int, z=z):
            pairs = [(sym[delta.key(i, j)], sym[z.key((i - 1) * s + q1 - p, (j - 1) * s + q2 - p)])
                     for i in range(1, n + 1) for j in range(1, n + 1)
                     if inside((i - 1) * s + q1 - p, (j - 1) * s + q2 - p)]
            return products(pairs, n if len(pairs) == n * n else 0)

        terms = lambda env, z=z: grids.filter_gradient_terms(z.read(env), delta.read(env), k, s, p)
        singles = [("conv_filter_grad_not_summed", lambda env, at=at, terms=terms: terms(env)[at])
                   for at in range(n * n)] if n > 1 else []
        add_map(builder, grad_h, Phase.GRADIENT,
                lambda env, z=z: grids.filter_gradient(z.read(env), delta.read(env), k, s, p), filter_formula,
                rule="conv_grad_filter", mistakes=singles)
    builder.add("grad_b", Phase.GRADIENT, block(BlockSum, [sym[key] for _, _, key in delta.cells()], n),
                lambda env: float(np.sum(delta.read(env))), rule="conv_grad_bias")

    for h, grad_z in zip(lay.hs, lay.grad_zs):
        def input_formula(a: int, c: int, h=h):
            # The outputs whose window holds z_ac form a block: rows ``rows`` by columns ``cols``.
            rows = [i for i in range(1, n + 1) if 1 <= a - (i - 1) * s + p <= k]
            cols = [j for j in range(1, n + 1) if 1 <= c - (j - 1) * s + p <= k]
            pairs = [(sym[delta.key(i, j)], sym[h.key(a - (i - 1) * s + p, c - (j - 1) * s + p)])
                     for i in rows for j in cols]
            return products(pairs, len(cols))

        add_map(builder, grad_z, Phase.GRADIENT,
                lambda env, h=h: grids.input_gradient(delta.read(env), h.read(env), w, s, p), input_formula,
                rule="conv_grad_input")
