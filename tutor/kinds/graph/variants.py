"""Random variants of a computational graph: new input values, near the given ones."""

from __future__ import annotations

import math
import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill


def vary_keys(problem) -> list[str]:
    return list(problem.graph.inputs)


def draw(problem, graph: dict, rng: random.Random) -> dict:
    graph = dict(graph)
    graph["inputs"] = {
        name: fill(value, problem.vary.get(name) or _around(value), rng)
        for name, value in problem.graph.inputs.items()
    }
    return graph


def _around(value: float) -> RangeSpec:
    """From half to twice the given value, on a grid one digit finer than the value itself
    (100 -> 50..200 by 10, 1.1 -> 0.6..2.2 by 0.1): the same kind of numbers as the book's."""
    if value == 0:
        return RangeSpec(low=-2, high=2, step=1)
    step = 10.0 ** (math.floor(math.log10(abs(value))) - (0 if float(value).is_integer() and abs(value) < 10 else 1))
    low, high = sorted((value / 2, value * 2))
    digits = max(0, -math.floor(math.log10(step)))
    low, high = round(math.ceil(low / step) * step, digits), round(math.floor(high / step) * step, digits)
    return RangeSpec(low=low, high=max(high, low), step=step)
