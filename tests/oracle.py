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
        return [x * sp.Heaviside(x, 0) for x in u]  # H(0) = 0: the lecture's ReLU′(0) = 0
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


def _sympy_forward(net, W: dict, b: dict) -> tuple[dict, sp.Expr]:
    """u, h of every layer and E, built from W[l][j][i] and b[l][j] (numbers or symbols)."""
    sizes = list(net.sizes)
    h = [sp.Float(x) for x in net.input]
    forward = {}
    for l in range(1, len(sizes)):
        u = [sum(W[l][j][i] * h[i] for i in range(sizes[l - 1])) + b[l][j] for j in range(sizes[l])]
        h = _sympy_activation(net.activations[l - 1], u)
        forward[f"u{l}"], forward[f"h{l}"] = u, h
    return forward, _sympy_loss(net.loss, h, [float(t) for t in net.target])


def sympy_network(net) -> dict:
    """Forward values and dE/dW, dE/db by SymPy differentiation of the composed loss.

    Each derivative is taken with every other parameter already a number: E is then a function
    of one symbol, which SymPy differentiates in milliseconds, where the loss of all parameters
    at once grows with every layer. It is still SymPy's own chain rule on the whole loss, not the
    engine's delta recursion.
    """
    layers = range(1, len(net.sizes))
    W = {l: [[sp.Float(float(v)) for v in row] for row in net.W(l)] for l in layers}
    b = {l: [sp.Float(float(v)) for v in net.b(l)] for l in layers}
    forward, E = _sympy_forward(net, W, b)
    result = {key: [float(x) for x in values] for key, values in forward.items()}
    result["E"] = float(E)
    p = sp.Symbol("p")

    def derivative(params: dict, l: int, *index: int) -> float:
        place = params[l] if len(index) == 1 else params[l][index[0]]
        value, place[index[-1]] = place[index[-1]], p
        try:
            _, loss = _sympy_forward(net, W, b)
        finally:
            place[index[-1]] = value
        return float(sp.diff(loss, p).subs(p, value))

    for l in layers:
        result[f"grad_W{l}"] = [[derivative(W, l, j, i) for i in range(len(row))] for j, row in enumerate(W[l])]
        result[f"grad_b{l}"] = [derivative(b, l, j) for j in range(len(b[l]))]
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
