"""The network, graph, Affine layer or Adam update drawn as plain text, with the values found so far
filled in.

Used by ``bptutor show`` (nothing known yet) and by the TUI, which passes the values the student
has found; unknown quantities show as "?". Plain strings: no Rich, no markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from .. import formula
from ..i18n import t
from ..numbers import format_number
from ..steps import Solution, Value

UNKNOWN = "?"


def width(text: str) -> int:
    """Terminal cells: East Asian wide characters take two, combining marks (the hat of m̂) none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def pad(text: str, cells: int) -> str:
    return text + " " * max(cells - width(text), 0)


def _shown(value: Value | None) -> str:
    if value is None:
        return UNKNOWN
    if isinstance(value, tuple):
        return "(" + ", ".join(format_number(v) for v in value) + ")"
    return format_number(value)


def _entry(solution: Solution, name: str, known: Mapping[str, Value]) -> str:
    value = solution.givens.get(name, known.get(name))
    return f"{formula.text(solution.symbols[name], solution.symbols)} = {_shown(value)}"


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
    updates = any(s.name == f"{names[0]}_new" for s in solution.steps)
    blocks: list[list[str]] = [[], [], []] if updates else [[], []]
    for name in names:
        blocks[0].append(_entry(solution, name, known))
        blocks[1].append(_entry(solution, f"grad_{name}", known))
        if updates:
            blocks[2].append(_entry(solution, f"{name}_new", known))
    return ["  " + line for line in _columns(blocks)]


def network_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    net = problem.network
    blocks = [[t("diagram.input", lang)] + [_entry(solution, f"x_{i}", known) for i in range(1, net.sizes[0] + 1)]]
    kinds = [[""] + ["x"] * net.sizes[0]]
    for l in range(1, net.layers + 1):
        block = [t("diagram.layer", lang, layer=l, activation=net.activations[l - 1])]
        for j in range(1, net.sizes[l] + 1):
            block += [
                _entry(solution, f"u{l}_{j}", known),
                _entry(solution, f"h{l}_{j}", known),
                _entry(solution, f"delta{l}_{j}", known),
                "",
            ]
        blocks.append(block)
        kinds.append([""] + ["u", "h", "delta", ""] * net.sizes[l])
    outputs = net.sizes[-1]
    blocks.append(
        [t("diagram.loss", lang, loss=net.loss)]
        + [_entry(solution, f"d_{j}", known) for j in range(1, outputs + 1)]
        + [_entry(solution, "E", known)]
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
            names += [f"W{l}_{j}_{i}" for i in range(1, net.sizes[l - 1] + 1)] + [f"b{l}_{j}"]
        lines += _parameter_rows(solution, known, names)
    lines.append(f"η = {format_number(net.learning_rate)}")
    return "\n".join(lines)


def _wrapped(prefix: str, entries: list[str], cells: int = 52) -> list[str]:
    """``prefix`` and the entries three spaces apart, continued under the first entry."""
    lines, line = [], prefix
    for entry in entries:
        if line.strip() and line != prefix and width(line) + 3 + width(entry) > cells:
            lines.append(line)
            line = " " * width(prefix)
        line += ("" if line.strip() == prefix.strip() or not line.strip() else "   ") + entry
    lines.append(line)
    return lines


def graph_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Each node and input as a small block: its rule and value, then the output's derivative by
    it and the local derivatives of the nodes that use it (the factors the chain rule multiplies).
    Narrow on purpose: it fits beside the step list on an 80-column screen."""
    graph = problem.graph
    lines = _wrapped(t("diagram.inputs", lang), [_entry(solution, n, known) for n in graph.inputs])
    locals_by_node: dict[str, list[str]] = {}
    for step in solution.steps:
        if step.node is not None and step.name.startswith("d") and step.name.endswith(f"_d{step.node}"):
            locals_by_node.setdefault(step.node, []).append(_entry(solution, step.name, known))
    heads = [(name, f"{name} = {text} = {_shown(known.get(name))}") for name, text in graph.nodes.items()]
    heads += [(name, f"{name} = {format_number(value)}") for name, value in graph.inputs.items()]
    for name, head in heads:
        lines.append("  " + head)
        lines.append("    " + _entry(solution, f"grad_{name}", known))
        lines += ["    " + entry for entry in locals_by_node.get(name, [])]
    lines.append(t("diagram.output", lang, output=graph.output))
    return "\n".join(lines)


def layer_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    spec = problem.layer
    lines = [t("diagram.layer_alone", lang, activation=spec.activation, loss=spec.loss or "-")]
    for name in ("h1", "E", "delta1"):
        if name in solution.givens or name in known or any(s.name == name for s in solution.steps):
            lines.append("  " + _entry(solution, name, known))
    if spec.scores is not None:
        lines.insert(1, "  u = (" + ", ".join(format_number(v) for v in spec.scores) + ")")
    if spec.target is not None:
        lines.append("  d = (" + ", ".join(format_number(v) for v in spec.target) + ")")
    return "\n".join(lines)


def _grid(rows: list[list[str]], indent: str = "  ") -> list[str]:
    """Cells in aligned columns, three spaces apart."""
    columns = max((len(row) for row in rows), default=0)
    widths = [max((width(row[k]) for row in rows if k < len(row)), default=0) for k in range(columns)]
    return [(indent + "   ".join(pad(cell, widths[k]) for k, cell in enumerate(row))).rstrip() for row in rows]


def affine_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Every matrix as a grid of its entries, each under a heading that gives its shape."""
    spec = problem.affine
    n, d, m = spec.N, spec.D, spec.M

    def matrix(key: str, prefix: str, rows: int, cols: int) -> list[str]:
        entries = [[_entry(solution, f"{prefix}_{r}_{c}", known) for c in range(1, cols + 1)]
                   for r in range(1, rows + 1)]
        return [t(f"diagram.affine_{key}", lang, n=n, d=d, m=m), *_grid(entries)]

    def vector(key: str, prefix: str) -> list[str]:
        return [t(f"diagram.affine_{key}", lang, n=n, d=d, m=m),
                *_grid([[_entry(solution, f"{prefix}_{j}", known) for j in range(1, m + 1)]])]

    lines = matrix("x", "X", n, d) + matrix("w", "W", d, m) + vector("b", "b")
    lines += matrix("y", "Y", n, m) + matrix("dy", "dY", n, m)
    lines += matrix("dx", "dX", n, d) + matrix("dw", "dW", d, m) + vector("db", "db")
    return "\n".join(lines)


def optimizer_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Per weight: the weight and its gradient, each moment before and after with its bias-corrected
    value, and the new weight."""
    spec = problem.optimizer
    constants = "   ".join(_entry(solution, key, known) for key in ("eta", "beta1", "beta2", "eps"))
    lines = [t("diagram.adam", lang, t=spec.t), "  " + constants]
    for i in range(1, len(spec.weights) + 1):
        lines.append(t("diagram.adam_weight", lang, i=i))
        rows = [[f"w_{i}", f"g_{i}"], [f"m_old_{i}", f"m_{i}", f"mhat_{i}"], [f"v_old_{i}", f"v_{i}", f"vhat_{i}"],
                [f"w_{i}_new"]]
        lines += _grid([[_entry(solution, name, known) for name in row] for row in rows])
    return "\n".join(lines)


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str = "en") -> str:
    draw = {"network": network_diagram, "graph": graph_diagram, "loss": layer_diagram, "affine": affine_diagram,
            "optimizer": optimizer_diagram}[problem.kind]
    return draw(problem, solution, known, lang)
