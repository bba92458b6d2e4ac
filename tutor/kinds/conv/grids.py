"""The arithmetic of one channel, on NumPy arrays: correlation (no flip), pooling and their backward
passes, and the named mistakes' versions of them. Indices are 0-based here."""

from __future__ import annotations

import numpy as np


def padded(z: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(z, padding) if padding else z


def correlate(z: np.ndarray, h: np.ndarray, bias: float, stride: int, padding: int) -> np.ndarray:
    """u_ij = Σ_pq z_(iS+p)(jS+q) h_pq + b over the padded image (the lecture's convolution)."""
    zp, k = padded(z, padding), len(h)
    n = (len(zp) - k) // stride + 1
    u = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            u[i, j] = float(np.sum(zp[i * stride:i * stride + k, j * stride:j * stride + k] * h)) + bias
    return u


def filter_gradient(z: np.ndarray, delta: np.ndarray, size: int, stride: int, padding: int) -> np.ndarray:
    """∂E/∂h_pq = Σ_ij δ_ij z_(iS+p)(jS+q): one term per output position."""
    zp, n = padded(z, padding), len(delta)
    return np.array([[sum(delta[i, j] * zp[i * stride + p, j * stride + q] for i in range(n) for j in range(n))
                      for q in range(size)] for p in range(size)], dtype=float)


def filter_gradient_terms(z: np.ndarray, delta: np.ndarray, size: int, stride: int, padding: int) -> list[np.ndarray]:
    """Each output position's term of ∂E/∂h alone (the gradient not summed over positions)."""
    zp, n = padded(z, padding), len(delta)
    return [delta[i, j] * zp[i * stride:i * stride + size, j * stride:j * stride + size]
            for i in range(n) for j in range(n)]


def input_gradient(delta: np.ndarray, h: np.ndarray, width: int, stride: int, padding: int) -> np.ndarray:
    """∂E/∂z_ab = Σ δ_ij h_pq over every (i, j, p, q) with iS + p − P = a and jS + q − P = b."""
    k, n = len(h), len(delta)
    grad = np.zeros((width + 2 * padding,) * 2)
    for i in range(n):
        for j in range(n):
            grad[i * stride:i * stride + k, j * stride:j * stride + k] += delta[i, j] * h
    return grad[padding:padding + width, padding:padding + width]


def pool(a: np.ndarray, method: str, size: int, stride: int) -> np.ndarray:
    n = (len(a) - size) // stride + 1
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            region = a[i * stride:i * stride + size, j * stride:j * stride + size]
            out[i, j] = region.max() if method == "max" else region.mean()
    return out


def arg_max(region: np.ndarray) -> tuple[int, int]:
    """The first maximum in row order (a tie goes to the earlier entry)."""
    flat = int(np.argmax(region))  # NumPy returns the first occurrence
    return flat // region.shape[1], flat % region.shape[1]


def pool_gradient(a: np.ndarray, upstream: np.ndarray, method: str, size: int, stride: int,
                  spread: str = "right") -> np.ndarray:
    """∂E/∂a: max sends each δ to its region's arg-max, average spreads δ/H² over the region.
    ``spread`` gives a named mistake instead: "every" (δ to every input), "mean" (δ/H² to every
    input) or "undivided" (δ to every input of an average region)."""
    grad = np.zeros_like(a, dtype=float)
    n = len(upstream)
    for i in range(n):
        for j in range(n):
            r, c, d = i * stride, j * stride, upstream[i, j]
            if spread == "right" and method == "max":
                p, q = arg_max(a[r:r + size, c:c + size])
                grad[r + p, c + q] += d
            elif spread in ("every", "undivided"):
                grad[r:r + size, c:c + size] += d
            else:  # the average's rule, or max-pool δ averaged
                grad[r:r + size, c:c + size] += d / size**2
    return grad
