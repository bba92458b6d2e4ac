"""Random variants of an Affine layer: small whole or half numbers in every matrix."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill_section

DEFAULTS = {
    "X": RangeSpec(low=-3, high=3, step=1),
    "W": RangeSpec(low=-2, high=2, step=0.5),
    "b": RangeSpec(low=-1, high=1, step=0.5),
    "dY": RangeSpec(low=-2, high=2, step=0.5),
}


def vary_keys(problem) -> list[str]:
    return ["X", "W", "b", "dY"]


def draw(problem, section: dict, rng: random.Random) -> dict:
    return fill_section(problem, section, DEFAULTS, rng)
