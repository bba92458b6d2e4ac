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
