"""The loader: safe YAML, YAML 1.2 scalars, and errors located at FILE:LINE:COL with their key."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.errors import ProblemError
from tutor.problem import Problem, load_problem, load_problem_text, yamlsafe
from tutor.problem.library import builtin_dir

NET = """\
id: t
title: T
kind: network
network:
  sizes: [2, 2, 1]
  activations: [sigmoid, sigmoid]
  loss: squared_error
  weights:
    W1: [[0.5, 0.5], [0.5, 0.5]]
    W2: [[0.5, 0.5]]
  input: [1, 0]
  target: [1]
  learning_rate: 0.5
"""

GRAPH = """\
id: g
title: G
kind: graph
graph:
  inputs: {x: 1, y: 2}
  nodes:
    t: x + y
    z: t**2
  output: z
"""


def error_of(text: str | bytes, **kwargs: object) -> ProblemError:
    with pytest.raises(ProblemError) as info:
        load_problem_text(text, "p.yaml", **kwargs)  # type: ignore[arg-type]
    return info.value


def where(err: ProblemError) -> tuple[int | None, int | None, str | None]:
    return err.line, err.column, err.key


# ---------------------------------------------------------------------------------------------
# Scalars: YAML 1.2 core schema


def test_valid_texts_load() -> None:
    assert load_problem_text(NET).network is not None
    assert load_problem_text(GRAPH).graph is not None


def test_no_yes_on_off_stay_text_where_text_is_expected() -> None:
    for word in ("no", "yes", "on", "off", "NO", "Yes"):
        problem = load_problem_text(NET.replace("title: T", f"title: {word}"))
        assert problem.title.en == word


def test_no_is_a_type_error_where_a_number_is_expected() -> None:
    err = error_of(NET.replace("learning_rate: 0.5", "learning_rate: no"))
    assert where(err) == (13, 18, "network.learning_rate")
    assert err.message == "expected a number, got the text 'no' (write numbers without quotes)"


def test_exponent_without_dot_is_a_number() -> None:
    problem = load_problem_text(NET.replace("learning_rate: 0.5", "learning_rate: 1e-3"))
    assert problem.network is not None and problem.network.learning_rate == 0.001


def test_leading_zero_is_decimal_and_sexagesimal_stays_text() -> None:
    problem = load_problem_text(NET.replace("sizes: [2, 2, 1]", "sizes: [2, 010, 1]").replace(
        "W1: [[0.5, 0.5], [0.5, 0.5]]", "W1: " + repr([[0.5, 0.5]] * 10)).replace(
        "W2: [[0.5, 0.5]]", "W2: " + repr([[0.5] * 10])))
    assert problem.network is not None and problem.network.sizes == (2, 10, 1)
    assert load_problem_text(NET.replace("title: T", "title: 1:30")).title.en == "1:30"
    data, _ = yamlsafe.parse("a: 0x1F\nb: 2024-01-01\nc: 1_000\nd: .5\ne: -.inf\nf: ~\ng: true\n")
    assert data == {"a": "0x1F", "b": "2024-01-01", "c": "1_000", "d": 0.5, "e": float("-inf"), "f": None, "g": True}


def test_integers_are_accepted_where_floats_are_expected_but_bools_are_not() -> None:
    problem = load_problem_text(NET.replace("learning_rate: 0.5", "learning_rate: 1"))
    assert problem.network is not None and problem.network.learning_rate == 1.0
    assert isinstance(problem.network.learning_rate, float)
    err = error_of(NET.replace("input: [1, 0]", "input: [true, 0]"))
    assert where(err) == (11, 11, "network.input[0]")
    assert "got true" in err.message


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1e400", "-1e999"])
def test_nan_and_infinity_are_refused(value: str) -> None:
    err = error_of(NET.replace("learning_rate: 0.5", f"learning_rate: {value}"))
    assert where(err) == (13, 18, "network.learning_rate")
    assert "finite number" in err.message


def test_huge_integer_is_refused_with_a_line() -> None:
    err = error_of(NET.replace("learning_rate: 0.5", "learning_rate: " + "9" * 5000))
    assert where(err) == (13, 18, "network.learning_rate")
    assert "too many digits" in err.message


def test_plain_string_title_and_localized_title() -> None:
    assert load_problem_text(NET).title.get("ja") == "T"
    problem = load_problem_text(NET.replace("title: T", "title: {en: Hello, ja: こんにちは}"))
    assert problem.title.get("ja") == "こんにちは" and problem.title.get("en") == "Hello"
    assert problem.title.get("fr") == "Hello"


def test_bytes_bom_and_crlf() -> None:
    problem = load_problem_text(("\ufeff" + NET).encode("utf-8"))
    assert problem.id == "t"
    err = error_of(NET.replace("\n", "\r\n").replace("learning_rate: 0.5", "learning_rate: no"))
    assert where(err) == (13, 18, "network.learning_rate")


# ---------------------------------------------------------------------------------------------
# YAML-level refusals, with exact positions


def test_yaml_syntax_error_position() -> None:
    err = error_of("id: t\ntitle: [a, b\nkind: graph\n")
    assert (err.line, err.column) == (2, 8)
    assert "not closed" in err.message


def test_tab_indentation() -> None:
    err = error_of("id: t\nnetwork:\n\tsizes: [1, 1]\n")
    assert (err.line, err.column) == (3, 1)
    assert "tab" in err.message


def test_duplicate_key_names_the_first_line() -> None:
    err = error_of(NET + "  learning_rate: 0.1\n")
    assert where(err) == (14, 3, "network")
    assert err.message == "duplicate key 'learning_rate' (first at line 13)"


def test_anchors_and_aliases_are_refused() -> None:
    err = error_of("id: t\ntitle: &a T\nstatement: *a\n")
    assert (err.line, err.column) == (2, 8)
    assert err.message.startswith("anchors (&a) and aliases (*a) are not allowed")
    err = error_of("id: t\ntitle: T\nstatement: *a\n")
    assert (err.line, err.column) == (3, 12)


def test_non_string_keys_are_refused() -> None:
    err = error_of(NET.replace("    W2: [[0.5, 0.5]]\n", "    W2: [[0.5, 0.5]]\n    2: [[1]]\n"))
    assert where(err) == (11, 5, "network.weights")
    assert "keys must be text" in err.message


def test_multiple_documents_are_refused() -> None:
    err = error_of(NET + "---\n" + NET)
    assert err.line == 14
    assert "one YAML document" in err.message


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    err = error_of(text)
    assert "the file is empty" in err.message
    assert str(err).startswith("p.yaml:1:1: ")


def test_top_level_must_be_a_mapping() -> None:
    err = error_of("- 1\n- 2\n")
    assert "top level must be a mapping" in err.message and "a list" in err.message


def test_control_characters_and_bad_encoding() -> None:
    err = error_of("id: t\ntitle: a\x00b\n")
    assert (err.line, err.column) == (2, 9)
    err = error_of(b"id: t\ntitle: caf\xe9\n")
    assert (err.line, err.column) == (2, 11)
    assert "not UTF-8" in err.message


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    err = error_of("id: t\ntitle: " + "[" * 3000 + "]" * 3000 + "\n")
    assert err.line == 2 and "nested more than 20 levels deep" in err.message


def test_size_cap_is_checked_before_parsing() -> None:
    text = "id: t\ntitle: T\n# " + "x" * yamlsafe.MAX_BYTES + "\n"
    err = error_of(text)
    assert err.line is None and "256 KiB" in err.message
    err = error_of(text.encode())
    assert "256 KiB" in err.message


def test_large_hostile_file_is_fast() -> None:
    """A file just under the cap made of tiny flow items (the slowest shape for a YAML parser)."""
    body = "id: t\ntitle: T\nkind: graph\nx: [" + "1," * 120_000 + "]\n"
    assert len(body) < yamlsafe.MAX_BYTES
    start = time.perf_counter()
    err = error_of(body)
    assert time.perf_counter() - start < 2.0
    assert err.line == 4 and "more than 30,000 values" in err.message


def test_the_widest_network_the_schema_allows_is_read_then_refused_by_the_step_limit() -> None:
    n = 64
    rows = "[" + ", ".join(["[" + ", ".join(["0.01"] * n) + "]"] * n) + "]"
    weights = "".join(f"    W{l}: {rows}\n    b{l}: [{', '.join(['0'] * n)}]\n" for l in range(1, 7))
    text = (
        f"id: big\ntitle: Big\nkind: network\nnetwork:\n  sizes: [{', '.join([str(n)] * 7)}]\n"
        f"  activations: [{', '.join(['tanh'] * 6)}]\n  loss: squared_error\n  weights:\n{weights}"
        f"  input: [{', '.join(['1'] * n)}]\n  target: [{', '.join(['0'] * n)}]\n"
    )
    assert len(text.encode()) < yamlsafe.MAX_BYTES
    err = error_of(text)  # the YAML reader's value cap lets it through; the step limit stops it
    assert err.key == "network.sizes" and "51,073 steps" in err.message and "at most 1,000" in err.message


# ---------------------------------------------------------------------------------------------
# Schema errors located on the right key


def test_unknown_key_suggests_the_closest() -> None:
    err = error_of(NET.replace("activations:", "activation:"))
    assert where(err) == (6, 3, "network")
    assert err.message == "unknown key 'activation'; did you mean 'activations'?"
    err = error_of(NET + "tolerance: {rell: 0.1}\n")
    assert where(err) == (14, 13, "tolerance")
    assert "did you mean 'rel'?" in err.message


def test_unknown_key_without_a_close_match_lists_the_keys() -> None:
    err = error_of("id: t\ntitle: {en: a, zz: b}\nkind: graph\n")
    assert where(err) == (2, 16, "title")
    assert err.message == "unknown key 'zz'; the keys allowed here are en, ja"


def test_missing_key_points_at_the_enclosing_mapping() -> None:
    err = error_of(NET.replace("  loss: squared_error\n", ""))
    assert where(err) == (5, 3, "network")
    assert err.message == "missing required key 'loss'"
    err = error_of(NET.replace("title: T\n", ""))
    assert where(err) == (1, 1, None)


def test_wrong_type_points_at_the_value() -> None:
    err = error_of(NET.replace("sizes: [2, 2, 1]", "sizes: [2, two, 1]"))
    assert where(err) == (5, 14, "network.sizes[1]")
    assert err.message == "expected a whole number, got the text 'two'"
    err = error_of(NET.replace("title: T", "title: [T]"))
    assert where(err) == (2, 1, "title")


def test_unknown_activation_suggests_one() -> None:
    err = error_of(NET.replace("[sigmoid, sigmoid]", "[sigmoid, sigmod]"))
    assert where(err) == (6, 26, "network.activations[1]")
    assert err.message.endswith("did you mean 'sigmoid'?")


def test_matrix_shape_error_points_at_the_key() -> None:
    err = error_of(NET.replace("W2: [[0.5, 0.5]]", "W2: [[0.5], [0.5]]"))
    assert where(err) == (10, 5, "network.weights.W2")
    assert err.message == (
        "W2 must be 1x2 (one row per unit of layer 2, one column per unit of layer 1), got 2x1"
    )
    block = NET.replace("    W2: [[0.5, 0.5]]\n", "    W2:\n      - [0.5]\n      - [0.5]\n")
    assert where(error_of(block))[:2] == (10, 5)


def test_kind_and_section_rules() -> None:
    err = error_of(NET.replace("kind: network", "kind: graph"))
    assert where(err) == (4, 1, "network")
    assert "belongs only to kind 'network'" in err.message
    err = error_of("id: t\ntitle: T\nkind: network\n")
    assert (err.line, err.column) == (3, 1)
    assert "a 'network:' section is required" in err.message


def test_graph_reference_errors() -> None:
    err = error_of(GRAPH.replace("t: x + y", "t: z + y"))
    assert where(err) == (7, 8, "graph.nodes.t")
    assert err.message == "refers to 'z', which is defined later; nodes may use only inputs and earlier nodes"
    err = error_of(GRAPH.replace("t: x + y", "t: t + 1"))
    assert "which is this node itself" in err.message
    err = error_of(GRAPH.replace("t: x + y", "t: __import__('os')"))
    assert where(err) == (7, 8, "graph.nodes.t")
    assert err.message.startswith("cannot use the expression")
    err = error_of(GRAPH.replace("{x: 1, y: 2}", "{x: 1, cos: 2}"))
    assert where(err) == (5, 18, "graph.inputs.cos")
    err = error_of(GRAPH.replace("output: z", "output: x"))
    assert err.message == "output must be a node, but 'x' is an input"


def test_id_must_match_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(NET)
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    err = info.value
    assert where(err) == (1, 5, "id")
    assert "'t' must equal the file name 'other'" in err.message
    assert str(err).startswith(f"{path}:1:5: id: ")
    err = error_of(NET, expected_id="xor")
    assert where(err) == (1, 5, "id")


def test_first_error_in_file_order_is_reported() -> None:
    text = NET.replace("title: T", "title: 3").replace("learning_rate: 0.5", "learning_rate: no")
    assert error_of(text).line == 2


def test_load_problem_sets_path_and_load_text_does_not(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(NET)
    assert load_problem(path).path == path
    assert load_problem(str(path)).path == path
    assert load_problem_text(NET).path is None


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ProblemError, match="no such file") as info:
        load_problem(tmp_path / "missing.yaml")
    assert info.value.path == tmp_path / "missing.yaml"
    with pytest.raises(ProblemError, match="folder"):
        load_problem(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (yamlsafe.MAX_BYTES + 1))
    with pytest.raises(ProblemError, match="256 KiB"):
        load_problem(big)
    with pytest.raises(ProblemError):
        load_problem("bad\x00name.yaml")


def test_a_crashing_validator_still_gives_a_problem_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import tutor.expr

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(tutor.expr, "parse", boom)
    err = error_of(GRAPH)
    assert "could not check the file" in err.message


# ---------------------------------------------------------------------------------------------
# Nothing but ProblemError, whatever the input


def _only_problem_errors(text: str) -> None:
    try:
        result = load_problem_text(text, "f.yaml")
    except ProblemError as err:
        assert str(err).startswith("f.yaml")
    else:
        assert isinstance(result, Problem)


def test_random_mutations_of_builtins_give_only_problem_errors() -> None:
    rng = random.Random(20240601)
    sources = [p.read_text(encoding="utf-8") for p in sorted(builtin_dir().glob("*.yaml"))]
    pieces = ["", ":", " ", "\t", "-", "[", "]", "{", "}", "&a", "*a", "!!", "'", '"', "\n", "#", "1e400", "no", "0"]
    for _ in range(400):
        text = rng.choice(sources)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(text))
            j = min(len(text), i + rng.randint(0, 4))
            text = text[:i] + rng.choice(pieces) + text[j:]
        _only_problem_errors(text)


TOKENS = [*"ab01 :-[]{},&*!'\"\n\t#.e", "id: ", "kind: ", "title: ", "graph:\n  ", "\x00", "\u3042"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_arbitrary_text_gives_only_problem_errors(text: str) -> None:
    _only_problem_errors(text)
