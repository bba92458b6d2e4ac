"""Gradient check of a convolution or a pooling: every filter entry, the bias and every input.

The problem gives ∂E/∂(the last output) rather than E, so the function differentiated is
E = Σ upstream ⊙ (the last output), which has the same derivatives at the given point."""

from __future__ import annotations

import math

from .common import layout


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    lay = layout(problem)
    pairs = []
    for h, grad_h in zip(lay.hs, lay.grad_hs):
        pairs += [(key, grad_h.key(i, j)) for i, j, key in h.cells()]
    if lay.hs:
        pairs.append(("b", "grad_b"))
    for z, grad_z in zip(lay.zs, lay.grad_zs):
        pairs += [(key, grad_z.key(i, j)) for i, j, key in z.cells()]
    return pairs


def objective(problem):
    lay = layout(problem)
    return lambda env: math.fsum(float(v) for v in (lay.up.read(env) * lay.last.read(env)).ravel())


def wrt(problem) -> str:
    return "E"
