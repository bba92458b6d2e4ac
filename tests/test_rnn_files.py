"""An RNN problem through the commands: a teacher's file in the documented format gives its JSON
values, broken shapes give one located line and exit 2, every format and language renders, the
unrolled picture fills in, and gradcheck passes on the built-in and its random variants."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tutor import formula
from tutor.cli import app
from tutor.render.diagram import diagram

from .conftest import solved
from .test_rnn import ISSUE_FORMAT, arrays, assert_values, numpy_bptt

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200", "BPTUTOR_LANG": "en"})


def bptutor(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_LANG="en", COLUMNS="200", PYTHONPATH=os.getcwd())
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_a_teacher_s_file_in_the_documented_format_gives_the_json_values(tmp_path):
    path = tmp_path / "rnn_teacher.yaml"
    path.write_text(ISSUE_FORMAT, encoding="utf-8")
    result = run("solution", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["kind"] == "rnn"
    values = document["values"]
    keys = ["u", "z", "v", "y", "E_t", "E", "delta_out", "delta", "grad_W_in", "grad_W", "grad_W_out", "grad_b",
            "grad_b_out", "W_in_new", "W_new", "W_out_new", "b_new", "b_out_new"]
    assert list(values) == keys
    section = {"sizes": [1, 2, 1], "activation": "tanh", "output_activation": "identity", "loss": "squared_error",
               "W_in": [[0.5], [-0.3]], "W": [[0.1, 0.2], [-0.4, 0.3]], "W_out": [[0.7, -0.6]],
               "inputs": [[1.0], [0.5], [-1.0]], "targets": [[0.5], [0.2], [-0.3]]}
    p = arrays(section)
    expected = numpy_bptt(section, p)
    assert_values(values, expected)
    assert_values(values, {"W_new": p["W"] - 0.1 * expected["grad_W"], "b_out_new": -0.1 * expected["grad_b_out"]})
    assert np.shape(values["delta"]) == (3, 2) and np.shape(values["grad_W_out"]) == (1, 2)


GOOD = ISSUE_FORMAT.strip().splitlines()
BROKEN = [
    ("  W: [[0.1, 0.2], [-0.4, 0.3]]", "  W: [[0.1, 0.2], [-0.4, 0.3], [1, 1]]", "W must be 2x2", "W"),
    ("  W_in: [[0.5], [-0.3]]", "  W_in: [[0.5, 1], [-0.3, 1]]", "W_in must be 2x1", "W_in"),
    ("  W_out: [[0.7, -0.6]]", "  W_out: [[0.7]]", "W_out must be 1x2", "W_out"),
    ("  h0: [0, 0]", "  h0: [0, 0, 0]", "h0 must have 2 entries", "h0"),
    ("  b: [0, 0]", "  b: [0]", "b must have 2 entries", "b"),
    ("  targets: [[0.5], [0.2], [-0.3]]", "  targets: [[0.5], [0.2]]", "one row per time step", "targets"),
    ("  targets: [[0.5], [0.2], [-0.3]]", "  targets: [[0.5], [0.2, 1], [-0.3]]", "needs 1 entry, got 2", "targets"),
    ("  inputs: [[1.0], [0.5], [-1.0]]", "  inputs: [[1], [1], [1], [1], [1]]", "1 to 4 rows", "inputs"),
    ("  sizes: [1, 2, 1]", "  sizes: [1, 2]", "3 numbers", "sizes"),
    ("  sizes: [1, 2, 1]", "  sizes: [1, 60, 1]", "a problem may ask for at most 1,000", "sizes"),
    ("  activation: tanh", "  activation: softmax", "only as the output_activation", "activation"),
    ("  loss: squared_error", "  loss: cross_entropy", "needs a softmax output", "loss"),
]


@pytest.mark.parametrize(("old", "new", "message", "key"), BROKEN, ids=[b[3] + ":" + b[2] for b in BROKEN])
def test_a_broken_shape_gives_one_located_line_and_exit_2(tmp_path, old, new, message, key):
    lines = [new if line == old else line for line in GOOD]
    assert lines != GOOD
    path = tmp_path / "rnn_teacher.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = bptutor("validate", str(path))
    assert result.returncode == 2
    said = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(said) == 1 and "Traceback" not in result.stderr, said
    line_number = next(n for n, line in enumerate(lines, 1) if line.startswith(f"  {key}:"))
    assert said[0].startswith(f"{path}:{line_number}:") and f"rnn.{key}" in said[0] and message in said[0]


@pytest.mark.parametrize("fmt", ["text", "md", "latex", "json"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_solution_renders_in_every_format_and_language(fmt, lang):
    result = run("solution", "rnn_three_steps", "--format", fmt, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert "0.1311" in result.output  # E
    if fmt == "latex":
        assert r"\delta^{\mathrm{out},(3)}_{1}" in result.output and r"w^{\mathrm{in}}_{11}" in result.output


def test_the_unrolled_picture_names_every_step_and_fills_in_what_is_known():
    problem, solution = solved("rnn_three_steps")
    empty = diagram(problem, solution, {}, "en")
    lines = empty.splitlines()
    assert lines[0].split() == ["t", "=", "0", "t", "=", "1", "t", "=", "2", "t", "=", "3"]
    z_row = next(line for line in lines if line.startswith("z₁⁽⁰⁾ = 0"))
    assert z_row.count("→") == 3 and z_row.index("z₁⁽¹⁾") < z_row.index("z₁⁽²⁾") < z_row.index("z₁⁽³⁾")
    assert all(f"{formula.text(step.symbol, solution.symbols)} = " in empty for step in solution.steps)
    full = diagram(problem, solution, {step.name: step.value for step in solution.steps}, "ja")
    assert "?" not in full and "?" in empty
    assert "δ₁ᵒᵘᵗ⁽³⁾ = -0.4702" in full and "∂E/∂w₁₂ = 0.04178" in full
    assert max(len(line) for line in empty.splitlines()[:16]) <= 80


def test_show_prints_the_picture_unfilled():
    result = run("show", "rnn_three_steps")
    assert result.exit_code == 0, result.output
    assert "z₁⁽⁰⁾ = 0 → z₁⁽¹⁾ = ?" in result.output


def test_gradcheck_passes_on_the_built_in_and_on_fifty_random_variants():
    for args in [()] + [("--seed", str(seed)) for seed in range(50)]:
        result = run("gradcheck", "rnn_three_steps", *args)
        assert result.exit_code == 0, (args, result.output)
        assert "PASS: all 11 gradients agree" in result.output


def test_a_random_variant_is_solved_with_new_numbers():
    first, second = (json.loads(bptutor("solution", "rnn_three_steps", "--seed", seed, "--format", "json").stdout)
                     for seed in ("1", "2"))
    assert first["given"] != second["given"] and first["values"]["E"] != second["values"]["E"]


def test_the_built_in_problem_file_validates_without_warnings():
    result = bptutor("validate", str(Path("problems/rnn_three_steps.yaml")))
    assert result.returncode == 0 and result.stdout.strip().endswith("ok")
    assert "warning" not in result.stderr


def test_a_random_variant_solved_in_plain_mode_with_its_own_key_scores_full_marks(tmp_path):
    key = json.loads(bptutor("solution", "rnn_three_steps", "--seed", "7", "--format", "json").stdout)
    answers = "\n".join(repr(step["value"]) for step in key["steps"]) + "\n"
    env = dict(os.environ, BPTUTOR_LANG="en", BPTUTOR_HOME=str(tmp_path), PYTHONPATH=os.getcwd())
    result = subprocess.run([sys.executable, "-m", "tutor", "solve", "rnn_three_steps", "--plain", "--seed", "7"],
                            input=answers, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    total = len(key["steps"])
    assert result.stdout.rstrip().splitlines()[-1] == f"Score: {total}/{total}"


def test_the_latex_never_puts_a_power_on_a_symbol_that_already_has_a_superscript():
    # z^{(3)}_{1}^{2} stops TeX with "Double superscript"; (z^{(3)}_{1})^{2} is the square of z₁⁽³⁾.
    result = run("solution", "rnn_three_steps", "--format", "latex")
    assert result.exit_code == 0, result.output
    assert r"\left(1 - \left(z^{(3)}_{1}\right)^{2}\right)" in result.output
    assert not re.search(r"\^\{[^{}]*\}_\{[^{}]*\}\^", result.output)
