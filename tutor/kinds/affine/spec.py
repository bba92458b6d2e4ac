"""The ``affine:`` section: an Affine layer on a batch, in the row-vector convention."""

from __future__ import annotations

from pydantic import model_validator

from tutor.problem.common import MAX_UNITS, Matrix, Model, Vector, check_steps, fail, plural

def _shape(matrix: tuple[tuple[float, ...], ...], name: str, what: str) -> tuple[int, int]:
    """(rows, columns) of a matrix whose rows all have the same length, 1 to MAX_UNITS each."""
    if not 1 <= len(matrix) <= MAX_UNITS:
        raise fail(f"{name} needs 1 to {MAX_UNITS} rows ({what}), got {len(matrix)}", name)
    lengths = [len(row) for row in matrix]
    if len(set(lengths)) > 1:
        raise fail(f"the rows of {name} have different lengths ({', '.join(map(str, lengths))})", name)
    if not 1 <= lengths[0] <= MAX_UNITS:
        raise fail(f"each row of {name} needs 1 to {MAX_UNITS} numbers, got {lengths[0]}", name)
    return len(matrix), lengths[0]


class AffineSpec(Model):
    """An Affine layer on a batch, in the row-vector convention: Y = X W + b, with b added to
    every row. X is N x D (one row per example), W is D x M, b has M entries, and dY = dE/dY
    (N x M) comes from the layer above. Note W[i][j] connects input i to output j: this W is the
    transpose of the lecture's (where w_ji goes to unit j from unit i)."""

    X: Matrix
    """The inputs, N x D: one row per example of the batch, one column per input feature."""
    W: Matrix
    """The weights, D x M: one row per input feature, one column per output."""
    b: Vector | None = None
    """The biases, M entries, one per output (zeros when missing)."""
    dY: Matrix
    """dE/dY, N x M: the gradient arriving from the layer above, one row per example."""

    @model_validator(mode="after")
    def _shapes(self) -> AffineSpec:
        n, d = _shape(self.X, "X", "one row per example")
        rows, m = _shape(self.W, "W", "one row per input feature")
        if rows != d:
            raise fail(f"W must have {plural(d, 'row')} (one per column of X, since X is {n}x{d}), got {rows}", "W")
        if self.b is not None and len(self.b) != m:
            raise fail(f"b must have {plural(m, 'entry', 'entries')} (one per column of W), got {len(self.b)}", "b")
        got = _shape(self.dY, "dY", "one row per example")
        if got != (n, m):
            raise fail(f"dY must be {n}x{m}, the shape of Y = X W + b, got {got[0]}x{got[1]}", "dY")
        check_steps(n * m + n * d + d * m + m, "one per entry of Y, dX, dW and db", "X")
        return self

    @property
    def N(self) -> int:
        """The batch size: the rows of X."""
        return len(self.X)

    @property
    def D(self) -> int:
        """Input features: the columns of X, the rows of W."""
        return len(self.X[0])

    @property
    def M(self) -> int:
        """Outputs: the columns of W."""
        return len(self.W[0])

    def bias(self) -> tuple[float, ...]:
        """b, or zeros when the file does not give it."""
        return self.b if self.b is not None else (0.0,) * self.M
