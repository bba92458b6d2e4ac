"""Pictures of a problem in Graphviz DOT, with every value of the solution on it.

A computational graph is drawn as the textbook draws the shopping example: inputs on the left,
one node per operation, and on each arrow the value flowing forwards (black, on top) and the
derivative flowing back along it (red, underneath). A network is drawn unit by unit in the
lecture's notation: each unit shows b, u, h and δ; the arrow of w_ji goes from unit i to unit j
and carries w_ji and ∂E/∂w_ji.

Every label is an HTML-like label whose text is escaped character by character, and node ids
are generated, so names and titles from a problem file can never close a label or add
attributes. The output depends only on the problem and the solution (no dates, no hashes).

Running Graphviz's ``dot`` for svg, png and pdf is here too; standard library only.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .. import formula
from ..engine.symbols import label as indexed_label
from ..errors import TutorError
from ..i18n import t
from ..numbers import format_number
from ..steps import Phase, Solution

FORWARD = "black"
BACKWARD = "#cc0000"  # the textbook's red for derivatives flowing back
FONT = "DejaVu Sans,Helvetica,Arial,sans-serif"  # Pango and SVG both take a list; DejaVu has ₁ and ⁽²⁾ in bold too
IMAGE_FORMATS = ("svg", "png", "pdf")
DOT_TIMEOUT = 30.0  # seconds; a picture of a few dozen nodes takes milliseconds
INSTALL_HINT = "install it with 'apt install graphviz' or 'brew install graphviz', or see https://graphviz.org/download/"


class GraphvizMissing(TutorError):
    """Graphviz's dot program is not on PATH."""


class GraphvizFailed(TutorError):
    """dot ran but did not produce the picture."""


class NoPicture(TutorError):
    """The problem's kind has no picture (nothing in it is a graph or a network)."""


# Numeric references for everything that could end a label or a quoted string, and for the
# backtick that would end the Markdown fence the DOT may be embedded in. Graphviz replaces \N,
# \G, ... even in HTML-like labels (after decoding references), so a backslash goes in doubled.
_ENTITIES = {c: f"&#{ord(c)};" for c in "&<>\"'`"} | {"\\": "&#92;&#92;"}
_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def escape(text: str) -> str:
    """Text as the content of an HTML-like label: markup characters become character references,
    control and format characters (newlines, bidi overrides) become spaces."""
    out = []
    for c in str(text):
        if c in _ENTITIES:
            out.append(_ENTITIES[c])
        elif unicodedata.category(c) in _INVISIBLE:
            out.append(" ")
        else:
            out.append(c)
    return "".join(out)


Line = tuple[str, str, bool]  # text, colour, bold


def _label(lines: Sequence[Line]) -> str:
    """Lines stacked as table rows (a weight above its gradient); a single line needs no table."""
    rows = []
    for text, colour, bold in lines:
        content = f"<B>{escape(text)}</B>" if bold else escape(text)
        rows.append(f'<FONT COLOR="{colour}">{content}</FONT>')
    if len(rows) == 1:
        return f"<{rows[0]}>"
    rows = [f"<TR><TD>{row}</TD></TR>" for row in rows]
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def _node(node_id: str, lines: Sequence[Line], **attributes: str) -> str:
    extra = "".join(f", {key}={value}" for key, value in attributes.items())
    return f'  "{node_id}" [label={_label(lines)}{extra}];'


def _edge(tail: str, head: str, lines: Sequence[Line], **attributes: str) -> str:
    extra = "".join(f", {key}={value}" for key, value in attributes.items())
    return f'  "{tail}" -> "{head}" [label={_label(lines)}{extra}];'


def _number(value: float) -> str:
    return format_number(value)


def _name(solution: Solution, key: str) -> str:
    return formula.text(solution.symbols[key], solution.symbols)


def _header(problem, lang: str) -> list[str]:
    title = escape(problem.title.get(lang))
    return [
        "digraph bptutor {",
        f'  graph [rankdir=LR, labelloc=t, fontname="{FONT}", nodesep=0.4, ranksep=1.1, label=<<B>{title}</B>>];',
        f'  node [fontname="{FONT}", fontsize=11];',
        f'  edge [fontname="{FONT}", fontsize=10];',
    ]


# ---------------------------------------------------------------- computational graph


def graph_dot(problem, solution: Solution, lang: str = "en") -> str:
    """Inputs as plain labels, operations as ellipses, the output leaving on the right.

    From v to each node c that uses it run two arrows: forwards with v's value, and backwards
    (red, below) with ∂out/∂c · ∂c/∂v, the part of ∂out/∂v that flows back along it. A value
    used by several nodes (fan-out) also shows the sum ∂out/∂v beside its name."""
    graph = problem.graph
    env = solution.exact_env()
    forward = {s.node: s for s in solution.steps if s.phase is Phase.FORWARD and s.node is not None}
    names = [*graph.inputs, *graph.nodes]
    ids = {name: f"v{k}" for k, name in enumerate(names, 1)}
    edges = [(v, c) for c in graph.nodes for v in names if v in forward[c].uses]
    fan_out = {v: sum(1 for tail, _ in edges if tail == v) for v in names}
    fan_out[graph.output] += 1  # its own arrow out of the picture

    def total(v: str) -> list[Line]:
        if fan_out[v] < 2:
            return []
        return [(f"{_name(solution, f'grad_{v}')} = {_number(env[f'grad_{v}'])}", BACKWARD, False)]

    lines = _header(problem, lang)
    for v in graph.inputs:
        lines.append(_node(ids[v], [(_name(solution, v), FORWARD, True), *total(v)], shape="plaintext"))
    for c in graph.nodes:
        rule = formula.text(forward[c].formula, solution.symbols)
        lines.append(_node(ids[c], [(_name(solution, c), FORWARD, True), (rule, FORWARD, False), *total(c)],
                           shape="ellipse", margin="0.05"))
    lines.append('  "out" [label="", shape=none, width=0.1, height=0.1];')
    # Each value gets two arrows, as in the textbook: black forwards, then red backwards; dot
    # lays parallel edges out in the order given, so the red one runs below the black one.
    pairs = [(ids[v], ids[c], env[v], env[f"grad_{c}"] * env[f"d{c}_d{v}"]) for v, c in edges]
    pairs.append((ids[graph.output], "out", env[graph.output], env[f"grad_{graph.output}"]))
    for tail, head, value, back in pairs:
        lines.append(_edge(tail, head, [(_number(value), FORWARD, False)]))
        lines.append(_edge(tail, head, [(_number(back), BACKWARD, False)], dir="back", color=f'"{BACKWARD}"'))
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- layered network


def network_dot(problem, solution: Solution, lang: str = "en") -> str:
    """One cluster per layer, left to right; E on the right, reached from the output units."""
    net = problem.network
    env = solution.exact_env()
    sizes = net.sizes

    def unit(l: int, j: int) -> str:
        return f"x{j}" if l == 0 else f"l{l}u{j}"

    def entry(key: str, colour: str = FORWARD, bold: bool = False) -> Line:
        return (f"{_name(solution, key)} = {_number(env[key])}", colour, bold)

    lines = _header(problem, lang)
    lines.append('  subgraph "cluster_0" {')
    lines.append(f'    graph [label=<{escape(t("diagram.input", lang))}>, style=dashed, color=gray];')
    for i in range(1, sizes[0] + 1):
        lines.append("  " + _node(unit(0, i), [entry(f"x_{i}", bold=True)], shape="ellipse"))
    lines.append("  }")
    for l in range(1, net.layers + 1):
        heading = t("diagram.layer", lang, layer=l, activation=net.activations[l - 1])
        lines.append(f'  subgraph "cluster_{l}" {{')
        lines.append(f"    graph [label=<{escape(heading)}>, style=dashed, color=gray];")
        for j in range(1, sizes[l] + 1):
            rows = [entry(f"b{l}_{j}"), entry(f"u{l}_{j}"), entry(f"h{l}_{j}", bold=True),
                    entry(f"delta{l}_{j}", BACKWARD)]
            lines.append("  " + _node(unit(l, j), rows, shape="box", style="rounded"))
        lines.append("  }")
    for l in range(1, net.layers + 1):
        for j in range(1, sizes[l] + 1):
            for i in range(1, sizes[l - 1] + 1):
                key = f"W{l}_{j}_{i}"
                lines.append(_edge(unit(l - 1, i), unit(l, j), [entry(key), entry(f"grad_{key}", BACKWARD)]))
    lines += _error_node(solution, env, [unit(net.layers, j) for j in range(1, sizes[-1] + 1)],
                         t("diagram.loss", lang, loss=net.loss))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _error_node(solution: Solution, env, outputs: list[str], loss: str) -> list[str]:
    """E with the loss's name; the arrow from output unit j carries the target d_j."""
    if "E" not in env:
        return []
    lines = [_node("E", [(f"E = {_number(env['E'])}", FORWARD, True), (loss, FORWARD, False)], shape="box")]
    for j, tail in enumerate(outputs, 1):
        lines.append(_edge(tail, "E", [(f"{_name(solution, f'd_{j}')} = {_number(env[f'd_{j}'])}", FORWARD, False)]))
    return lines


# ---------------------------------------------------------------- an output layer alone


def layer_dot(problem, solution: Solution, lang: str = "en") -> str:
    spec = problem.layer
    env = solution.exact_env()
    n = len(spec.scores if spec.scores is not None else spec.outputs)
    heading = t("diagram.layer_alone", lang, activation=spec.activation, loss=spec.loss or "-")
    lines = _header(problem, lang)
    lines.append('  subgraph "cluster_1" {')
    lines.append(f"    graph [label=<{escape(heading)}>, style=dashed, color=gray];")
    for j in range(1, n + 1):
        rows: list[Line] = []
        if f"u1_{j}" in env:
            rows.append((f"{_name(solution, f'u1_{j}')} = {_number(env[f'u1_{j}'])}", FORWARD, False))
        rows.append((f"{_name(solution, f'h1_{j}')} = {_number(env[f'h1_{j}'])}", FORWARD, True))
        if f"delta1_{j}" in env:
            delta = indexed_label("δ", r"\delta", None, (j,))[0]
            rows.append((f"{delta} = {_number(env[f'delta1_{j}'])}", BACKWARD, False))
        lines.append("  " + _node(f"u{j}", rows, shape="box", style="rounded"))
    lines.append("  }")
    lines += _error_node(solution, env, [f"u{j}" for j in range(1, n + 1)], t("diagram.loss", lang, loss=spec.loss))
    lines.append("}")
    return "\n".join(lines) + "\n"


DRAWN = {"graph": graph_dot, "network": network_dot, "loss": layer_dot}


def to_dot(problem, solution: Solution, lang: str = "en") -> str:
    draw = DRAWN.get(problem.kind)
    if draw is None:
        raise NoPicture(f"there is no picture for '{problem.kind}' problems; pictures show the kinds "
                        + ", ".join(DRAWN))
    return draw(problem, solution, lang)


# ---------------------------------------------------------------- running Graphviz


def find_dot() -> str | None:
    return shutil.which("dot")


def render_image(source: str, fmt: str, timeout: float = DOT_TIMEOUT) -> bytes:
    """The picture in svg, png or pdf, by Graphviz's dot (no shell; killed after ``timeout``)."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt!r}")
    program = find_dot()
    if program is None:
        raise GraphvizMissing(f"--format {fmt} needs Graphviz's 'dot' program, which is not on PATH; {INSTALL_HINT}")
    try:
        result = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True,
                                timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(f"Graphviz's dot did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise GraphvizFailed(f"cannot run {program}: {exc.strerror}") from None
    if result.returncode != 0 or not result.stdout:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GraphvizFailed(f"Graphviz's dot failed: {message[0] if message else f'exit status {result.returncode}'}")
    return result.stdout


# ---------------------------------------------------------------- the picture in md and LaTeX


def figure_path(output: Path, suffix: str) -> Path:
    """Beside ``output``, same stem; only characters a Markdown link and \\includegraphics take as they are."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", output.stem).lstrip(".") or "figure"
    path = output.with_name(stem + suffix)
    return output.with_name(stem + "-figure" + suffix) if path == output else path


def embed_figure(document: str, doc_format: str, *, link: str | None = None, source: str | None = None,
                 alt: str = "") -> str:
    """The document with the picture after the title and statement: a link to ``link`` or, without
    one, the DOT ``source`` itself (a ```dot block in Markdown, % comments in LaTeX)."""
    if doc_format == "md":
        if link is not None:
            words = re.sub(r"[\[\]\\\n\r]", " ", alt).strip() or "figure"
            block = [f"![{words}]({link})", ""]
        else:
            block = ["```dot", *(source or "").rstrip("\n").splitlines(), "```", ""]
        return _insert_before(document, lambda line: line.startswith("## "), block, at_end=True)
    if doc_format == "latex":
        if link is not None:
            block = [r"\begin{center}",
                     rf"\includegraphics[width=\linewidth,height=0.45\textheight,keepaspectratio]{{{link}}}",
                     r"\end{center}"]
            document = _insert_after(document, lambda line: line.startswith(r"\usepackage{amsmath"),
                                     [r"\usepackage{graphicx}"])
        else:
            block = ["% The figure in Graphviz DOT (render it with: dot -Tpdf -o figure.pdf):",
                     *("% " + line for line in (source or "").rstrip("\n").splitlines())]
        return _insert_before(document, lambda line: line.startswith(r"\subsection*"), block, at_end=False)
    raise ValueError(f"figures go into md or latex, not {doc_format!r}")


def _insert_before(document: str, where, block: list[str], at_end: bool) -> str:
    lines = document.split("\n")
    for k, line in enumerate(lines):
        if where(line):
            return "\n".join(lines[:k] + block + lines[k:])
    if at_end:
        return document.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
    end = next((k for k, line in enumerate(lines) if line.startswith(r"\end{document}")), len(lines))
    return "\n".join(lines[:end] + block + lines[end:])


def _insert_after(document: str, where, block: list[str]) -> str:
    lines = document.split("\n")
    at = next((k + 1 for k, line in enumerate(lines) if where(line)), 1)
    return "\n".join(lines[:at] + block + lines[at:])


def add_figure(document: str, doc_format: str, problem, solution: Solution, lang: str,
               output: Path | None) -> tuple[str, str | None]:
    """``--figure``: with -o FILE and dot installed, write FILE's stem + .svg (md) or .pdf (LaTeX)
    beside it and link it; otherwise embed the DOT source. Returns the document and a note for
    the user (dot missing, or no picture for this kind), or None."""
    try:
        source = to_dot(problem, solution, lang)
    except NoPicture as exc:
        return document, f"{exc}; the document has no figure"
    if output is not None and find_dot() is not None:
        path = figure_path(output, ".svg" if doc_format == "md" else ".pdf")
        data = render_image(source, path.suffix[1:])
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise TutorError(f"cannot write {path}: {exc.strerror}") from None
        return embed_figure(document, doc_format, link=path.name, alt=problem.title.get(lang)), None
    note = None
    if find_dot() is None:
        note = f"Graphviz's 'dot' is not on PATH, so the figure is embedded as DOT source; {INSTALL_HINT}"
    return embed_figure(document, doc_format, source=source), note
