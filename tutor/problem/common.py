"""What every problem section is built from: strict value types, the base model, located errors.

Models are strict (no silent conversions: ``"1e-3"`` in quotes is text, ``true`` is not a number),
refuse unknown keys and are frozen. Numbers may be written as integers or decimals; NaN and
infinities are refused. Semantic rules raise errors that carry the exact sub-key they are about
in ``ctx["at"]`` (see :func:`fail`), so ``tutor.problem.load`` can point at the right line.
The docstring under each field documents the format for teachers writing problem files.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tutor.maths import names as maths_names
from tutor.problem.yamlsafe import describe
from tutor.safe_text import clean
from tutor.steps import Tolerance

MAX_UNITS = 64
MAX_VARY_POINTS = 100_000  # grid points of one vary range
# The most steps a problem may ask for, counted from its sizes before anything is derived. The
# largest built-in problem (softmax_3layer, a 2-2-2-3 network) has 64; deriving 1,000 steps takes
# about 0.5 s, while a 6 x 64 network (51,073 steps) took 24 s and 315 MB to validate.
MAX_STEPS = 1_000

Activation = Literal[maths_names.ACTIVATIONS]
LossName = Literal[maths_names.LOSSES]


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



def sequence(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _matrix(value: Any) -> Any:
    if isinstance(value, list) and value and not any(isinstance(row, (list, tuple)) for row in value):
        raise fail("a weight matrix is a list of rows, for example [[0.5, 0.5], [0.5, 0.5]] (one row per unit)")
    return sequence(value)


def _localized(value: Any) -> Any:
    return {"en": value} if isinstance(value, str) else value


Number = Annotated[float, BeforeValidator(_number)]
"""A finite number; integers are accepted and become floats."""
Vector = Annotated[tuple[Number, ...], BeforeValidator(sequence)]
Matrix = Annotated[tuple[Vector, ...], BeforeValidator(_matrix)]
Names = Annotated[tuple[str, ...], BeforeValidator(sequence)]


class Model(BaseModel):
    # Fields are documented by the docstring under each (a test checks); use_attribute_docstrings
    # would copy them into the models at import, which reads this file's source: +0.1 s per command.
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, allow_inf_nan=False
    )


class Localized(Model):
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
        """The text in ``lang``, falling back to English; made safe to print (every front end
        reads teacher text through here, so a problem that skipped validation cannot drive a terminal)."""
        if lang == "ja" and self.ja and self.ja.strip():
            return clean(self.ja)
        return clean(self.en)


Text = Annotated[Localized, BeforeValidator(_localized)]


class ToleranceSpec(Model):
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


class RangeSpec(Model):
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


def check_steps(count: int, counted: str, *at: str | int) -> None:
    """Refuse a problem that would ask for more than MAX_STEPS steps; ``counted`` says what counts."""
    if count > MAX_STEPS:
        raise fail(f"this problem would ask for {count:,} steps ({counted}); a problem may ask for at most "
                   f"{MAX_STEPS:,}: make it smaller", *at)


def plural(n: int, word: str, words: str | None = None) -> str:
    """"1 entry", "2 entries"."""
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


def check_loss(loss: str | None, activation: str, target: tuple[float, ...] | None, loss_at: tuple, target_at: tuple) -> None:
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


def close_match(name: str, options: list[str]) -> str:
    """"; did you mean ...?" with the option closest to ``name``, or nothing."""
    import difflib

    match = difflib.get_close_matches(name, options, n=1)
    return f"; did you mean {match[0]!r}?" if match else ""
