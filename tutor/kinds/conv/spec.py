"""The ``conv:`` and ``pool:`` sections: an image and a filter as lists of rows, or (conv only) one
such grid per channel, C×W×W and C×H×H, the channels summed."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from tutor.problem.common import (
    Activation,
    Matrix,
    Model,
    Number,
    _number,
    check_steps,
    fail,
)

MAX_SIDE = 12  # an image side students work through by hand, with room to spare
MAX_CHANNELS = 4

Side = Annotated[int, Field(ge=1, le=MAX_SIDE)]
Granularity = Literal["matrix", "entry"]


def _is_channels(value: Any) -> bool:
    return (isinstance(value, (list, tuple)) and bool(value) and isinstance(value[0], (list, tuple))
            and bool(value[0]) and isinstance(value[0][0], (list, tuple)))


def _checked(value: Any, depth: int, at: tuple[int, ...]) -> Any:
    """Nested lists of finite numbers, ``depth`` levels deep; an error names the entry it is about."""
    if depth == 0:
        try:
            return _number(value)
        except PydanticCustomError as err:
            raise fail(str(err.context["message"]), *at) from None
    if not isinstance(value, (list, tuple)) or not value:
        example = "a list of rows such as [[1, 2], [3, 4]]" if depth == 2 else "a row of numbers such as [1, 2]"
        raise fail(f"expected {example}", *at)
    return tuple(_checked(item, depth - 1, (*at, i)) for i, item in enumerate(value))


def _grids(value: Any) -> Any:
    """One grid (a list of rows), or one grid per channel."""
    if _is_channels(value):
        if len(value) > MAX_CHANNELS:
            raise fail(f"at most {MAX_CHANNELS} channels, got {len(value)}")
        return tuple(_checked(channel, 2, (c,)) for c, channel in enumerate(value))
    return _checked(value, 2, ())


Grids = Annotated[tuple, BeforeValidator(_grids)]


def side(grid: tuple[tuple[float, ...], ...], name: str, what: str, *at: int) -> int:
    """The side of a square grid whose rows all have the same length (1 to MAX_SIDE)."""
    if not 1 <= len(grid) <= MAX_SIDE:
        raise fail(f"{name} needs 1 to {MAX_SIDE} rows ({what}), got {len(grid)}", name, *at)
    for r, row in enumerate(grid):
        if len(row) != len(grid):
            raise fail(f"{name} must be square ({len(grid)} rows, so {len(grid)} numbers in each row); "
                       f"row {r + 1} has {len(row)}", name, *at, r)
    return len(grid)


def _sides(grids: tuple, name: str, what: str) -> int:
    """The common side of every channel's grid."""
    sides = {side(grid, name, what, c) for c, grid in enumerate(grids)} if len(grids) > 1 else \
        {side(grids[0], name, what)}
    if len(sides) > 1:
        raise fail(f"every channel of {name} must have the same size, got sides {sorted(sides)}", name)
    return sides.pop()


def out_side(width: int, size: int, stride: int, padding: int = 0) -> int:
    """⌊(W − H + 2P)/S⌋ + 1 (at most 0 when the window does not fit)."""
    return (width - size + 2 * padding) // stride + 1


def check_upstream(upstream: tuple[tuple[float, ...], ...], n: int, what: str) -> None:
    got = (len(upstream), len(upstream[0]) if upstream else 0)
    if got != (n, n) or any(len(row) != n for row in upstream):
        raise fail(f"upstream must be {n}×{n}, the shape of {what}, got {got[0]}×{got[1]}", "upstream")


class PoolingSpec(Model):
    """Pooling in square regions: ``{method: max, size: 2, stride: 2}``."""

    method: Literal["max", "average"]
    """max (the largest value in each region) or average (the mean of each region)."""
    size: Side
    """The side H of each square region."""
    stride: Side | None = None
    """How far the region moves (default: the size, so regions do not overlap)."""

    @property
    def step(self) -> int:
        return self.stride if self.stride is not None else self.size


def _pooled_side(width: int, pool: PoolingSpec, what: str, at: str) -> int:
    n = out_side(width, pool.size, pool.step)
    if n < 1:
        raise fail(f"a {pool.size}×{pool.size} pooling region does not fit in {what} ({width}×{width})", at, "size")
    return n


class ConvSpec(Model):
    """One channel: u_ij = Σ_p Σ_q z_(i·S+p)(j·S+q) h_pq + b over the zero-padded image (no flip: the
    lecture's cross-correlation), then the activation, then pooling, each optional."""

    input: Grids
    """The image z, W×W: one list per row; or C such grids, one per channel (C×W×W)."""
    filter: Grids
    """The filter h, H×H, applied as the lecture writes it (no flip); C×H×H for C channels."""
    bias: Number = 0.0
    """The bias b added to every u_ij (default 0)."""
    stride: Side = 1
    """The stride S (default 1)."""
    padding: Annotated[int, Field(ge=0, le=MAX_SIDE)] = 0
    """Rows and columns of zeros added on every side, P (default 0)."""
    activation: Activation | None = None
    """An activation of the maths table applied to every u_ij (none when missing)."""
    pool: PoolingSpec | None = None
    """Pooling after the activation (none when missing)."""
    upstream: Matrix
    """∂E/∂(the last output): the pooled map, else the activation's output, else u; shaped like it."""
    granularity: Granularity | None = None
    """matrix: each map is one answer, typed row by row; entry: one answer per entry (default:
    entry by entry for grids of at most 2×2, a matrix otherwise)."""

    @model_validator(mode="after")
    def _shapes(self) -> ConvSpec:
        if _is_channels(self.input) != _is_channels(self.filter) or len(self.images) != len(self.filters):
            raise fail(f"filter needs one H×H grid per channel of the input ({len(self.images)} "
                       f"channel{'s' if len(self.images) > 1 else ''}), got {len(self.filters)}", "filter")
        width = _sides(self.images, "input", "the image, one list per row")
        size = _sides(self.filters, "filter", "one list per row")
        if self.activation == "softmax":
            raise fail("softmax acts on a whole vector, not on each entry of a map: choose an elementwise "
                       "activation (identity, relu, sigmoid, tanh)", "activation")
        n = out_side(width, size, self.stride, self.padding)
        if n < 1:
            raise fail(f"the {size}×{size} filter does not fit in the {width}×{width} image with padding "
                       f"{self.padding}", "filter")
        last, what = n, "u (the output of the convolution)" if self.activation in (None, "identity") \
            else "the activation's output"
        if self.pool is not None:
            last, what = _pooled_side(n, self.pool, "the convolution's output", "pool"), "the pooled output"
        check_upstream(self.upstream, last, what)
        check_steps(4 * n * n + 2 * last * last + len(self.images) * (size * size + width * width) + 3,
                    "one per entry of every map", "input")
        return self

    @property
    def multichannel(self) -> bool:
        """Whether the file gives channels (C×W×W), even one: then maps of z and h keep that level."""
        return _is_channels(self.input)

    @property
    def images(self) -> tuple:
        return self.input if self.multichannel else (self.input,)

    @property
    def filters(self) -> tuple:
        return self.filter if _is_channels(self.filter) else (self.filter,)

    @property
    def side(self) -> int:
        return len(self.images[0])

    @property
    def size(self) -> int:
        return len(self.filters[0])

    @property
    def activated(self) -> bool:
        """Whether the activation is a step of its own (identity changes nothing)."""
        return self.activation not in (None, "identity")


class PoolSpec(Model):
    """Pooling alone: an input map, the regions, and ∂E/∂(the pooled output)."""

    input: Matrix
    """The map z, W×W: one list per row."""
    pool: PoolingSpec
    """The regions: ``{method: max, size: 2, stride: 2}``."""
    upstream: Matrix
    """∂E/∂(the pooled output), shaped like it."""
    granularity: Granularity | None = None
    """matrix or entry, as for conv (default: entry by entry for grids up to 2×2)."""

    @model_validator(mode="after")
    def _shapes(self) -> PoolSpec:
        width = side(self.input, "input", "the map, one list per row")
        last = _pooled_side(width, self.pool, "the input", "pool")
        check_upstream(self.upstream, last, "the pooled output")
        return self

    @property
    def side(self) -> int:
        return len(self.input)
