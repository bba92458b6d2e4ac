"""Random variants of an Adam update: weights and gradients with one decimal, small moments."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill_section

DEFAULTS = {
    "weights": RangeSpec(low=-1, high=1, step=0.1),
    "gradients": RangeSpec(low=-0.5, high=0.5, step=0.1),
    "m": RangeSpec(low=-0.05, high=0.05, step=0.01),
    "v": RangeSpec(low=1e-5, high=1e-4, step=1e-5),  # a running mean of squares: never negative
}
FIRST = {**DEFAULTS, "m": RangeSpec(fixed=True), "v": RangeSpec(fixed=True)}  # at t = 1 the moments are still zero


def vary_keys(problem) -> list[str]:
    return ["weights", "gradients", "m", "v", "learning_rate"]


def draw(problem, section: dict, rng: random.Random) -> dict:
    return fill_section(problem, section, DEFAULTS if problem.optimizer.t > 1 else FIRST, rng)
