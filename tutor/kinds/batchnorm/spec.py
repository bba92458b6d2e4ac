"""The ``batchnorm:`` section: one unit normalised over a mini-batch of N samples."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from tutor.problem.common import MAX_UNITS, Model, Number, Vector, fail, plural

DEFAULT_EPSILON = 1e-5


class BatchNormSpec(Model):
    """Batch normalisation of one unit over a mini-batch, as the lecture writes it:
    μ = (1/N) Σ uₙ, σ² = (1/N) Σ (uₙ − μ)² (the mean of squares, divided by N),
    ûₙ = (uₙ − μ) / √(σ² + ε), yₙ = f_BN(uₙ) = γ ûₙ + β; the upstream gradient ∂E/∂yₙ is given."""

    u: Vector
    """The unit's input uₙ for each sample of the mini-batch, 2 to 64 of them."""
    gamma: Number
    """The scale γ."""
    beta: Number
    """The shift β."""
    epsilon: Annotated[Number, Field(ge=0)] = DEFAULT_EPSILON
    """Added to σ² under the square root so it is never 0, 0 or more (default 1e-5)."""
    upstream: Vector
    """∂E/∂yₙ = ∂E/∂f_BN(uₙ) for each sample, from the layer above: as many entries as u."""

    @model_validator(mode="after")
    def _consistent(self) -> BatchNormSpec:
        n = len(self.u)
        if not 2 <= n <= MAX_UNITS:
            raise fail(f"u needs 2 to {MAX_UNITS} samples (a mini-batch of one has no spread), got {n}", "u")
        if len(self.upstream) != n:
            raise fail(f"upstream must have {plural(n, 'entry', 'entries')} (one per sample of u), "
                       f"got {len(self.upstream)}", "upstream")
        if self.epsilon == 0 and len(set(self.u)) == 1:
            raise fail("every entry of u is the same, so σ² = 0 and, with epsilon 0, û divides by 0; "
                       "give different values or a positive epsilon", "u")
        return self

    @property
    def N(self) -> int:
        """The mini-batch size (the lecture's N)."""
        return len(self.u)
