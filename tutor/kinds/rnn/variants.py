"""Random variants of an RNN problem: weights on a 0.1 grid, inputs on a 0.5 grid, targets the
output can reach; z⁰ and the learning rate kept unless ``vary:`` names them."""

from __future__ import annotations

import random

from tutor.problem.schema import RangeSpec
from tutor.problem.variants import draw_target, fill

KINK_MARGIN = 0.05  # a ReLU input closer to 0 than this is ambiguous by hand (is it active?)
WEIGHTS = RangeSpec(low=-1, high=1, step=0.1)
INPUTS = RangeSpec(low=-1, high=1, step=0.5)
PARAMETERS = ("W_in", "W", "W_out", "b", "b_out")


def vary_keys(problem) -> list[str]:
    return ["weights", *PARAMETERS, "h0", "inputs", "targets", "learning_rate"]


def draw(problem, section: dict, rng: random.Random) -> dict:
    section = dict(section)
    spec, vary = problem.rnn, problem.vary
    for key in PARAMETERS:
        if key in section:
            section[key] = fill(section[key], vary.get(key) or vary.get("weights") or WEIGHTS, rng)
    section["inputs"] = fill(section["inputs"], vary.get("inputs") or INPUTS, rng)
    section["targets"] = [draw_target(spec.output_activation, spec.loss, list(row), vary.get("targets"), rng)
                          for row in section["targets"]]
    for key in ("h0", "learning_rate"):
        if key in vary and key in section:
            section[key] = fill(section[key], vary[key], rng)
    return section


def unpleasant(problem, solution) -> str | None:
    """Every input zero, or a ReLU hidden layer all off or with an input on the kink."""
    spec = problem.rnn
    if all(x == 0 for row in spec.inputs for x in row):
        return "every input is zero"
    if spec.activation == "relu":
        inputs = [u for row in solution.values["u"] for u in row]
        if all(u <= 0 for u in inputs):
            return "every ReLU hidden unit is off at every t"
        if any(abs(u) < KINK_MARGIN for u in inputs):
            return "a ReLU input is on the kink at 0"
    return None
