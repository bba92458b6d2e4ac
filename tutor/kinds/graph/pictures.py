"""A computational graph drawn: as narrow text blocks, one per node and input, and as a Graphviz
picture the way the textbook draws the shopping example: inputs on the left, one node per
operation, and on each arrow the value flowing forwards (black, on top) and the derivative
flowing back along it (red, underneath)."""

from __future__ import annotations

from collections.abc import Mapping

from tutor import formula
from tutor.engine.keys import grad, local
from tutor.i18n import t
from tutor.numbers import format_number
from tutor.render.diagram import entry, shown, width
from tutor.render.dot import BACKWARD, FORWARD, Line, edge, header, name, node, number
from tutor.steps import Phase, Solution, Value


def _wrapped(prefix: str, entries: list[str], cells: int = 52) -> list[str]:
    """``prefix`` and the entries three spaces apart, continued under the first entry."""
    lines, line = [], prefix
    for item in entries:
        if line.strip() and line != prefix and width(line) + 3 + width(item) > cells:
            lines.append(line)
            line = " " * width(prefix)
        line += ("" if line.strip() == prefix.strip() or not line.strip() else "   ") + item
    lines.append(line)
    return lines


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Each node and input as a small block: its rule and value, then the output's derivative by
    it and the local derivatives of the nodes that use it (the factors the chain rule multiplies).
    Narrow on purpose: it fits beside the step list on an 80-column screen."""
    graph = problem.graph
    lines = _wrapped(t("diagram.inputs", lang), [entry(solution, n, known) for n in graph.inputs])
    locals_by_node: dict[str, list[str]] = {}
    for step in solution.steps:
        if step.node is not None and step.name.startswith("d") and step.name.endswith(f"_d{step.node}"):
            locals_by_node.setdefault(step.node, []).append(entry(solution, step.name, known))
    heads = [(var, f"{var} = {text} = {shown(known.get(var))}") for var, text in graph.nodes.items()]
    heads += [(var, f"{var} = {format_number(value)}") for var, value in graph.inputs.items()]
    for var, head in heads:
        lines.append("  " + head)
        lines.append("    " + entry(solution, grad(var), known))
        lines += ["    " + slope for slope in locals_by_node.get(var, [])]
    lines.append(t("diagram.output", lang, output=graph.output))
    return "\n".join(lines)



def dot(problem, solution: Solution, lang: str = "en") -> str:
    """Inputs as plain labels, operations as ellipses, the output leaving on the right.

    From v to each node c that uses it run two arrows: forwards with v's value, and backwards
    (red, below) with ∂out/∂c · ∂c/∂v, the part of ∂out/∂v that flows back along it. A value
    used by several nodes (fan-out) also shows the sum ∂out/∂v beside its name."""
    graph = problem.graph
    env = solution.exact_env()
    forward = {s.node: s for s in solution.steps if s.phase is Phase.FORWARD and s.node is not None}
    names = [*graph.inputs, *graph.nodes]
    ids = {v: f"v{k}" for k, v in enumerate(names, 1)}
    edges = [(v, c) for c in graph.nodes for v in names if v in forward[c].uses]
    fan_out = {v: sum(1 for tail, _ in edges if tail == v) for v in names}
    fan_out[graph.output] += 1  # its own arrow out of the picture

    def total(v: str) -> list[Line]:
        if fan_out[v] < 2:
            return []
        return [(f"{name(solution, grad(v))} = {number(env[grad(v)])}", BACKWARD, False)]

    lines = header(problem, lang)
    for v in graph.inputs:
        lines.append(node(ids[v], [(name(solution, v), FORWARD, True), *total(v)], shape="plaintext"))
    for c in graph.nodes:
        rule = formula.text(forward[c].formula, solution.symbols)
        lines.append(node(ids[c], [(name(solution, c), FORWARD, True), (rule, FORWARD, False), *total(c)],
                           shape="ellipse", margin="0.05"))
    lines.append('  "out" [label="", shape=none, width=0.1, height=0.1];')
    # Each value gets two arrows, as in the textbook: black forwards, then red backwards; dot
    # lays parallel edges out in the order given, so the red one runs below the black one.
    pairs = [(ids[v], ids[c], env[v], env[grad(c)] * env[local(c, v)]) for v, c in edges]
    pairs.append((ids[graph.output], "out", env[graph.output], env[grad(graph.output)]))
    for tail, head, value, back in pairs:
        lines.append(edge(tail, head, [(number(value), FORWARD, False)]))
        lines.append(edge(tail, head, [(number(back), BACKWARD, False)], dir="back", color=f'"{BACKWARD}"'))
    lines.append("}")
    return "\n".join(lines) + "\n"
