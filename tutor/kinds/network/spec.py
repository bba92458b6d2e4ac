"""The ``network:`` section: a layered network, its weights and its optional training set."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, field_validator, model_validator

from tutor.problem.common import (
    MAX_UNITS,
    Activation,
    LossName,
    Matrix,
    Model,
    Number,
    Vector,
    check_loss,
    check_steps,
    fail,
    plural,
    sequence,
)

MAX_LAYERS = 6
MAX_TRAINING_ROWS = 1000

class Weights(Model):
    """``W{l}`` for every layer l (n_l rows x n_(l-1) columns, entry [j][i] = w_ji, the weight
    to unit j of layer l from unit i of layer l-1); ``b{l}`` optional (zeros), n_l entries."""

    W1: Matrix | None = None
    """Weights of layer 1 (from the inputs)."""
    W2: Matrix | None = None
    """Weights of layer 2."""
    W3: Matrix | None = None
    """Weights of layer 3."""
    W4: Matrix | None = None
    """Weights of layer 4."""
    W5: Matrix | None = None
    """Weights of layer 5."""
    W6: Matrix | None = None
    """Weights of layer 6."""
    b1: Vector | None = None
    """Biases of layer 1 (zeros when missing)."""
    b2: Vector | None = None
    """Biases of layer 2 (zeros when missing)."""
    b3: Vector | None = None
    """Biases of layer 3 (zeros when missing)."""
    b4: Vector | None = None
    """Biases of layer 4 (zeros when missing)."""
    b5: Vector | None = None
    """Biases of layer 5 (zeros when missing)."""
    b6: Vector | None = None
    """Biases of layer 6 (zeros when missing)."""



class TrainingSpec(Model):
    """A training set: row n of ``inputs`` goes with row n of ``targets``."""

    inputs: Matrix
    """The inputs, one row per example (sizes[0] numbers each), 1 to 1000 rows."""
    targets: Matrix
    """The targets, one row per example (one number per output unit)."""

    @field_validator("inputs", "targets")
    @classmethod
    def _rows(cls, rows: tuple) -> tuple:
        if not 1 <= len(rows) <= MAX_TRAINING_ROWS:
            raise fail(f"needs 1 to {MAX_TRAINING_ROWS} rows, got {len(rows)}")
        return rows


class NetworkSpec(Model):
    """A layered network: u^(l) = W^(l) h^(l-1) + b^(l), h^(l) = f_l(u^(l)), h^(0) = input."""

    sizes: Annotated[tuple[Annotated[int, Field(ge=1, le=MAX_UNITS)], ...], BeforeValidator(sequence)]
    """The input size, then each layer's number of units: 2 to 7 entries (1 to 6 layers), each 1..64."""
    activations: Annotated[tuple[Activation, ...], BeforeValidator(sequence)]
    """One per layer (not for the input): identity, relu, sigmoid, tanh or softmax (last layer only)."""
    loss: LossName
    """squared_error (E = 1/2 sum (y-d)^2), mse (mean of (y-d)^2, as PyTorch's MSELoss),
    binary_cross_entropy (needs a sigmoid output and targets in [0, 1]) or cross_entropy
    (needs a softmax output and targets >= 0)."""
    weights: Weights
    """W1, W2, ... (required, one per layer) and b1, b2, ... (optional)."""
    input: Vector
    """The input vector x = h^(0): sizes[0] numbers."""
    target: Vector
    """The target (teacher) vector d: one number per output unit."""
    learning_rate: Annotated[Number, Field(gt=0)] = 0.1
    """The learning rate eta for the weight update, greater than 0 (default 0.1)."""
    training: TrainingSpec | None = None
    """Optional: the whole training set for ``bptutor train`` (for XOR, the truth table);
    without it, training repeats the one example above."""

    @field_validator("sizes")
    @classmethod
    def _sizes_length(cls, sizes: tuple[int, ...]) -> tuple[int, ...]:
        if not 2 <= len(sizes) <= MAX_LAYERS + 1:
            raise fail(
                "sizes lists the input size and then each layer's size, so it needs 2 to "
                f"{MAX_LAYERS + 1} entries (1 to {MAX_LAYERS} layers); got {len(sizes)}"
            )
        return sizes

    @model_validator(mode="after")
    def _consistent(self) -> NetworkSpec:
        layers = self.layers
        check_steps(self.step_count(), "3 per unit: u, h and δ; 2 per weight and per bias: its gradient and "
                    "its update; 1 for the error", "sizes")
        if len(self.activations) != layers:
            raise fail(
                f"needs one activation per layer: sizes {list(self.sizes)} describe "
                f"{plural(layers, 'layer')}, so activations needs {plural(layers, 'entry', 'entries')}, "
                f"got {len(self.activations)}",
                "activations",
            )
        for l, name in enumerate(self.activations, start=1):
            if name == "softmax" and l != layers:
                raise fail(f"softmax is allowed only on the output layer (layer {layers}), not on layer {l}", "activations", l - 1)
            if name == "softmax" and self.sizes[l] < 2:
                raise fail("softmax needs at least 2 output units (with 1 unit its output is always 1)", "activations", l - 1)
        check_loss(self.loss, self.activations[-1], None, ("loss",), ("target",))
        given = self.weights.model_fields_set
        for l in range(1, MAX_LAYERS + 1):
            for prefix in ("W", "b"):
                key = f"{prefix}{l}"
                if l > layers and key in given:
                    raise fail(f"{key} is given, but the network has only {plural(layers, 'layer')}", "weights", key, on_key=True)
        for l in range(1, layers + 1):
            rows, cols = self.sizes[l], self.sizes[l - 1]
            what = (
                f"one row per unit of layer {l}, "
                + ("one column per input" if l == 1 else f"one column per unit of layer {l - 1}")
            )
            matrix = getattr(self.weights, f"W{l}")
            if matrix is None:
                raise fail(f"W{l} is missing: every layer needs its weights (W{l} must be {rows}x{cols}: {what})", "weights")
            lengths = sorted({len(row) for row in matrix})
            if len(lengths) > 1:
                raise fail(
                    f"the rows of W{l} have different lengths ({', '.join(str(len(r)) for r in matrix)}); "
                    f"W{l} must be {rows}x{cols} ({what})",
                    "weights",
                    f"W{l}",
                )
            got = (len(matrix), lengths[0] if lengths else 0)
            if got != (rows, cols):
                raise fail(f"W{l} must be {rows}x{cols} ({what}), got {got[0]}x{got[1]}", "weights", f"W{l}")
            bias = getattr(self.weights, f"b{l}")
            if bias is not None and len(bias) != rows:
                raise fail(
                    f"b{l} must have {plural(rows, 'entry', 'entries')} (one per unit of layer {l}), got {len(bias)}",
                    "weights",
                    f"b{l}",
                )
        if len(self.input) != self.sizes[0]:
            raise fail(
                f"input must have {plural(self.sizes[0], 'entry', 'entries')} (sizes[0] = {self.sizes[0]}), "
                f"got {len(self.input)}",
                "input",
            )
        if len(self.target) != self.sizes[-1]:
            raise fail(
                f"target must have {plural(self.sizes[-1], 'entry', 'entries')} (one per output unit), "
                f"got {len(self.target)}",
                "target",
            )
        check_loss(self.loss, self.activations[-1], self.target, ("loss",), ("target",))
        if self.training is not None:
            self._check_training(self.training)
        return self

    def _check_training(self, training: TrainingSpec) -> None:
        if len(training.inputs) != len(training.targets):
            raise fail(
                f"training needs one target per input: {plural(len(training.inputs), 'input')}, "
                f"{plural(len(training.targets), 'target')}",
                "training", "targets",
            )
        for key, width in (("inputs", self.sizes[0]), ("targets", self.sizes[-1])):
            for n, row in enumerate(getattr(training, key)):
                if len(row) != width:
                    raise fail(f"each of training's {key} needs {plural(width, 'entry', 'entries')}, got {len(row)}",
                               "training", key, n)
        for n, row in enumerate(training.targets):
            check_loss(self.loss, self.activations[-1], row, ("loss",), ("training", "targets", n))

    def step_count(self) -> int:
        """How many steps the derivation has, from the sizes alone."""
        units = sum(self.sizes[1:])
        weights = sum(self.sizes[l] * self.sizes[l - 1] for l in range(1, len(self.sizes)))
        return 3 * units + 2 * (weights + units) + 1

    @property
    def layers(self) -> int:
        """The number of layers with weights (len(sizes) - 1)."""
        return len(self.sizes) - 1

    def W(self, l: int) -> tuple[tuple[float, ...], ...]:
        """The weight matrix of layer l (1-based): n_l rows x n_(l-1) columns, [j][i] = w_ji."""
        if not 1 <= l <= self.layers:
            raise IndexError(f"layer {l} does not exist (the network has {self.layers} layers)")
        matrix = getattr(self.weights, f"W{l}")
        assert matrix is not None
        return matrix

    def b(self, l: int) -> tuple[float, ...]:
        """The bias vector of layer l (1-based); zeros when the file does not give it."""
        if not 1 <= l <= self.layers:
            raise IndexError(f"layer {l} does not exist (the network has {self.layers} layers)")
        bias = getattr(self.weights, f"b{l}")
        return bias if bias is not None else (0.0,) * self.sizes[l]
