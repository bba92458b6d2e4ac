"""Convolution and pooling computed here, apart from the engine: NumPy windows for the forward pass,
the backward pass as the transpose of each layer's Jacobian (built by probing with unit inputs), and
central differences of E = Σ upstream ⊙ (the last output)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv(z, h, b=0.0, stride=1, padding=0):
    """One channel (W×W image, H×H filter), or C channels (C×W×W, C×H×H) summed."""
    z, h = np.asarray(z, float), np.asarray(h, float)
    if z.ndim == 3:
        return sum(conv(zc, hc, 0.0, stride, padding) for zc, hc in zip(z, h)) + b
    windows = sliding_window_view(np.pad(z, padding), h.shape)[::stride, ::stride]
    return np.einsum("ijpq,pq->ij", windows, h) + b


def pool(a, method, size, stride):
    windows = sliding_window_view(np.asarray(a, float), (size, size))[::stride, ::stride]
    return windows.max(axis=(2, 3)) if method == "max" else windows.mean(axis=(2, 3))


def relu(u):
    return np.maximum(u, 0.0)


def jacobian(f, x, eps=1e-6) -> np.ndarray:
    """d f / d x at x, one column per entry of x, by central differences: exact (to rounding) for the
    maps here, which are linear, or piecewise linear and taken away from their kinks."""
    x = np.asarray(x, float)
    columns = []
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        columns.append((np.ravel(f(plus)) - np.ravel(f(minus))) / (2 * eps))
    return np.array(columns).T


def backward(section: dict) -> dict:
    """Every gradient, each as the transpose of its layer's Jacobian applied to the gradient above."""
    maps, out = forward(section), {}
    grad = np.asarray(section["upstream"], float)
    z = np.asarray(section["input"], float)
    if "pool" in section:
        spec = section["pool"]
        pre = maps.get("z", z)
        local = jacobian(lambda a: pool(a, spec["method"], spec["size"], spec.get("stride", spec["size"])), pre)
        grad = (local.T @ grad.ravel()).reshape(pre.shape)
        out["grad_pooled_input"] = grad
    if "filter" not in section:
        return out
    if (section.get("activation") or "identity") == "relu":
        grad = grad * (maps["u"] > 0)
    out["grad_u"] = grad
    h, stride, padding = np.asarray(section["filter"], float), section.get("stride", 1), section.get("padding", 0)
    by_h = jacobian(lambda w: conv(z, w, 0.0, stride, padding), np.zeros_like(h), eps=1.0)
    by_z = jacobian(lambda x: conv(x, h, 0.0, stride, padding), np.zeros_like(z), eps=1.0)
    out["grad_filter"] = (by_h.T @ grad.ravel()).reshape(h.shape)
    out["grad_bias"] = float(grad.sum())
    out["grad_input"] = (by_z.T @ grad.ravel()).reshape(z.shape)
    return out


def forward(section: dict) -> dict:
    """Every forward map of a conv or pool section, in the test's own arithmetic."""
    out = {}
    if "filter" in section:
        u = conv(section["input"], section["filter"], section.get("bias", 0), section.get("stride", 1),
                 section.get("padding", 0))
        out["u"] = u
        act = section.get("activation") or "identity"
        assert act in ("identity", "relu")
        out["z"] = relu(u) if act == "relu" else u
        pre = out["z"]
    else:
        pre = np.asarray(section["input"], float)
    if "pool" in section:
        spec = section["pool"]
        out["pooled"] = pool(pre, spec["method"], spec["size"], spec.get("stride", spec["size"]))
    return out


def last(section: dict, z, h=None, b=0.0) -> np.ndarray:
    moved = dict(section, input=z)
    if h is not None:
        moved.update(filter=h, bias=b)
    maps = forward(moved)
    return maps.get("pooled", maps.get("z"))


def energy(section: dict, z, h=None, b=0.0) -> float:
    return float(np.sum(np.asarray(section["upstream"], float) * last(section, z, h, b)))


def central(f, x, eps=1e-5) -> np.ndarray:
    x = np.asarray(x, float)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += eps
        minus[index] -= eps
        grad[index] = (f(plus) - f(minus)) / (2 * eps)
    return grad
