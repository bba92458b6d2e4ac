"""Batch normalisation (kind batchnorm): every value of the built-in problem and of a teacher's file
in the documented format agrees with three routes written here, apart from the engine: NumPy with
the compact textbook formula for ∂E/∂u, SymPy differentiating the whole probe E, and central finite
differences; broken sections give one located line and exit 2."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from tutor.engine import derive
from tutor.gradcheck import Verdict, gradient_check
from tutor.problem import load_problem, load_problem_text
from tutor.problem.variants import make_variant

from .conftest import builtin, solved

PROBLEM_ID = "batchnorm_n3"
VALUE_KEYS = {"mu", "var", "u_hat", "y", "grad_gamma", "grad_beta", "grad_u_hat", "grad_var", "grad_mu", "grad_u"}
TEACHER = """\
id: bn_teacher
title: A teacher's batch
kind: batchnorm
batchnorm:
  u: [1.0, 2.0, 6.0]
  gamma: 2.0
  beta: 0.5
  epsilon: 1.0e-5           # optional
  upstream: [0.1, -0.2, 0.3]   # ∂E/∂f_BN(u) for each sample
"""


# ---------------------------------------------------------------- the independent routes


def numpy_route(u, gamma, beta, eps, upstream) -> dict:
    """The forward pass, and ∂E/∂u by the compact formula γ/(N s) (N g − Σg − û Σ g û), s = √(σ² + ε)."""
    u, g = np.asarray(u, float), np.asarray(upstream, float)
    n = u.size
    mu = u.mean()
    var = np.var(u)  # ddof 0: the mean of squares
    s = np.sqrt(var + eps)
    u_hat = (u - mu) / s
    return {
        "mu": mu, "var": var, "u_hat": u_hat, "y": gamma * u_hat + beta,
        "grad_gamma": float(g @ u_hat), "grad_beta": float(g.sum()), "grad_u_hat": g * gamma,
        "grad_u": gamma / (n * s) * (n * g - g.sum() - u_hat * (g @ u_hat)),
    }


def sympy_route(u, gamma, beta, eps, upstream) -> dict:
    """SymPy differentiates E = Σ gₙ (γ (uₙ − μ)/√(σ² + ε) + β): by σ² and μ as the lecture's graph
    nodes (∂E/∂μ includes the path through σ²), and by γ, β and each uₙ with μ and σ² written in u."""
    n = len(u)
    us = sp.symbols(f"u1:{n + 1}")
    c, b, m, v = sp.symbols("gamma beta m v")
    e = sp.Float(eps, 30)

    def probe(mu, var):
        return sum(sp.Float(gn) * (c * (un - mu) / sp.sqrt(var + e) + b) for gn, un in zip(upstream, us))

    mean = sum(us) / n
    variance_of = lambda mu: sum((un - mu) ** 2 for un in us) / n
    at = {**{un: sp.Float(x, 30) for un, x in zip(us, u)}, c: sp.Float(gamma), b: sp.Float(beta)}
    mu_value, var_value = mean.subs(at), variance_of(mean).subs(at)
    full = probe(mean, variance_of(mean))
    nodes = {m: mu_value, v: var_value, **at}
    return {
        "grad_var": float(sp.diff(probe(m, v), v).subs(nodes)),
        "grad_mu": float(sp.diff(probe(m, variance_of(m)), m).subs(nodes)),
        "grad_gamma": float(sp.diff(full, c).subs(at)),
        "grad_beta": float(sp.diff(full, b).subs(at)),
        "grad_u": [float(sp.diff(full, un).subs(at)) for un in us],
    }


def finite_differences(u, gamma, beta, eps, upstream, h=1e-5) -> dict:
    def probe(u_, gamma_, beta_):
        u_ = np.asarray(u_, float)
        y = gamma_ * (u_ - u_.mean()) / np.sqrt(np.var(u_) + eps) + beta_
        return float(np.dot(upstream, y))

    def moved(k, sign):
        shifted = list(map(float, u))
        shifted[k] += sign * h
        return shifted

    return {
        "grad_gamma": (probe(u, gamma + h, beta) - probe(u, gamma - h, beta)) / (2 * h),
        "grad_beta": (probe(u, gamma, beta + h) - probe(u, gamma, beta - h)) / (2 * h),
        "grad_u": [(probe(moved(k, 1), gamma, beta) - probe(moved(k, -1), gamma, beta)) / (2 * h) for k in range(len(u))],
    }


def close(actual, expected, rel=1e-9, abs_=1e-12) -> bool:
    return bool(np.allclose(np.asarray(actual, float), np.asarray(expected, float), rtol=rel, atol=abs_))


def assert_all_routes(values: dict, spec) -> None:
    args = (list(spec.u), spec.gamma, spec.beta, spec.epsilon, list(spec.upstream))
    assert set(values) == VALUE_KEYS
    for key, expected in numpy_route(*args).items():
        assert close(values[key], expected), key
    for key, expected in sympy_route(*args).items():
        assert close(values[key], expected, rel=1e-9, abs_=1e-12), key
    for key, expected in finite_differences(*args).items():
        assert close(values[key], expected, rel=1e-6, abs_=1e-8), key


# ---------------------------------------------------------------- the built-in problem


def test_the_builtin_problem_s_published_numbers():
    problem, solution = solved(PROBLEM_ID)
    values = solution.values
    s = math.sqrt(14 / 3 + 1e-5)
    assert problem.batchnorm.N == 3
    assert values["mu"] == 4.0
    assert values["var"] == pytest.approx(14 / 3, rel=1e-12)  # (9 + 1 + 4) / 3, not / 2
    assert values["u_hat"] == pytest.approx([-3 / s, 1 / s, 2 / s], rel=1e-12)
    assert values["grad_beta"] == -0.5
    assert values["grad_u_hat"] == pytest.approx([1.5, -3.0, 0.75])
    assert [round(v, 4) for v in values["y"]] == [-2.5831, 0.1944, 0.8887]
    assert round(values["grad_gamma"], 4) == -1.8516
    assert round(values["grad_var"], 4) == 0.2976
    assert round(values["grad_mu"], 4) == 0.3472
    assert [round(v, 4) for v in values["grad_u"]] == [0.2149, -1.0746, 0.8597]
    assert sum(values["grad_u"]) == pytest.approx(0, abs=1e-12)  # shifting every u changes no û


def test_every_value_of_the_builtin_problem_agrees_with_numpy_sympy_and_finite_differences():
    problem, solution = solved(PROBLEM_ID)
    assert_all_routes(dict(solution.values), problem.batchnorm)


def test_the_steps_come_in_the_lecture_s_order():
    _, solution = solved(PROBLEM_ID)
    names = [step.name for step in solution.steps]
    assert names == ["mu", "var", "uhat_1", "uhat_2", "uhat_3", "y_1", "y_2", "y_3", "grad_gamma", "grad_beta",
                     "grad_uhat_1", "grad_uhat_2", "grad_uhat_3", "grad_var", "grad_mu",
                     "grad_u_1", "grad_u_2", "grad_u_3"]


@pytest.mark.parametrize("seed", range(50))
def test_random_variants_agree_with_the_routes_and_pass_the_gradient_check(seed):
    variant = make_variant(builtin(PROBLEM_ID), seed)
    solution = derive(variant)
    spec = variant.batchnorm
    assert all(float(x).is_integer() for x in spec.u)  # small whole numbers, easy by hand
    assert solution.values["var"] >= 1
    assert_all_routes(dict(solution.values), spec)
    checks = gradient_check(variant, solution)
    assert [c.name for c in checks] == ["gamma", "beta", "u_1", "u_2", "u_3"]
    assert all(c.verdict is Verdict.AGREE for c in checks)


# ---------------------------------------------------------------- from the command line


def bptutor(*args: str, home: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en")
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_a_teacher_s_file_in_the_documented_format_gives_correct_json_values(tmp_path):
    path = tmp_path / "bn_teacher.yaml"
    path.write_text(TEACHER, encoding="utf-8")
    result = bptutor("solution", str(path), "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["kind"] == "batchnorm"
    values = document["values"]
    assert values["mu"] == 3.0 and values["var"] == pytest.approx(14 / 3)
    assert_all_routes(values, load_problem(path).batchnorm)


def test_epsilon_may_be_left_out_and_is_then_1e_5():
    without = load_problem_text(TEACHER.replace("  epsilon: 1.0e-5           # optional\n", ""))
    assert without.batchnorm.epsilon == 1e-5
    assert derive(without).values == derive(load_problem_text(TEACHER)).values


def test_gradcheck_passes_on_the_builtin_problem_and_names_gamma_beta_and_u(tmp_path):
    result = bptutor("gradcheck", PROBLEM_ID, home=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("∂E/∂γ", "∂E/∂β", "∂E/∂u₁", "∂E/∂u₂", "∂E/∂u₃"):
        assert name in result.stdout
    assert "PASS: all 5 gradients agree" in result.stdout


@pytest.mark.parametrize("fmt, expected", [("text", "σ² ="), ("md", "σ²"), ("latex", r"\sigma^{2}"), ("json", '"grad_u"')])
def test_the_solution_prints_in_every_format(fmt, expected, tmp_path):
    result = bptutor("solution", PROBLEM_ID, "--format", fmt, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout and "Traceback" not in result.stderr


BROKEN = [
    ("upstream: [0.1, -0.2, 0.3]", "upstream: [0.1, -0.2]", 9, "batchnorm.upstream",
     "upstream must have 3 entries (one per sample of u), got 2"),
    ("u: [1.0, 2.0, 6.0]", "u: [1.0]", 5, "batchnorm.u", "u needs 2 to 64 samples"),
    ("u: [1.0, 2.0, 6.0]", "u: [[1.0, 2.0, 6.0]]", 5, "batchnorm.u[0]", "expected a number"),
    ("epsilon: 1.0e-5", "epsilon: -1.0e-5", 8, "batchnorm.epsilon", ""),
    ("u: [1.0, 2.0, 6.0]", "u: [2.0, 2.0, 2.0]", 5, "batchnorm.u", "σ² = 0"),
    ("gamma: 2.0", "gama: 2.0", 6, "batchnorm", "unknown key 'gama'; did you mean 'gamma'?"),
]


@pytest.mark.parametrize("old, new, line, key, words", BROKEN)
def test_a_broken_section_gives_one_located_line_and_exit_2(old, new, line, key, words, tmp_path):
    text = TEACHER.replace(old, new)
    if "2.0, 2.0, 2.0" in new:
        text = text.replace("epsilon: 1.0e-5", "epsilon: 0")
    path = tmp_path / "bn_teacher.yaml"
    path.write_text(text, encoding="utf-8")
    result = bptutor("validate", str(path), home=tmp_path)
    assert result.returncode == 2
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"{path}:{line}:") and f": {key}: " in lines[0] and words in lines[0]
