"""Batch normalisation drawn: as text, the mini-batch as a small table, one row per sample, with
the batch's statistics, parameters and their gradients under it (kept within 50 columns for
N = 3, the width of the TUI's picture at 80x24); and as a Graphviz picture, the same table with
μ, σ², γ and β above it, the arrows u → μ → σ² → û → y following the computation."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.i18n import t
from tutor.render.diagram import entry, grid, mark, pad, shown, width
from tutor.render.dot import BACKWARD, FORWARD, edge, escape, header, name, node, number
from tutor.render.dot_table import arrow, cell, same_rank, table, table_node
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


# ---------------------------------------------------------------- the Graphviz picture

# The batch's columns in three blocks, in the order they are computed: the inputs (with n), the
# normalised values and the outputs, each beside its gradient.
_BLOCKS = (("u", ((("uₙ", K.u), ("∂E/∂uₙ", K.grad_u)))), ("uhat", (("ûₙ", K.u_hat), ("∂E/∂ûₙ", K.grad_u_hat))),
           ("y", (("yₙ", K.y), ("∂E/∂yₙ", K.upstream))))


def dot(problem, solution: Solution, lang: str = "en") -> str:
    """μ, σ², γ and β in a row, the batch under them as one table in three blocks joined by the
    arrows of the computation; forward values black, gradients red."""
    count, env = problem.batchnorm.N, solution.exact_env()
    lines = header(problem, lang)
    lines.append("  graph [rankdir=TB, ranksep=0.8, nodesep=0.5];")
    for key, grad_key in ((K.MU, K.GRAD_MU), (K.VAR, K.GRAD_VAR), (K.GAMMA, K.GRAD_GAMMA), (K.BETA, K.GRAD_BETA)):
        rows = [(f"{name(solution, key)} = {number(env[key])}", FORWARD, True),
                (f"{name(solution, grad_key)} = {number(env[grad_key])}", BACKWARD, False)]
        if key == K.VAR:
            rows.append((f"{name(solution, K.EPS)} = {number(env[K.EPS])}", FORWARD, False))
        lines.append(node(key, rows, shape="box", style="rounded"))
    lines.append(same_rank([K.MU, K.VAR, K.GAMMA, K.BETA]))
    lines.append('  subgraph "cluster_batch" {')
    lines.append(f'    graph [label=<{escape(t("dot.bn_batch", lang, n=count))}>, labelloc=b, style=dashed, color=gray];')
    lines += ["  " + table_node(block, _block(env, count, columns, first=block == "u")) for block, columns in _BLOCKS]
    lines.append("  " + same_rank([block for block, _ in _BLOCKS]))
    lines.append("  }")
    flow = [("u", K.MU, "μ = (1/N) Σₙ uₙ", {"constraint": "false"}),
            (K.MU, K.VAR, "σ² = (1/N) Σₙ (uₙ − μ)²", {}),
            ("u", "uhat", "ûₙ = (uₙ − μ) / √(σ² + ε)", {}),
            ("uhat", "y", "yₙ = γ ûₙ + β", {})]
    lines += [edge(tail, head, [(text, FORWARD, False)], **attributes) for tail, head, text, attributes in flow]
    lines += [arrow(K.VAR, "uhat"), arrow(K.MU, "uhat"), arrow(K.GAMMA, "y"), arrow(K.BETA, "y")]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _block(env, count: int, columns, first: bool) -> str:
    """One block of the batch's table: a heading row, then one row per sample (n in the first)."""
    colours = [FORWARD, BACKWARD]
    rows = [([cell("n", bold=True)] if first else []) + [cell(heading, colour, bold=True)
                                                         for (heading, _), colour in zip(columns, colours)]]
    for n in range(1, count + 1):
        rows.append(([cell(str(n))] if first else []) + [cell(number(env[key(n)]), colour)
                                                         for (_, key), colour in zip(columns, colours)])
    return table(rows, cellborder=1, padding=4)
