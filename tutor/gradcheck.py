"""The book's gradient check: each gradient backprop found beside the central finite difference
(E(p + eps) - E(p - eps)) / 2 eps, computed by running the forward steps again with p moved.

What is checked, and what is differentiated, is the problem kind's to say (its ``gradcheck.py``):
every weight and bias of a network, every input of a graph, every entry of X, W and b of an
Affine layer, ... A kind without a gradient check has nothing to check. Pure: no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import kinds
from .steps import Phase, Solution, with_components

DEFAULT_EPS = 1e-4
# Central differences are exact to O(eps^2); with eps = 1e-4 on these small nets the two routes
# agree to ~1e-9. A real backprop mistake (a missing factor, a sign) is off by far more.
REL_TOLERANCE = 1e-5
ABS_TOLERANCE = 1e-8


@dataclass(frozen=True)
class GradientCheck:
    name: str  # the parameter's env name: "W2_1_1", "b1_2", "apple", "u1_3"
    backprop: float
    numeric: float

    @property
    def difference(self) -> float:
        return abs(self.backprop - self.numeric)

    @property
    def relative(self) -> float:
        """|a - b| / max(|a|, |b|), 0 when both are 0 (the usual gradient-check measure)."""
        scale = max(abs(self.backprop), abs(self.numeric))
        return self.difference / scale if scale > 0 else 0.0

    @property
    def ok(self) -> bool:
        return self.difference <= ABS_TOLERANCE or self.relative <= REL_TOLERANCE


def checked_parameters(problem, solution: Solution) -> list[tuple[str, str]]:
    """(parameter, the env name of its backprop gradient), in the problem's order; none when the
    problem's kind has no gradient check."""
    hooks = kinds.get(problem.kind).gradcheck
    return hooks.checked_parameters(problem, solution) if hooks is not None else []


def differentiated(problem) -> str:
    """What the check differentiates, as in ∂E/∂w: E, or a graph's output."""
    hooks = kinds.get(problem.kind).gradcheck
    return hooks.wrt(problem) if hooks is not None and hooks.wrt is not None else "E"


def gradient_check(problem, solution: Solution, eps: float = DEFAULT_EPS) -> list[GradientCheck]:
    if not (eps > 0 and math.isfinite(eps)):
        raise ValueError("eps must be a positive number")
    exact = solution.exact_env()
    forward = [step for step in solution.steps if step.phase in (Phase.FORWARD, Phase.LOSS)]
    checked = checked_parameters(problem, solution)
    if not checked:
        return []
    objective = kinds.get(problem.kind).gradcheck.objective(problem)

    def loss_with(name: str, shift: float) -> float:
        env = with_components(dict(solution.givens))
        env[name] = env[name] + shift
        for step in forward:
            env.update(with_components({step.name: step.compute(env)}))
        return float(objective(env))

    return [
        GradientCheck(name, float(exact[gradient]), (loss_with(name, eps) - loss_with(name, -eps)) / (2 * eps))
        for name, gradient in checked
    ]
