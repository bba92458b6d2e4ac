"""Where every map of a conv or pool problem lives: its env names (a matrix step "u" or entry steps
"u_1_1"), its symbols, and reading it back from an environment as a NumPy array."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tutor.engine.symbols import Notation, partial_of_error
from tutor.steps import Env, by_entry

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


@dataclass(frozen=True)
class Grid:
    """An n×n map named ``name``: entries "name_i_j" (1-based) when given or asked one by one,
    else one matrix step "name" whose entries the environment also holds as "name_k" (row by row)."""

    name: str
    n: int
    matrix: bool = False

    def key(self, i: int, j: int) -> str:
        return f"{self.name}_{(i - 1) * self.n + j}" if self.matrix else f"{self.name}_{i}_{j}"

    def cells(self) -> list[tuple[int, int, str]]:
        return [(i, j, self.key(i, j)) for i in range(1, self.n + 1) for j in range(1, self.n + 1)]

    def read(self, env: Env) -> np.ndarray:
        if self.matrix:
            return np.asarray(env[self.name], dtype=float).reshape(self.n, self.n)
        return np.array([[env[self.key(i, j)] for j in range(1, self.n + 1)] for i in range(1, self.n + 1)],
                        dtype=float)

    def declare(self, notation: Notation, text: str, latex: str, gradient: bool = False) -> None:
        """Symbols for the entries ("u₁₁", or "f(u₁₁)" from the pattern "f(u{})") and the whole map."""
        for i, j, key in self.cells():
            sub_text, sub_latex = _indices(i, j)
            entry_text, entry_latex = _fill(text, sub_text), _fill(latex, "_{" + sub_latex + "}")
            if gradient:
                entry_text, entry_latex = partial_of_error(entry_text, entry_latex)
            notation.add(key, entry_text, entry_latex)
        if self.matrix:
            whole_text, whole_latex = _fill(text, ""), _fill(latex, "")
            if gradient:
                whole_text, whole_latex = partial_of_error(whole_text, whole_latex)
            notation.add(self.name, whole_text, whole_latex)


def _indices(i: int, j: int) -> tuple[str, str]:
    sep = "," if i >= 10 or j >= 10 else ""
    return f"{i}{sep}{j}".translate(_SUB), f"{i}{sep}{j}"


def _fill(pattern: str, sub: str) -> str:
    return pattern.replace("{}", sub) if "{}" in pattern else pattern + sub


def grid(name: str, n: int, granularity: str | None) -> Grid:
    """A map the student computes: a matrix step unless asked (or small enough) entry by entry."""
    return Grid(name, n, matrix=not by_entry(granularity, n, n))
