"""The book's gradient check: each gradient backprop found beside the central finite difference
(E(p + eps) - E(p - eps)) / 2 eps, computed by running the forward steps again with p moved.

What is checked, and what is differentiated, is the problem kind's to say (its ``gradcheck.py``):
every weight and bias of a network, every input of a graph, every entry of X, W and b of an
Affine layer, ... A kind without a gradient check has nothing to check. Pure: no printing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from . import kinds
from .steps import Phase, Solution, with_components

DEFAULT_EPS = 1e-4
# Central differences are exact to O(eps^2); with eps = 1e-4 on these small nets the two routes
# agree to ~1e-9. A real backprop mistake (a missing factor, a sign) is off by far more.
REL_TOLERANCE = 1e-5
ABS_TOLERANCE = 1e-8
# When eps straddles a kink, a pole or the edge of a function's domain, smaller steps are tried,
# down to eps / 1000, before anything is judged.
SHRINK = (1.0, 0.1, 0.01, 0.001)
# One-sided differences are exact only to O(eps): at a kink they are compared more loosely.
ONE_SIDED_TOLERANCE = 1e-4


class Verdict(StrEnum):
    AGREE = "agree"  # backprop equals the central difference
    KINK = "kink"  # at a point where the left and right slopes differ; backprop matches one of them
    NOT_SMOOTH = "not_smooth"  # the differences do not settle as eps shrinks (a pole): nothing to compare
    DISAGREE = "disagree"


@dataclass(frozen=True)
class GradientCheck:
    name: str  # the parameter's env name: "W2_1_1", "b1_2", "apple", "u1_3"
    backprop: float
    numeric: float  # the central difference that was judged (nan when none could be computed)
    verdict: Verdict = Verdict.AGREE
    eps: float = DEFAULT_EPS  # the step that gave ``numeric``
    one_sided: tuple[float, float] | None = None  # (left, right) differences, at a kink

    @property
    def difference(self) -> float:
        return abs(self.backprop - self.numeric)

    @property
    def relative(self) -> float:
        """|a - b| / max(|a|, |b|), 0 when both are 0 (the usual gradient-check measure)."""
        return _relative(self.backprop, self.numeric)

    @property
    def ok(self) -> bool:
        """Only a disagreement fails the check: a kink and a pole are reported, not failed."""
        return self.verdict is not Verdict.DISAGREE


def _relative(a: float, b: float) -> float:
    scale = max(abs(a), abs(b))
    return abs(a - b) / scale if scale > 0 else 0.0


def _agree(a: float, b: float, rel: float = REL_TOLERANCE) -> bool:
    return math.isfinite(b) and (abs(a - b) <= ABS_TOLERANCE or _relative(a, b) <= rel)


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
        """The objective with one parameter moved; nan where the move leaves a function's domain."""
        env = with_components(dict(solution.givens))
        env[name] = env[name] + shift
        try:
            for step in forward:
                env.update(with_components({step.name: step.compute(env)}))
            return float(objective(env))
        except (ArithmeticError, ValueError):  # a DomainError is a ValueError
            return math.nan

    return [_check(name, float(exact[gradient]), lambda shift, n=name: loss_with(n, shift), eps)
            for name, gradient in checked]


def _check(name: str, backprop: float, loss, eps: float) -> GradientCheck:
    centrals = []
    for factor in SHRINK:
        h = eps * factor
        central = (loss(h) - loss(-h)) / (2 * h)
        if _agree(backprop, central):
            return GradientCheck(name, backprop, central, Verdict.AGREE, h)
        centrals.append((h, central))
    first = next(((h, c) for h, c in centrals if math.isfinite(c)), centrals[0])
    h = eps * SHRINK[-1]
    here = loss(0.0)
    left, right = (here - loss(-h)) / h, (loss(h) - here) / h
    if all(map(math.isfinite, (left, right))) and not _agree(left, right, ONE_SIDED_TOLERANCE):
        if any(_agree(backprop, side, ONE_SIDED_TOLERANCE) for side in (left, right, (left + right) / 2)):
            return GradientCheck(name, backprop, first[1], Verdict.KINK, first[0], (left, right))
    if not _settled([c for _, c in centrals]):
        return GradientCheck(name, backprop, first[1], Verdict.NOT_SMOOTH, first[0])
    return GradientCheck(name, backprop, first[1], Verdict.DISAGREE, first[0])


def _settled(centrals: list[float]) -> bool:
    """Whether the central differences agree with each other as eps shrinks, as they do wherever
    the function is smooth; a wrong gradient beside settled differences is a real error."""
    finite = [c for c in centrals if math.isfinite(c)]
    return len(finite) >= 2 and all(_agree(finite[-1], c, ONE_SIDED_TOLERANCE) for c in finite[-2:])
