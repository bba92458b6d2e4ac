"""Independent routes to the numbers bptutor shows, written without the engine's code.

* ``sympy_network``: the whole loss as one SymPy expression of every weight and bias, differentiated
  by SymPy (not by the lecture's delta recursion the engine uses).
* ``numpy_loss`` + ``central_differences``: finite differences of a plain NumPy forward pass.
"""

from __future__ import annotations

import numpy as np
import sympy as sp


def _sympy_activation(name: str, u: list[sp.Expr]) -> list[sp.Expr]:
    if name == "identity":
        return u
    if name == "sigmoid":
        return [1 / (1 + sp.exp(-x)) for x in u]
    if name == "tanh":
        return [sp.tanh(x) for x in u]
    if name == "relu":
        return [sp.Piecewise((x, x > 0), (0, True)) for x in u]
    if name == "softmax":
        total = sum(sp.exp(x) for x in u)
        return [sp.exp(x) / total for x in u]
    raise ValueError(name)


def _sympy_loss(name: str, y: list[sp.Expr], d: list[float]) -> sp.Expr:
    n = len(y)
    if name == "squared_error":
        return sp.Rational(1, 2) * sum((yj - dj) ** 2 for yj, dj in zip(y, d))
    if name == "mse":
        return sum((yj - dj) ** 2 for yj, dj in zip(y, d)) / n
    if name == "binary_cross_entropy":
        return -sum(dj * sp.log(yj) + (1 - dj) * sp.log(1 - yj) for yj, dj in zip(y, d))
    if name == "cross_entropy":
        return -sum(dj * sp.log(yj) for yj, dj in zip(y, d) if dj != 0)
    raise ValueError(name)


def sympy_network(net) -> dict:
    """Forward values and dE/dW, dE/db by SymPy differentiation of the composed loss."""
    sizes = list(net.sizes)
    params: dict[sp.Symbol, float] = {}
    W, b = {}, {}
    for l in range(1, len(sizes)):
        W[l] = [[sp.Symbol(f"w{l}_{j}_{i}") for i in range(sizes[l - 1])] for j in range(sizes[l])]
        b[l] = [sp.Symbol(f"b{l}_{j}") for j in range(sizes[l])]
        for j, row in enumerate(net.W(l)):
            for i, value in enumerate(row):
                params[W[l][j][i]] = float(value)
        for j, value in enumerate(net.b(l)):
            params[b[l][j]] = float(value)
    h = [sp.Float(x) for x in net.input]
    forward = {}
    for l in range(1, len(sizes)):
        u = [sum(W[l][j][i] * h[i] for i in range(sizes[l - 1])) + b[l][j] for j in range(sizes[l])]
        h = _sympy_activation(net.activations[l - 1], u)
        forward[f"u{l}"] = [float(x.subs(params)) for x in u]
        forward[f"h{l}"] = [float(x.subs(params)) for x in h]
    E = _sympy_loss(net.loss, h, [float(t) for t in net.target])
    result = dict(forward, E=float(E.subs(params)))
    for l in range(1, len(sizes)):
        result[f"grad_W{l}"] = [[float(sp.diff(E, w).subs(params)) for w in row] for row in W[l]]
        result[f"grad_b{l}"] = [float(sp.diff(E, bj).subs(params)) for bj in b[l]]
    return result


def numpy_loss(net, weights: dict[str, np.ndarray]) -> float:
    h = np.asarray(net.input, dtype=float)
    for l in range(1, len(net.sizes)):
        u = weights[f"W{l}"] @ h + weights[f"b{l}"]
        act = net.activations[l - 1]
        if act == "identity":
            h = u
        elif act == "sigmoid":
            h = 1 / (1 + np.exp(-u))
        elif act == "tanh":
            h = np.tanh(u)
        elif act == "relu":
            h = np.where(u > 0, u, 0.0)
        else:
            e = np.exp(u - u.max())
            h = e / e.sum()
    d = np.asarray(net.target, dtype=float)
    if net.loss == "squared_error":
        return 0.5 * float(np.sum((h - d) ** 2))
    if net.loss == "mse":
        return float(np.mean((h - d) ** 2))
    if net.loss == "binary_cross_entropy":
        return float(-np.sum(d * np.log(h) + (1 - d) * np.log(1 - h)))
    return float(-np.sum(d[d != 0] * np.log(h[d != 0])))


def central_differences(net, eps: float = 1e-6) -> dict[str, np.ndarray]:
    weights = {}
    for l in range(1, len(net.sizes)):
        weights[f"W{l}"] = np.array(net.W(l), dtype=float)
        weights[f"b{l}"] = np.array(net.b(l), dtype=float)
    grads = {}
    for key, array in weights.items():
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            saved = array[index]
            array[index] = saved + eps
            plus = numpy_loss(net, weights)
            array[index] = saved - eps
            minus = numpy_loss(net, weights)
            array[index] = saved
            grad[index] = (plus - minus) / (2 * eps)
        grads[f"grad_{key}"] = grad
    return grads
