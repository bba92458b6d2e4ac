"""A convolution or pooling drawn as text: the image, the filter and every map as grids of their
entries, with the window of the next output entry still to find marked by [ ] in the image."""

from __future__ import annotations

from collections.abc import Mapping

from tutor import formula
from tutor.i18n import t
from tutor.render.diagram import entry, grid, mark, shown
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
