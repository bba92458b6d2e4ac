"""Gradient check of a computational graph: the output by every input."""

from __future__ import annotations

from tutor.engine.keys import grad


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    return [(name, grad(name)) for name in problem.graph.inputs]


def objective(problem):
    output = problem.graph.output
    return lambda env: env[output]


def wrt(problem) -> str:
    return problem.graph.output
