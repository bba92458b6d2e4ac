"""Random variants of a network problem: new weights, inputs and targets."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import draw_target, fill

KINK_MARGIN = 0.05  # a ReLU input closer to 0 than this is ambiguous by hand (is it active?)


def vary_keys(problem) -> list[str]:
    layers = range(1, problem.network.layers + 1)
    return ["input", "target", "weights", *(f"W{l}" for l in layers), *(f"b{l}" for l in layers), "learning_rate"]


def draw(problem, net: dict, rng: random.Random) -> dict:
    net = dict(net)
    spec = problem.network
    vary = problem.vary
    weights = dict(net["weights"])
    default_weights = RangeSpec(low=-1, high=1, step=0.1)
    for l in range(1, spec.layers + 1):
        for key, current in ((f"W{l}", [list(r) for r in spec.W(l)]), (f"b{l}", list(spec.b(l)))):
            chosen = vary.get(key) or vary.get("weights") or default_weights
            weights[key] = fill(current, chosen, rng)
    net["weights"] = weights
    binary_input = len(spec.input) > 1 and all(x in (0.0, 1.0) for x in spec.input)
    net["input"] = fill(list(spec.input), vary.get("input") or _default_input(binary_input), rng)
    net["target"] = draw_target(spec.activations[-1], spec.loss, list(spec.target), vary.get("target"), rng)
    if "learning_rate" in vary:
        net["learning_rate"] = fill(spec.learning_rate, vary["learning_rate"], rng)
    return net


def _default_input(binary: bool) -> RangeSpec:
    return RangeSpec(choices=(0.0, 1.0)) if binary else RangeSpec(low=-1, high=1, step=0.5)


def unpleasant(problem, solution) -> str | None:
    """A zero input, or a ReLU layer that is all off or has an input on the kink."""
    spec = problem.network
    if all(x == 0 for x in spec.input):
        return "the input is all zeros"
    for l, activation in enumerate(spec.activations, start=1):
        if activation != "relu":
            continue
        inputs = [solution.values[f"u{l}"][j] for j in range(spec.sizes[l])]
        if all(u <= 0 for u in inputs):
            return f"every ReLU unit of layer {l} is off"
        if any(abs(u) < KINK_MARGIN for u in inputs):
            return f"a ReLU input of layer {l} is on the kink at 0"
    return None
