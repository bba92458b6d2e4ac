"""The ``layer:`` section: an output layer on its own."""

from __future__ import annotations

import math

from pydantic import model_validator

from tutor.problem.common import MAX_UNITS, Activation, LossName, Model, Vector, check_loss, fail

SOFTMAX_SUM_TOLERANCE = 1e-6

class LayerSpec(Model):
    """An output layer on its own: scores u (or outputs h = f(u)), the activation, and a loss."""

    activation: Activation
    """identity, relu, sigmoid, tanh or softmax."""
    scores: Vector | None = None
    """The weighted sums u. Give exactly one of scores and outputs."""
    outputs: Vector | None = None
    """The outputs h = f(u), given directly: only for softmax and sigmoid, every entry strictly
    between 0 and 1; softmax outputs must add up to 1."""
    loss: LossName | None = None
    """Optional: squared_error, mse, binary_cross_entropy (needs sigmoid) or cross_entropy
    (needs softmax)."""
    target: Vector | None = None
    """The target vector: required when a loss is given, same length as scores/outputs."""

    @model_validator(mode="after")
    def _consistent(self) -> LayerSpec:
        if self.scores is None and self.outputs is None:
            raise fail("give either 'scores' (the weighted sums u) or 'outputs' (h = f(u))")
        if self.scores is not None and self.outputs is not None:
            raise fail("give either 'scores' or 'outputs', not both", "outputs", on_key=True)
        key = "scores" if self.scores is not None else "outputs"
        values = self.values
        if not 1 <= len(values) <= MAX_UNITS:
            raise fail(f"{key} needs 1 to {MAX_UNITS} entries, got {len(values)}", key)
        if self.activation == "softmax" and len(values) < 2:
            raise fail("softmax needs at least 2 entries (with 1 entry its output is always 1)", key)
        if self.outputs is not None:
            if self.activation not in ("softmax", "sigmoid"):
                raise fail(
                    f"outputs can be given only for softmax or sigmoid; for {self.activation} give 'scores'",
                    "outputs",
                    on_key=True,
                )
            for i, h in enumerate(self.outputs):
                if not 0 < h < 1:
                    raise fail(f"{self.activation} outputs lie strictly between 0 and 1, got {h:g}", "outputs", i)
            if self.activation == "softmax" and abs(math.fsum(self.outputs) - 1) > SOFTMAX_SUM_TOLERANCE:
                raise fail(f"softmax outputs must add up to 1, but they add up to {math.fsum(self.outputs):.9g}", "outputs")
        if self.loss is None and self.target is not None:
            raise fail("a target is used only with a loss; add 'loss:' or remove 'target'", "target", on_key=True)
        if self.loss is not None:
            if self.target is None:
                raise fail(f"loss {self.loss} needs a 'target'", "loss")
            if len(self.target) != len(values):
                raise fail(f"target must have {len(values)} entries (as many as {key}), got {len(self.target)}", "target")
        check_loss(self.loss, self.activation, self.target, ("loss",), ("target",))
        return self

    @property
    def values(self) -> tuple[float, ...]:
        """Whichever of scores / outputs is given."""
        return self.scores if self.scores is not None else (self.outputs or ())
