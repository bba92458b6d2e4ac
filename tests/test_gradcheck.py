"""The gradient check: backprop beside central finite differences, on every built-in problem, on
random networks, and on a gradient made wrong on purpose."""

from __future__ import annotations

import dataclasses
import random

import pytest
import yaml

from tutor.engine import derive
from tutor.gradcheck import Verdict, gradient_check
from tutor.problem import load_problem_text
from tutor.problem.variants import make_variant

from .conftest import BUILTIN_IDS, builtin, solved
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


def _relu_at_the_kink(rng: random.Random) -> dict:
    """A random 2-2-1 net whose first hidden unit sits exactly at u = 0: w·x + b = 0 by construction
    (quarters and halves are exact in binary, so the sum is exactly 0)."""
    x = [rng.choice([-1.0, -0.5, 0.5, 1.0]) for _ in range(2)]
    w = [rng.choice([-1.0, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1.0]) for _ in range(2)]
    bias = -(w[0] * x[0] + w[1] * x[1])
    return {
        "id": "kink_net", "title": "kink", "kind": "network",
        "network": {
            "sizes": [2, 2, 1], "activations": ["relu", rng.choice(["identity", "sigmoid"])],
            "loss": "squared_error",
            "weights": {"W1": [w, [round(rng.uniform(-1, 1), 1) for _ in range(2)]], "b1": [bias, 0.3],
                        "W2": [[round(rng.uniform(-1, 1), 1) or 0.4, round(rng.uniform(-1, 1), 1)]]},
            "input": x, "target": [round(rng.uniform(-1, 1), 1)],
        },
    }


def test_relu_units_exactly_at_the_kink_pass_as_kinks_and_a_wrong_gradient_still_fails():
    rng = random.Random(7)
    kinks = 0
    for _ in range(200):
        problem = load_problem_text(yaml.safe_dump(_relu_at_the_kink(rng)), "kink_net.yaml")
        solution = derive(problem)
        assert solution.exact_env()["u1_1"] == 0.0
        checks = {c.name: c for c in gradient_check(problem, solution)}
        assert all(c.ok for c in checks.values()), [c for c in checks.values() if not c.ok]
        # ReLU'(0) = 0: nothing reaches W1's first row, although the right-hand slope is not 0.
        assert checks["W1_1_1"].backprop == 0.0
        kinks += sum(c.verdict is Verdict.KINK for c in checks.values())
        wrong = tuple(dataclasses.replace(s, value=s.value * 1.1 + 1e-3) if s.name == "grad_W2_1_2" else s
                      for s in solution.steps)
        bad = {c.name: c for c in gradient_check(problem, dataclasses.replace(solution, steps=wrong))}
        assert bad["W2_1_2"].verdict is Verdict.DISAGREE
    assert kinks >= 200  # every net has at least its b1_1 at the kink (unless its slope above is 0)


def test_a_step_that_leaves_the_domain_is_retried_smaller():
    problem = load_problem_text("id: edge\ntitle: e\nkind: graph\ngraph:\n  inputs: {x: 5.0e-5}\n"
                                "  nodes: {z: log(x)}\n  output: z\n", "edge.yaml")
    (check,) = gradient_check(problem, derive(problem))
    assert check.verdict is Verdict.AGREE and check.eps < 5e-5
    assert check.backprop == pytest.approx(1 / 5e-5, rel=1e-12)


def test_cli_checks_a_chosen_variant_and_says_its_seed():
    result = run_process("gradcheck", "xor", "--seed", "7")
    assert result.returncode == 0, result.stderr
    assert "seed 7" in result.stderr and "--seed 7" in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("PASS")
    # A different network from the one in the file: xor's own ∂E/∂w₁₁⁽²⁾ is -0.0494.
    assert "-0.0494" not in result.stdout


def test_cli_checks_a_random_variant_and_says_which():
    result = run_process("gradcheck", "xor", "--random")
    assert result.returncode == 0, result.stderr
    assert "random variant, seed " in result.stderr
    seed = result.stderr.split("random variant, seed ", 1)[1].split()[0]
    assert seed.isdigit()  # the seed to have the same variant again


NETWORK_IDS = [pid for pid in BUILTIN_IDS if builtin(pid).kind == "network"]


@pytest.mark.parametrize("problem_id", NETWORK_IDS)
def test_random_variants_pass_the_gradient_check(problem_id):
    # Seeds spread over the range "--random" draws from, not only the small ones.
    seeds = random.Random(problem_id).sample(range(10_000), 50)
    problem = builtin(problem_id)
    for seed in seeds:
        variant = make_variant(problem, seed)
        checks = gradient_check(variant, derive(variant))
        assert checks and all(c.ok for c in checks), (seed, [c for c in checks if not c.ok])
