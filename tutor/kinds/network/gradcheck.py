"""Gradient check of a network: every weight and bias the problem asks a gradient for."""

from __future__ import annotations


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    gradients = {step.name for step in solution.steps}
    return [(name, f"grad_{name}") for name in solution.givens if f"grad_{name}" in gradients]


def objective(problem):
    return lambda env: env["E"]


def wrt(problem) -> str:
    return "E"
