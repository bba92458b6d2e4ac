"""Random variants of an output layer alone: new scores or outputs, and reachable targets."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import draw_target, fill


def vary_keys(problem) -> list[str]:
    return ["scores", "outputs", "target"]


def draw(problem, layer: dict, rng: random.Random) -> dict:
    layer = dict(layer)
    spec = problem.layer
    vary = problem.vary
    if spec.scores is not None:
        layer["scores"] = fill(list(spec.scores), vary.get("scores") or RangeSpec(low=-2, high=3, step=1), rng)
    if spec.outputs is not None:
        chosen = vary.get("outputs")
        layer["outputs"] = fill(list(spec.outputs), chosen, rng) if chosen else _probabilities(len(spec.outputs), rng)
    if spec.target is not None:
        layer["target"] = draw_target(spec.activation, spec.loss, list(spec.target), vary.get("target"), rng)
    return layer


def _probabilities(n: int, rng: random.Random) -> list[float]:
    """n tenths, each at least 0.1, adding up to exactly 1 (a softmax output by hand)."""
    cuts = sorted(rng.sample(range(1, 10), n - 1)) if n <= 10 else []
    if not cuts and n > 1:
        return [round(1 / n, 2)] * n
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10])]
    return [p / 10 for p in parts]
