"""Gradient check of a convolution or a pooling: every filter entry, the bias and every input.

The problem gives ∂E/∂(the last output) rather than E, so the function differentiated is
E = Σ upstream ⊙ (the last output), which has the same derivatives at the given point."""

from __future__ import annotations

import math

from .common import layout


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    lay = layout(problem)
    pairs = []
    if lay.h is not None:
        pairs += [(key, lay.grad_h.key(i, j)) for i, j, key in lay.h.cells()]
        pairs.append(("b", "grad_b"))
    pairs += [(key, lay.grad_z.key(i, j)) for i, j, key in lay.z.cells()]
    return pairs


def objective(problem):
    lay = layout(problem)
    return lambda env: math.fsum(float(v) for v in (lay.up.read(env) * lay.last.read(env)).ravel())


def wrt(problem) -> str:
    return "E"
