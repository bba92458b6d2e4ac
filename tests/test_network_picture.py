"""The network as the student sees it while computing: every unit a block (u, h, δ), every weight
a line of its own from unit i to unit j carrying wⱼᵢ and its value, the outputs joined to E and d;
each quantity written once, as "symbol = value", so the screen can find the one being asked."""

from __future__ import annotations

import re

import pytest

from tutor import formula
from tutor.engine import derive
from tutor.numbers import format_number
from tutor.problem.load import load_problem_text
from tutor.render.diagram import MARK_SHOWN, Known, diagram
from tutor.steps import in_language

from .conftest import solved
from .test_wiring import targets

NETWORK_IDS = ["bce_sigmoid", "ex71_relu", "pytorch_relu", "softmax_3layer", "tanh_hidden", "xor"]
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def teacher_net(sizes: list[int]):
    """A net written by a teacher: weight wⱼᵢ of layer l is l + j/10 + i/100, each one different."""
    layers = []
    for l in range(1, len(sizes)):
        rows = [[round(l + j / 10 + i / 100, 2) for i in range(1, sizes[l - 1] + 1)] for j in range(1, sizes[l] + 1)]
        layers.append(f"    W{l}: {rows}\n    b{l}: {[0] * sizes[l]}")
    weights = "\n".join(layers)
    text = f"""id: teacher
title: {{en: A teacher's net, ja: 先生のネットワーク}}
kind: network
network:
  sizes: {sizes}
  activations: {["sigmoid"] * (len(sizes) - 1)}
  loss: squared_error
  weights:
{weights}
  input: {[1] * sizes[0]}
  target: {[0] * sizes[-1]}
  learning_rate: 0.1
"""
    problem = load_problem_text(text)
    return problem, derive(problem)


def unit(base: str, l: int, j: int) -> str:
    return f"{base}{str(j).translate(SUB)}" + (f"({l})".translate(SUP) if l else "")


def boundary_count(text: str, label: str) -> int:
    """How often "label = " starts a line or follows a space, as the screen looks for it."""
    return len(re.findall(rf"(?:^|(?<= )){re.escape(label)} = ", text, flags=re.MULTILINE))


def problems():
    for problem_id in NETWORK_IDS:
        yield problem_id, solved(problem_id)
    for sizes in ([1, 1, 1], [3, 4, 2], [4, 4, 4, 4]):
        yield "-".join(map(str, sizes)), teacher_net(sizes)


CASES = list(problems())
IDS = [name for name, _ in CASES]


@pytest.mark.parametrize("name, solved_problem", CASES, ids=IDS)
def test_every_weight_is_a_line_from_its_unit_i_to_its_unit_j_carrying_its_value(name, solved_problem):
    problem, solution = solved_problem
    net = problem.network
    lines = diagram(problem, solution, {}, "en").split("\n")
    for l in range(1, net.layers + 1):
        matrix = getattr(net.weights, f"W{l}")
        for i in range(1, net.sizes[l - 1] + 1):
            source = f"{unit('x', 0, i)} = {format_number(net.input[i - 1])}" if l == 1 else f"{unit('h', l - 1, i)} = ?"
            reached = targets(lines, source)
            expected = {
                f"{unit('u', l, j)} = ?": {f"w{j}{i}".translate(SUB) + f" {format_number(matrix[j - 1][i - 1])}"}
                for j in range(1, net.sizes[l] + 1)
            }
            assert reached == expected, (name, source)
    for j in range(1, net.sizes[-1] + 1):
        assert set(targets(lines, f"{unit('h', net.layers, j)} = ?")) == {"E = ?"}


@pytest.mark.parametrize("name, solved_problem", CASES, ids=IDS)
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_quantity_is_written_once_and_filled_in_when_known(name, solved_problem, lang):
    problem, solution = solved_problem
    solution = in_language(solution, lang)
    empty = diagram(problem, solution, {}, lang)
    full = diagram(problem, solution, {step.name: step.value for step in solution.steps}, lang)
    for key in [*solution.givens, *(step.name for step in solution.steps)]:
        label = formula.text(solution.symbols[key], solution.symbols)
        assert boundary_count(empty, label) == 1, (key, label)
    assert "?" in empty and "?" not in full
    assert all(line == line.rstrip() for line in empty.split("\n"))


def test_values_found_shown_and_asked_are_told_apart():
    problem, solution = solved("xor")
    known = Known({"u1_1": 0.5, "u1_2": 0.5}, {"u1_2": MARK_SHOWN})
    text = diagram(problem, solution, known, "en")
    assert "▶ u₁⁽¹⁾ = 0.5" in text and "u₁⁽¹⁾ = 0.5!" not in text
    assert "▶ u₂⁽¹⁾ = 0.5!" in text and "h₁⁽¹⁾ = ?" in text


def test_headings_are_in_japanese():
    problem, solution = solved("xor")
    text = diagram(problem, in_language(solution, "ja"), {}, "ja")
    assert "入力" in text and "第 1 層（sigmoid）" in text and "誤差関数: squared_error" in text
    assert "第 1 層への重みとその勾配:" in text
    assert "layer" not in text and "input" not in text and "(new)" not in text


def test_xor_fits_the_height_of_a_small_screen_panel_above_its_table():
    problem, solution = solved("xor")
    text = diagram(problem, solution, {}, "en")
    picture = text.split("\n\n")[0].split("\n")
    assert len(picture) <= 9  # headings, two units of three lines and the room between


def test_a_layer_too_wide_to_draw_is_listed_in_columns_with_its_arrows():
    problem, solution = teacher_net([2, 5, 1])
    text = diagram(problem, solution, {}, "en")
    assert "▶" not in text and "→" in text
    for step in solution.steps:
        assert boundary_count(text, formula.text(step.symbol, solution.symbols)) == 1


def test_too_many_layers_to_draw_are_listed_too():
    problem, solution = teacher_net([1, 1, 1, 1, 1, 1])
    text = diagram(problem, solution, {}, "en")
    assert "▶" not in text and "u₁⁽⁵⁾ = ?" in text
