"""Plain mode can be solved from its text alone: the statement and every given value come before
the first question and again on help, and a vector step says which entry goes where."""

from __future__ import annotations

import io

import pytest

from tests.conftest import solved
from tests.test_plain_pipeline import bptutor
from tutor.plain import run_plain
from tutor.session import Session
from tutor.steps import AnswerKind

# Each given (or the line that carries it) as a part of one line of the given block.
XOR_GIVENS = [
    "x₁ = 1 ─",
    "x₂ = 0 ─",
    "d₁ = 1",
    "  w₁₁⁽¹⁾ = 0.5   ∂E/∂w₁₁⁽¹⁾ = ?   w₁₁⁽¹⁾ (new) = ?",
    "  w₁₂⁽¹⁾ = 0.5   ∂E/∂w₁₂⁽¹⁾ = ?   w₁₂⁽¹⁾ (new) = ?",
    "  b₁⁽¹⁾ = 0      ∂E/∂b₁⁽¹⁾ = ?    b₁⁽¹⁾ (new) = ?",
    "  w₂₁⁽¹⁾ = 0.5   ∂E/∂w₂₁⁽¹⁾ = ?   w₂₁⁽¹⁾ (new) = ?",
    "  w₂₂⁽¹⁾ = 0.5   ∂E/∂w₂₂⁽¹⁾ = ?   w₂₂⁽¹⁾ (new) = ?",
    "  b₂⁽¹⁾ = 0      ∂E/∂b₂⁽¹⁾ = ?    b₂⁽¹⁾ (new) = ?",
    "  w₁₁⁽²⁾ = 0.5   ∂E/∂w₁₁⁽²⁾ = ?   w₁₁⁽²⁾ (new) = ?",
    "  w₁₂⁽²⁾ = 0.5   ∂E/∂w₁₂⁽²⁾ = ?   w₁₂⁽²⁾ (new) = ?",
    "  b₁⁽²⁾ = 0      ∂E/∂b₁⁽²⁾ = ?    b₁⁽²⁾ (new) = ?",
    "η = 0.5",
    (
        "wⱼᵢ⁽ˡ⁾ is the weight into unit j of layer l from unit i of layer l−1,"
        " so row j of W⁽ˡ⁾ holds the weights into unit j."
    ),
]

APPLE_GIVENS = ["apple = 100 ─", "apple_num = 2 ─", "tax = 1.1 ─", "apple·apple_num", "apple_price·tax", "output: price"]


def _before_first_question(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    return lines[: next(k for k, line in enumerate(lines) if line.startswith("[1/"))]


def _after_first_question(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    return lines[next(k for k, line in enumerate(lines) if line.startswith("[1/")) + 1 :]


@pytest.mark.parametrize(
    ("problem_id", "statement_words", "givens"),
    [("xor", "every weight 0.5 and every bias 0", XOR_GIVENS), ("apple", "You buy 2 apples", APPLE_GIVENS)],
)
def test_the_statement_and_every_given_come_first_and_again_on_help(problem_id, statement_words, givens, tmp_path):
    result = bptutor("solve", problem_id, "--plain", stdin="help\nquit\n", home=tmp_path)
    assert result.returncode == 0, result.stderr
    before, after = _before_first_question(result.stdout), _after_first_question(result.stdout)
    for part in (before, after):
        assert any(statement_words in line for line in part)
        assert "Given (a ? is a value you will find):" in part
        for given in givens:
            assert any(given in line for line in part), given
    assert "Words you can type instead of an answer:" in after
    assert result.stdout.splitlines()[-1].startswith("Score: 0/")


def test_the_weight_note_is_said_once_and_only_for_networks(tmp_path):
    network = bptutor("solve", "xor", "--plain", stdin="quit\n", home=tmp_path).stdout
    graph = bptutor("solve", "apple", "--plain", stdin="quit\n", home=tmp_path).stdout
    assert network.count("is the weight into unit j of layer l") == 1
    assert "weight into unit" not in graph


def test_the_givens_are_in_japanese_too():
    out = io.StringIO()
    run_plain(Session(*solved("apple"), lang="ja"), ["?\n"], out)
    lines = out.getvalue().splitlines()
    assert lines.count("与えられた値（? はこれから求める値）:") == 2
    assert sum("apple = 100 ─" in line for line in lines) == 2 and lines.count("出力: price") == 2
    assert any("1 個 100 円のりんごを 2 個買い" in line for line in lines)


def test_the_network_note_is_in_japanese():
    out = io.StringIO()
    run_plain(Session(*solved("xor"), lang="ja"), [], out)
    note = "wⱼᵢ⁽ˡ⁾ は第 l−1 層のユニット i から第 l 層のユニット j への重みです（W⁽ˡ⁾ の j 行目がユニット j への重み）。"
    assert note in out.getvalue().splitlines()


@pytest.mark.parametrize(
    ("problem_id", "lang", "line"),
    [
        ("softmax_loss", "en", "  δ = (δ₁, δ₂, δ₃): 3 values, separated by commas, in this order"),
        ("softmax_loss", "ja", "  δ = (δ₁, δ₂, δ₃) の順に 3 個の値をコンマで区切って"),
        ("softmax_scores", "en", "  h = (h₁, h₂, h₃): 3 values, separated by commas, in this order"),
    ],
)
def test_a_vector_prompt_names_its_entries_in_order(problem_id, lang, line):
    out = io.StringIO()
    run_plain(_at_vector_step(problem_id, lang), [], out)
    assert line in out.getvalue().splitlines()


def _at_vector_step(problem_id: str, lang: str = "en") -> Session:
    session = Session(*solved(problem_id), lang=lang)
    while session.current.answer is not AnswerKind.VECTOR:
        session.show()
    return session


def test_a_wrong_vector_entry_is_named_by_its_index():
    session = _at_vector_step("softmax_loss")
    out = io.StringIO()
    run_plain(session, ["0.3, 0.8, 0.5\n"], out)  # δ = h − d = (0.3, -0.8, 0.5): the sign of δ₂ is off
    assert any(line.startswith("✗ Entry 2 is not correct") for line in out.getvalue().splitlines())
