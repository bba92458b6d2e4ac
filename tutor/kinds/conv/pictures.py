"""A convolution or pooling drawn: as text, the image, the filter and every map as grids of their
entries, with the window of the next output entry still to find marked by [ ] in the image; and
as a Graphviz picture, each map a grid with its gradient grid under it in red, the window of the
first output entry (or the first pooling region) shaded, arrows forwards from map to map and red
ones back between the gradients."""

from __future__ import annotations

from collections.abc import Mapping

from tutor import formula
from tutor.i18n import t
from tutor.render.diagram import entry, grid, mark, shown
from tutor.render.dot import BACKWARD, FORWARD, edge, header, name, node, number
from tutor.render.dot_table import (
    PADDING,
    WINDOW,
    arrow,
    cell,
    nested,
    same_rank,
    table,
    table_node,
)
from tutor.steps import Solution, Value

from .common import layout, section
from .layout import Grid


def diagram(problem, solution: Solution, known: Mapping[str, Value], lang: str) -> str:
    spec, lay = section(problem), layout(problem)
    window = _window(problem, lay, known)
    lines = []
    for c, z in enumerate(lay.zs, 1):
        lines += [*_channel(lay, c, lang), t("diagram.conv_input", lang, n=z.n), *_grid(solution, z, known, window)]
    for c, h in enumerate(lay.hs, 1):
        lines += [*_channel(lay, c, lang), t("diagram.conv_filter", lang, n=h.n, stride=spec.stride, padding=spec.padding),
                  *_grid(solution, h, known)]
    sizes = {step.name for step in solution.steps} & {"size", "pool_size"}  # the output sizes asked
    if "size" in sizes:
        lines.append("  " + entry(solution, "size", known))
    if lay.u is not None:
        lines += [t("diagram.conv_u", lang, n=lay.u.n), *_grid(solution, lay.u, known)]
    if lay.f is not None:
        lines += [t("diagram.conv_f", lang, activation=spec.activation), *_grid(solution, lay.f, known)]
    if lay.y is not None:
        lines.append(t(f"diagram.conv_pool_{spec.pool.method}", lang, size=spec.pool.size, stride=spec.pool.step))
        if "pool_size" in sizes:
            lines.append("  " + entry(solution, "pool_size", known))
        lines += _grid(solution, lay.y, known)
    lines += [t("diagram.conv_upstream", lang), *_grid(solution, lay.up, known)]
    for g, key in ((lay.grad_f, "grad_f"), (lay.grad_u, "grad_u")):
        if g is not None and g is not lay.up:
            lines += [t(f"diagram.conv_{key}", lang), *_grid(solution, g, known)]
    for key, maps in (("grad_h", lay.grad_hs), ("grad_z", lay.grad_zs)):
        for c, g in enumerate(maps, 1):
            lines += [*_channel(lay, c, lang), t(f"diagram.conv_{key}", lang), *_grid(solution, g, known)]
    if lay.hs:
        lines.append(_cell(solution, "grad_b", known.get("grad_b"), mark(known, "grad_b")))
    return "\n".join(lines)


def _channel(lay, c: int, lang: str) -> list[str]:
    return [t("diagram.conv_channel", lang, c=c)] if lay.channels else []


def _value(g: Grid, i: int, j: int, solution: Solution, known: Mapping[str, Value]) -> Value | None:
    key = g.key(i, j)
    if key in solution.givens:
        return solution.givens[key]
    if g.matrix:
        whole = known.get(g.name)
        return whole[(i - 1) * g.n + j - 1] if isinstance(whole, tuple) else None
    return known.get(key)


def _cell(solution: Solution, key: str, value: Value | None, marked: str = "") -> str:
    return f"{formula.text(solution.symbols[key], solution.symbols)} = {shown(value)}{marked}"


def _grid(solution: Solution, g: Grid, known: Mapping[str, Value], window: set | None = None) -> list[str]:
    rows = []
    for i in range(1, g.n + 1):
        row = []
        for j in range(1, g.n + 1):
            text = _cell(solution, g.key(i, j), _value(g, i, j, solution, known),
                         mark(known, g.name if g.matrix else g.key(i, j)))
            row.append(f"[{text}]" if window and (i, j) in window else f" {text} " if window else text)
        rows.append(row)
    return grid(rows)


def _window(problem, lay, known: Mapping[str, Value]) -> set[tuple[int, int]]:
    """The image entries under the window of the first output entry not found yet (none when all are)."""
    spec = section(problem)
    out = lay.u if lay.u is not None else lay.y
    if out.matrix and out.name in known:
        return set()
    todo = [(i, j) for i, j, key in out.cells() if out.matrix or key not in known]
    if not todo:
        return set()
    i, j = todo[0]
    size, stride, pad = (spec.size, spec.stride, spec.padding) if lay.hs else (spec.pool.size, spec.pool.step, 0)
    return {((i - 1) * stride + a - pad, (j - 1) * stride + b - pad)
            for a in range(1, size + 1) for b in range(1, size + 1)}


# ---------------------------------------------------------------- the Graphviz picture

_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
CELL_WIDTH = 24  # points: single digits get square cells, so the grids read as grids
_BACK = {"dir": "back", "color": f'"{BACKWARD}"'}
_FORWARD_PORTS = {"tailport": '"f:e"', "headport": '"f:w"'}
_BACKWARD_PORTS = {"tailport": '"g:e"', "headport": '"g:w"'}


def dot(problem, solution: Solution, lang: str = "en") -> str:
    """Left to right: the image(s), filter(s) and bias, then u, f(u) and the pooled y, each map's
    gradient under it; black arrows forwards, red ones back from gradient to gradient."""
    spec, lay, env = section(problem), layout(problem), solution.exact_env()
    lines = header(problem, lang)
    pooled = lay.pooled if lay.y is not None else None
    first = lay.u if lay.u is not None else lay.y
    for c, (z, grad_z) in enumerate(zip(lay.zs, lay.grad_zs), 1):
        tag = f"({c})".translate(_SUP) if lay.channels else ""
        captions = [f"z{tag} ({z.n}×{z.n})"]
        # The window of u₁₁ covers the padded image's first H×H entries; for pooling, the first region.
        shaded, pad = (_square(spec.size), spec.padding) if lay.hs else (_square(spec.pool.size), 0)
        key = "dot.conv_window" if lay.hs else "dot.conv_region"
        captions.append(t(key, lang, entry=name(solution, first.key(1, 1))))
        if pad:
            captions.append(t("dot.conv_padding", lang, padding=pad))
        lines.append(_map_node(f"z{c}", captions, _cells(env, z, shaded, pad), f"∂E/∂z{tag}", grad_z, env))
    for c, (h, grad_h) in enumerate(zip(lay.hs, lay.grad_hs), 1):
        tag = f"({c})".translate(_SUP) if lay.channels else ""
        lines.append(_map_node(f"h{c}", [f"h{tag} ({h.n}×{h.n})"], _cells(env, h), f"∂E/∂h{tag}", grad_h, env))
    if lay.hs:
        lines.append(node("b", [(f"b = {number(env['b'])}", FORWARD, True),
                                (f"{name(solution, 'grad_b')} = {number(env['grad_b'])}", BACKWARD, False)],
                          shape="box", style="rounded"))
    maps = [(g, gradient, symbol) for g, gradient, symbol in
            ((lay.u, lay.grad_u, "u"), (lay.f, lay.grad_f or lay.up, "f(u)"), (lay.y, lay.up, "y")) if g is not None]
    for g, gradient, symbol in maps:
        # The pooled map shows the first region; u and y their first entry, what the window gives.
        region = _square(spec.pool.size) if g is pooled else _square(1) if g in (lay.u, lay.y) else None
        captions = [f"{symbol} ({g.n}×{g.n})"]
        if g is pooled:
            captions.append(t("dot.conv_region", lang, entry=name(solution, lay.y.key(1, 1))))
        caption = f"∂E/∂{symbol}"
        if gradient is lay.up:
            caption = t("dot.conv_given", lang, gradient=caption)
        lines.append(_map_node(g.name, captions, _cells(env, g, region), caption, gradient, env))
    lines += _arrows(spec, lay, lang)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _square(size: int) -> set[tuple[int, int]]:
    """The top-left size×size entries (1-based): the first window or region."""
    return {(a, b) for a in range(1, size + 1) for b in range(1, size + 1)}


def _cells(env, g: Grid, shaded: set | None = None, pad: int = 0) -> list[list[str]]:
    """The map's values as rows of cells; ``pad`` rings of grey zeros around it."""
    rows = []
    for a in range(1, g.n + 2 * pad + 1):
        row = []
        for b in range(1, g.n + 2 * pad + 1):
            i, j = a - pad, b - pad
            inside = 1 <= i <= g.n and 1 <= j <= g.n
            background = WINDOW if shaded and (a, b) in shaded else None if inside else PADDING
            row.append(cell(number(env[g.key(i, j)]) if inside else "0", FORWARD if inside else "gray40",
                            background=background, width=CELL_WIDTH))
        rows.append(row)
    return rows


def _map_node(node_id: str, captions: list[str], cells: list[list[str]], gradient_caption: str, gradient: Grid,
              env) -> str:
    """The map under its captions, and its gradient (red) under it; ports f and g for the arrows."""
    back = [[cell(number(env[gradient.key(i, j)]), BACKWARD, width=CELL_WIDTH) for j in range(1, gradient.n + 1)]
            for i in range(1, gradient.n + 1)]
    rows = [[cell(captions[0], bold=True)], *([cell(text)] for text in captions[1:]),
            [nested(table(cells, border=0, cellborder=1, padding=3), port="f")],
            [cell(gradient_caption, BACKWARD)],
            [nested(table(back, border=0, cellborder=1, padding=3, colour=BACKWARD), port="g")]]
    return table_node(node_id, table(rows, padding=1))


def _arrows(spec, lay, lang: str) -> list[str]:
    """Forwards along the computation, and a red arrow back between the gradients of each pair."""
    out = []
    if lay.hs:
        for c in range(1, len(lay.zs) + 1):
            out.append(edge(f"z{c}", "u", [(t("dot.conv_stride", lang, stride=spec.stride, padding=spec.padding),
                                            FORWARD, False)], **_FORWARD_PORTS))
            out.append(arrow(f"h{c}", "u", **_FORWARD_PORTS))
        out.append(arrow("b", "u", headport='"f:w"'))
        for c in range(1, len(lay.zs) + 1):
            out += [arrow(f"z{c}", "u", **_BACKWARD_PORTS, **_BACK), arrow(f"h{c}", "u", **_BACKWARD_PORTS, **_BACK)]
        out.append(arrow("b", "u", headport='"g:w"', **_BACK))
        # The image(s) above the filter(s) above the bias, as the lecture lists them.
        column = [f"z{c}" for c in range(1, len(lay.zs) + 1)] + [f"h{c}" for c in range(1, len(lay.hs) + 1)] + ["b"]
        out.append(same_rank(column))
    if lay.f is not None:
        out.append(edge("u", "f", [(f"f = {spec.activation}", FORWARD, False)], **_FORWARD_PORTS))
        out.append(arrow("u", "f", **_BACKWARD_PORTS, **_BACK))
    if lay.y is not None:
        source = lay.pooled.name if lay.hs else "z1"  # pooling alone reads the input
        words = t(f"dot.conv_pool_{spec.pool.method}", lang, size=spec.pool.size, stride=spec.pool.step)
        out.append(edge(source, "y", [(words, FORWARD, False)], **_FORWARD_PORTS))
        out.append(arrow(source, "y", **_BACKWARD_PORTS, **_BACK))
    return out
