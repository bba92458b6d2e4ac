"""The pictures: DOT that parses, carries the right numbers, cannot be broken by a problem file,
and the svg/png/--figure paths with and without Graphviz's dot.

Expected numbers are the course material's published ones or recomputed here by hand.
"""

from __future__ import annotations

import html
import math
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest
from typer.testing import CliRunner

from tutor.cli import app
from tutor.render import dot as dotmod
from tutor.kinds import KINDS
from tutor.render.dot import GraphvizFailed, GraphvizMissing, NoPicture, escape, render_image, to_dot

from tutor.engine import derive

from .conftest import BUILTIN_IDS, builtin, solved

HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
RED = "#cc0000"
runner = CliRunner()
# pydot's parser uses pyparsing names that newer pyparsing releases deprecate; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def parse(source: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(source)
    assert graphs is not None and len(graphs) == 1, "pydot could not parse the DOT"
    return graphs[0]


def label_lines(attributes: dict) -> list[tuple[str, str]]:
    """(colour, text) per line of an HTML-like label, entities decoded."""
    raw = attributes.get("label", "")
    return [(colour, html.unescape(re.sub(r"</?B>", "", text)))
            for colour, text in re.findall(r'<FONT COLOR="([^"]+)">(.*?)</FONT>', raw)]


def all_nodes(graph: pydot.Dot) -> list[pydot.Node]:
    nodes = list(graph.get_nodes())
    for sub in graph.get_subgraphs():
        nodes += all_nodes(sub)
    return [n for n in nodes if n.get_name().strip('"') not in ("node", "edge", "graph")]


def node_labels(graph: pydot.Dot) -> dict[str, list[tuple[str, str]]]:
    return {n.get_name().strip('"'): label_lines(n.get_attributes()) for n in all_nodes(graph)}


def edges(graph: pydot.Dot) -> list[tuple[str, str, dict]]:
    return [(e.get_source().strip('"'), e.get_destination().strip('"'), e.get_attributes()) for e in graph.get_edges()]


def graph_arrows(graph: pydot.Dot) -> dict[tuple[str, str], tuple[float, float]]:
    """For a computational graph: (tail name, head name) -> (forward value, backward value)."""
    names = {node: lines[0][1] for node, lines in node_labels(graph).items() if lines}
    names["out"] = "OUT"
    found: dict[tuple[str, str], list] = {}
    for tail, head, attributes in edges(graph):
        (colour, text), = label_lines(attributes)
        backward = attributes.get("dir") == "back"
        assert (colour == RED) == backward, "backward values are red, forward values black"
        found.setdefault((names[tail], names[head]), [None, None])[backward] = float(text)
    assert all(None not in pair for pair in found.values()), "every arrow has a forward and a backward twin"
    return {key: tuple(pair) for key, pair in found.items()}


def number(text: str) -> float:
    return float(text.rsplit("=", 1)[-1].strip())


def check_svg(source: str) -> ET.Element:
    result = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    root = ET.fromstring(result.stdout)
    assert root.tag.endswith("svg")
    return root


# ---------------------------------------------------------------- every built-in problem


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_every_builtin_picture_parses_and_is_deterministic(problem_id):
    problem, solution = solved(problem_id)
    if KINDS[problem.kind].dot is None:
        with pytest.raises(NoPicture, match=problem.kind):
            to_dot(problem, solution)
        return
    source = to_dot(problem, solution, "en")
    graph = parse(source)
    assert graph.get_type() == "digraph"
    assert all(lines for node, lines in node_labels(graph).items() if node != "out")
    if problem.kind == "network":
        sizes = problem.network.sizes
        # one arrow per weight, one per output unit into E; one box per unit, and E
        assert len(edges(graph)) == sum(a * b for a, b in zip(sizes, sizes[1:])) + sizes[-1]
        assert len(node_labels(graph)) == sum(sizes) + 1
    if problem.kind == "graph":
        spec = problem.graph
        known = [*spec.inputs, *spec.nodes]
        uses = sum(len(set(re.findall(r"[A-Za-z_]\w*", text)) & set(known)) for text in spec.nodes.values())
        assert len(graph_arrows(graph)) == uses + 1  # and the output's arrow out of the picture
    again = to_dot(*solved(problem_id), "en")
    assert source == again
    assert parse(to_dot(problem, solution, "ja"))
    if HAVE_DOT:
        check_svg(source)


# ---------------------------------------------------------------- the numbers on the pictures


def test_apple_arrows_carry_the_books_numbers():
    arrows = graph_arrows(parse(to_dot(*solved("apple"))))
    # Book: 100 yen x 2 apples = 200, x 1.1 tax = 220; backwards 1, 1.1, 2.2, 110, 200.
    assert arrows == {
        ("apple", "apple_price"): (100, 2.2),
        ("apple_num", "apple_price"): (2, 110),
        ("apple_price", "price"): (200, 1.1),
        ("tax", "price"): (1.1, 200),
        ("price", "OUT"): (220, 1),
    }


def test_apple_orange_arrows_carry_the_books_numbers():
    arrows = graph_arrows(parse(to_dot(*solved("apple_orange"))))
    assert arrows[("apple", "apple_price")] == (100, 2.2)
    assert arrows[("apple_num", "apple_price")] == (2, 110)
    assert arrows[("orange", "orange_price")] == (150, 3.3)
    assert arrows[("orange_num", "orange_price")] == (3, 165)
    assert arrows[("apple_price", "all_price")] == (200, 1.1)
    assert arrows[("orange_price", "all_price")] == (450, 1.1)
    assert arrows[("all_price", "price")] == (650, 1.1)
    assert arrows[("tax", "price")] == (1.1, 650)
    assert arrows[("price", "OUT")] == (715, 1)


def test_sigmoid_graph_backward_is_y_times_one_minus_y():
    arrows = graph_arrows(parse(to_dot(*solved("sigmoid_graph"))))
    x = 0.5
    a, b = -x, math.exp(-x)
    c = b + 1
    y = 1 / c
    expected = {
        ("x", "a"): (x, y * (1 - y)),
        ("a", "b"): (a, -1 / c**2 * b),
        ("b", "c"): (b, -1 / c**2),
        ("c", "y"): (c, -1 / c**2),
        ("y", "OUT"): (y, 1),
    }
    assert set(arrows) == set(expected)
    for key, (forward, backward) in expected.items():
        assert arrows[key][0] == pytest.approx(forward, rel=1e-3), key
        assert arrows[key][1] == pytest.approx(backward, rel=1e-3), key


def test_fan_out_shows_each_share_and_the_sum(tmp_path):
    from tutor.engine import derive
    from tutor.problem import load_problem

    path = tmp_path / "fan.yaml"
    path.write_text("id: fan\ntitle: fan-out\nkind: graph\ngraph:\n  inputs: {x: 2}\n"
                    "  nodes:\n    a: x + 1\n    b: x * a\n  output: b\n", encoding="utf-8")
    problem = load_problem(path)
    graph = parse(to_dot(problem, derive(problem)))
    arrows = graph_arrows(graph)
    # b = x (x + 1): the share along x -> a is db/da * 1 = x = 2, along x -> b it is a = 3.
    assert arrows[("x", "a")] == (2, 2) and arrows[("x", "b")] == (2, 3) and arrows[("a", "b")] == (3, 2)
    x_label = next(lines for lines in node_labels(graph).values() if lines[0][1] == "x")
    assert x_label[1][0] == RED and number(x_label[1][1]) == 2 * 2 + 1  # db/dx = 2x + 1
    assert all(colour != RED for lines in node_labels(parse(to_dot(*solved("apple")))).values() for colour, _ in lines)


def _xor_by_hand():
    sigma = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    x = (1.0, 0.0)
    u1 = 0.5 * x[0] + 0.5 * x[1]
    h1 = sigma(u1)
    u2 = 0.5 * h1 + 0.5 * h1
    y = sigma(u2)
    delta2 = (y - 1) * y * (1 - y)
    delta1 = 0.5 * delta2 * h1 * (1 - h1)
    return x, u1, h1, u2, y, delta2, delta1


def test_xor_network_units_and_weights():
    graph = parse(to_dot(*solved("xor")))
    x, u1, h1, u2, y, delta2, delta1 = _xor_by_hand()
    units = node_labels(graph)
    assert number(units["x1"][0][1]) == 1 and number(units["x2"][0][1]) == 0
    for j in (1, 2):
        (_, b), (_, u), (_, h), (colour, delta) = units[f"l1u{j}"]
        assert b.startswith(f"b{'₁₂'[j - 1]}⁽¹⁾") and number(b) == 0
        assert u.startswith("u") and number(u) == pytest.approx(u1, rel=1e-3)
        assert h.startswith("h") and number(h) == pytest.approx(h1, rel=1e-3)
        assert delta.startswith("δ") and colour == RED and number(delta) == pytest.approx(delta1, rel=1e-3)
    (_, _), (_, u), (_, h), (colour, delta) = units["l2u1"]
    assert number(u) == pytest.approx(u2, rel=1e-3) and number(h) == pytest.approx(y, rel=1e-3)
    assert colour == RED and number(delta) == pytest.approx(delta2, rel=1e-3)
    assert number(units["E"][0][1]) == pytest.approx(0.5 * (y - 1) ** 2, rel=1e-3)

    weights = {(tail, head): label_lines(attributes) for tail, head, attributes in edges(graph)}
    # w_ji goes from unit i to unit j: the arrow x2 -> unit 1 of layer 1 is w₁₂⁽¹⁾.
    (_, w), (colour, grad) = weights[("x2", "l1u1")]
    assert w == "w₁₂⁽¹⁾ = 0.5" and colour == RED and grad.startswith("∂E/∂w₁₂⁽¹⁾") and number(grad) == 0
    (_, w), (_, grad) = weights[("x1", "l1u2")]
    assert w.startswith("w₂₁⁽¹⁾") and number(grad) == pytest.approx(delta1 * x[0], rel=1e-3)
    (_, w), (_, grad) = weights[("l1u2", "l2u1")]
    assert w.startswith("w₁₂⁽²⁾") and number(grad) == pytest.approx(delta2 * h1, rel=1e-3)
    assert weights[("l2u1", "E")] == [("black", "d₁ = 1")]
    assert len(weights) == 2 * 2 + 2 * 1 + 1


def test_pytorch_relu_shows_the_lectures_gradients():
    graph = parse(to_dot(*solved("pytorch_relu")))
    weights = {(tail, head): label_lines(attributes) for tail, head, attributes in edges(graph)}
    units = node_labels(graph)
    assert number(weights[("x1", "l1u1")][1][1]) == -8.25
    assert number(weights[("l1u1", "l2u1")][1][1]) == -3.85
    assert number(units["l1u1"][3][1]) == -2.75  # δ = ∂E/∂b
    assert number(units["l2u1"][3][1]) == -5.5
    assert number(units["E"][0][1]) == pytest.approx((1.25 - 4) ** 2, rel=1e-3)


def test_softmax_loss_deltas_are_y_minus_t():
    units = node_labels(parse(to_dot(*solved("softmax_loss"))))
    for j, (y, t) in enumerate(zip((0.3, 0.2, 0.5), (0, 1, 0)), 1):
        lines = dict((text.split(" =")[0], (colour, number(text))) for colour, text in units[f"u{j}"])
        assert lines[f"h{'₁₂₃'[j - 1]}"][1] == y
        assert lines[f"δ{'₁₂₃'[j - 1]}"] == (RED, pytest.approx(y - t))
    assert number(units["E"][0][1]) == pytest.approx(-math.log(0.2), rel=1e-3)


def test_softmax_scores_has_no_error_node():
    units = node_labels(parse(to_dot(*solved("softmax_scores"))))
    assert "E" not in units
    e = [math.exp(v) for v in (3, 1, 4)]
    shown = [number(units[f"u{j}"][1][1]) for j in (1, 2, 3)]
    assert shown == pytest.approx([v / sum(e) for v in e], rel=1e-3)


# ---------------------------------------------------------------- hostile text


HOSTILE = [
    'evil"]; "v1" -> "v9" [color=red]; x [label="',
    "</FONT></TD></TR></TABLE>>, shape=box, URL=\"javascript:alert(1)\", x=<",
    r"\N \l \G \\ back\slash",
    "/* not a comment */ // nor this # nor this",
    "`````` & &amp; &#60; <B>bold</B> ]]} {{",
]


class Retitled:
    """The problem with another title; everything else passes through."""

    def __init__(self, problem, title: str):
        self._problem = problem
        self.title = type(problem.title)(en=title)

    def __getattr__(self, name):
        return getattr(self._problem, name)


def _hostile_pair(problem_id: str):
    problem = builtin(problem_id)
    solution = derive(problem)  # its own notation: the hostile names must not reach other tests
    notation = solution.symbols
    for k, symbol in enumerate(sorted(notation.text, key=str)):
        notation.text[symbol] = HOSTILE[k % len(HOSTILE)] + f" #{k}"
    return Retitled(problem, " | ".join(HOSTILE) + "\x07\n\u202e"), solution


@pytest.mark.parametrize("problem_id", ["apple", "xor", "softmax_loss"])
def test_hostile_names_and_title_cannot_inject(problem_id):
    plain = to_dot(*solved(problem_id))
    source = to_dot(*_hostile_pair(problem_id))
    # The same statements, node ids, edges and attribute names as with harmless names.
    assert len(source.splitlines()) == len(plain.splitlines())
    graph, reference = parse(source), parse(plain)
    assert set(node_labels(graph)) == set(node_labels(reference))
    assert [(t, h, sorted(a)) for t, h, a in edges(graph)] == [(t, h, sorted(a)) for t, h, a in edges(reference)]
    for node, ref in zip(all_nodes(graph), all_nodes(reference)):
        assert sorted(node.get_attributes()) == sorted(ref.get_attributes())
    assert "\x07" not in source and "\u202e" not in source and "\\" not in source and "`" not in source
    texts = [text for lines in node_labels(graph).values() for _, text in lines]
    assert any(piece in text for piece in HOSTILE for text in texts)
    if HAVE_DOT:
        root = check_svg(source)
        drawn = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
        for piece in HOSTILE:
            assert piece in drawn, piece
        assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "a"], "no injected URL became a link"


def test_escape_leaves_no_markup_and_no_line_breaks():
    for text in [*HOSTILE, "a\nb\rc\td\x00e\u2028f\u202eg"]:
        out = escape(text)
        assert not set(out) & set("<>\"'\\`\n\r\t\x00\u2028\u202e")
        # Backslashes go in doubled: Graphviz reads \\ in a label as one backslash.
        assert html.unescape(out).replace("\\\\", "\\").replace(" ", "") == "".join(
            c for c in text if c.isprintable() and c not in "\u2028\u202e").replace(" ", "")


def test_hostile_title_from_a_problem_file(tmp_path):
    source = (Path(__file__).parent.parent / "problems" / "apple.yaml").read_text(encoding="utf-8")
    title = 'evil\\"]; x -> y [label=\\"pwn\\"]; <b>&amp; `x`'
    source = re.sub(r"title:\n  en: .*\n  ja: .*\n", f'title: "{title}"\n', source)
    path = tmp_path / "apple.yaml"
    path.write_text(source, encoding="utf-8")
    result = runner.invoke(app, ["solution", str(path), "--format", "dot"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    graph = parse(result.output)
    assert set(node_labels(graph)) == {"v1", "v2", "v3", "v4", "v5", "out"}
    assert 'evil"]; x -> y [label="pwn"]; <b>&amp; `x`' in html.unescape(result.output)


# ---------------------------------------------------------------- the command line


def run_process(*args: str, path: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_LANG="en", COLUMNS="200")
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, env=env, cwd=cwd, timeout=120)


def test_format_dot_on_stdout():
    result = runner.invoke(app, ["solution", "apple", "--format", "dot"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0
    assert result.output.startswith("digraph bptutor {") and result.output.rstrip().endswith("}")


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_images_without_dot_exit_2_with_one_line(tmp_path, fmt):
    result = run_process("solution", "apple", "--format", fmt, path=str(tmp_path))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr
    for words in ("dot", "apt install graphviz", "brew install graphviz", "https://graphviz.org/download/"):
        assert words in stderr
    assert result.stdout == b""


def test_figure_without_dot_embeds_the_dot_source(tmp_path):
    result = run_process("solution", "apple", "--format", "md", "--figure", path=str(tmp_path))
    assert result.returncode == 0
    out = result.stdout.decode()
    block = out.split("```dot\n", 1)[1].split("```", 1)[0]
    assert parse(block) and out.index("```dot") < out.index("## ")
    assert "graphviz.org/download" in result.stderr.decode()
    latex = run_process("solution", "apple", "--format", "latex", "--figure", path=str(tmp_path)).stdout.decode()
    comment = [line[2:] for line in latex.splitlines() if line.startswith("% ") and not line.startswith("% The")]
    assert parse("\n".join(comment)) and "graphicx" not in latex


def test_figure_needs_md_or_latex():
    result = run_process("solution", "apple", "--format", "json", "--figure")
    assert result.returncode == 2 and b"--figure" in result.stderr and b"Traceback" not in result.stderr


@needs_dot
def test_svg_is_valid_xml_with_the_values(tmp_path):
    result = runner.invoke(app, ["solution", "apple", "--format", "svg"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0
    root = ET.fromstring(result.stdout_bytes)
    drawn = ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")]
    assert {"220", "2.2", "110", "200", "1.1"} <= set(drawn)
    target = tmp_path / "xor.svg"
    assert runner.invoke(app, ["solution", "xor", "-f", "svg", "-o", str(target)]).exit_code == 0
    assert ET.parse(target).getroot().tag.endswith("svg")


@needs_dot
def test_png_to_a_file(tmp_path):
    target = tmp_path / "xor.png"
    result = runner.invoke(app, ["solution", "xor", "--format", "png", "-o", str(target)])
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@needs_dot
def test_figure_beside_markdown_and_latex(tmp_path):
    md = tmp_path / "my notes.md"
    assert runner.invoke(app, ["solution", "apple", "-f", "md", "--figure", "-o", str(md)]).exit_code == 0
    figure = tmp_path / "my_notes-figure.svg"
    assert ET.parse(figure).getroot().tag.endswith("svg")
    text = md.read_text(encoding="utf-8")
    assert "](my_notes-figure.svg)" in text and text.index("](my_notes-figure.svg)") < text.index("## ")
    tex = tmp_path / "apple.tex"
    assert runner.invoke(app, ["solution", "apple", "-f", "latex", "--figure", "-o", str(tex)]).exit_code == 0
    assert (tmp_path / "apple-figure.pdf").read_bytes().startswith(b"%PDF")
    latex = tex.read_text(encoding="utf-8")
    assert r"\usepackage{graphicx}" in latex and r"{apple-figure.pdf}" in latex
    assert latex.index(r"\includegraphics") < latex.index(r"\subsection*")


def test_figure_never_overwrites_the_document(tmp_path):
    assert dotmod.figure_path(tmp_path / "a.svg", ".svg") == tmp_path / "a-figure.svg"
    assert dotmod.figure_path(tmp_path / "x;y{z}.tex", ".pdf") == tmp_path / "x_y_z_-figure.pdf"
    assert dotmod.figure_path(tmp_path / "apple.tex", ".pdf") != tmp_path / "apple.pdf"  # LaTeX's own output


# ---------------------------------------------------------------- running dot


def _fake_dot(folder: Path, body: str) -> str:
    script = folder / "dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return str(folder)


def test_render_image_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(GraphvizMissing, match="apt install graphviz"):
        render_image("digraph {}", "svg")
    with pytest.raises(ValueError):
        render_image("digraph {}", "ps")  # only the formats we offer reach dot's -T
    monkeypatch.setenv("PATH", _fake_dot(tmp_path, 'echo "Error: syntax error in line 1" >&2; exit 1'))
    with pytest.raises(GraphvizFailed, match="syntax error in line 1"):
        render_image("digraph {}", "svg")
    monkeypatch.setenv("PATH", _fake_dot(tmp_path, f'exec "{sys.executable}" -c "import time; time.sleep(5)"'))
    with pytest.raises(GraphvizFailed, match="did not finish"):
        render_image("digraph {}", "svg", timeout=0.3)
