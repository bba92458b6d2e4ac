"""Gradient check of an output layer: the loss by each score, when scores and a loss are given."""

from __future__ import annotations

from tutor.engine.keys import Net as N


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    layer = problem.layer
    if layer.scores is None or layer.loss is None:
        return []
    return [(N.u(1, j), N.delta(1, j)) for j in range(1, len(layer.scores) + 1)]


def objective(problem):
    return lambda env: env["E"]


def wrt(problem) -> str:
    return "E"
