"""Gradient check of an Affine layer: every entry of X, W and b.

The problem gives dE/dY rather than E, so the function differentiated is sum(Y * dE/dY), which
has the same derivatives as E at the given point."""

from __future__ import annotations


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    return [(name, f"d{name}") for name in solution.givens if not name.startswith("dY_")]


def objective(problem):
    from .derive import objective as linearised

    return lambda env: linearised(problem, env)


def wrt(problem) -> str:
    return "E"
