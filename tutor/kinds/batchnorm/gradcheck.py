"""Gradient check of batch normalisation: γ, β and every uₙ.

The problem gives the upstream ∂E/∂yₙ (yₙ = f_BN(uₙ)) rather than E, so E is the linear probe
Σₙ ∂E/∂yₙ · yₙ, which has exactly those derivatives by the outputs."""

from __future__ import annotations

from . import keys as K


def checked_parameters(problem, solution) -> list[tuple[str, str]]:
    samples = range(1, problem.batchnorm.N + 1)
    return [(K.GAMMA, K.GRAD_GAMMA), (K.BETA, K.GRAD_BETA), *((K.u(n), K.grad_u(n)) for n in samples)]


def objective(problem):
    from .derive import objective as probe

    return lambda env: probe(problem, env)


def wrt(problem) -> str:
    return "E"
