"""Random variants: small whole numbers in the image, the filter and the upstream gradient, so every
map can be worked out by hand."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill_section

DEFAULTS = {
    "input": RangeSpec(low=0, high=9, step=1),
    "filter": RangeSpec(low=-2, high=2, step=1),
    "bias": RangeSpec(low=-2, high=2, step=1),
    "upstream": RangeSpec(low=-2, high=2, step=1),
}


def vary_keys(problem) -> list[str]:
    return ["input", "filter", "bias", "upstream"] if problem.kind == "conv" else ["input", "upstream"]


def draw(problem, section: dict, rng: random.Random) -> dict:
    return fill_section(problem, section, {k: DEFAULTS[k] for k in vary_keys(problem)}, rng)


def unpleasant(problem, solution) -> str | None:
    """A ReLU all off, or one whose input is exactly on the kink at 0 (f′(0) is a convention there)."""
    spec = problem.conv
    if spec.activation != "relu":
        return None
    u = [v for row in solution.values["u"] for v in row]
    if all(v <= 0 for v in u):
        return "every ReLU is off"
    if any(v == 0 for v in u):
        return "a ReLU input is on the kink at 0"
    return None
