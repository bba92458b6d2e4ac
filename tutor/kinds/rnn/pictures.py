"""An unrolled RNN drawn as text, as the seed's slides draw it: one column per time step
(t = 0 holds z⁰), the output units on top, the hidden units in the middle, the inputs below;
↑ from x^t to z^t and from z^t to y^t, → from z^(t-1) to z^t. Each weight matrix follows as a
grid of its entries with their gradients (and updated values). No Graphviz picture."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine.keys import grad, new
from tutor.i18n import t as say
from tutor.render.diagram import entry, grid, pad, width
from tutor.steps import Solution, Value

from . import names as N

GAP = " → "


def _column(spec, solution: Solution, known: Mapping[str, Value], t: int, lang: str) -> list[str]:
    """One time step, top to bottom; t = 0 shows z⁰ alone, on the rows of z."""
    _, n_hidden, n_out = spec.sizes
    n_in = spec.sizes[0]
    here = t > 0
    cell = lambda key: entry(solution, key, known) if here else ""
    lines = [say("diagram.rnn_time", lang, t=t), cell(N.loss(t))]
    for k in range(1, n_out + 1):
        lines += [cell(N.d(t, k)), cell(N.y(t, k)), cell(N.v(t, k)), cell(N.delta_out(t, k))]
    lines.append("↑" if here else "")
    for j in range(1, n_hidden + 1):
        lines += [entry(solution, N.z(t, j), known), cell(N.u(t, j)), cell(N.delta(t, j))]
    lines.append("↑" if here else "")
    lines += [cell(N.x(t, i)) for i in range(1, n_in + 1)]
    return lines


def _z_rows(spec) -> set[int]:
    """The rows of the columns that hold a z (where → joins neighbouring columns)."""
    first = 2 + 4 * spec.sizes[2] + 1
    return {first + 3 * (j - 1) for j in range(1, spec.sizes[1] + 1)}


def _side_by_side(blocks: list[list[str]], arrows: set[int]) -> list[str]:
    widths = [max(width(line) for line in block) for block in blocks]
    lines = []
    for row in range(max(len(block) for block in blocks)):
        parts = []
        for k, (block, cells) in enumerate(zip(blocks, widths)):
            parts.append(pad(block[row] if row < len(block) else "", cells))
            if k < len(blocks) - 1:
                parts.append(GAP if row in arrows else " " * len(GAP))
        lines.append("".join(parts).rstrip())
    return lines


def _parameters(spec, solution: Solution, known: Mapping[str, Value], lang: str) -> list[str]:
    updates = spec.learning_rate is not None
    lines = []
    for parameter, entries in N.parameters(spec.sizes).items():
        lines.append(say(f"diagram.rnn_{parameter.lower()}", lang))
        cells = [[entry(solution, name, known), entry(solution, grad(name), known)]
                 + ([entry(solution, new(name), known)] if updates else []) for name, _ in entries]
        lines += grid(cells)
    if updates:
        lines.append(entry(solution, "eta", known))
    return lines


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    spec = problem.rnn
    blocks = [_column(spec, solution, known, t, lang) for t in range(spec.T + 1)]
    lines = _side_by_side(blocks, _z_rows(spec))
    lines.append(say("diagram.rnn_loss", lang, loss=spec.loss) + "   " + entry(solution, "E", known))
    lines.append("")
    lines += _parameters(spec, solution, known, lang)
    return "\n".join(lines)
