"""The env names of a batch-normalisation problem, spelt once (built with tutor.engine.keys).

Given: uₙ ("u_1"), γ ("gamma"), β ("beta"), ε ("eps") and the upstream ∂E/∂yₙ ("grad_y_1").
Found: μ ("mu"), σ² ("var"), ûₙ ("uhat_1"), yₙ = f_BN(uₙ) ("y_1"), then ∂E/∂γ, ∂E/∂β, ∂E/∂ûₙ, ∂E/∂σ²,
∂E/∂μ and ∂E/∂uₙ ("grad_gamma", ..., "grad_u_1")."""

from __future__ import annotations

from tutor.engine.keys import grad, key

GAMMA, BETA, EPS, MU, VAR = "gamma", "beta", "eps", "mu", "var"
GRAD_GAMMA, GRAD_BETA, GRAD_VAR, GRAD_MU = grad(GAMMA), grad(BETA), grad(VAR), grad(MU)


def u(n: int) -> str:
    return key("u", n)


def u_hat(n: int) -> str:
    return key("uhat", n)


def y(n: int) -> str:
    """yₙ = f_BN(uₙ), the unit's output for sample n."""
    return key("y", n)


def upstream(n: int) -> str:
    """∂E/∂yₙ, given."""
    return grad(y(n))


def grad_u_hat(n: int) -> str:
    return grad(u_hat(n))


def grad_u(n: int) -> str:
    return grad(u(n))
