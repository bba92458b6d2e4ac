"""The problem file format, as pydantic v2 models.

The docstring under each field documents the format for teachers writing problem files.
Models are strict (no silent conversions: ``"1e-3"`` in quotes is text, ``true`` is not a number),
refuse unknown keys and are frozen. Numbers may be written as integers or decimals; NaN and
infinities are refused. Semantic rules (matrix shapes, graph references, loss/activation
compatibility) raise errors that carry the exact sub-key they are about in ``ctx["at"]``, so
``tutor.problem.load`` can point at the right line.
"""

from __future__ import annotations

import fnmatch
import keyword
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tutor.maths import names as maths_names
from tutor.problem.yamlsafe import describe
from tutor.steps import Tolerance

if TYPE_CHECKING:  # pragma: no cover
    from tutor.expr import Expr

MAX_LAYERS = 6
MAX_UNITS = 64
MAX_GRAPH_INPUTS = 50
MAX_GRAPH_NODES = 100
MAX_NAME_LENGTH = 32
MAX_TRAINING_ROWS = 1000
MAX_VARY_POINTS = 100_000  # grid points of one vary range
MAX_ADAM_STEP = 10_000  # t; beyond this 1 - beta^t is 1 to every digit shown
SOFTMAX_SUM_TOLERANCE = 1e-6

Activation = Literal[maths_names.ACTIVATIONS]
LossName = Literal[maths_names.LOSSES]
Kind = Literal["network", "graph", "loss", "affine", "optimizer"]

# Names a graph input or node may not take: the expression language's functions and constants.
RESERVED_NAMES = maths_names.CALLABLE | frozenset(maths_names.CONSTANTS)
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def fail(message: str, *at: str | int, on_key: bool = False, near: str | None = None) -> PydanticCustomError:
    """An error with a plain-English message, located for ``tutor.problem.load``.

    ``at`` is the sub-key below the validated value; ``on_key`` points at the key rather than its
    value; ``near`` names a sibling key to point at when the value itself is missing.
    """
    context = {"message": message, "at": at, "on_key": on_key, "near": near}
    return PydanticCustomError("problem", "{message}", context)


# ----------------------------------------------------------------------------------------------
# Value types


def _number(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, list, tuple, dict)):
        hint = " (write numbers without quotes)" if isinstance(value, str) else ""
        raise fail(f"expected a number, got {describe(value)}{hint}")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            raise fail("the number is too large") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise fail("must be a finite number; .nan, .inf and numbers beyond about 1.8e308 are not allowed")
    return value


def _sequence(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _matrix(value: Any) -> Any:
    if isinstance(value, list) and value and not any(isinstance(row, (list, tuple)) for row in value):
        raise fail("a weight matrix is a list of rows, for example [[0.5, 0.5], [0.5, 0.5]] (one row per unit)")
    return _sequence(value)


def _localized(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


Number = Annotated[float, BeforeValidator(_number)]
"""A finite number; integers are accepted and become floats."""
Vector = Annotated[tuple[Number, ...], BeforeValidator(_sequence)]
Matrix = Annotated[tuple[Vector, ...], BeforeValidator(_matrix)]
Names = Annotated[tuple[str, ...], BeforeValidator(_sequence)]


class _Model(BaseModel):
    # Fields are documented by the docstring under each (a test checks); use_attribute_docstrings
    # would copy them into the models at import, which reads this file's source: +0.1 s per command.
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, allow_inf_nan=False
    )


class Localized(_Model):
    """Text in English and, optionally, Japanese. A plain string means English only."""

    en: str
    """The English text (required)."""
    ja: str | None = None
    """The Japanese text (optional; English is shown when it is missing)."""

    @field_validator("en")
    @classmethod
    def _en_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise fail("the English text is empty")
        return value

    def get(self, lang: str = "en") -> str:
        """The text in ``lang``, falling back to English."""
        if lang == "ja" and self.ja and self.ja.strip():
            return self.ja
        return self.en


Text = Annotated[Localized, BeforeValidator(_localized)]


class ToleranceSpec(_Model):
    """How close an answer must be: accepted when |answer - value| <= max(rel * |value|, abs)."""

    rel: Annotated[Number, Field(gt=0, le=0.5)] = Tolerance().rel
    """Relative tolerance, greater than 0 and at most 0.5 (default 0.01, i.e. 1 %)."""
    abs: Annotated[Number, Field(ge=0)] = Tolerance().abs
    """Absolute tolerance for values near zero, at least 0 (default 1e-9)."""


# ----------------------------------------------------------------------------------------------
# vary: which numbers a random variant may change


def _fixed_or_range(value: Any) -> Any:
    if value == "fixed":
        return {"fixed": True}
    if isinstance(value, (list, tuple)):
        return {"choices": value}
    return value


class RangeSpec(_Model):
    """Where a random variant draws a number from: ``{low: -1, high: 1, step: 0.1}`` (the grid
    low, low + step, ..., high), a list of choices ``[0, 1]``, or ``fixed`` (never changed)."""

    low: Number | None = None
    """The smallest value (with ``high``)."""
    high: Number | None = None
    """The largest value (with ``low``)."""
    step: Annotated[Number, Field(gt=0)] = 0.1
    """The grid spacing, greater than 0 (default 0.1): draws stay short decimals."""
    choices: Vector | None = None
    """Draw from these values instead of a range."""
    fixed: bool = False
    """Keep the problem's own value."""

    @model_validator(mode="after")
    def _one_kind(self) -> RangeSpec:
        ranged = self.low is not None or self.high is not None
        if sum((ranged, self.choices is not None, self.fixed)) != 1:
            raise fail("give either low and high (and optionally step), or a list of choices, or fixed")
        if self.choices is not None and not self.choices:
            raise fail("choices needs at least one value", "choices")
        if ranged:
            if self.low is None or self.high is None:
                raise fail("a range needs both low and high", near="low" if self.low is None else "high")
            if self.low > self.high:
                raise fail(f"low ({self.low:g}) is greater than high ({self.high:g})", "low")
            if (self.high - self.low) / self.step > MAX_VARY_POINTS:
                raise fail(f"the range has more than {MAX_VARY_POINTS:,} steps; use a larger step", "step")
        return self


Range = Annotated[RangeSpec, BeforeValidator(_fixed_or_range)]


def vary_keys(problem: Problem) -> list[str]:
    """The keys ``vary:`` accepts for this problem."""
    if problem.kind == "network" and problem.network is not None:
        layers = range(1, problem.network.layers + 1)
        return ["input", "target", "weights", *(f"W{l}" for l in layers), *(f"b{l}" for l in layers), "learning_rate"]
    if problem.kind == "graph" and problem.graph is not None:
        return list(problem.graph.inputs)
    if problem.kind == "affine":
        return ["X", "W", "b", "dY"]
    if problem.kind == "optimizer":
        return ["weights", "gradients", "m", "v", "learning_rate"]
    return ["scores", "outputs", "target"]


# ----------------------------------------------------------------------------------------------
# kind: network


class Weights(_Model):
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


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def _check_loss(loss: str | None, activation: str, target: tuple[float, ...] | None, loss_at: tuple, target_at: tuple) -> None:
    """The loss/output-activation rules shared by networks and single layers."""
    if loss == "binary_cross_entropy":
        if activation != "sigmoid":
            raise fail(f"binary_cross_entropy needs a sigmoid output layer, but the output activation is '{activation}'", *loss_at)
        for i, t in enumerate(target or ()):
            if not 0 <= t <= 1:
                raise fail(f"binary_cross_entropy needs targets between 0 and 1, got {t:g}", *target_at, i)
    elif loss == "cross_entropy":
        if activation != "softmax":
            raise fail(f"cross_entropy needs a softmax output layer, but the output activation is '{activation}'", *loss_at)
        for i, t in enumerate(target or ()):
            if t < 0:
                raise fail(f"cross_entropy needs targets of 0 or more, got {t:g}", *target_at, i)
        # The softmax-with-loss gradient is y - t only for targets that add up to 1.
        if target is not None and abs(math.fsum(target) - 1) > 1e-9:
            raise fail(
                f"cross_entropy needs targets that add up to 1 (one-hot, or a probability distribution); "
                f"these add up to {math.fsum(target):g}",
                *target_at,
            )


class TrainingSpec(_Model):
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


class NetworkSpec(_Model):
    """A layered network: u^(l) = W^(l) h^(l-1) + b^(l), h^(l) = f_l(u^(l)), h^(0) = input."""

    sizes: Annotated[tuple[Annotated[int, Field(ge=1, le=MAX_UNITS)], ...], BeforeValidator(_sequence)]
    """The input size, then each layer's number of units: 2 to 7 entries (1 to 6 layers), each 1..64."""
    activations: Annotated[tuple[Activation, ...], BeforeValidator(_sequence)]
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
        if len(self.activations) != layers:
            raise fail(
                f"needs one activation per layer: sizes {list(self.sizes)} describe "
                f"{_plural(layers, 'layer')}, so activations needs {_plural(layers, 'entry', 'entries')}, "
                f"got {len(self.activations)}",
                "activations",
            )
        for l, name in enumerate(self.activations, start=1):
            if name == "softmax" and l != layers:
                raise fail(f"softmax is allowed only on the output layer (layer {layers}), not on layer {l}", "activations", l - 1)
            if name == "softmax" and self.sizes[l] < 2:
                raise fail("softmax needs at least 2 output units (with 1 unit its output is always 1)", "activations", l - 1)
        _check_loss(self.loss, self.activations[-1], None, ("loss",), ("target",))
        given = self.weights.model_fields_set
        for l in range(1, MAX_LAYERS + 1):
            for prefix in ("W", "b"):
                key = f"{prefix}{l}"
                if l > layers and key in given:
                    raise fail(f"{key} is given, but the network has only {_plural(layers, 'layer')}", "weights", key, on_key=True)
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
                    f"b{l} must have {_plural(rows, 'entry', 'entries')} (one per unit of layer {l}), got {len(bias)}",
                    "weights",
                    f"b{l}",
                )
        if len(self.input) != self.sizes[0]:
            raise fail(
                f"input must have {_plural(self.sizes[0], 'entry', 'entries')} (sizes[0] = {self.sizes[0]}), "
                f"got {len(self.input)}",
                "input",
            )
        if len(self.target) != self.sizes[-1]:
            raise fail(
                f"target must have {_plural(self.sizes[-1], 'entry', 'entries')} (one per output unit), "
                f"got {len(self.target)}",
                "target",
            )
        _check_loss(self.loss, self.activations[-1], self.target, ("loss",), ("target",))
        if self.training is not None:
            self._check_training(self.training)
        return self

    def _check_training(self, training: TrainingSpec) -> None:
        if len(training.inputs) != len(training.targets):
            raise fail(
                f"training needs one target per input: {_plural(len(training.inputs), 'input')}, "
                f"{_plural(len(training.targets), 'target')}",
                "training", "targets",
            )
        for key, width in (("inputs", self.sizes[0]), ("targets", self.sizes[-1])):
            for n, row in enumerate(getattr(training, key)):
                if len(row) != width:
                    raise fail(f"each of training's {key} needs {_plural(width, 'entry', 'entries')}, got {len(row)}",
                               "training", key, n)
        for n, row in enumerate(training.targets):
            _check_loss(self.loss, self.activations[-1], row, ("loss",), ("training", "targets", n))

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


# ----------------------------------------------------------------------------------------------
# kind: graph


def _check_name(name: str, what: str) -> str | None:
    """Why ``name`` cannot name a graph input or node, or None when it is fine."""
    if not _NAME.match(name):
        return (
            f"{what} name {name!r} is not a valid name: use letters, digits and '_', "
            "starting with a letter (for example apple_price)"
        )
    if len(name) > MAX_NAME_LENGTH:
        return f"{what} name {name!r} is longer than {MAX_NAME_LENGTH} characters"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{what} name {name!r} is a reserved word; choose another name"
    if name in _reserved_names():
        return f"{what} name {name!r} is the name of a function or constant in expressions; choose another name"
    if name.startswith("grad_"):
        return f"{what} name {name!r} starts with 'grad_', which is reserved for derivatives; choose another name"
    return None


def _reserved_names() -> frozenset[str]:
    names = set(RESERVED_NAMES)
    try:
        from tutor import expr
    except ImportError:  # pragma: no cover - the expression module is part of the package
        return frozenset(names)
    for attribute in ("FUNCTIONS", "CONSTANTS", "RESERVED", "RESERVED_NAMES"):
        value = getattr(expr, attribute, None)
        if isinstance(value, (dict, set, frozenset, list, tuple)):
            names.update(str(v) for v in value)
    return frozenset(names)


def _close(name: str, options: list[str]) -> str:
    import difflib

    match = difflib.get_close_matches(name, options, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""


class GraphSpec(_Model):
    """A computational graph of scalar nodes, each an expression of inputs and earlier nodes."""

    inputs: dict[str, Number]
    """The inputs and their values, in order, e.g. {apple: 100, apple_num: 2, tax: 1.1}.
    Names use letters, digits and '_' (starting with a letter) and may not be a function or
    constant of the expression language (exp, log, sin, cos, tan, tanh, sqrt, pi, e, ...)."""
    nodes: dict[str, str]
    """The nodes in order, each an expression of inputs and EARLIER nodes, written with numbers,
    + - * / **, parentheses and the functions exp log sin cos tan tanh sqrt,
    e.g. {apple_price: "apple * apple_num", price: "apple_price * tax"}."""
    output: str
    """The name of the node whose derivatives are asked for (usually the last node)."""
    formula_of: Names = ()
    """Inputs whose derivative d(output)/d(input) the student must also give as a formula."""

    @field_validator("inputs")
    @classmethod
    def _inputs(cls, inputs: dict[str, float]) -> dict[str, float]:
        if not inputs:
            raise fail("a graph needs at least one input")
        if len(inputs) > MAX_GRAPH_INPUTS:
            raise fail(f"a graph may have at most {MAX_GRAPH_INPUTS} inputs, got {len(inputs)}")
        for name in inputs:
            problem = _check_name(name, "input")
            if problem:
                raise fail(problem, name, on_key=True)
        return inputs

    @field_validator("nodes")
    @classmethod
    def _nodes(cls, nodes: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if not nodes:
            raise fail("a graph needs at least one node")
        if len(nodes) > MAX_GRAPH_NODES:
            raise fail(f"a graph may have at most {MAX_GRAPH_NODES} nodes, got {len(nodes)}")
        inputs = info.data.get("inputs")
        for name in nodes:
            problem = _check_name(name, "node")
            if problem:
                raise fail(problem, name, on_key=True)
            if inputs is not None and name in inputs:
                raise fail(f"{name!r} is already an input; a node needs a name of its own", name, on_key=True)
        if inputs is None:
            return nodes  # the inputs have their own error; references cannot be checked yet
        from tutor.expr import ExprError, parse

        order = list(nodes)
        every = [*inputs, *order]
        for position, (name, text) in enumerate(nodes.items()):
            if not text.strip():
                raise fail(f"node {name!r} has an empty expression", name)
            allowed = [*inputs, *order[:position]]
            try:
                parse(text, allowed)
            except ExprError as exc:
                try:
                    wider = parse(text, every)
                except ExprError:
                    shown = text if len(text) <= 60 else text[:57] + "..."
                    raise fail(f"cannot use the expression {shown!r}: {exc}", name) from None
                used = min(wider.names - set(allowed), key=order.index)
                where = "is this node itself" if used == name else "is defined later"
                raise fail(
                    f"refers to {used!r}, which {where}; nodes may use only inputs and earlier nodes", name
                ) from None
        return nodes

    @field_validator("output")
    @classmethod
    def _output(cls, output: str, info: ValidationInfo) -> str:
        nodes = info.data.get("nodes")
        inputs = info.data.get("inputs") or {}
        if nodes is None:
            return output
        if output in nodes:
            return output
        if output in inputs:
            raise fail(f"output must be a node, but {output!r} is an input")
        raise fail(f"there is no node called {output!r}{_close(output, list(nodes))}")

    @field_validator("formula_of")
    @classmethod
    def _formula_of(cls, names: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        inputs = info.data.get("inputs")
        if inputs is None:
            return names
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name not in inputs:
                raise fail(f"formula_of lists inputs, but {name!r} is not an input{_close(name, list(inputs))}", i)
            if name in seen:
                raise fail(f"{name!r} is listed twice", i)
            seen.add(name)
        return names

    def parsed_nodes(self) -> dict[str, Expr]:
        """Each node's expression, parsed by the safe expression parser, in order."""
        from tutor.expr import parse

        names = list(self.inputs)
        parsed: dict[str, Expr] = {}
        for name, text in self.nodes.items():
            parsed[name] = parse(text, names)
            names.append(name)
        return parsed


# ----------------------------------------------------------------------------------------------
# kind: loss


class LayerSpec(_Model):
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
        _check_loss(self.loss, self.activation, self.target, ("loss",), ("target",))
        return self

    @property
    def values(self) -> tuple[float, ...]:
        """Whichever of scores / outputs is given."""
        return self.scores if self.scores is not None else (self.outputs or ())


# ----------------------------------------------------------------------------------------------
# kind: affine


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


class AffineSpec(_Model):
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
            raise fail(f"W must have {_plural(d, 'row')} (one per column of X, since X is {n}x{d}), got {rows}", "W")
        if self.b is not None and len(self.b) != m:
            raise fail(f"b must have {_plural(m, 'entry', 'entries')} (one per column of W), got {len(self.b)}", "b")
        got = _shape(self.dY, "dY", "one row per example")
        if got != (n, m):
            raise fail(f"dY must be {n}x{m}, the shape of Y = X W + b, got {got[0]}x{got[1]}", "dY")
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


# ----------------------------------------------------------------------------------------------
# kind: optimizer


class OptimizerSpec(_Model):
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
                raise fail(f"{key} must have {_plural(n, 'entry', 'entries')} (one per weight), got {len(values)}", key)
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


# ----------------------------------------------------------------------------------------------
# The problem


def _glob_keys(mapping: dict[str, Any]) -> dict[str, Any]:
    for pattern in mapping:
        if not pattern.strip():
            raise fail("a step-name pattern is empty; write a name or a glob such as 'grad_*'", pattern, on_key=True)
    return mapping


class Problem(_Model):
    """One problem file."""

    id: str
    """A short name: lower-case letters, digits and '_', starting with a letter; equal to the
    file name without .yaml (xor.yaml has id: xor)."""
    title: Text
    """The title: {en: ..., ja: ...} or a plain string (English)."""
    statement: Text | None = None
    """The problem statement shown to the student: {en: ..., ja: ...} or a plain string."""
    notes: Text | None = None
    """Worked answers in words, shown after the solution: {en: ..., ja: ...} or a plain string."""
    topics: Names = ()
    """Short keywords such as [chain-rule, graph] (each at most 40 characters)."""
    source: str | None = None
    """Where the numbers come from (a lecture, a book chapter, an exercise)."""
    tolerance: ToleranceSpec | None = None
    """The default tolerance for every step: {rel: 0.01, abs: 1.0e-9}."""
    tolerances: dict[str, ToleranceSpec] = {}
    """Tolerances for particular steps by step-name glob, e.g. {"grad_*": {rel: 0.02}};
    when several patterns match, later entries win; keys not given keep the default."""
    hints: dict[str, Text] = {}
    """Teacher hints by step-name glob, e.g. {"delta*": {en: ..., ja: ...}}; later entries win."""
    kind: Kind
    """network (a layered network), graph (a computational graph), loss (one output layer),
    affine (an Affine layer on a batch) or optimizer (one Adam update)."""
    network: NetworkSpec | None = Field(default=None, validate_default=True)
    """Required when kind is network (and only then)."""
    graph: GraphSpec | None = Field(default=None, validate_default=True)
    """Required when kind is graph (and only then)."""
    layer: LayerSpec | None = Field(default=None, validate_default=True)
    """Required when kind is loss (and only then)."""
    affine: AffineSpec | None = Field(default=None, validate_default=True)
    """Required when kind is affine (and only then)."""
    optimizer: OptimizerSpec | None = Field(default=None, validate_default=True)
    """Required when kind is optimizer (and only then)."""
    vary: dict[str, Range] = {}
    """For random variants (``--random``): which numbers may change and how, e.g.
    {weights: {low: -1, high: 1, step: 0.1}, input: [0, 1], target: fixed}. Keys: input, target,
    weights, W1, b1, ..., learning_rate (network); an input name (graph); scores, outputs,
    target (loss); X, W, b, dY (affine); weights, gradients, m, v, learning_rate (optimizer).
    Numbers not named get a default range."""

    _path: Path | None = PrivateAttr(default=None)

    @field_validator("id")
    @classmethod
    def _id(cls, value: str, info: ValidationInfo) -> str:
        if not _ID.match(value) or len(value) > 64:
            raise fail(
                f"id {value!r} is not valid: use lower-case letters, digits and '_', starting with a letter"
            )
        expected = (info.context or {}).get("expected_id")
        if expected is not None and value != expected:
            raise fail(
                f"id {value!r} must equal the file name {expected!r} (rename the file to {value}.yaml "
                f"or change the id to {expected})"
            )
        return value

    @field_validator("topics")
    @classmethod
    def _topics(cls, topics: tuple[str, ...]) -> tuple[str, ...]:
        for i, topic in enumerate(topics):
            if not topic.strip() or len(topic) > 40:
                raise fail("a topic is a short keyword of 1 to 40 characters", i)
        return topics

    @field_validator("tolerances", "hints")
    @classmethod
    def _patterns(cls, mapping: dict[str, Any]) -> dict[str, Any]:
        return _glob_keys(mapping)

    @field_validator("network", "graph", "layer", "affine", "optimizer")
    @classmethod
    def _section(cls, value: Any, info: ValidationInfo) -> Any:
        section = info.field_name
        wanted = {"network": "network", "graph": "graph", "layer": "loss", "affine": "affine",
                  "optimizer": "optimizer"}[section or ""]
        kind = info.data.get("kind")
        if kind is None:
            return value  # kind itself is missing or wrong and has its own error
        article = "an" if (section or "")[:1] in ("a", "o") else "a"  # an 'affine:', an 'optimizer:'
        if kind == wanted and value is None:
            raise fail(f"kind is {kind!r}, so {article} '{section}:' section is required (it is missing or empty)",
                       near="kind")
        if kind != wanted and value is not None:
            needed = {"network": "network", "graph": "graph", "loss": "layer", "affine": "affine",
                      "optimizer": "optimizer"}[kind]
            raise fail(
                f"{article} '{section}:' section belongs only to kind {wanted!r}; this problem has kind {kind!r}, "
                f"which uses '{needed}:' (remove '{section}:' or change kind)",
                on_key=True,
            )
        return value

    @model_validator(mode="after")
    def _vary_keys(self) -> Problem:
        allowed = vary_keys(self)
        for key in self.vary:
            if key not in allowed:
                raise fail(f"{key!r} is not a number of this problem; use one of {', '.join(allowed)}"
                           f"{_close(key, allowed)}", "vary", key, on_key=True)
        return self

    @property
    def path(self) -> Path | None:
        """The file the problem was loaded from (None when it came from a string)."""
        return self._path

    def tolerance_for(self, step_name: str) -> Tolerance:
        """The tolerance for one step: the default, then every matching pattern in order."""
        base = self.tolerance or ToleranceSpec()
        rel, absolute = base.rel, base.abs
        for pattern, spec in self.tolerances.items():
            if fnmatch.fnmatchcase(step_name, pattern):
                if "rel" in spec.model_fields_set:
                    rel = spec.rel
                if "abs" in spec.model_fields_set:
                    absolute = spec.abs
        return Tolerance(rel=rel, abs=absolute)

    def hints_for(self, step_name: str) -> Localized | None:
        """The teacher's hint for one step (the last matching pattern wins), or None."""
        found = None
        for pattern, hint in self.hints.items():
            if fnmatch.fnmatchcase(step_name, pattern):
                found = hint
        return found
