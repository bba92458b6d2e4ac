"""The named mistakes of batch normalisation, one small rule each (their keys are in
tutor.engine.mistakes.KEYS, their messages in tutor/i18n/ under "mistake.<key>").

Each rule gets the pieces of the right computation as callables of the environment and returns
the value the wrong derivation gives."""

from __future__ import annotations

from tutor.engine.mistakes import Part
from tutor.steps import Mistake


def var_unbiased(wrong: Part) -> Mistake:
    """σ² divided by N − 1 (the sample variance) instead of the lecture's N, or a value built on it."""
    return Mistake("bn_var_unbiased", wrong)


def std_for_var(std: Part) -> Mistake:
    """σ, the square root, given where σ² is asked."""
    return Mistake("bn_std_for_var", std)


def sqrt_forgotten(wrong: Part) -> Mistake:
    """ûₙ = (uₙ − μ) / (σ² + ε): divided by the variance, not by its square root."""
    return Mistake("bn_sqrt_forgotten", wrong)


def beta_forgotten(scaled: Part) -> Mistake:
    """yₙ = γ ûₙ: the shift β left out."""
    return Mistake("bn_beta_forgotten", scaled)


def u_for_u_hat(wrong: Part) -> Mistake:
    """∂E/∂γ = Σ ∂E/∂yₙ uₙ: the raw input where the normalised ûₙ belongs."""
    return Mistake("bn_u_for_u_hat", wrong)


def gamma_forgotten(upstream: Part) -> Mistake:
    """∂E/∂ûₙ given as the upstream ∂E/∂yₙ, without the factor γ."""
    return Mistake("bn_gamma_forgotten", upstream)


def var_power(wrong: Part) -> Mistake:
    """∂E/∂σ² with (σ² + ε)^(−1/2) where the derivative of (σ² + ε)^(−1/2) gives −½ (σ² + ε)^(−3/2)."""
    return Mistake("bn_var_power", wrong)


def stats_constant(wrong: Part) -> Mistake:
    """∂E/∂uₙ = γ / √(σ² + ε) · ∂E/∂yₙ: μ and σ² treated as constants, though they depend on uₙ."""
    return Mistake("bn_stats_constant", wrong)


def var_path_forgotten(wrong: Part) -> Mistake:
    """∂E/∂uₙ without the term through σ²."""
    return Mistake("bn_var_path_forgotten", wrong)


def mean_path_forgotten(wrong: Part) -> Mistake:
    """∂E/∂uₙ without the term through μ."""
    return Mistake("bn_mean_path_forgotten", wrong)
