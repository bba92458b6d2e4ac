"""Batch normalisation drawn as text: the mini-batch as a small table, one row per sample, with
the batch's statistics, parameters and their gradients under it (no Graphviz picture: the table
is the picture). Kept within 50 columns for N = 3, the width of the TUI's picture at 80x24."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.i18n import t
from tutor.render.diagram import entry, grid, mark, pad, shown, width
from tutor.steps import Solution, Value

from . import keys as K

COLUMNS = (("uₙ", K.u), ("ûₙ", K.u_hat), ("yₙ", K.y), ("∂E/∂yₙ", K.upstream),
           ("∂E/∂ûₙ", K.grad_u_hat), ("∂E/∂uₙ", K.grad_u))
GAP = "  "


def _table(rows: list[list[str]]) -> list[str]:
    """Cells in aligned columns, two spaces apart (the shared grid's three would not fit)."""
    widths = [max(width(row[k]) for row in rows) for k in range(len(rows[0]))]
    return [(" " + GAP.join(pad(cell, widths[k]) for k, cell in enumerate(row))).rstrip() for row in rows]


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """The table of samples (u, û, y = f_BN(u), the upstream ∂E/∂y, ∂E/∂û, ∂E/∂u), then μ and σ² with their
    gradients, and γ, β, ε with theirs; "?" for what is still to find."""
    count = problem.batchnorm.N

    def cell(name: str) -> str:
        return shown(solution.givens.get(name, known.get(name))) + mark(known, name)

    def entries(*rows: tuple[str, ...]) -> list[str]:
        return grid([[entry(solution, name, known) for name in row] for row in rows])

    table = [["n", *(heading for heading, _ in COLUMNS)]]
    table += [[str(n), *(cell(name(n)) for _, name in COLUMNS)] for n in range(1, count + 1)]
    lines = [t("diagram.bn_batch", lang, n=count), *_table(table)]
    lines += [t("diagram.bn_statistics", lang), *entries((K.MU, K.VAR), (K.GRAD_MU, K.GRAD_VAR))]
    lines += [t("diagram.bn_parameters", lang), *entries((K.GAMMA, K.BETA, K.EPS), (K.GRAD_GAMMA, K.GRAD_BETA))]
    return "\n".join(lines)
