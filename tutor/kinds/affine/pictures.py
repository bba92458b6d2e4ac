"""An Affine layer drawn as text: every matrix as a grid of its entries (no Graphviz picture: it
has no graph to show)."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine import keys
from tutor.i18n import t
from tutor.render.diagram import entry, grid
from tutor.steps import Solution, Value


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Every matrix as a grid of its entries, each under a heading that gives its shape."""
    spec = problem.affine
    n, d, m = spec.N, spec.D, spec.M

    def matrix(key: str, prefix: str, rows: int, cols: int) -> list[str]:
        entries = [[entry(solution, keys.key(prefix, r, c), known) for c in range(1, cols + 1)]
                   for r in range(1, rows + 1)]
        return [t(f"diagram.affine_{key}", lang, n=n, d=d, m=m), *grid(entries)]

    def vector(key: str, prefix: str) -> list[str]:
        return [t(f"diagram.affine_{key}", lang, n=n, d=d, m=m),
                *grid([[entry(solution, keys.key(prefix, j), known) for j in range(1, m + 1)]])]

    lines = matrix("x", "X", n, d) + matrix("w", "W", d, m) + vector("b", "b")
    lines += matrix("y", "Y", n, m) + matrix("dy", "dY", n, m)
    lines += matrix("dx", "dX", n, d) + matrix("dw", "dW", d, m) + vector("db", "db")
    return "\n".join(lines)
