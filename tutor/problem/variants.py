"""Random variants of a problem: new numbers, drawn so the hand calculation stays pleasant.

Numbers come from a grid (low, low + step, ..., high) or a list of choices, as the problem's
``vary:`` section says, with defaults for what it does not name. The generator is seeded with the
problem id and the seed as text, which Python hashes with SHA-512: the same seed gives the same
variant on every machine and Python version, so a teacher can hand student k the variant k.

A draw is kept only when it derives without overflow or log of 0, its numbers stay small and
backprop has something to carry (a gradient that is not zero), and the kind has no objection of
its own (a network's: no ReLU layer all zero, no ReLU input on the kink). How each kind's numbers
are drawn is the kind's ``variants.py``; the helpers they share are here.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from tutor import kinds
from tutor.errors import ProblemError, TutorError
from tutor.problem import schema
from tutor.problem.schema import ProblemBase
from tutor.problem.schema import RangeSpec

MAX_DRAWS = 500
MAX_MAGNITUDE = 1e4  # larger intermediate values are no fun to compute by hand


def make_variant(problem: ProblemBase, seed: int) -> ProblemBase:
    """The variant ``seed`` of ``problem`` (raises ProblemError when no usable draw is found)."""
    from tutor.engine import derive

    rng = random.Random(f"bptutor-variant:{problem.id}:{seed}")
    base = problem.model_dump(mode="json", exclude_none=True)
    reason = "no draw was tried"
    for _ in range(MAX_DRAWS):
        data = _draw(problem, base, rng)
        data["title"] = _titled(base["title"], seed)
        if "statement" in base:
            data["statement"] = _restated(base["statement"], seed)
        try:
            variant = schema.Problem.model_validate(data)
            solution = derive(variant)
        except (TutorError, ValueError) as exc:  # out of a function's domain, overflow, ...
            reason = str(exc)
            continue
        trouble = _unpleasant(variant, solution)
        if trouble is None:
            variant._path = problem.path
            return variant
        reason = trouble
    raise ProblemError(
        problem.path,
        f"no usable random variant in {MAX_DRAWS} draws (last: {reason}); widen or change the 'vary:' ranges",
    )


def seed_label(seed: int) -> str:
    """How a variant is named in progress records and messages."""
    return f"seed={seed}"


# ---------------------------------------------------------------- drawing


def _draw(problem: ProblemBase, base: dict, rng: random.Random) -> dict:
    kind = kinds.get(problem.kind)
    data = {key: value for key, value in base.items() if key != "vary"}
    data["vary"] = base.get("vary", {})
    data[kind.section] = kind.draw_variant(problem, base[kind.section], rng)
    return data


def fill_section(problem: ProblemBase, section: dict, defaults: dict[str, RangeSpec], rng: random.Random) -> dict:
    """Every number the section's keys hold, drawn from ``vary:`` or the defaults."""
    section = dict(section)
    for key, default in defaults.items():
        if key in section:
            section[key] = fill(section[key], problem.vary.get(key) or default, rng)
    if "learning_rate" in problem.vary and "learning_rate" in section:
        section["learning_rate"] = fill(section["learning_rate"], problem.vary["learning_rate"], rng)
    return section


def draw_target(activation: str, loss: str | None, current: list[float], chosen: RangeSpec | None,
                rng: random.Random) -> list[float]:
    """Targets the output can reach: 0/1 for a sigmoid, one-hot for softmax, a grid otherwise."""
    if chosen is not None:
        return fill(current, chosen, rng)
    if activation == "softmax" or loss == "cross_entropy":
        hot = rng.randrange(len(current))
        return [1.0 if k == hot else 0.0 for k in range(len(current))]
    defaults = {
        "sigmoid": RangeSpec(choices=(0.0, 1.0)),
        "tanh": RangeSpec(low=-0.5, high=0.5, step=0.5),
        "relu": RangeSpec(low=0, high=2, step=0.5),
    }
    return fill(current, defaults.get(activation, RangeSpec(low=-1, high=1, step=0.5)), rng)


def fill(current: Any, chosen: RangeSpec, rng: random.Random) -> Any:
    """``current`` with every number replaced by a draw (kept as it is when ``fixed``)."""
    if isinstance(current, list):
        return [fill(item, chosen, rng) for item in current]
    if chosen.fixed:
        return current
    if chosen.choices is not None:
        return float(chosen.choices[rng.randrange(len(chosen.choices))])
    step = Decimal(repr(chosen.step))
    low = Decimal(repr(chosen.low)).quantize(step) if step.as_tuple().exponent < 0 else Decimal(repr(chosen.low))
    points = int((Decimal(repr(chosen.high)) - low) / step)
    # Decimal keeps 0.1 + 0.2 at 0.3: a drawn number prints as the short decimal it is meant to be.
    return float(low + step * rng.randrange(points + 1))


def _titled(title: dict, seed: int) -> dict:
    titled = {"en": f"{title['en']} (variant {seed})"}
    if title.get("ja"):
        titled["ja"] = f"{title['ja']}（バリアント {seed}）"
    return titled


def _restated(statement: dict, seed: int) -> dict:
    """The statement may quote the original numbers: say which ones count."""
    restated = {"en": f"{statement['en']}\n\nRandom variant {seed}: use the numbers under Given, not those in the text."}
    if statement.get("ja"):
        restated["ja"] = f"{statement['ja']}\n\nランダムなバリアント {seed}：本文の数値ではなく、「与えられた値」の数値を使ってください。"
    return restated


# ---------------------------------------------------------------- checking a draw


def _unpleasant(problem: ProblemBase, solution) -> str | None:
    """Why a draw is not worth computing by hand, or None when it is fine."""
    values = [s.value for s in solution.steps]
    flat = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
    if any(abs(v) > MAX_MAGNITUDE for v in flat):
        return "a value is too large to compute by hand"
    own = kinds.get(problem.kind).unpleasant
    trouble = own(problem, solution) if own is not None else None
    if trouble is not None:
        return trouble
    gradients = [s.value for s in solution.steps if s.name.startswith(("grad_", "delta"))]
    flat_gradients = [v for g in gradients for v in (g if isinstance(g, tuple) else (g,))]
    if flat_gradients and all(abs(g) < 1e-12 for g in flat_gradients):
        return "every gradient is zero: nothing to propagate"
    return None
