"""Batch normalisation drawn as text: the mini-batch as a small table, one row per sample, with
the batch's statistics and parameters beside it (no Graphviz picture: the table is the picture)."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.i18n import t
from tutor.render.diagram import entry, grid, mark, shown
from tutor.steps import Solution, Value

from . import keys as K

COLUMNS = (("uₙ", K.u), ("ûₙ", K.u_hat), ("f_BN(uₙ)", K.y), ("∂E/∂f_BN(uₙ)", K.upstream),
           ("∂E/∂ûₙ", K.grad_u_hat), ("∂E/∂uₙ", K.grad_u))


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """The table of samples (u, û, f_BN, upstream, ∂E/∂û, ∂E/∂u), then μ and σ², γ, β and ε, and the
    gradients of the batch's shared quantities; "?" for what is still to find."""
    count = problem.batchnorm.N

    def cell(name: str) -> str:
        return shown(solution.givens.get(name, known.get(name))) + mark(known, name)

    table = [["n", *(heading for heading, _ in COLUMNS)]]
    table += [[str(n), *(cell(name(n)) for _, name in COLUMNS)] for n in range(1, count + 1)]

    def line(*names: str) -> list[str]:
        return grid([[entry(solution, name, known) for name in names]])

    lines = [t("diagram.bn_batch", lang, n=count), *grid(table)]
    lines += [t("diagram.bn_statistics", lang, n=count), *line(K.MU, K.VAR)]
    lines += [t("diagram.bn_parameters", lang), *line(K.GAMMA, K.BETA, K.EPS)]
    lines += [t("diagram.bn_shared_gradients", lang), *line(K.GRAD_GAMMA, K.GRAD_BETA, K.GRAD_VAR, K.GRAD_MU)]
    return "\n".join(lines)
