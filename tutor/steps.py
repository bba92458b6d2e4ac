"""What a derivation produces: an ordered list of steps. Plain data; no third-party imports.

A Step is one quantity the student computes by hand. Its numbers come from ``compute``, a small
NumPy function of an *environment* (a mapping from quantity names to values). The exact solution
runs every step on the exact environment; follow-through marking runs the same function on an
environment where the student's accepted answers replace the exact ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

Value = float | tuple[float, ...]
Env = Mapping[str, Value]


class Phase(StrEnum):
    FORWARD = "forward"
    LOSS = "loss"
    BACKWARD = "backward"
    GRADIENT = "gradient"
    UPDATE = "update"


class AnswerKind(StrEnum):
    NUMBER = "number"
    VECTOR = "vector"  # typed as "0.3, -0.8, 0.5"
    MATRIX = "matrix"  # typed as "26, 6, -6; 0, -4, 8": rows by ";", entries by commas or spaces
    FORMULA = "formula"  # typed as "-tan(x)", compared as a function of ``Step.variables``


@dataclass(frozen=True)
class Tolerance:
    """Accept |answer - target| <= max(rel * |target|, abs)."""

    rel: float = 0.01
    abs: float = 1e-9

    def accepts(self, answer: float, target: float) -> bool:
        return abs(answer - target) <= max(self.rel * abs(target), self.abs)


@dataclass(frozen=True)
class Mistake:
    """A well-known wrong derivation: ``compute`` gives the value it leads to.

    ``key`` names the rule (see tutor/mistakes.py) and selects the message shown to the student.
    """

    key: str
    compute: Callable[[Env], Value]


@dataclass(frozen=True)
class Step:
    name: str  # stable and unique within a solution: "u1_2", "delta2_1", "grad_W1_2_1", "grad_apple"
    phase: Phase
    symbol: Any  # sympy.Symbol for the quantity (left-hand side)
    formula: Any  # sympy expression in the lecture's notation (right-hand side, general form)
    uses: tuple[str, ...]  # the env names ``formula`` and ``compute`` read
    compute: Callable[[Env], Value]
    value: Value  # the exact value: compute(exact env)
    answer: AnswerKind = AnswerKind.NUMBER
    tolerance: Tolerance = field(default_factory=Tolerance)
    mistakes: tuple[Mistake, ...] = ()
    variables: tuple[str, ...] = ()  # FORMULA steps: names the student may use
    expected_formula: str = ""  # FORMULA steps: the answer in the answer grammar, e.g. "-tan(x)"
    layer: int | None = None  # where the quantity sits in the picture (network layer, or None)
    index: tuple[int, ...] = ()  # 1-based unit / weight indices (j,) or (j, i)
    node: str | None = None  # graph problems: the node or input the quantity belongs to
    rule: str = ""  # the general law the step applies, an i18n key under "rule." ("delta_hidden")
    shape: tuple[int, ...] = ()  # MATRIX steps: (rows, columns); the value is the entries row by row


@dataclass(frozen=True)
class Solution:
    problem_id: str
    steps: tuple[Step, ...]
    givens: Mapping[str, Value]  # the problem's data by env name: "x_1", "W1_2_1", "d_1", "eta", ...
    values: Mapping[str, Any]  # the answer key grouped as in the JSON format: "u1" -> [..], "grad_W2" -> [[..]]
    symbols: Mapping[str, Any] = field(default_factory=dict)  # env name -> sympy.Symbol
    notes: Mapping[str, str] = field(default_factory=dict)  # extra worked answers in words, by language

    def step(self, name: str) -> Step:
        for candidate in self.steps:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def exact_env(self) -> dict[str, Value]:
        env: dict[str, Value] = dict(self.givens)
        env.update((s.name, s.value) for s in self.steps)
        return with_components(env)


ENTRY_BY_ENTRY_UP_TO = 4  # a grid of at most this many entries (2×2) is asked entry by entry by default


def by_entry(granularity: str | None, rows: int, columns: int) -> bool:
    """Whether a grid quantity is asked one entry per step ("entry") or as one matrix ("matrix");
    without a choice, small grids go entry by entry."""
    if granularity is None:
        return rows * columns <= ENTRY_BY_ENTRY_UP_TO
    return granularity == "entry"


def in_language(solution: Solution, lang: str) -> Solution:
    """``solution`` with the names that contain a word ("w₁ (new)") said in ``lang``."""
    localize = getattr(solution.symbols, "in_language", None)
    return solution if localize is None else replace(solution, symbols=localize(lang))


def with_components(env: dict[str, Value]) -> dict[str, Value]:
    """Add each vector's entries under "<name>_<j>" (1-based), the names formulas use."""
    for name, value in list(env.items()):
        if isinstance(value, tuple):
            env.update((f"{name}_{j}", entry) for j, entry in enumerate(value, 1))
    return env
