"""A computational graph as the book draws it: inputs on the left, one block per node (its rule,
its value, the output's derivative by it), every edge from v to a node c using it a line, with
v's value above the line and the local derivative ∂c/∂v below it."""

from __future__ import annotations

import re

import pytest

from tutor import formula
from tutor.engine import derive
from tutor.numbers import format_number
from tutor.problem.load import load_problem_text
from tutor.render.diagram import MARK_SKIPPED, Known, diagram
from tutor.steps import in_language

from .conftest import solved
from .test_wiring import cells, follow

GRAPH_IDS = ["apple", "apple_orange", "chain_log_cos", "chain_square", "sigmoid_graph"]

# x feeds a and, skipping a column, b; a feeds b and, skipping a column, c.
TEACHER = """id: teacher
title: {en: Twice used, ja: 二度使う}
kind: graph
graph:
  inputs: {x: 2, w: 3}
  nodes: {a: "x * w", b: "a + x", c: "b * a"}
  output: c
"""


def teacher_graph():
    problem = load_problem_text(TEACHER)
    return problem, derive(problem)


def problems():
    for problem_id in GRAPH_IDS:
        yield problem_id, solved(problem_id)
    yield "teacher", teacher_graph()


def edges(problem) -> list[tuple[str, str]]:
    """(v, c) for each node c and each name v its rule uses, read from the problem's own text."""
    graph = problem.graph
    names = [*graph.inputs, *graph.nodes]
    return [(v, c) for c, rule in graph.nodes.items() for v in names if re.search(rf"\b{v}\b", rule)]


def label(solution, key: str) -> str:
    return formula.text(solution.symbols[key], solution.symbols)


def value_entry(problem, v: str) -> str:
    given = problem.graph.inputs.get(v)
    return f"{v} = {format_number(given) if given is not None else '?'}"


CASES = list(problems())
IDS = [name for name, _ in CASES]


@pytest.mark.parametrize("name, solved_problem", CASES, ids=IDS)
def test_every_edge_is_a_line_from_the_value_to_the_node_using_it(name, solved_problem):
    problem, solution = solved_problem
    lines = diagram(problem, solution, {}, "en").split("\n")
    grid = cells(lines)
    pairs = edges(problem)
    for v in [*problem.graph.inputs, *problem.graph.nodes]:
        reached = follow(lines, value_entry(problem, v))
        assert set(reached) == {f"{c} = ?" for u, c in pairs if u == v}, (name, v)
        for c in (c for u, c in pairs if u == v):
            (row,) = reached[f"{c} = ?"][1]
            above, below = "".join(grid[row - 1].values()), "".join(grid[row + 1].values())
            value = value_entry(problem, v).split(" = ")[1]
            assert re.search(rf"(^| ){re.escape(value)}( |$)", above), (v, c, above)
            assert f"{label(solution, f'd{c}_d{v}')} = ?" in below, (v, c, below)


def occurrences(text: str, label_text: str, labels: list[str]) -> list[int]:
    """Where "label = " stands as an entry of its own: at a line start or after a space, and not
    the end of a longer label (∂price/∂tax inside local ∂price/∂tax)."""
    found = []
    for match in re.finditer(rf"(?:^|(?<= )){re.escape(label_text)} = ", text, flags=re.MULTILINE):
        start = match.start()
        inside = any(
            other != label_text and other.endswith(label_text) and text[: start + len(label_text)].endswith(other)
            for other in labels
        )
        if not inside:
            found.append(start)
    return found


@pytest.mark.parametrize("name, solved_problem", CASES, ids=IDS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_quantity_is_written_once_and_found_first_where_it_stands(name, solved_problem, lang):
    problem, solution = solved_problem
    solution = in_language(solution, lang)
    text = diagram(problem, solution, {}, lang)
    keys = [*solution.givens, *(step.name for step in solution.steps)]
    labels = [label(solution, key) for key in keys]
    for key, text_label in zip(keys, labels):
        found = occurrences(text, text_label, labels)
        assert len(found) == 1, (key, text_label)
        # The screen takes the first "label = " at a line start or after a space: it is this one.
        first = re.search(rf"(?:^|(?<= )){re.escape(text_label)} = ", text, flags=re.MULTILINE)
        assert first.start() == found[0], (key, text_label)
    assert all(line == line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize("name, solved_problem", CASES, ids=IDS)
def test_values_are_filled_in_when_known(name, solved_problem):
    problem, solution = solved_problem
    full = diagram(problem, solution, {step.name: step.value for step in solution.steps}, "en")
    assert "?" not in full


def test_a_skipped_value_is_marked_on_the_node_and_on_the_lines_leaving_it():
    problem, solution = solved("apple")
    text = diagram(problem, solution, Known({"apple_price": 200.0}, {"apple_price": MARK_SKIPPED}), "en")
    assert "apple_price = 200–" in text
    assert "price = ?" in text


def test_an_input_stands_just_before_its_first_use():
    problem, solution = solved("apple")
    lines = diagram(problem, solution, {}, "en").split("\n")
    tax = next(line for line in lines if "tax = 1.1" in line)
    node = next(line for line in lines if "apple_price = ?" in line)
    assert tax.index("tax = 1.1") == node.index("apple_price = ?")  # in the column of the node it feeds


def test_a_node_s_rule_stands_over_its_value():
    problem, solution = solved("apple")
    lines = diagram(problem, solution, {}, "en").split("\n")
    n = next(k for k, line in enumerate(lines) if "▶ apple_price = ?" in line)
    assert lines[n - 1][lines[n].index("apple_price"):].startswith("apple·apple_num")


def test_the_graph_picture_speaks_japanese():
    problem, solution = solved("apple")
    text = diagram(problem, in_language(solution, "ja"), {}, "ja")
    assert "出力: price" in text and "局所 ∂price/∂tax = ?" in text and "output" not in text
