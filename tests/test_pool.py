"""Pooling problems (kind pool): the seminar's 4×4 block, every value against NumPy written in
tests/conv_oracle.py and central differences, the arg-max tie rule, the named mistakes, broken shapes."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
import yaml

from tutor.check import check, describe
from tutor.engine import derive
from tutor.i18n import t
from tutor.problem import load_problem_text
from tutor.problem.library import builtin_dir

from . import conv_oracle as oracle
from .conftest import solved

POOL_IDS = ["pool_max", "pool_average"]


def section(problem_id: str) -> dict:
    return yaml.safe_load((builtin_dir() / f"{problem_id}.yaml").read_text(encoding="utf-8"))["pool"]


def test_max_pooling_of_the_seeds_block():
    assert solved("pool_max")[1].values["pooled"] == [[6, 7], [8, 6]]


def test_average_pooling_of_the_seeds_block():
    assert solved("pool_average")[1].values["pooled"] == [[3.25, 2.25], [3.5, 2.5]]


def test_max_pooling_sends_each_delta_to_its_regions_maximum_only():
    assert solved("pool_max")[1].values["grad_pooled_input"] == [
        [0, 0, 0, 0], [0, 1, 0, -2], [0, 0, 0.5, 0], [0, 3, 0, 0]]


@pytest.mark.parametrize("problem_id", POOL_IDS)
def test_every_value_agrees_with_numpy_written_in_the_test(problem_id):
    spec, got = section(problem_id), solved(problem_id)[1].values
    expected = {**oracle.forward(spec), **oracle.backward(spec)}
    assert set(got) == set(expected) == {"pooled", "grad_pooled_input"}
    for name, value in expected.items():
        np.testing.assert_allclose(np.asarray(got[name], float), value, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("problem_id", POOL_IDS)
def test_the_input_gradient_agrees_with_central_differences(problem_id):
    spec, got = section(problem_id), solved(problem_id)[1].values
    numeric = oracle.central(lambda z: oracle.energy(spec, z), np.asarray(spec["input"], float))
    np.testing.assert_allclose(got["grad_pooled_input"], numeric, atol=1e-6)


POOL = """\
id: {id}
title: Pooling
kind: pool
pool:
{body}
"""


def solution_of(body: str, problem_id: str = "teacher_pool"):
    return derive(load_problem_text(POOL.format(id=problem_id, body=body)))


def test_a_tie_goes_to_the_first_maximum_in_row_order_and_the_rule_says_so():
    solution = solution_of("  input: [[1, 4], [4, 2]]\n  pool: {method: max, size: 2}\n  upstream: [[5]]\n"
                           "  granularity: entry\n")
    assert solution.values["grad_pooled_input"] == [[0, 5], [0, 0]]
    rule = solution.step("grad_z_1_2").rule
    assert "first maximum in row order" in t(f"rule.{rule}", "en")
    assert "行の順で最初" in t(f"rule.{rule}", "ja")


def test_overlapping_regions_add_up_their_deltas():
    solution = solution_of("  input: [[1, 2, 1], [0, 9, 0], [1, 2, 1]]\n  pool: {method: max, size: 2, stride: 1}\n"
                           "  upstream: [[1, 2], [3, 4]]\n")
    assert solution.values["pooled"] == [[9, 9], [9, 9]]
    assert solution.values["grad_pooled_input"][1][1] == 10


BLOCK = "  input: [[5, 1, 0, 1], [1, 6, 1, 7], [4, 1, 6, 3], [1, 8, 0, 1]]\n  upstream: [[1, -2], [3, 0.5]]\n"


def spread(upstream, divide: bool) -> np.ndarray:
    """Each region's δ given to all four of its inputs, divided by 4 or not."""
    up = np.asarray(upstream, float) / (4 if divide else 1)
    return np.kron(up, np.ones((2, 2)))


def typed(matrix) -> str:
    return "; ".join(", ".join(repr(float(v)) for v in row) for row in np.asarray(matrix))


@pytest.mark.parametrize(("method", "divide", "key", "words"), [
    ("max", False, "conv_maxpool_to_every_input", "only to the input that was the maximum"),
    ("max", True, "conv_maxpool_averaged", "as average pooling would"),
    ("average", False, "conv_avgpool_not_divided", "divides by H²"),
])
def test_the_pooling_deltas_named_mistakes_are_named_and_never_accepted(method, divide, key, words):
    solution = solution_of(BLOCK + f"  pool: {{method: {method}, size: 2}}\n")
    env = solution.exact_env()
    verdict = check(typed(spread([[1, -2], [3, 0.5]], divide)), solution.step("grad_z"), env, exact_env=env)
    assert not verdict.correct and verdict.mistake == key
    assert words in describe(verdict, "en")


def test_a_wrong_upstream_shape_gives_one_located_line_and_exit_2(tmp_path):
    path = tmp_path / "bad_pool.yaml"
    path.write_text(POOL.format(id="bad_pool", body="  input: [[1, 2], [3, 4]]\n  pool: {method: max, size: 2}\n"
                                                      "  upstream: [[1, 2]]\n"), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tutor", "validate", str(path)], capture_output=True, text=True,
                            timeout=120, env=dict(os.environ, BPTUTOR_HOME=str(tmp_path), BPTUTOR_LANG="en"))
    assert result.returncode == 2
    [line] = result.stdout.strip().splitlines()
    assert line.startswith(f"{path}:7:")  # the upstream line
    assert line.endswith(": pool.upstream: upstream must be 1×1, the shape of the pooled output, got 1×2")
