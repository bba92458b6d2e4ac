"""The ``rnn:`` section: a recurrent net unrolled over T time steps, in the lecture's notation
(u^t = W^in x^t + W z^(t-1) + b, z^t = f(u^t), v^t = W^out z^t + b^out, y^t = f_out(v^t))."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

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

MAX_T = 4  # unrolled by hand: more time steps add length, not insight


def _check_matrix(matrix: tuple, name: str, rows: int, cols: int, what: str) -> None:
    lengths = [len(row) for row in matrix]
    if len(set(lengths)) > 1:
        raise fail(f"the rows of {name} have different lengths ({', '.join(map(str, lengths))}); "
                   f"{name} must be {rows}x{cols} ({what})", name)
    got = (len(matrix), lengths[0] if lengths else 0)
    if got != (rows, cols):
        raise fail(f"{name} must be {rows}x{cols} ({what}), got {got[0]}x{got[1]}", name)


def _check_vector(vector: tuple | None, name: str, n: int, what: str) -> None:
    if vector is not None and len(vector) != n:
        raise fail(f"{name} must have {plural(n, 'entry', 'entries')} ({what}), got {len(vector)}", name)


class RnnSpec(Model):
    """A recurrent net unrolled over T = 1..4 time steps: u^t = W^in x^t + W z^(t-1) + b,
    z^t = f(u^t), v^t = W^out z^t + b^out, y^t = f_out(v^t), and E the loss summed over t."""

    sizes: Annotated[tuple[Annotated[int, Field(ge=1, le=MAX_UNITS)], ...], BeforeValidator(sequence)]
    """Three numbers: input units, hidden units, output units."""
    activation: Activation
    """The hidden units' f: identity, relu, sigmoid or tanh."""
    output_activation: Activation
    """The output units' f_out: identity, relu, sigmoid, tanh or softmax."""
    loss: LossName
    """squared_error, mse, binary_cross_entropy (sigmoid output) or cross_entropy (softmax
    output), taken at every t and summed over t."""
    W_in: Matrix
    """hidden x input: entry [j][i] = w_ji^in, from input i to hidden unit j."""
    W: Matrix
    """hidden x hidden: entry [j][j'] = w_jj', from z_j'^(t-1) to hidden unit j at t."""
    W_out: Matrix
    """output x hidden: entry [k][j] = w_kj^out, from hidden unit j to output k."""
    b: Vector | None = None
    """The hidden biases, one per hidden unit (zeros when missing)."""
    b_out: Vector | None = None
    """The output biases, one per output unit (zeros when missing)."""
    h0: Vector | None = None
    """z^0, the hidden state before t = 1, one per hidden unit (zeros when missing)."""
    inputs: Matrix
    """x^t, one row per time step (1 to 4 rows), one number per input unit."""
    targets: Matrix
    """d^t, one row per time step, one number per output unit."""
    learning_rate: Annotated[Number, Field(gt=0)] | None = None
    """Optional: the learning rate η; then every weight's update is a step too."""

    @model_validator(mode="after")
    def _consistent(self) -> RnnSpec:
        if len(self.sizes) != 3:
            raise fail(f"sizes lists the input, hidden and output units: 3 numbers, got {len(self.sizes)}", "sizes")
        n_in, n_hidden, n_out = self.sizes
        if not 1 <= len(self.inputs) <= MAX_T:
            raise fail(f"inputs needs 1 to {MAX_T} rows (one per time step), got {len(self.inputs)}", "inputs")
        check_steps(self.step_count(), "per time step one per u, z, v, y, δᵒᵘᵗ and δ, and E⁽ᵗ⁾; one per weight "
                    "and bias for its gradient, and one more for its update; 1 for E", "sizes")
        if self.activation == "softmax":
            raise fail("softmax is allowed only as the output_activation, not for the hidden units", "activation")
        if self.output_activation == "softmax" and n_out < 2:
            raise fail("softmax needs at least 2 output units (with 1 unit its output is always 1)", "output_activation")
        check_loss(self.loss, self.output_activation, None, ("loss",), ("targets",))
        _check_matrix(self.W_in, "W_in", n_hidden, n_in, "one row per hidden unit, one column per input")
        _check_matrix(self.W, "W", n_hidden, n_hidden, "one row and one column per hidden unit")
        _check_matrix(self.W_out, "W_out", n_out, n_hidden, "one row per output unit, one column per hidden unit")
        _check_vector(self.b, "b", n_hidden, "one per hidden unit")
        _check_vector(self.b_out, "b_out", n_out, "one per output unit")
        _check_vector(self.h0, "h0", n_hidden, "z⁰, one per hidden unit")
        if len(self.targets) != len(self.inputs):
            raise fail(f"targets needs one row per time step: {plural(len(self.inputs), 'row')} like inputs, "
                       f"got {len(self.targets)}", "targets")
        for key, width in (("inputs", n_in), ("targets", n_out)):
            for t, row in enumerate(getattr(self, key)):
                if len(row) != width:
                    raise fail(f"each row of {key} needs {plural(width, 'entry', 'entries')}, got {len(row)}", key, t)
        for t, row in enumerate(self.targets):
            check_loss(self.loss, self.output_activation, row, ("loss",), ("targets", t))
        return self

    def step_count(self) -> int:
        n_in, n_hidden, n_out = self.sizes
        parameters = n_hidden * (n_in + n_hidden + 1) + n_out * (n_hidden + 1)
        per_t = 3 * (n_hidden + n_out) + 1  # u, z, δ per hidden unit; v, y, δᵒᵘᵗ per output; E⁽ᵗ⁾
        return self.T * per_t + 1 + parameters * (2 if self.learning_rate is not None else 1)

    @property
    def T(self) -> int:
        """The number of time steps: the rows of inputs."""
        return len(self.inputs)

    def hidden_bias(self) -> tuple[float, ...]:
        return self.b if self.b is not None else (0.0,) * self.sizes[1]

    def output_bias(self) -> tuple[float, ...]:
        return self.b_out if self.b_out is not None else (0.0,) * self.sizes[2]

    def start(self) -> tuple[float, ...]:
        """z^0: h0, or zeros."""
        return self.h0 if self.h0 is not None else (0.0,) * self.sizes[1]
