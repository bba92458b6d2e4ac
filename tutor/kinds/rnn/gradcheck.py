"""Gradient check of an unrolled RNN: every entry of W^in, W, W^out, b and b^out, moved at once
in every time step (the weights are shared), against E summed over t."""

from __future__ import annotations

from tutor.engine.keys import grad

from .names import parameters


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    return [(name, grad(name)) for entries in parameters(problem.rnn.sizes).values() for name, _ in entries]


def objective(problem):
    return lambda env: env["E"]


def wrt(problem) -> str:
    return "E"
