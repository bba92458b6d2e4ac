"""The commands as a user runs them (CliRunner in process; subprocesses where exit codes matter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tutor.cli import app

from .conftest import BUILTIN_IDS

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "BPTUTOR_LANG": "en"})


def run_process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_LANG="en", COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=120)


def test_list_shows_every_builtin_problem():
    result = run("list")
    assert result.exit_code == 0
    for problem_id in BUILTIN_IDS:
        assert problem_id in result.output


def test_list_in_japanese_uses_japanese_titles():
    result = runner.invoke(app, ["list", "--lang", "ja"], env={"COLUMNS": "200"})
    assert "XOR で誤差逆伝播" in result.output


def test_show_draws_the_network_with_the_given_values():
    result = run("show", "xor")
    assert result.exit_code == 0
    assert "x₁ = 1" in result.output and "w₁₂⁽²⁾ = 0.5" in result.output
    assert "u₁⁽¹⁾ = ?" in result.output


def test_show_graph_lists_nodes():
    result = run("show", "apple")
    assert "apple·apple_num" in result.output and "apple_price = ?" in result.output


def test_json_answer_key_for_a_network():
    data = json.loads(run("solution", "pytorch_relu", "--format", "json").output)
    assert data["id"] == "pytorch_relu"
    assert {"name", "value", "formula", "substituted", "phase"} <= set(data["steps"][0])
    values = data["values"]
    assert set(values) >= {"u1", "h1", "u2", "h2", "E", "delta2", "delta1", "grad_W1", "grad_b1", "grad_W2",
                           "grad_b2", "W1_new", "b1_new", "W2_new", "b2_new"}
    assert values["grad_W1"][0][0] == pytest.approx(-8.25)
    # W1 new = 0.1 - 0.1 * (-8.25) with the file's learning rate 0.1
    assert values["W1_new"][0][0] == pytest.approx(0.1 + 0.1 * 8.25)


def test_json_answer_key_shapes_follow_the_lecture():
    values = json.loads(run("solution", "xor", "--format", "json").output)["values"]
    assert len(values["grad_W1"]) == 2 and len(values["grad_W1"][0]) == 2
    assert len(values["W2_new"]) == 1 and len(values["W2_new"][0]) == 2  # (n_2, n_1)


def test_json_answer_key_for_a_graph_names_every_gradient():
    values = json.loads(run("solution", "apple", "--format", "json").output)["values"]
    assert set(values) == {"apple_price", "price", "grad_apple", "grad_apple_num", "grad_tax", "grad_apple_price",
                           "grad_price"}


def test_markdown_has_math_for_each_step():
    out = run("solution", "xor", "--format", "md").output
    assert out.startswith("# Exercise 7.2")
    assert "- $u^{(1)}_{1} = w^{(1)}_{11} \\, x_{1} + w^{(1)}_{12} \\, x_{2} + b^{(1)}_{1}" in out
    assert out.count("\n- $") == 28


def test_latex_is_a_complete_document(tmp_path):
    target = tmp_path / "xor.tex"
    result = run("solution", "xor", "--format", "latex", "-o", str(target))
    assert result.exit_code == 0 and result.output == ""
    tex = target.read_text()
    assert tex.startswith("\\documentclass") and tex.rstrip().endswith("\\end{document}")
    assert tex.count("\\begin{align*}") == tex.count("\\end{align*}") == 5


def test_text_solution_to_a_file_has_no_escape_codes(tmp_path):
    target = tmp_path / "xor.txt"
    run("solution", "xor", "-o", str(target))
    text = target.read_text()
    assert "\x1b[" not in text and "0.6225" in text


def test_validate_reports_one_line_per_file(tmp_path):
    good = Path(__file__).parent.parent / "problems" / "xor.yaml"
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: broken\ntitle: x\nkind: network\nnetwork:\n  sizes: [1, 1]\n  activations: [sigmoid]\n"
                   "  loss: squared_error\n  weights: {W1: [[1, 2]]}\n  input: [1]\n  target: [1]\n")
    result = run_process("validate", str(good), str(bad))
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 2
    assert lines[0].endswith("xor.yaml: ok")
    assert lines[1].startswith(f"{bad}:8:") and "W1" in lines[1]
    assert len(lines) == 2
    # sigma'(h) is within 1% of sigma'(u) in XOR, but 4 figures tell them apart: nothing to warn about.
    assert "warning" not in result.stderr


def test_a_broken_problem_file_exits_2_with_one_line_and_no_traceback(tmp_path):
    bad = tmp_path / "dup.yaml"
    bad.write_text("id: dup\nid: dup\n")
    result = run_process("solution", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert f"{bad}:2:" in result.stderr


def test_an_unknown_problem_id_suggests_the_closest():
    result = run_process("show", "xr")
    assert result.returncode == 2 and "xor" in result.stderr and "Traceback" not in result.stderr


def test_numeric_overflow_is_reported_by_name(tmp_path):
    bad = tmp_path / "huge.yaml"
    bad.write_text("id: huge\ntitle: x\nkind: graph\ngraph:\n  inputs: {x: 1000}\n  nodes: {a: exp(x), y: a * a}\n"
                   "  output: y\n")
    result = run_process("solution", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "huge.yaml" in result.stderr and "a" in result.stderr


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("bptutor ")


def test_plain_solve_says_how_to_resume_and_resume_continues():
    def solve(*flags: str, answers: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, BPTUTOR_LANG="en")
        return subprocess.run([sys.executable, "-m", "tutor", "solve", "xor", "--plain", *flags], input=answers,
                              capture_output=True, text=True, env=env, timeout=120)

    first = solve(answers="0.5\n0.7\n")  # u₁⁽¹⁾ right, u₂⁽¹⁾ wrong, then end of input
    assert first.returncode == 0 and first.stderr == ""
    again = solve(answers="")
    assert "unfinished session of this problem (at step 2 of 28)" in again.stderr
    assert "bptutor solve xor --plain --resume" in again.stderr
    resumed = solve("--resume", answers="0.5\n")  # u₂⁽¹⁾ right at the second try: no first-try credit
    prompts = [line for line in resumed.stdout.splitlines() if line.startswith("[")]
    assert prompts[0] == "[2/28] Forward pass: u₂⁽¹⁾ = ?"
    assert resumed.stdout.splitlines()[-1] == "Score: 1/28"


@pytest.mark.parametrize("command", [["list"], ["solve", "xor", "--plain"], ["serve", "--port", "1"]])
def test_a_dir_that_is_missing_or_a_file_is_refused_with_one_line(tmp_path, command):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    for given, what in ((tmp_path / "missing", "does not exist"), (a_file, "is not a folder")):
        done = run_process(*command, "--dir", str(given))
        assert done.returncode == 2
        assert done.stderr == f"bptutor: --dir {given} {what}\n"
        assert done.stdout == ""
