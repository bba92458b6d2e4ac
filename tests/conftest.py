"""Shared fixtures: built-in problems and their derivations, and a private progress home."""

from __future__ import annotations

import functools

import pytest

from tutor.engine import derive
from tutor.problem import load_problem
from tutor.problem.library import builtin_dir, problem_files

BUILTIN_IDS = sorted(p.stem for p in problem_files(builtin_dir()))
# The problems that must ship, written out independently of the folder's contents.
REQUIRED_IDS = {
    "chain_log_cos",
    "chain_square",
    "apple",
    "apple_orange",
    "sigmoid_graph",
    "pytorch_relu",
    "ex71_relu",
    "xor",
    "softmax_scores",
    "softmax_loss",
}
MORE_IDS = {"affine_batch", "adam_step", "bce_sigmoid", "tanh_hidden", "softmax_3layer"}
REQUIRED_IDS |= MORE_IDS
REQUIRED_IDS |= {"batchnorm_n3", "rnn_three_steps"}  # the course's second half
CONV_IDS = {"conv_seed", "conv_stride2", "pool_max", "pool_average", "conv_relu_maxpool"}
REQUIRED_IDS |= CONV_IDS


# Problems and solutions are frozen, so each built-in problem is loaded and derived once per
# test process rather than once per test.
@functools.cache
def builtin(problem_id: str):
    return load_problem(builtin_dir() / f"{problem_id}.yaml")


@functools.cache
def solved(problem_id: str):
    problem = builtin(problem_id)
    return problem, derive(problem)


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """No test reads or writes the real user's progress database."""
    monkeypatch.setenv("BPTUTOR_HOME", str(tmp_path / "home"))
