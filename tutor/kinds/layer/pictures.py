"""An output layer alone drawn: its u, h, E and δ as text, and as a Graphviz picture of its units
with the loss on the right."""

from __future__ import annotations

from collections.abc import Mapping

from tutor.engine.symbols import label as indexed_label
from tutor.engine.keys import Net as N
from tutor.i18n import t
from tutor.numbers import format_value
from tutor.render.diagram import entry
from tutor.render.dot import BACKWARD, FORWARD, Line, error_node, escape, header, name, node, number
from tutor.steps import Solution, Value


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    spec = problem.layer
    lines = [t("diagram.layer_alone", lang, activation=spec.activation, loss=spec.loss or "-")]
    for key in ("h1", "E", "delta1"):
        if key in solution.givens or key in known or any(s.name == key for s in solution.steps):
            lines.append("  " + entry(solution, key, known))
    if spec.scores is not None:
        lines.insert(1, "  u = " + format_value(spec.scores))
    if spec.target is not None:
        lines.append("  d = " + format_value(spec.target))
    return "\n".join(lines)


def dot(problem, solution: Solution, lang: str = "en") -> str:
    spec = problem.layer
    env = solution.exact_env()
    n = len(spec.scores if spec.scores is not None else spec.outputs)
    heading = t("diagram.layer_alone", lang, activation=spec.activation, loss=spec.loss or "-")
    lines = header(problem, lang)
    lines.append('  subgraph "cluster_1" {')
    lines.append(f"    graph [label=<{escape(heading)}>, style=dashed, color=gray];")
    for j in range(1, n + 1):
        rows: list[Line] = []
        u, h, delta_key = N.u(1, j), N.h(1, j), N.delta(1, j)
        if u in env:
            rows.append((f"{name(solution, u)} = {number(env[u])}", FORWARD, False))
        rows.append((f"{name(solution, h)} = {number(env[h])}", FORWARD, True))
        if delta_key in env:
            delta = indexed_label("δ", r"\delta", None, (j,))[0]
            rows.append((f"{delta} = {number(env[delta_key])}", BACKWARD, False))
        lines.append("  " + node(f"u{j}", rows, shape="box", style="rounded"))
    lines.append("  }")
    lines += error_node(solution, env, [f"u{j}" for j in range(1, n + 1)], t("diagram.loss", lang, loss=spec.loss))
    lines.append("}")
    return "\n".join(lines) + "\n"
