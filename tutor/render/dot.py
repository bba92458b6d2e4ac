"""Pictures of a problem in Graphviz DOT, with every value of the solution on it.

Each kind that has a picture draws it (``tutor.kinds.<kind>.pictures``) with the helpers here:
values flow forwards in black and derivatives back in red, the textbook's colours.

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
from ..errors import TutorError
from ..numbers import format_number
from ..steps import Solution

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


def node(node_id: str, lines: Sequence[Line], **attributes: str) -> str:
    extra = "".join(f", {key}={value}" for key, value in attributes.items())
    return f'  "{node_id}" [label={_label(lines)}{extra}];'


def edge(tail: str, head: str, lines: Sequence[Line], **attributes: str) -> str:
    extra = "".join(f", {key}={value}" for key, value in attributes.items())
    return f'  "{tail}" -> "{head}" [label={_label(lines)}{extra}];'


def number(value: float) -> str:
    return format_number(value)


def name(solution: Solution, key: str) -> str:
    return formula.text(solution.symbols[key], solution.symbols)


def header(problem, lang: str) -> list[str]:
    title = escape(problem.title.get(lang))
    return [
        "digraph bptutor {",
        f'  graph [rankdir=LR, labelloc=t, fontname="{FONT}", nodesep=0.4, ranksep=1.1, label=<<B>{title}</B>>];',
        f'  node [fontname="{FONT}", fontsize=11];',
        f'  edge [fontname="{FONT}", fontsize=10];',
    ]


def error_node(solution: Solution, env, outputs: list[str], loss: str) -> list[str]:
    """E with the loss's name; the arrow from output unit j carries the target d_j."""
    if "E" not in env:
        return []
    lines = [node("E", [(f"E = {number(env['E'])}", FORWARD, True), (loss, FORWARD, False)], shape="box")]
    for j, tail in enumerate(outputs, 1):
        lines.append(edge(tail, "E", [(f"{name(solution, f'd_{j}')} = {number(env[f'd_{j}'])}", FORWARD, False)]))
    return lines


def to_dot(problem, solution: Solution, lang: str = "en") -> str:
    """The problem's picture, drawn by its kind; NoPicture when the kind has none."""
    from .. import kinds

    draw = kinds.get(problem.kind).dot
    if draw is None:
        drawn = [name for name, kind in kinds.KINDS.items() if kind.dot is not None]
        raise NoPicture(f"there is no picture for '{problem.kind}' problems; pictures show the kinds "
                        + ", ".join(drawn))
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
    """Beside ``output``: its stem and "-figure", in characters a Markdown link and
    \\includegraphics take as they are. Never the stem alone: LaTeX compiles apple.tex into
    apple.pdf, which must not be the figure it includes."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", output.stem).lstrip(".") or "solution"
    return output.with_name(stem + "-figure" + suffix)


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
