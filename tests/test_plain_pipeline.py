"""The scriptable session end to end: the answer key piped into `bptutor solve --plain`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tutor.cli import app
from tutor.i18n import t
from tutor.steps import AnswerKind

from .conftest import BUILTIN_IDS, solved


def bptutor(*args: str, stdin: str = "", home) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def answer_key(problem_id: str, home) -> list[str]:
    # The key in-process (the session it is typed into is the real pipe, in its own process).
    printed = CliRunner().invoke(app, ["solution", problem_id, "--format", "json"],
                                 env={"BPTUTOR_HOME": str(home), "BPTUTOR_LANG": "en"})
    key = json.loads(printed.stdout)
    lines = []
    for step in key["steps"]:
        if step["answer"] == "formula":
            lines.append(step["expected_formula"])
        elif isinstance(step["value"], list):
            lines.append(", ".join(repr(v) for v in step["value"]))
        else:
            lines.append(repr(step["value"]))
    return lines


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_the_answer_key_scores_full_marks(problem_id, tmp_path):
    lines = answer_key(problem_id, tmp_path)
    result = bptutor("solve", problem_id, "--plain", stdin="\n".join(lines) + "\n", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == f"Score: {len(lines)}/{len(lines)}"
    assert "Traceback" not in result.stderr


def _wrong_answer(step, env) -> tuple[str, str | None]:
    """A wrong answer for the step: a known mistake's value when a rule gives a distinct one."""
    if step.answer is AnswerKind.FORMULA:
        return "x + 12345", None
    exact = step.value
    for mistake in step.mistakes:
        value = mistake.compute(env)
        values = value if isinstance(value, tuple) else (value,)
        rights = exact if isinstance(exact, tuple) else (exact,)
        if all(abs(v - r) > 0.05 * max(abs(r), 1e-3) for v, r in zip(values, rights)):
            return ", ".join(repr(float(v)) for v in values), mistake.key
    values = exact if isinstance(exact, tuple) else (exact,)
    return ", ".join(repr(v + max(1.0, abs(v))) for v in values), None


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_wrong_answers_score_zero_and_name_the_mistake(problem_id, tmp_path):
    _, solution = solved(problem_id)
    env = solution.exact_env()
    lines, named = [], []
    for step in solution.steps:
        wrong, mistake = _wrong_answer(step, env)
        lines += [wrong, "skip"]
        if mistake:
            named.append(mistake)
    result = bptutor("solve", problem_id, "--plain", stdin="\n".join(lines) + "\n", home=tmp_path)
    out = result.stdout
    total = len(solution.steps)
    assert out.rstrip().splitlines()[-1] == f"Score: 0/{total}"
    assert out.count("✗") == total
    for key in named:
        assert t(f"mistake.{key}", "en") in out, key


def test_end_of_input_stops_cleanly(tmp_path):
    result = bptutor("solve", "xor", "--plain", stdin="0.5\n", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.rstrip().splitlines()[-1] == "Score: 1/28"


def test_words_hint_show_skip_quit(tmp_path):
    result = bptutor("solve", "xor", "--plain", stdin="hint\nhint\nshow\nskip\nquit\n0.5\n", home=tmp_path)
    out = result.stdout
    assert "u₁⁽¹⁾ = w₁₁⁽¹⁾·x₁ + w₁₂⁽¹⁾·x₂ + b₁⁽¹⁾" in out  # the general formula first
    assert "u₁⁽¹⁾ = 0.5·1 + 0.5·0 + 0" in out  # then with the numbers
    assert "The answer is 0.5." in out
    assert out.rstrip().splitlines()[-1] == "Score: 0/28"


def test_show_and_skip_print_the_worked_line(tmp_path):
    # xor: x = (1, 0), every weight 0.5, biases 0, so u₁⁽¹⁾ = u₂⁽¹⁾ = 0.5·1 + 0.5·0 + 0 = 0.5.
    result = bptutor("solve", "xor", "--plain", stdin="show\nskip\nquit\n", home=tmp_path)
    lines = result.stdout.splitlines()
    shown = lines.index("The answer is 0.5.")
    assert lines[shown + 1] == "With your numbers: u₁⁽¹⁾ = 0.5·1 + 0.5·0 + 0 = 0.5"
    skipped = lines.index("Skipped. The answer is 0.5; later steps use this exact value.")
    assert skipped > shown and lines[skipped + 1] == "With the exact values: u₂⁽¹⁾ = 0.5·1 + 0.5·0 + 0 = 0.5"


def test_strange_answers_are_read_back_and_cost_nothing(tmp_path):
    result = bptutor("solve", "xor", "--plain", stdin="__import__('os')\n[/b]\n０．５\n", home=tmp_path)
    out = result.stdout
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "I read this as: 0.5" in out  # full-width digits from a Japanese IME
    assert out.rstrip().splitlines()[-1] == "Score: 1/28"  # the unreadable ones cost no attempt


@pytest.mark.parametrize("word", ["help", "?", "HELP"])
def test_help_lists_the_command_words(word, tmp_path):
    from tutor.commands import COMMAND_WORDS

    result = bptutor("solve", "xor", "--plain", stdin=f"{word}\n", home=tmp_path)
    out = result.stdout
    assert t("plain.commands", "en") in out
    for command_word in COMMAND_WORDS:
        assert command_word in out
    for key in ("command.hint", "command.show", "command.skip", "command.back", "command.quit", "command.help"):
        assert t(key, "en") in out
    assert "Not marked" not in out and "Traceback" not in result.stderr  # not read as an answer
    assert out.rstrip().splitlines()[-1] == "Score: 0/28"


def test_a_finished_session_prints_its_summary_before_the_score(tmp_path):
    lines = answer_key("softmax_loss", tmp_path)
    result = bptutor("solve", "softmax_loss", "--plain", stdin=f"show\n{lines[1]}\n", home=tmp_path)
    tail = result.stdout.rstrip().splitlines()[-8:]
    assert tail == [
        "All steps done.",
        "Score: 1/2 right at the first try",
        "Right after a retry or a hint: 0",
        "Answers shown: 1",
        "Skipped: 0",
        "",
        "No typical mistake was named.",
        "Score: 1/2",
    ]


def _stored_answers(home) -> list[str]:
    import sqlite3

    with sqlite3.connect(home / "progress.sqlite3") as conn:
        return [a for (a,) in conn.execute("SELECT answer FROM attempts ORDER BY id")]


def test_a_line_that_is_not_utf8_is_unreadable_and_the_session_goes_on(tmp_path):
    env = dict(os.environ, BPTUTOR_HOME=str(tmp_path), BPTUTOR_LANG="en")
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "solve", "xor", "--plain"],
        input=b"0.5\n\xff\xfe\n0.5\n", capture_output=True, env=env, timeout=120,
    )
    out, err = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 0 and "Traceback" not in err
    assert "I could not read this line" in out
    assert out.splitlines()[-1] == "Score: 2/28"  # the line after it was read, and cost nothing


@pytest.mark.parametrize("length", [10_001, 20_000, 1_000_000])
def test_an_answer_over_10000_characters_is_refused_unread_and_not_stored_whole(length, tmp_path):
    done = bptutor("solve", "xor", "--plain", stdin="1" * length + "\n0.5\n", home=tmp_path)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"Your answer is {length:,} characters; answers are at most 10,000" in done.stdout
    assert done.stdout.splitlines()[-1] == "Score: 1/28"  # the refusal cost no attempt
    assert max(len(a) for a in _stored_answers(tmp_path)) <= 10_000
