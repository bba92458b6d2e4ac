"""A computational graph drawn: as text, the way the book draws one (inputs on the left, one
block per node with its rule, value and the output's derivative by it, and every edge a line
with the value flowing forwards above it and the local derivative below it), and as a Graphviz
picture the way the textbook draws the shopping example: on each arrow the value flowing
forwards (black, on top) and the derivative flowing back along it (red, underneath)."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from tutor import formula
from tutor.engine.keys import formula_grad, grad, local
from tutor.i18n import t
from tutor.render.diagram import entry, shown
from tutor.render.dot import BACKWARD, FORWARD, Line, edge, header, name, node, number
from tutor.render.wiring import Block, Edge, layout
from tutor.steps import Phase, Solution, Value


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    """Inputs enter in the column just before their first use; a node stands one column right
    of the latest value it uses; an edge that skips columns passes through them on a line."""
    graph = problem.graph
    forward = {s.node: s for s in solution.steps if s.phase is Phase.FORWARD and s.node is not None}
    asked = {s.name for s in solution.steps}
    names = [*graph.inputs, *graph.nodes]
    edges = [(v, c) for c in graph.nodes for v in names if v in forward[c].uses]
    level: dict[str, int] = {}
    for c in graph.nodes:
        level[c] = 1 + max((level[v] for v, d in edges if d == c and v in level), default=0)
    for v in graph.inputs:
        level[v] = min((level[c] for u, c in edges if u == v), default=1) - 1
    # Each edge as the chain of places it passes: its source, a pass-through per column skipped, its node.
    chains = {(v, c): [v, *(((v, c), k) for k in range(level[v] + 1, level[c])), c] for v, c in edges}
    columns = _ordered(names, level, chains)
    place = {item: (k, i) for k, column in enumerate(columns) for i, item in enumerate(column)}

    def block(item, row: int) -> Block:
        if not isinstance(item, str):
            return Block(("", "", ""), row, 1, 1, through=True)
        lines = [entry(solution, item, known), entry(solution, grad(item), known)]
        if item in graph.nodes:
            lines.insert(0, formula.text(forward[item].formula, solution.symbols))
        else:
            lines.insert(0, "")
            if formula_grad(item) in asked:
                lines.append(entry(solution, formula_grad(item), known))
        return Block(tuple(lines), row, 1, 1)

    blocks = []
    for column in columns:
        row, placed = 0, []
        for item in column:
            placed.append(block(item, row))
            # An input's first line is blank and keeps it apart; after a node, a blank row does.
            row += len(placed[-1].lines) + (item in graph.nodes)
        blocks.append(placed)
    wires = []
    for (v, c), chain in chains.items():
        value = shown(solution.givens.get(v, known.get(v)))
        for a, b in pairwise(chain):
            last = b == c
            # Into the output, the line never rises: the local ∂out/∂v written under it then
            # comes after ∂out/∂v in v's block, where the screen looks for "∂out/∂v = " first.
            wires.append(Edge(place[a], place[b], above=value if last else "",
                              below=entry(solution, local(c, v), known) if last else "",
                              rise=c != graph.output))
    lines = layout(blocks, wires).lines
    while lines and not lines[0]:  # no label above a line, no rule over a value on the first row
        lines.pop(0)
    lines.append(t("diagram.output", lang, output=graph.output))
    return "\n".join(lines)


def _ordered(names: list[str], level: dict[str, int], chains: dict) -> list[list]:
    """The places of each column, each put near the places feeding it (fewer crossings)."""
    width = max(level.values()) + 1
    columns: list[list] = [[] for _ in range(width)]
    feeds: dict = {}
    for chain in chains.values():
        for a, b in pairwise(chain):
            feeds.setdefault(b, []).append(a)
            if not isinstance(b, str):
                columns[b[1]].append(b)
    for v in names:
        columns[level[v]].append(v)
    for k in range(1, width):
        columns[k].sort(key=lambda item, k=k: _centre([columns[k - 1].index(a) for a in feeds.get(item, [])
                                                       if a in columns[k - 1]]))
    return columns


def _centre(positions: list[int]) -> float:
    """Where the places feeding one stand, on average; one fed from nowhere goes last."""
    return sum(positions) / len(positions) if positions else float("inf")


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
