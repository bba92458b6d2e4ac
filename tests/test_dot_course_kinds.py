"""The pictures of the course's second half: convolution and pooling as grids with the window
shaded, batch normalisation as a table under μ, σ², γ and β, an RNN unrolled over t.

Expected numbers are the seed's (written out here) or the problem files' own numbers, read with
YAML here; every value of the JSON answer key must be on the picture.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from functools import cache
from itertools import pairwise
from pathlib import Path

import pydot
import pytest
import yaml
from typer.testing import CliRunner

from tutor.cli import app
from tutor.numbers import format_number
from tutor.render.dot import to_dot
from tutor.render.dot_table import WINDOW
from tutor.steps import in_language

from .conftest import BUILTIN_IDS, solved

PROBLEMS = Path(__file__).parent.parent / "problems"
COURSE_IDS = [p for p in BUILTIN_IDS if p.startswith(("conv_", "pool_", "batchnorm_", "rnn_"))]
HAVE_DOT = shutil.which("dot") is not None
needs_dot = pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot is not installed (apt-get install graphviz)")
RED = "#cc0000"
runner = CliRunner()
# pydot's parser uses pyparsing names that newer pyparsing releases deprecate; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_every_course_problem_is_covered():
    assert {"conv_seed", "conv_stride2", "conv_relu_maxpool", "pool_max", "pool_average", "batchnorm_n3",
            "rnn_three_steps"} <= set(COURSE_IDS)


# ---------------------------------------------------------------- reading a picture


def picture(problem_id: str, lang: str = "en") -> str:
    problem, solution = solved(problem_id)
    return to_dot(problem, in_language(solution, lang), lang)


def parse(source: str) -> pydot.Dot:
    graphs = pydot.graph_from_dot_data(source)
    assert graphs is not None and len(graphs) == 1, "pydot could not parse the DOT"
    return graphs[0]


def all_nodes(graph) -> list:
    nodes = list(graph.get_nodes())
    for sub in graph.get_subgraphs():
        nodes += all_nodes(sub)
    return [n for n in nodes if n.get_name().strip('"') not in ("node", "edge", "graph")]


def all_edges(graph) -> list:
    edges = list(graph.get_edges())
    for sub in graph.get_subgraphs():
        edges += all_edges(sub)
    return edges


def texts(label: str) -> list[tuple[str, str]]:
    """(colour, text) of every piece of text in an HTML-like label, entities decoded."""
    return [(colour, html.unescape(re.sub(r"</?B>", "", text)))
            for colour, text in re.findall(r'<FONT COLOR="([^"]+)">(.*?)</FONT>', label or "")]


def labels(graph) -> dict[str, str]:
    """Node name -> its raw label (a rank=same statement names a node again, without its label)."""
    found = {}
    for n in all_nodes(graph):
        found[n.get_name().strip('"')] = n.get_attributes().get("label") or found.get(n.get_name().strip('"'), "")
    return found


def shown_numbers(graph) -> set[str]:
    """Every number written on the picture: a cell's whole text, or what follows "= " in a line."""
    found = set()
    for item in [*all_nodes(graph), *all_edges(graph)]:
        for _, text in texts(item.get_attributes().get("label", "")):
            found |= {text.strip(), text.rsplit("= ", 1)[-1].strip()}
    return found


def flat(value) -> list[float]:
    if isinstance(value, list):
        return [x for item in value for x in flat(item)]
    return [value]


@cache
def answer_key(problem_id: str) -> dict:
    result = runner.invoke(app, ["solution", problem_id, "--format", "json"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["values"]


def source_of(problem_id: str) -> dict:
    return yaml.safe_load((PROBLEMS / f"{problem_id}.yaml").read_text(encoding="utf-8"))


def grid_tables(label: str) -> list[tuple[str, str]]:
    """(port, inner table) for each grid of a map's label: f the map, g its gradient."""
    return re.findall(r'<TD PORT="([fg])"><TABLE[^>]*>(.*?)</TABLE></TD>', label)


def cells(table: str) -> list[list[tuple[str, str | None]]]:
    """Rows of (text, background colour or None)."""
    rows = []
    for row in re.findall(r"<TR>(.*?)</TR>", table):
        rows.append([(html.unescape(re.sub(r"<[^>]+>", "", body)), (re.search(r'BGCOLOR="([^"]+)"', attrs) or [None, None])[1])
                     for attrs, body in re.findall(r"<TD([^>]*)>(.*?)</TD>", row)])
    return rows


def maps(graph) -> dict[str, dict]:
    """Each drawn map by its caption's symbol ("z", "u", "f(u)", "y"): its values, its gradient's
    values and the places shaded (1-based, padding included)."""
    found = {}
    for label in labels(graph).values():
        grids = dict(grid_tables(label))
        if "f" not in grids:
            continue
        caption = texts(label)[0][1]
        forward, backward = cells(grids["f"]), cells(grids["g"])
        found[caption.split(" (")[0]] = {
            "values": [[text for text, _ in row] for row in forward],
            "gradient": [[text for text, _ in row] for row in backward],
            "shaded": {(i, j) for i, row in enumerate(forward, 1) for j, (_, bg) in enumerate(row, 1) if bg == WINDOW},
            "texts": texts(label),
            "colours": {port: {colour for colour, _ in texts(table)} for port, table in grids.items()},
        }
    return found


def check_svg(source: str) -> ET.Element:
    result = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    root = ET.fromstring(result.stdout)
    assert root.tag.endswith("svg")
    return root


# ---------------------------------------------------------------- every course problem


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("problem_id", COURSE_IDS)
def test_picture_parses_and_shows_every_value_of_the_answer_key(problem_id, lang):
    source = picture(problem_id, lang)
    graph = parse(source)
    assert graph.get_type() == "digraph"
    on_picture = shown_numbers(graph)
    missing = {key: format_number(v) for key, value in answer_key(problem_id).items() for v in flat(value)
               if format_number(v) not in on_picture}
    assert not missing, f"not on the picture: {missing}"
    if HAVE_DOT:
        check_svg(source)


@needs_dot
def test_svg_from_the_command_line_is_valid_xml_with_the_seeds_output(tmp_path):
    out = tmp_path / "conv.svg"
    result = runner.invoke(app, ["solution", "conv_seed", "--format", "svg", "-o", str(out)],
                           env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    root = ET.fromstring(out.read_bytes())
    drawn = [("".join(e.itertext())) for e in root.iter() if e.tag.endswith("text")]
    assert "-8" in drawn and "-14" not in drawn


# ---------------------------------------------------------------- convolution and pooling


SEED_U = [[26, 6, -6], [0, -4, 8], [24, -8, -4]]  # the seed's output, with -8 for the slide's -14


@pytest.mark.parametrize("problem_id, symbol, expected", [
    ("conv_seed", "u", SEED_U),
    ("conv_stride2", "u", [[26, -6], [24, -4]]),
    ("pool_max", "y", [[6, 7], [8, 6]]),
    ("pool_average", "y", [[3.25, 2.25], [3.5, 2.5]]),
])
def test_output_grid_shows_the_seeds_numbers(problem_id, symbol, expected):
    drawn = maps(parse(picture(problem_id)))
    assert drawn[symbol]["values"] == [[format_number(v) for v in row] for row in expected]


def test_conv_seed_output_entries_are_the_json_answer_keys():
    assert answer_key("conv_seed")["u"] == SEED_U
    values = maps(parse(picture("conv_seed")))["u"]["values"]
    assert [text for row in values for text in row] == ["26", "6", "-6", "0", "-4", "8", "24", "-8", "-4"]


@pytest.mark.parametrize("problem_id", [p for p in COURSE_IDS if p.startswith(("conv_", "pool_"))])
def test_the_first_window_is_shaded_on_the_input(problem_id):
    data = source_of(problem_id)
    spec = data[data["kind"]]
    image = spec["input"]
    size = len(spec["filter"]) if data["kind"] == "conv" else spec["pool"]["size"]
    z = maps(parse(picture(problem_id)))["z"]
    assert z["shaded"] == {(i, j) for i in range(1, size + 1) for j in range(1, size + 1)}
    window = [[z["values"][i - 1][j - 1] for j in range(1, size + 1)] for i in range(1, size + 1)]
    assert window == [[format_number(v) for v in row[:size]] for row in image[:size]]
    words = " ".join(text for _, text in z["texts"])
    assert ("u₁₁" if data["kind"] == "conv" else "y₁₁") in words


def test_pooling_after_a_convolution_shades_the_first_region_of_the_pooled_map():
    drawn = maps(parse(picture("conv_relu_maxpool")))
    assert drawn["f(u)"]["shaded"] == {(1, 1), (1, 2), (2, 1), (2, 2)}
    assert drawn["y"]["values"] == [["27", "9"], ["25", "9"]]
    assert drawn["y"]["gradient"] == [["1", "-1"], ["2", "3"]]  # the given ∂E/∂y, under y


def test_gradients_are_red_grids_under_their_maps():
    drawn = maps(parse(picture("conv_seed")))
    assert set(drawn) == {"z", "h", "u"}
    for symbol, found in drawn.items():
        assert found["colours"]["g"] == {RED} and RED not in found["colours"]["f"], symbol
        assert (RED, f"∂E/∂{symbol}") in found["texts"] or (RED, f"∂E/∂{symbol} (given)") in found["texts"]
    assert drawn["u"]["gradient"] == [["1", "0", "-1"], ["0", "2", "0"], ["1", "1", "-1"]]  # the file's upstream
    assert drawn["h"]["gradient"][0][0] == format_number(
        sum(d * z for drow, zrow in zip([[1, 0, -1], [0, 2, 0], [1, 1, -1]], [[5, 1, 0], [1, 6, 1], [4, 1, 6]])
            for d, z in zip(drow, zrow)))  # ∂E/∂h₁₁ = Σᵢⱼ ∂E/∂uᵢⱼ zᵢⱼ


def test_padding_is_drawn_as_grey_zeros_inside_the_window(tmp_path):
    path = tmp_path / "padded.yaml"
    path.write_text("id: padded\ntitle: padded\nkind: conv\nconv:\n  input: [[1, 2], [3, 4]]\n"
                    "  filter: [[1, 0], [0, 1]]\n  padding: 1\n  upstream: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]\n",
                    encoding="utf-8")
    result = runner.invoke(app, ["solution", str(path), "--format", "dot"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    z = maps(parse(result.output))["z"]
    assert z["values"] == [["0", "0", "0", "0"], ["0", "1", "2", "0"], ["0", "3", "4", "0"], ["0", "0", "0", "0"]]
    assert z["shaded"] == {(1, 1), (1, 2), (2, 1), (2, 2)}  # u₁₁ reads one zero row and column


# ---------------------------------------------------------------- batch normalisation


def test_batch_is_a_table_of_every_sample_under_its_statistics():
    graph = parse(picture("batchnorm_n3"))
    data = source_of("batchnorm_n3")["batchnorm"]
    rows = []
    for label in labels(graph).values():
        if label.startswith("<<TABLE") and "uₙ<" in label:
            rows = cells(re.search(r"<TABLE[^>]*>(.*)</TABLE>", label).group(1))
    assert [text for text, _ in rows[0]] == ["n", "uₙ", "∂E/∂uₙ"]
    assert [[text for text, _ in row][:2] for row in rows[1:]] == [[str(n), format_number(u)]
                                                                   for n, u in enumerate(data["u"], 1)]
    upstream = next(label for label in labels(graph).values() if "∂E/∂yₙ<" in label)
    assert [format_number(v) for v in data["upstream"]] == [text for colour, text in texts(upstream)
                                                            if colour == RED][1:]
    firsts = {texts(label)[0][1].split(" = ")[0]: name for name, label in labels(graph).items() if texts(label)}
    assert {"μ", "σ²", "γ", "β"} <= set(firsts)
    assert texts(labels(graph)[firsts["γ"]])[0][1] == f"γ = {format_number(data['gamma'])}"
    assert texts(labels(graph)[firsts["β"]])[0][1] == f"β = {format_number(data['beta'])}"


def test_batchnorm_arrows_follow_the_computation():
    graph = parse(picture("batchnorm_n3"))
    by_heading = {}
    for name, label in labels(graph).items():
        words = [text for _, text in texts(label)]
        for symbol in ("uₙ", "ûₙ", "yₙ"):
            if symbol in words:
                by_heading[symbol] = name
        if words and " = " in words[0]:
            by_heading[words[0].split(" = ")[0]] = name
    arrows = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in all_edges(graph)}
    chain = ["uₙ", "μ", "σ²", "ûₙ", "yₙ"]
    for tail, head in pairwise(chain):
        assert (by_heading[tail], by_heading[head]) in arrows, (tail, head)
    assert (by_heading["γ"], by_heading["yₙ"]) in arrows and (by_heading["β"], by_heading["yₙ"]) in arrows


# ---------------------------------------------------------------- RNN through time


def holders(graph) -> dict[str, str]:
    """Each symbol written "symbol = value" on the picture -> the node it is written in."""
    found: dict[str, str] = {}
    for name, label in labels(graph).items():
        for _, text in texts(label):
            found.setdefault(text.split(" = ")[0], name)
    return found


def test_rnn_is_unrolled_one_column_per_t_with_the_weights_on_the_arrows():
    graph = parse(picture("rnn_three_steps"))
    holder = holders(graph)
    sup = {0: "⁽⁰⁾", 1: "⁽¹⁾", 2: "⁽²⁾", 3: "⁽³⁾"}
    named = {}
    for e in all_edges(graph):
        words = [text for _, text in texts(e.get_attributes().get("label", ""))]
        if words:
            ends = (e.get_source().strip('"'), e.get_destination().strip('"'))
            named[ends if e.get_attributes().get("dir") != "back" else ends[::-1]] = words[0]
    for t in (1, 2, 3):
        z_prev, z, x, y = (holder[f"z₁{sup[t - 1]}"], holder[f"z₁{sup[t]}"], holder[f"x₁{sup[t]}"],
                           holder[f"y₁{sup[t]}"])
        assert len({z_prev, z, x, y}) == 4
        assert named[(z_prev, z)] == "W"
        assert named[(x, z)] == "Wⁱⁿ"
        assert named[(z, y)] == "Wᵒᵘᵗ"
        assert holder[f"δ₁{sup[t]}"] == z and holder[f"δ₁ᵒᵘᵗ{sup[t]}"] == y


@needs_dot
def test_rnn_layout_has_outputs_over_hidden_states_over_inputs_and_time_left_to_right():
    graph = parse(picture("rnn_three_steps"))
    holder = holders(graph)
    result = subprocess.run(["dot", "-Tplain"], input=picture("rnn_three_steps").encode(), capture_output=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    at = {}
    for line in result.stdout.decode().splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            at[parts[1].strip('"')] = (float(parts[2]), float(parts[3]))  # plain output: y grows upwards
    place = lambda symbol: at[holder[symbol]]
    zs = [place(f"z₁{s}") for s in ["⁽⁰⁾", "⁽¹⁾", "⁽²⁾", "⁽³⁾"]]
    assert len({y for _, y in zs}) == 1 and [x for x, _ in zs] == sorted(x for x, _ in zs)
    for s in ["⁽¹⁾", "⁽²⁾", "⁽³⁾"]:
        assert place(f"y₁{s}")[1] > place(f"z₁{s}")[1] > place(f"x₁{s}")[1]
        assert abs(place(f"y₁{s}")[0] - place(f"z₁{s}")[0]) < 1 and abs(place(f"x₁{s}")[0] - place(f"z₁{s}")[0]) < 1


# ---------------------------------------------------------------- hostile text


HOSTILE_TITLE = '<b>&"</b>'


@pytest.mark.parametrize("problem_id", ["conv_relu_maxpool", "pool_max", "batchnorm_n3", "rnn_three_steps"])
def test_a_hostile_title_cannot_inject(problem_id, tmp_path):
    text = (PROBLEMS / f"{problem_id}.yaml").read_text(encoding="utf-8")
    text = re.sub(r"title:\n  en: .*\n  ja: .*\n", "title: " + json.dumps(HOSTILE_TITLE) + "\n", text)
    path = tmp_path / f"{problem_id}.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["solution", str(path), "--format", "dot"], env={"BPTUTOR_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert "<b>" not in result.output and '&"' not in result.output
    assert HOSTILE_TITLE in html.unescape(result.output)
    graph, reference = parse(result.output), parse(picture(problem_id))
    assert set(labels(graph)) == set(labels(reference))
    assert len(all_edges(graph)) == len(all_edges(reference))
    if HAVE_DOT:
        root = check_svg(result.output)
        drawn = " ".join("".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
        assert HOSTILE_TITLE in drawn
        assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "b"]
