"""Random variants of batch normalisation: small whole numbers for u, simple γ, β and upstream.

A draw is kept when σ² is not tiny (a spread of at least 1), every path to ∂E/∂uₙ carries
something (∂E/∂σ² and ∂E/∂μ not 0), no value is kept off 0 by ε alone (an upstream that is a
straight line in û leaves every ∂E/∂uₙ at about 1e-7, where a student who leaves ε out writes 0)
and no named mistake lands within 2% of the right value, so the hand calculation tells them apart."""

from __future__ import annotations

import math
import random

from tutor.marking import same
from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill_section

from . import keys as K

DEFAULTS = {
    "u": RangeSpec(low=-4, high=8, step=1),
    "gamma": RangeSpec(low=0.5, high=3, step=0.5),
    "beta": RangeSpec(low=-2, high=2, step=0.5),
    "upstream": RangeSpec(low=-2, high=2, step=0.5),
}
MIN_VARIANCE = 1.0
NEAR = 0.02
TINY = 1e-3


def vary_keys(problem) -> list[str]:
    return ["u", "gamma", "beta", "upstream"]


def draw(problem, section: dict, rng: random.Random) -> dict:
    return fill_section(problem, section, DEFAULTS, rng)


def unpleasant(problem, solution) -> str | None:
    env = solution.exact_env()
    if env[K.VAR] < MIN_VARIANCE:
        return "σ² is below 1: the samples hardly spread"
    if abs(env[K.GRAD_VAR]) < 1e-9 or abs(env[K.GRAD_MU]) < 1e-9:
        return "∂E/∂σ² or ∂E/∂μ is 0: a path to ∂E/∂u carries nothing"
    for step in solution.steps:
        rights = step.value if isinstance(step.value, tuple) else (step.value,)
        if any(0 < abs(r) < TINY for r in rights):
            return f"{step.name} is nearly 0 but not 0: only ε keeps it off 0"
        for mistake in step.mistakes:
            wrong = mistake.compute(env)
            for w, r in zip(wrong if isinstance(wrong, tuple) else (wrong,), rights):
                if not same(w, r) and math.isclose(w, r, rel_tol=NEAR):
                    return f"{step.name}: the mistake {mistake.key} gives nearly the right value"
    return None
