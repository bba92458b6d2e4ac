"""Convolution problems (kind conv): the seminar's numbers, every value against NumPy written in
tests/conv_oracle.py and against central differences, teacher-written files, broken shapes, the
named mistakes, matrix or entry-by-entry answers and the picture."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import yaml

from tutor.check import check, describe
from tutor.engine import derive
from tutor.problem import load_problem_text
from tutor.problem.library import builtin_dir
from tutor.problem.variants import make_variant
from tutor.render.diagram import diagram
from tutor.steps import AnswerKind

from . import conv_oracle as oracle
from .conftest import solved

CONV_IDS = ["conv_seed", "conv_stride2", "conv_relu_maxpool"]


def section(problem_id: str) -> dict:
    return yaml.safe_load((builtin_dir() / f"{problem_id}.yaml").read_text(encoding="utf-8"))["conv"]


def values(problem_id: str) -> dict:
    return solved(problem_id)[1].values


# -- the seminar's numbers ----------------------------------------------------------------------


def test_the_seeds_convolution_has_minus_8_where_the_slide_prints_minus_14():
    assert values("conv_seed")["u"] == [[26, 6, -6], [0, -4, 8], [24, -8, -4]]


def test_the_seeds_convolution_with_stride_2():
    assert values("conv_stride2")["u"] == [[26, -6], [24, -4]]


def test_the_notes_say_the_slides_minus_14_is_a_misprint_and_work_the_entry_out_by_hand():
    notes = yaml.safe_load((builtin_dir() / "conv_seed.yaml").read_text(encoding="utf-8"))["notes"]
    assert "misprint" in notes["en"] and "誤植" in notes["ja"]
    for text in notes.values():
        assert "−14" in text and "2 − 6 − 4 = −8" in text
        assert "1·2 + 6·0 + 3·(−2) + 8·0 + 0·2 + 1·0 + 2·(−2) + 8·0 + 0·2" in text


# -- independent routes ------------------------------------------------------------------------


@pytest.mark.parametrize("problem_id", CONV_IDS)
def test_every_value_agrees_with_numpy_written_in_the_test(problem_id):
    spec, got = section(problem_id), values(problem_id)
    expected = {**oracle.forward(spec), **oracle.backward(spec)}
    if not spec.get("activation") or spec["activation"] == "identity":
        del expected["z"]  # no activation step: u is the output
    assert set(got) == set(expected)
    for name, value in expected.items():
        np.testing.assert_allclose(np.asarray(got[name], float), value, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("problem_id", CONV_IDS)
def test_every_gradient_agrees_with_central_differences_of_the_upstream_probe(problem_id):
    spec, got = section(problem_id), values(problem_id)
    z, h, b = (np.asarray(spec["input"], float), np.asarray(spec["filter"], float), float(spec.get("bias", 0)))
    by_z = oracle.central(lambda x: oracle.energy(spec, x, h, b), z)
    by_h = oracle.central(lambda w: oracle.energy(spec, z, w, b), h)
    by_b = oracle.central(lambda c: oracle.energy(spec, z, h, float(c)), np.array(b))
    np.testing.assert_allclose(got["grad_input"], by_z, atol=1e-6)
    np.testing.assert_allclose(got["grad_filter"], by_h, atol=1e-6)
    assert got["grad_bias"] == pytest.approx(float(by_b), abs=1e-6)


# -- teacher-written problems ---------------------------------------------------------------------

TEACHER = """\
id: {id}
title: A teacher's convolution
kind: conv
conv:
{body}
"""

ISSUE_FORMAT = """\
  input: [[1, 2, 0, 3], [4, 1, 1, 0], [2, 0, 5, 1], [1, 3, 2, 2]]
  filter: [[1, -1], [0, 2]]   # applied as the lecture writes it: no flip
  bias: 0.5
  stride: 1
  padding: 1
  activation: relu
  pool: {method: average, size: 2, stride: 2}
  upstream: [[1, -2], [0.5, 3]]
"""


def write(tmp_path, body: str, problem_id: str = "teacher_conv"):
    path = tmp_path / f"{problem_id}.yaml"
    path.write_text(TEACHER.format(id=problem_id, body=body), encoding="utf-8")
    return path


def cli(*args: str, home) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en")
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, env=env, timeout=120)


def test_a_teacher_written_problem_in_the_documented_format_gives_the_right_json_values(tmp_path):
    path = write(tmp_path, ISSUE_FORMAT)
    result = cli("solution", str(path), "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)["values"]
    spec = yaml.safe_load(ISSUE_FORMAT)
    expected = {**oracle.forward(spec), **oracle.backward(spec)}
    assert set(got) == {"u", "z", "pooled", "grad_pooled_input", "grad_u", "grad_filter", "grad_bias", "grad_input"}
    for name, value in expected.items():
        np.testing.assert_allclose(np.asarray(got[name], float), value, atol=1e-12, err_msg=name)
    assert np.shape(got["u"]) == (5, 5) and np.shape(got["pooled"]) == (2, 2)  # ⌊(4 − 2 + 2)/1⌋ + 1 = 5


@pytest.mark.parametrize(("body", "at", "words"), [
    ("  input: [[1, 2], [3, 4]]\n  filter: [[1, 0, 1], [0, 1, 0], [1, 0, 1]]\n  upstream: [[1]]\n",
     "filter", "does not fit"),
    ("  input: [[1, 2, 3], [3, 4, 5], [1, 1, 1]]\n  filter: [[1, 0], [0, 1, 2]]\n  upstream: [[1, 1], [1, 1]]\n",
     "filter", "must be square"),
    ("  input: [[1, 2, 3], [3, 4, 5], [1, 1, 1]]\n  filter: [[1, 0], [0, 1]]\n  upstream: [[1, 1, 1]]\n",
     "upstream", "must be 2×2"),
    ("  input: [[1, 2, 3], [3, 4, 5], [1, 1, 1]]\n  filter: [[1, 0], [0, 1]]\n  activation: softmax\n"
     "  upstream: [[1, 1], [1, 1]]\n", "activation", "elementwise"),
    ("  input: [[1, 2, 3], [3, 4, 5], [1, 1, 1]]\n  filter: [[1, 0], [0, 1]]\n  pool: {method: max, size: 3}\n"
     "  upstream: [[1]]\n", "pool", "does not fit"),
])
def test_broken_shapes_give_one_located_line_and_exit_2(tmp_path, body, at, words):
    path = write(tmp_path, body)
    result = cli("validate", str(path), home=tmp_path)
    assert result.returncode == 2
    lines = result.stdout.strip().splitlines()  # validate reports on stdout
    assert len(lines) == 1 and lines[0].startswith(f"{path}:"), result.stdout
    assert f": conv.{at}" in lines[0] and words in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


# -- named mistakes ---------------------------------------------------------------------------------

ASYMMETRIC = """\
  input: [[1, 2, 0, 3], [4, 1, 1, 0], [2, 0, 5, 1], [1, 3, 2, 2]]
  filter: [[1, -1, 0], [2, 0, 1], [0, 0, 3]]
  upstream: [[1, -2], [2, 1]]
  granularity: matrix
"""


def asymmetric():
    problem = load_problem_text(TEACHER.format(id="asym", body=ASYMMETRIC))
    return yaml.safe_load(ASYMMETRIC), derive(problem)


def typed(matrix) -> str:
    return "; ".join(", ".join(repr(float(v)) for v in row) for row in np.asarray(matrix))


def test_the_filter_flipped_is_named_and_never_accepted():
    spec, solution = asymmetric()
    env = solution.exact_env()
    flipped = oracle.conv(spec["input"], np.asarray(spec["filter"])[::-1, ::-1])
    verdict = check(typed(flipped), solution.step("u"), env, exact_env=env)
    assert not verdict.correct and verdict.mistake == "conv_filter_flipped"
    assert "true convolution" in describe(verdict, "en") and "反転" in describe(verdict, "ja")


def test_a_filter_gradient_of_one_position_only_is_named():
    spec, solution = asymmetric()
    env = solution.exact_env()
    z, delta = np.asarray(spec["input"], float), np.asarray(spec["upstream"], float)
    first_position_only = delta[0, 0] * z[0:3, 0:3]
    verdict = check(typed(first_position_only), solution.step("grad_h"), env, exact_env=env)
    assert not verdict.correct and verdict.mistake == "conv_filter_grad_not_summed"
    assert "one output position" in describe(verdict, "en")


def test_solve_plain_names_the_flipped_filter_and_scores_the_answer_key(tmp_path):
    spec, solution = asymmetric()
    path = write(tmp_path, ASYMMETRIC, "asym")
    flipped = oracle.conv(spec["input"], np.asarray(spec["filter"])[::-1, ::-1])
    key = [typed(np.reshape(step.value, step.shape)) if step.shape else repr(step.value) for step in solution.steps]
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "solve", str(path), "--plain"], capture_output=True, text=True, timeout=120,
        input="\n".join([key[0], typed(flipped), *key[1:]]) + "\n",
        env=dict(os.environ, BPTUTOR_HOME=str(tmp_path), BPTUTOR_LANG="en"))
    assert result.returncode == 0, result.stderr
    assert "true convolution" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == f"Score: {len(key) - 1}/{len(key)}"


# -- matrix or entry by entry -----------------------------------------------------------------------


def test_a_3x3_map_is_one_matrix_answer_and_a_2x2_map_goes_entry_by_entry():
    _, seed = solved("conv_seed")
    assert seed.step("u").answer is AnswerKind.MATRIX and seed.step("u").shape == (3, 3)
    _, stride2 = solved("conv_stride2")
    assert [s.name for s in stride2.steps if s.name.startswith("u_")] == ["u_1_1", "u_1_2", "u_2_1", "u_2_2"]


@pytest.mark.parametrize(("granularity", "matrix"), [("entry", False), ("matrix", True)])
def test_the_problem_may_choose_how_maps_are_asked(granularity, matrix):
    body = ASYMMETRIC.replace("granularity: matrix", f"granularity: {granularity}")
    solution = derive(load_problem_text(TEACHER.format(id="asym", body=body)))
    names = {s.name for s in solution.steps}
    assert ("grad_z" in names) is matrix and ("grad_z_4_4" in names) is not matrix


def test_the_size_of_the_output_is_a_step_of_its_own():
    _, solution = solved("conv_stride2")
    size = solution.step("size")
    assert size.value == 2  # ⌊(5 − 3 + 0)/2⌋ + 1


# -- variants and picture ---------------------------------------------------------------------------


def test_random_variants_use_small_whole_numbers():
    problem, _ = solved("conv_relu_maxpool")
    for seed in range(5):
        spec = make_variant(problem, seed).conv
        entries = [v for row in spec.input for v in row] + [v for row in spec.filter for v in row]
        assert all(float(v).is_integer() and -2 <= v <= 9 for v in entries)


def test_the_picture_marks_the_window_of_the_next_output_entry():
    problem, solution = solved("conv_stride2")
    first = diagram(problem, solution, {}, "en")
    assert "[z₁₁ = 5]" in first and "[z₃₃ = 6]" in first and "[z₁₄" not in first
    after = diagram(problem, solution, {"u_1_1": 26.0}, "en")
    assert "[z₁₃ = 0]" in after and "[z₃₅ = 5]" in after and "[z₁₁" not in after
    assert "u₁₁ = 26" in after and "u₁₂ = ?" in after


def test_random_variants_keep_relu_inputs_off_the_kink():
    problem, _ = solved("conv_relu_maxpool")
    for seed in range(20):
        u = derive(make_variant(problem, seed)).values["u"]
        assert all(v != 0 for row in u for v in row) and any(v > 0 for row in u for v in row)


# -- several channels -------------------------------------------------------------------------------

TWO_CHANNELS = """\
  input: [[[1, 2, 0], [0, 1, 3], [2, 1, 1]], [[0, 1, 1], [2, 0, 1], [1, 1, 0]]]
  filter: [[[1, -1], [0, 2]], [[2, 0], [-1, 1]]]
  bias: 0.5
  activation: relu
  upstream: [[1, -1], [2, 0.5]]
"""


def test_channels_are_summed_and_every_value_agrees_with_numpy_and_central_differences(tmp_path):
    path = write(tmp_path, TWO_CHANNELS, "two_channels")
    result = cli("solution", str(path), "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    got, spec = json.loads(result.stdout)["values"], yaml.safe_load(TWO_CHANNELS)
    expected = {**oracle.forward(spec), **oracle.backward(spec)}
    for name, value in expected.items():
        np.testing.assert_allclose(np.asarray(got[name], float), value, atol=1e-12, err_msg=name)
    assert np.shape(got["grad_filter"]) == (2, 2, 2) and np.shape(got["grad_input"]) == (2, 3, 3)
    z, h = np.asarray(spec["input"], float), np.asarray(spec["filter"], float)
    np.testing.assert_allclose(got["grad_input"], oracle.central(lambda x: oracle.energy(spec, x, h, 0.5), z), atol=1e-6)
    np.testing.assert_allclose(got["grad_filter"], oracle.central(lambda w: oracle.energy(spec, z, w, 0.5), h), atol=1e-6)


def test_a_filter_without_one_grid_per_channel_is_refused_at_its_line(tmp_path):
    body = TWO_CHANNELS.replace("filter: [[[1, -1], [0, 2]], [[2, 0], [-1, 1]]]", "filter: [[1, -1], [0, 2]]")
    path = write(tmp_path, body, "one_filter")
    result = cli("validate", str(path), home=tmp_path)
    assert result.returncode == 2
    [line] = result.stdout.strip().splitlines()
    assert line.startswith(f"{path}:6:") and "one H×H grid per channel of the input (2 channels), got 1" in line


def test_the_answer_key_of_a_two_channel_problem_scores_full_marks(tmp_path):
    path = write(tmp_path, TWO_CHANNELS, "two_channels")
    key = json.loads(cli("solution", str(path), "--format", "json", home=tmp_path).stdout)["steps"]
    lines = [", ".join(map(repr, s["value"])) if isinstance(s["value"], list) else repr(s["value"]) for s in key]
    result = subprocess.run([sys.executable, "-m", "tutor", "solve", str(path), "--plain"], input="\n".join(lines) + "\n",
                            capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, BPTUTOR_HOME=str(tmp_path), BPTUTOR_LANG="en"))
    assert result.stdout.rstrip().splitlines()[-1] == f"Score: {len(lines)}/{len(lines)}"
