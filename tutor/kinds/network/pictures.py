"""A layered network drawn: as text, column by column (inputs, each layer's u, h and δ, then E,
with each weight and its gradient below), and as a Graphviz picture, unit by unit in the
lecture's notation: each unit shows b, u, h and δ; the arrow of w_ji goes from unit i to unit j
and carries w_ji and ∂E/∂w_ji."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine.keys import Net as N
from tutor.engine.keys import grad, new
from tutor.i18n import t
from tutor.numbers import format_number
from tutor.render.diagram import entry, pad, width
from tutor.render.dot import BACKWARD, FORWARD, Line, edge, error_node, escape, header, name, node, number
from tutor.steps import Solution, Value


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
    blocks: list[list[str]] = [[], [], []] if updates else [[], []]
    for key in names:
        blocks[0].append(entry(solution, key, known))
        blocks[1].append(entry(solution, grad(key), known))
        if updates:
            blocks[2].append(entry(solution, new(key), known))
    return ["  " + line for line in _columns(blocks)]


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    net = problem.network
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
    lines.append("")
    for l in range(1, net.layers + 1):
        lines.append(t("diagram.weights", lang, layer=l))
        names = []
        for j in range(1, net.sizes[l] + 1):
            names += [N.w(l, j, i) for i in range(1, net.sizes[l - 1] + 1)] + [N.b(l, j)]
        lines += _parameter_rows(solution, known, names)
    lines.append(f"η = {format_number(net.learning_rate)}")
    return "\n".join(lines)


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
