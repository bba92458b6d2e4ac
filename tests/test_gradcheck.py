"""The gradient check: backprop beside central finite differences, on every built-in problem, on
random networks, and on a gradient made wrong on purpose."""

from __future__ import annotations

import dataclasses
import random

import pytest
import yaml

from tutor.engine import derive
from tutor.gradcheck import gradient_check
from tutor.problem import load_problem_text

from .conftest import BUILTIN_IDS, solved
from .test_cli import run, run_process
from .test_oracles import random_network


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_every_builtin_problem_passes(problem_id):
    problem, solution = solved(problem_id)
    checks = gradient_check(problem, solution)
    assert all(check.ok for check in checks), [c for c in checks if not c.ok]


def test_what_is_checked():
    assert [c.name for c in gradient_check(*solved("xor"))] == [
        "W1_1_1", "W1_1_2", "W1_2_1", "W1_2_2", "b1_1", "b1_2", "W2_1_1", "W2_1_2", "b2_1",
    ]
    assert [c.name for c in gradient_check(*solved("apple"))] == ["apple", "apple_num", "tax"]
    assert gradient_check(*solved("softmax_scores")) == []  # no loss: nothing to differentiate


def test_the_books_apple_numbers_come_out_of_the_finite_difference():
    numeric = {c.name: c.numeric for c in gradient_check(*solved("apple"))}
    assert numeric == pytest.approx({"apple": 2.2, "apple_num": 110.0, "tax": 200.0}, rel=1e-8)


def test_a_wrong_gradient_fails():
    problem, solution = solved("xor")
    steps = tuple(
        dataclasses.replace(step, value=step.value * 1.1) if step.name == "grad_W2_1_1" else step
        for step in solution.steps
    )
    checks = {c.name: c for c in gradient_check(problem, dataclasses.replace(solution, steps=steps))}
    assert not checks["W2_1_1"].ok and checks["W2_1_1"].relative == pytest.approx(0.1 / 1.1, rel=1e-4)
    assert all(c.ok for name, c in checks.items() if name != "W2_1_1")


def _near_a_relu_kink(solution) -> bool:
    """A ReLU input within 1e-3 of 0: the gradient is not defined there, so no check applies."""
    return any(step.name.startswith("u") and abs(step.value) < 1e-3 for step in solution.steps
               if isinstance(step.value, float))


def test_random_networks_agree_with_finite_differences():
    rng = random.Random(20261123)
    checked = 0
    while checked < 60:
        problem = load_problem_text(yaml.safe_dump(random_network(rng)), "random_net.yaml")
        solution = derive(problem)
        if _near_a_relu_kink(solution):
            continue
        checks = gradient_check(problem, solution)
        assert checks and all(c.ok for c in checks), (problem.network, [c for c in checks if not c.ok])
        checked += 1


def test_eps_must_be_positive():
    with pytest.raises(ValueError):
        gradient_check(*solved("xor"), eps=0.0)


def test_cli_passes_and_shows_the_lectures_notation():
    result = run("gradcheck", "xor")
    assert result.exit_code == 0
    assert "∂E/∂w₁₁⁽²⁾" in result.output and "-0.0494" in result.output
    assert result.output.strip().splitlines()[-1].startswith("PASS: all 9 gradients agree")


def test_cli_on_a_problem_with_nothing_to_check():
    result = run("gradcheck", "softmax_scores")
    assert result.exit_code == 0 and "nothing to check" in result.output


def test_cli_refuses_a_bad_eps_without_a_traceback():
    result = run_process("gradcheck", "xor", "--eps", "-1")
    assert result.returncode == 2 and "Traceback" not in result.stderr and "--eps" in result.stderr
