"""An unrolled RNN drawn as the seed's slides draw it: one column per time step (t = 0 holds z⁰),
the output units on top, the hidden units in the middle, the inputs below; ↑ from x^t to z^t and
from z^t to y^t, → from z^(t-1) to z^t. As text, each weight matrix follows as a grid of its
entries with their gradients (and updated values); the Graphviz picture draws the same columns,
the weight matrices named on the arrows, and the parameters in a table under them."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine.keys import grad, new
from tutor.i18n import t as say
from tutor.render.diagram import entry, grid, pad, width
from tutor.render.dot import (
    BACKWARD,
    FORWARD,
    Line,
    edge,
    header,
    name,
    node,
    number,
)
from tutor.render.dot_table import arrow, cell, same_rank, table, table_node
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


# ---------------------------------------------------------------- the Graphviz picture

_MATRICES = {"W_in": "Wⁱⁿ", "W": "W", "W_out": "Wᵒᵘᵗ", "b": "b", "b_out": "bᵒᵘᵗ"}


def dot(problem, solution: Solution, lang: str = "en") -> str:
    """Rows from the top: the time steps, the outputs y⁽ᵗ⁾, the hidden states z⁽ᵗ⁾ (z⁽⁰⁾ first,
    each → the next through W), the inputs x⁽ᵗ⁾; the parameters' table at the bottom."""
    spec, env = problem.rnn, solution.exact_env()
    n_in, n_hidden, n_out = spec.sizes
    times = range(1, spec.T + 1)

    def line(key: str, colour: str = FORWARD, bold: bool = False) -> Line:
        return (f"{name(solution, key)} = {number(env[key])}", colour, bold)

    lines = header(problem, lang)
    lines.append("  graph [rankdir=TB, ranksep=0.6, nodesep=0.5];")
    # The headings in one row, declared inside it: no invisible arrows to pull them together.
    lines.append("  { rank=same;")
    for t in range(spec.T + 1):
        lines.append("  " + node(f"t{t}", [(say("diagram.rnn_time", lang, t=t), FORWARD, True)], shape="plaintext"))
    lines.append("  }")
    for t in times:
        rows = []
        for k in range(1, n_out + 1):
            rows += [line(N.v(t, k)), line(N.y(t, k), bold=True), line(N.d(t, k)), line(N.delta_out(t, k), BACKWARD)]
        lines.append(node(f"y{t}", [*rows, line(N.loss(t))], shape="box", style="rounded"))
        hidden = []
        for j in range(1, n_hidden + 1):
            hidden += [line(N.u(t, j)), line(N.z(t, j), bold=True), line(N.delta(t, j), BACKWARD)]
        lines.append(node(f"z{t}", hidden, shape="box", style="rounded"))
        lines.append(node(f"x{t}", [line(N.x(t, i), bold=True) for i in range(1, n_in + 1)], shape="ellipse"))
    lines.append(node("z0", [line(N.z(0, j), bold=True) for j in range(1, n_hidden + 1)], shape="box", style="rounded"))
    loss = say("dot.rnn_loss", lang, loss=spec.loss)
    lines.append(node("E", [(f"E = Σₜ E⁽ᵗ⁾ = {number(env['E'])}", FORWARD, True), (loss, FORWARD, False)],
                      shape="box"))
    for row in ([f"y{t}" for t in times] + ["E"],
                [f"z{t}" for t in range(spec.T + 1)], [f"x{t}" for t in times]):
        lines.append(same_rank(row))
    lines.append(arrow("t0", "z0", style="invis", minlen="2"))
    for t in times:
        # Drawn from the top down and turned round, so y⁽ᵗ⁾ stands above z⁽ᵗ⁾ above x⁽ᵗ⁾.
        lines.append(arrow(f"t{t}", f"y{t}", style="invis"))
        lines.append(edge(f"y{t}", f"z{t}", [("Wᵒᵘᵗ", FORWARD, False)], dir="back"))
        lines.append(edge(f"z{t}", f"x{t}", [("Wⁱⁿ", FORWARD, False)], dir="back"))
        lines.append(edge(f"z{t - 1}", f"z{t}", [("W", FORWARD, False)]))
        # BPTT's δ in red: from the output at t down, and from t + 1 back along the row.
        lines.append(arrow(f"y{t}", f"z{t}", color=f'"{BACKWARD}"'))
        if t > 1:
            lines.append(arrow(f"z{t - 1}", f"z{t}", color=f'"{BACKWARD}"', dir="back"))
    lines.append(arrow(f"y{spec.T}", "E", style="dashed"))
    lines.append(table_node("parameters", _parameter_table(spec, solution, env, lang)))
    lines.append(arrow(f"x{(spec.T + 1) // 2}", "parameters", style="invis"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _parameter_table(spec, solution: Solution, env, lang: str) -> str:
    """Each weight and bias: its value, its gradient summed over t (red) and, with η, its new value."""
    updates = spec.learning_rate is not None
    width = 3 if updates else 2

    def shown(key: str) -> str:
        return f"{name(solution, key)} = {number(env[key])}"

    rows = [[cell(say("dot.rnn_parameters", lang), bold=True, span=width)]]
    for matrix, entries in N.parameters(spec.sizes).items():
        rows.append([cell(_MATRICES[matrix], bold=True, span=width)])
        for key, _ in entries:
            rows.append([cell(shown(key)), cell(shown(grad(key)), BACKWARD)] + ([cell(shown(new(key)))] if updates else []))
    if updates:
        rows.append([cell(shown("eta"), span=width)])
    return table(rows, cellborder=1, padding=3)
