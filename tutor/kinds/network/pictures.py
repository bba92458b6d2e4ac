"""A layered network drawn: as text, unit by unit with every weight as a line from unit i to
unit j (inputs, each layer's u, h and δ, then E and d; each weight and its gradient listed
below), and as a Graphviz picture in the lecture's notation: each unit shows b, u, h and δ; the
arrow of w_ji goes from unit i to unit j and carries w_ji and ∂E/∂w_ji."""

from __future__ import annotations

import re
from collections.abc import Mapping

from tutor import formula
from tutor.engine.keys import Net as N
from tutor.engine.keys import grad, new
from tutor.i18n import t
from tutor.numbers import format_number, format_value
from tutor.render.diagram import entry, grid, pad, width
from tutor.render.dot import BACKWARD, FORWARD, Line, edge, error_node, escape, header, name, node, number
from tutor.render.wiring import Block, Edge, layout
from tutor.steps import Solution, Value

# Larger nets are listed column by column instead: their lines would not be legible.
MAX_DRAWN_UNITS = 4
MAX_DRAWN_LAYERS = 4
UNIT_ROWS = 4  # u, h, δ and a blank row: room for the lines of up to four units arriving
_LAYER_MARK = re.compile(r"⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾$")


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    net = problem.network
    drawn = max(net.sizes) <= MAX_DRAWN_UNITS and net.layers <= MAX_DRAWN_LAYERS
    lines = _wired(net, solution, known, lang) if drawn else _listed(net, solution, known, lang)
    lines.append("")
    for l in range(1, net.layers + 1):
        lines.append(t("diagram.weights", lang, layer=l))
        names = []
        for j in range(1, net.sizes[l] + 1):
            names += [N.w(l, j, i) for i in range(1, net.sizes[l - 1] + 1)] + [N.b(l, j)]
        lines += _parameter_rows(solution, known, names)
    lines.append(f"η = {format_number(net.learning_rate)}")
    return "\n".join(lines)


def _wired(net, solution: Solution, known: Mapping[str, Value], lang: str) -> list[str]:
    """Each unit a block (u, h, δ); each weight a line from h_i (or x_i) to u_j, labelled
    w_ji and its value (the layer is the gap the line runs in); the outputs to E."""
    columns = [[Block((entry(solution, N.x(i), known),), i - 1) for i in range(1, net.sizes[0] + 1)]]
    edges = []
    for l in range(1, net.layers + 1):
        columns.append([
            Block((entry(solution, N.u(l, j), known), entry(solution, N.h(l, j), known),
                   entry(solution, N.delta(l, j), known)), UNIT_ROWS * (j - 1), out_port=1)
            for j in range(1, net.sizes[l] + 1)
        ])
        for j in range(1, net.sizes[l] + 1):
            for i in range(1, net.sizes[l - 1] + 1):
                edges.append(Edge((l - 1, i - 1), (l, j - 1), _weight_label(solution, N.w(l, j, i))))
    outputs = net.sizes[-1]
    loss = (entry(solution, "E", known), *(entry(solution, N.d(j), known) for j in range(1, outputs + 1)))
    columns.append([Block(loss, 1)])
    edges += [Edge((net.layers, j), (net.layers + 1, 0)) for j in range(outputs)]
    drawing = layout(columns, edges)
    headings = [t("diagram.input", lang)]
    headings += [t("diagram.layer", lang, layer=l, activation=net.activations[l - 1]) for l in range(1, net.layers + 1)]
    headings.append(t("diagram.loss", lang, loss=net.loss))
    return _headings(headings, drawing.columns) + drawing.lines


def _weight_label(solution: Solution, key: str) -> str:
    """"w₁₂ 0.5": the weight's name without its layer, and its value."""
    symbol = _LAYER_MARK.sub("", formula.text(solution.symbols[key], solution.symbols))
    return f"{symbol} {format_value(solution.givens[key])}"


def _headings(headings: list[str], xs: list[int]) -> list[str]:
    """Each heading over its column, on one line (a row saved): one that would run into the
    heading before it starts just past it instead."""
    line = ""
    for text, x in zip(headings, xs):
        line = pad(line, max(x, width(line) + 2 if line else 0)) + text
    return [line]


def _listed(net, solution: Solution, known: Mapping[str, Value], lang: str) -> list[str]:
    """Too many units to draw: inputs, each layer's u, h and δ, then E, in columns."""
    blocks = [[t("diagram.input", lang)] + [entry(solution, N.x(i), known) for i in range(1, net.sizes[0] + 1)]]
    kinds = [[""] + ["x"] * net.sizes[0]]
    for l in range(1, net.layers + 1):
        block = [t("diagram.layer", lang, layer=l, activation=net.activations[l - 1])]
        for j in range(1, net.sizes[l] + 1):
            block += [
                entry(solution, N.u(l, j), known),
                entry(solution, N.h(l, j), known),
                entry(solution, N.delta(l, j), known),
                "",
            ]
        blocks.append(block)
        kinds.append([""] + ["u", "h", "delta", ""] * net.sizes[l])
    outputs = net.sizes[-1]
    blocks.append(
        [t("diagram.loss", lang, loss=net.loss)]
        + [entry(solution, N.d(j), known) for j in range(1, outputs + 1)]
        + [entry(solution, "E", known)]
    )
    kinds.append([""] + ["d"] * outputs + ["E"])
    lines = _columns(blocks, joins=_arrows(kinds))
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _columns(blocks: list[list[str]], gap: int = 3, joins: Mapping[tuple[int, int], str] | None = None) -> list[str]:
    """Blocks side by side. ``joins[(k, row)]`` is drawn in the gap after block k on that row."""
    widths = [max((width(line) for line in block), default=0) for block in blocks]
    height = max(len(block) for block in blocks)
    joins = joins or {}
    lines = []
    for row in range(height):
        line = ""
        for k, (block, w) in enumerate(zip(blocks, widths)):
            line += pad(block[row] if row < len(block) else "", w)
            if k < len(blocks) - 1:
                line += joins.get((k, row), "").center(gap)
        lines.append(line.rstrip())
    return lines


def _arrows(kinds: list[list[str]]) -> dict[tuple[int, int], str]:
    """Arrows between neighbouring columns: forwards into each u and into E, backwards along δ."""
    joins = {}
    for k in range(len(kinds) - 1):
        left, right = kinds[k], kinds[k + 1]
        for row in range(1, min(len(left), len(right))):
            if not left[row] or not right[row]:
                continue
            if right[row] in ("u", "E"):
                joins[(k, row)] = "→"
            elif left[row] == right[row] == "delta":
                joins[(k, row)] = "←"
    return joins


def _parameter_rows(solution: Solution, known: Mapping[str, Value], names: list[str]) -> list[str]:
    """One row per weight or bias: its value, its gradient and, when the problem asks, its new value."""
    updates = any(s.name == new(names[0]) for s in solution.steps)
    rows = []
    for key in names:
        row = [entry(solution, key, known), entry(solution, grad(key), known)]
        rows.append(row + [entry(solution, new(key), known)] if updates else row)
    return grid(rows)


def dot(problem, solution: Solution, lang: str = "en") -> str:
    """One cluster per layer, left to right; E on the right, reached from the output units."""
    net = problem.network
    env = solution.exact_env()
    sizes = net.sizes

    def unit(l: int, j: int) -> str:
        return f"x{j}" if l == 0 else f"l{l}u{j}"

    def value_line(key: str, colour: str = FORWARD, bold: bool = False) -> Line:
        return (f"{name(solution, key)} = {number(env[key])}", colour, bold)

    lines = header(problem, lang)
    lines.append('  subgraph "cluster_0" {')
    lines.append(f'    graph [label=<{escape(t("diagram.input", lang))}>, style=dashed, color=gray];')
    for i in range(1, sizes[0] + 1):
        lines.append("  " + node(unit(0, i), [value_line(N.x(i), bold=True)], shape="ellipse"))
    lines.append("  }")
    for l in range(1, net.layers + 1):
        heading = t("diagram.layer", lang, layer=l, activation=net.activations[l - 1])
        lines.append(f'  subgraph "cluster_{l}" {{')
        lines.append(f"    graph [label=<{escape(heading)}>, style=dashed, color=gray];")
        for j in range(1, sizes[l] + 1):
            rows = [value_line(N.b(l, j)), value_line(N.u(l, j)), value_line(N.h(l, j), bold=True),
                    value_line(N.delta(l, j), BACKWARD)]
            lines.append("  " + node(unit(l, j), rows, shape="box", style="rounded"))
        lines.append("  }")
    for l in range(1, net.layers + 1):
        for j in range(1, sizes[l] + 1):
            for i in range(1, sizes[l - 1] + 1):
                key = N.w(l, j, i)
                lines.append(edge(unit(l - 1, i), unit(l, j), [value_line(key), value_line(grad(key), BACKWARD)]))
    lines += error_node(solution, env, [unit(net.layers, j) for j in range(1, sizes[-1] + 1)],
                         t("diagram.loss", lang, loss=net.loss))
    lines.append("}")
    return "\n".join(lines) + "\n"
