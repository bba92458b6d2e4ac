"""The ``optimizer:`` section: one Adam update of a few weights."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from tutor.problem.common import MAX_UNITS, Model, Number, Vector, fail, plural

MAX_ADAM_STEP = 10_000  # t; beyond this 1 - beta^t is 1 to every digit shown

class OptimizerSpec(Model):
    """One update of a few weights by an optimizer (Adam), from given gradients:
    m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g^2, m^ = m / (1 - beta1^t),
    v^ = v / (1 - beta2^t), w_new = w - eta m^ / (sqrt(v^) + epsilon)."""

    method: Literal["adam"] = "adam"
    """The optimizer: adam (the only one so far)."""
    weights: Vector
    """The weights w before the update, 1 to 64 of them."""
    gradients: Vector
    """The gradients g = dE/dw at these weights, one per weight."""
    t: Annotated[int, Field(ge=1, le=MAX_ADAM_STEP)] = 1
    """Which update this is: 1 for the first (default), 2 for the second, ..."""
    m: Vector | None = None
    """The first moments before this update, one per weight (zeros when missing; must be zeros at t = 1)."""
    v: Vector | None = None
    """The second moments before this update, each 0 or more (zeros when missing; zeros at t = 1)."""
    learning_rate: Annotated[Number, Field(gt=0)] = 0.001
    """The learning rate eta, greater than 0 (default 0.001)."""
    beta1: Annotated[Number, Field(ge=0, lt=1)] = 0.9
    """The decay rate of the first moment, 0 <= beta1 < 1 (default 0.9)."""
    beta2: Annotated[Number, Field(ge=0, lt=1)] = 0.999
    """The decay rate of the second moment, 0 <= beta2 < 1 (default 0.999)."""
    epsilon: Annotated[Number, Field(gt=0)] = 1e-8
    """Added to sqrt(v^) so the division is safe, greater than 0 (default 1e-8)."""

    @model_validator(mode="after")
    def _consistent(self) -> OptimizerSpec:
        n = len(self.weights)
        if not 1 <= n <= MAX_UNITS:
            raise fail(f"weights needs 1 to {MAX_UNITS} entries, got {n}", "weights")
        for key in ("gradients", "m", "v"):
            values = getattr(self, key)
            if values is not None and len(values) != n:
                raise fail(f"{key} must have {plural(n, 'entry', 'entries')} (one per weight), got {len(values)}", key)
        for i, value in enumerate(self.v or ()):
            if value < 0:
                raise fail(f"v is a mean of squares, so it cannot be negative; got {value:g}", "v", i)
        if self.t == 1:
            for key in ("m", "v"):
                for i, value in enumerate(getattr(self, key) or ()):
                    if value != 0:
                        raise fail(f"at t = 1 nothing came before, so {key} starts at 0; give t: 2 or more "
                                   f"for moments from earlier updates", key, i)
        return self

    def moments(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """(m, v) before the update, zeros where the file does not give them."""
        zeros = (0.0,) * len(self.weights)
        return (self.m if self.m is not None else zeros, self.v if self.v is not None else zeros)
