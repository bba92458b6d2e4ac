"""Random variants of a problem: new numbers, drawn so the hand calculation stays pleasant.

Numbers come from a grid (low, low + step, ..., high) or a list of choices, as the problem's
``vary:`` section says, with defaults for what it does not name. The generator is seeded with the
problem id and the seed as text, which Python hashes with SHA-512: the same seed gives the same
variant on every machine and Python version, so a teacher can hand student k the variant k.

A draw is kept only when it derives without overflow or log of 0, no ReLU layer is all zero, no
ReLU input sits on the kink, and backprop has something to carry (a gradient that is not zero).
"""

from __future__ import annotations

import math
import random
from decimal import Decimal
from typing import Any

from tutor.errors import ProblemError, TutorError
from tutor.problem.schema import Problem, RangeSpec

MAX_DRAWS = 500
KINK_MARGIN = 0.05  # a ReLU input closer to 0 than this is ambiguous by hand (is it active?)
MAX_MAGNITUDE = 1e4  # larger intermediate values are no fun to compute by hand


def make_variant(problem: Problem, seed: int) -> Problem:
    """The variant ``seed`` of ``problem`` (raises ProblemError when no usable draw is found)."""
    from tutor.engine import derive

    rng = random.Random(f"bptutor-variant:{problem.id}:{seed}")
    base = problem.model_dump(mode="json", exclude_none=True)
    reason = "no draw was tried"
    for _ in range(MAX_DRAWS):
        data = _draw(problem, base, rng)
        data["title"] = _titled(base["title"], seed)
        if "statement" in base:
            data["statement"] = _restated(base["statement"], seed)
        try:
            variant = Problem.model_validate(data)
            solution = derive(variant)
        except (TutorError, ValueError) as exc:  # out of a function's domain, overflow, ...
            reason = str(exc)
            continue
        trouble = _unpleasant(variant, solution)
        if trouble is None:
            variant._path = problem.path
            return variant
        reason = trouble
    raise ProblemError(
        problem.path,
        f"no usable random variant in {MAX_DRAWS} draws (last: {reason}); widen or change the 'vary:' ranges",
    )


def seed_label(seed: int) -> str:
    """How a variant is named in progress records and messages."""
    return f"seed={seed}"


# ---------------------------------------------------------------- drawing


def _draw(problem: Problem, base: dict, rng: random.Random) -> dict:
    data = {key: value for key, value in base.items() if key != "vary"}
    data["vary"] = base.get("vary", {})
    if problem.kind == "network":
        data["network"] = _network(problem, base["network"], rng)
    elif problem.kind == "graph":
        data["graph"] = _graph(problem, base["graph"], rng)
    elif problem.kind == "affine":
        data["affine"] = _section(problem, base["affine"], AFFINE_DEFAULTS, rng)
    elif problem.kind == "optimizer":
        started = problem.optimizer.t > 1  # at t = 1 the moments are still zero
        data["optimizer"] = _section(problem, base["optimizer"], ADAM_DEFAULTS if started else ADAM_FIRST, rng)
    else:
        data["layer"] = _layer(problem, base["layer"], rng)
    return data


# Defaults for the matrix and optimizer kinds: small numbers with one decimal or a half step.
AFFINE_DEFAULTS = {
    "X": RangeSpec(low=-3, high=3, step=1),
    "W": RangeSpec(low=-2, high=2, step=0.5),
    "b": RangeSpec(low=-1, high=1, step=0.5),
    "dY": RangeSpec(low=-2, high=2, step=0.5),
}
ADAM_DEFAULTS = {
    "weights": RangeSpec(low=-1, high=1, step=0.1),
    "gradients": RangeSpec(low=-0.5, high=0.5, step=0.1),
    "m": RangeSpec(low=-0.05, high=0.05, step=0.01),
    "v": RangeSpec(low=1e-5, high=1e-4, step=1e-5),  # a running mean of squares: never negative
}
ADAM_FIRST = {**ADAM_DEFAULTS, "m": RangeSpec(fixed=True), "v": RangeSpec(fixed=True)}


def _section(problem: Problem, section: dict, defaults: dict[str, RangeSpec], rng: random.Random) -> dict:
    """Every number the section's keys hold, drawn from ``vary:`` or the defaults."""
    section = dict(section)
    for key, default in defaults.items():
        if key in section:
            section[key] = _fill(section[key], problem.vary.get(key) or default, rng)
    if "learning_rate" in problem.vary and "learning_rate" in section:
        section["learning_rate"] = _fill(section["learning_rate"], problem.vary["learning_rate"], rng)
    return section


def _network(problem: Problem, net: dict, rng: random.Random) -> dict:
    net = dict(net)
    spec = problem.network
    vary = problem.vary
    weights = dict(net["weights"])
    default_weights = RangeSpec(low=-1, high=1, step=0.1)
    for l in range(1, spec.layers + 1):
        for key, current in ((f"W{l}", [list(r) for r in spec.W(l)]), (f"b{l}", list(spec.b(l)))):
            chosen = vary.get(key) or vary.get("weights") or default_weights
            weights[key] = _fill(current, chosen, rng)
    net["weights"] = weights
    binary_input = len(spec.input) > 1 and all(x in (0.0, 1.0) for x in spec.input)
    net["input"] = _fill(list(spec.input), vary.get("input") or _default_input(binary_input), rng)
    net["target"] = _target(spec.activations[-1], spec.loss, list(spec.target), vary.get("target"), rng)
    if "learning_rate" in vary:
        net["learning_rate"] = _fill(spec.learning_rate, vary["learning_rate"], rng)
    return net


def _default_input(binary: bool) -> RangeSpec:
    return RangeSpec(choices=(0.0, 1.0)) if binary else RangeSpec(low=-1, high=1, step=0.5)


def _target(activation: str, loss: str | None, current: list[float], chosen: RangeSpec | None, rng) -> list[float]:
    """Targets the output can reach: 0/1 for a sigmoid, one-hot for softmax, a grid otherwise."""
    if chosen is not None:
        return _fill(current, chosen, rng)
    if activation == "softmax" or loss == "cross_entropy":
        hot = rng.randrange(len(current))
        return [1.0 if k == hot else 0.0 for k in range(len(current))]
    defaults = {
        "sigmoid": RangeSpec(choices=(0.0, 1.0)),
        "tanh": RangeSpec(low=-0.5, high=0.5, step=0.5),
        "relu": RangeSpec(low=0, high=2, step=0.5),
    }
    return _fill(current, defaults.get(activation, RangeSpec(low=-1, high=1, step=0.5)), rng)


def _graph(problem: Problem, graph: dict, rng: random.Random) -> dict:
    graph = dict(graph)
    graph["inputs"] = {
        name: _fill(value, problem.vary.get(name) or _around(value), rng)
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


def _layer(problem: Problem, layer: dict, rng: random.Random) -> dict:
    layer = dict(layer)
    spec = problem.layer
    vary = problem.vary
    if spec.scores is not None:
        layer["scores"] = _fill(list(spec.scores), vary.get("scores") or RangeSpec(low=-2, high=3, step=1), rng)
    if spec.outputs is not None:
        chosen = vary.get("outputs")
        layer["outputs"] = _fill(list(spec.outputs), chosen, rng) if chosen else _probabilities(len(spec.outputs), rng)
    if spec.target is not None:
        layer["target"] = _target(spec.activation, spec.loss, list(spec.target), vary.get("target"), rng)
    return layer


def _probabilities(n: int, rng: random.Random) -> list[float]:
    """n tenths, each at least 0.1, adding up to exactly 1 (a softmax output by hand)."""
    cuts = sorted(rng.sample(range(1, 10), n - 1)) if n <= 10 else []
    if not cuts and n > 1:
        return [round(1 / n, 2)] * n
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, 10])]
    return [p / 10 for p in parts]


def _fill(current: Any, chosen: RangeSpec, rng: random.Random) -> Any:
    """``current`` with every number replaced by a draw (kept as it is when ``fixed``)."""
    if isinstance(current, list):
        return [_fill(item, chosen, rng) for item in current]
    if chosen.fixed:
        return current
    if chosen.choices is not None:
        return float(chosen.choices[rng.randrange(len(chosen.choices))])
    step = Decimal(repr(chosen.step))
    low = Decimal(repr(chosen.low)).quantize(step) if step.as_tuple().exponent < 0 else Decimal(repr(chosen.low))
    points = int((Decimal(repr(chosen.high)) - low) / step)
    # Decimal keeps 0.1 + 0.2 at 0.3: a drawn number prints as the short decimal it is meant to be.
    return float(low + step * rng.randrange(points + 1))


def _titled(title: dict, seed: int) -> dict:
    titled = {"en": f"{title['en']} (variant {seed})"}
    if title.get("ja"):
        titled["ja"] = f"{title['ja']}（バリアント {seed}）"
    return titled


def _restated(statement: dict, seed: int) -> dict:
    """The statement may quote the original numbers: say which ones count."""
    restated = {"en": f"{statement['en']}\n\nRandom variant {seed}: use the numbers under Given, not those in the text."}
    if statement.get("ja"):
        restated["ja"] = f"{statement['ja']}\n\nランダムなバリアント {seed}：本文の数値ではなく、「与えられた値」の数値を使ってください。"
    return restated


# ---------------------------------------------------------------- checking a draw


def _unpleasant(problem: Problem, solution) -> str | None:
    """Why a draw is not worth computing by hand, or None when it is fine."""
    values = [s.value for s in solution.steps]
    flat = [v for value in values for v in (value if isinstance(value, tuple) else (value,))]
    if any(abs(v) > MAX_MAGNITUDE for v in flat):
        return "a value is too large to compute by hand"
    if problem.kind == "network":
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
    gradients = [s.value for s in solution.steps if s.name.startswith(("grad_", "delta"))]
    flat_gradients = [v for g in gradients for v in (g if isinstance(g, tuple) else (g,))]
    if flat_gradients and all(abs(g) < 1e-12 for g in flat_gradients):
        return "every gradient is zero: nothing to propagate"
    return None
