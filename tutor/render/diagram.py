"""The network or graph drawn as plain text, with the values found so far filled in.

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
    """Terminal cells: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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


def _columns(blocks: list[list[str]], gap: int = 3) -> list[str]:
    widths = [max((width(line) for line in block), default=0) for block in blocks]
    height = max(len(block) for block in blocks)
    lines = []
    for row in range(height):
        cells = [pad(block[row] if row < len(block) else "", w) for block, w in zip(blocks, widths)]
        lines.append((" " * gap).join(cells).rstrip())
    return lines


def network_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    net = problem.network
    blocks = [[t("diagram.input", lang)] + [_entry(solution, f"x_{i}", known) for i in range(1, net.sizes[0] + 1)]]
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
    target = [t("diagram.loss", lang, loss=net.loss)] + [
        _entry(solution, f"d_{j}", known) for j in range(1, net.sizes[-1] + 1)
    ] + [_entry(solution, "E", known)]
    blocks.append(target)
    lines = _columns(blocks)
    lines.append("")
    for l in range(1, net.layers + 1):
        lines.append(t("diagram.weights", lang, layer=l))
        for j in range(1, net.sizes[l] + 1):
            params = [f"W{l}_{j}_{i}" for i in range(1, net.sizes[l - 1] + 1)] + [f"b{l}_{j}"]
            lines.append("  " + "   ".join(_entry(solution, p, known) for p in params))
            grads = [f"grad_W{l}_{j}_{i}" for i in range(1, net.sizes[l - 1] + 1)] + [f"grad_b{l}_{j}"]
            lines.append("  " + "   ".join(_entry(solution, g, known) for g in grads))
    lines.append(f"η = {format_number(net.learning_rate)}")
    return "\n".join(lines)


def graph_diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    graph = problem.graph
    lines = [t("diagram.inputs", lang) + "   ".join(_entry(solution, n, known) for n in graph.inputs)]
    rows = []
    for name, text in graph.nodes.items():
        rows.append([f"{name} = {text}", f"= {_shown(known.get(name))}", _entry(solution, f"grad_{name}", known)])
    for name in graph.inputs:
        rows.append([name, f"= {format_number(graph.inputs[name])}", _entry(solution, f"grad_{name}", known)])
    widths = [max(width(r[k]) for r in rows) for k in range(3)]
    lines += ["  " + "   ".join(pad(cell, w) for cell, w in zip(r, widths)).rstrip() for r in rows]
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


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str = "en") -> str:
    draw = {"network": network_diagram, "graph": graph_diagram, "loss": layer_diagram}[problem.kind]
    return draw(problem, solution, known, lang)
