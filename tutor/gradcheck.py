"""The book's gradient check: each gradient backprop found beside the central finite difference
(E(p + eps) - E(p - eps)) / 2 eps, computed by running the forward steps again with p moved.

What is checked: every weight and bias of a network, every input of a graph, the scores of an
output layer given with scores and a loss, and every entry of X, W and b of an Affine layer. An
Affine problem gives dE/dY rather than E, so the function differentiated there is
sum(Y * dE/dY), which has the same derivatives as E at the given point. An optimizer problem
has no gradient to check. Pure: no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    """(parameter, the env name of its backprop gradient), in the problem's order."""
    if problem.kind == "network":
        gradients = {step.name for step in solution.steps}
        return [(name, f"grad_{name}") for name in solution.givens if f"grad_{name}" in gradients]
    if problem.kind == "graph":
        return [(name, f"grad_{name}") for name in problem.graph.inputs]
    if problem.kind == "affine":
        return [(name, f"d{name}") for name in solution.givens if not name.startswith("dY_")]
    if problem.kind == "optimizer":
        return []
    layer = problem.layer
    if layer.scores is None or layer.loss is None:
        return []
    return [(f"u1_{j}", f"delta1_{j}") for j in range(1, len(layer.scores) + 1)]


def gradient_check(problem, solution: Solution, eps: float = DEFAULT_EPS) -> list[GradientCheck]:
    if not (eps > 0 and math.isfinite(eps)):
        raise ValueError("eps must be a positive number")
    exact = solution.exact_env()
    forward = [step for step in solution.steps if step.phase in (Phase.FORWARD, Phase.LOSS)]
    objective = _objective(problem)

    def loss_with(name: str, shift: float) -> float:
        env = with_components(dict(solution.givens))
        env[name] = env[name] + shift
        for step in forward:
            env.update(with_components({step.name: step.compute(env)}))
        return float(objective(env))

    return [
        GradientCheck(name, float(exact[gradient]), (loss_with(name, eps) - loss_with(name, -eps)) / (2 * eps))
        for name, gradient in checked_parameters(problem, solution)
    ]


def _objective(problem):
    """The function of the forward values whose derivatives the backward pass gives."""
    if problem.kind == "affine":
        from .kinds.affine.derive import objective

        return lambda env: objective(problem, env)
    output = problem.graph.output if problem.kind == "graph" else "E"
    return lambda env: env[output]
