"""Problems that would take too long to derive are refused quickly, with the limit and the line;
symbolic simplification is bounded and falls back to the unsimplified formula."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.loading import load_and_derive
from tutor.problem.library import builtin_dir
from tutor.steps import AnswerKind

REPO = Path(__file__).resolve().parents[1]
STEP_LIMIT = 1_000  # as the README states it

CHAIN = """id: {id}
title: chain
kind: graph
graph:
  inputs: {{x: 0.5}}
  nodes:
{nodes}
  output: n{depth}
  formula_of: [x]
"""


def chain(folder: Path, depth: int) -> Path:
    """n1 = x*x + sin(x), nK = n(K-1)*n(K-1) + sin(n(K-1)): each level doubles the written-out formula."""
    nodes = ["    n1: x*x + sin(x)"] + [f"    n{k}: n{k - 1}*n{k - 1} + sin(n{k - 1})" for k in range(2, depth + 1)]
    path = folder / f"chain{depth}.yaml"
    path.write_text(CHAIN.format(id=path.stem, nodes="\n".join(nodes), depth=depth), encoding="utf-8")
    return path


def network(folder: Path, layers: int, units: int) -> Path:
    matrix = "[" + ", ".join("[" + ", ".join(["0.1"] * units) + "]" for _ in range(units)) + "]"
    weights = "\n".join(f"    W{l}: {matrix}" for l in range(1, layers + 1))
    vector = "[" + ", ".join(["0.5"] * units) + "]"
    path = folder / "wide.yaml"
    path.write_text(
        f"id: wide\ntitle: wide\nkind: network\nnetwork:\n  sizes: {[units] * (layers + 1)}\n"
        f"  activations: {['sigmoid'] * layers}\n  loss: squared_error\n  weights:\n{weights}\n"
        f"  input: {vector}\n  target: {vector}\n".replace("'", ""),
        encoding="utf-8",
    )
    return path


def validate(path: Path) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "tutor", "validate", str(path)], capture_output=True,
                          text=True, timeout=60, cwd=REPO)
    return done, time.monotonic() - started


def test_a_chain_whose_formula_is_too_large_to_type_is_refused_within_five_seconds(tmp_path):
    path = chain(tmp_path, 4)
    assert len(path.read_bytes()) < 256
    done, elapsed = validate(path)
    assert elapsed < 5
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    [line] = done.stdout.splitlines()
    assert line.startswith(f"{path}:12:")  # the x in formula_of: [x]
    assert "graph.formula_of" in line and "dn4/dx" in line and "too large" in line


def test_a_chain_of_twenty_levels_is_refused_before_differentiating(tmp_path):
    done, elapsed = validate(chain(tmp_path, 20))
    assert (done.returncode, elapsed < 5) == (2, True)
    assert "too large" in done.stdout and "Traceback" not in done.stderr


def test_a_graph_nested_too_deeply_to_write_out_is_refused_without_a_traceback(tmp_path):
    sines = lambda inner: "sin(" * 30 + inner + ")" * 30  # noqa: E731
    nodes = [f"    n1: {sines('x')}"] + [f"    n{k}: {sines(f'n{k - 1}')}" for k in range(2, 101)]
    path = tmp_path / "deep.yaml"
    path.write_text("id: deep\ntitle: d\nkind: graph\ngraph:\n  inputs: {x: 0.5}\n  nodes:\n" + "\n".join(nodes)
                    + "\n  output: n100\n  formula_of: [x]\n", encoding="utf-8")
    done, elapsed = validate(path)
    assert (done.returncode, elapsed < 5) == (2, True)
    assert "graph.formula_of" in done.stdout and "too large" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_formula_that_takes_too_long_to_simplify_is_asked_as_written(tmp_path):
    problem, solution = load_and_derive(str(chain(tmp_path, 3)))
    [formula] = [step for step in solution.steps if step.answer is AnswerKind.FORMULA]
    assert "sin" in formula.expected_formula and "cos" in formula.expected_formula


def test_a_six_by_sixty_four_network_is_refused_at_once_with_the_limit(tmp_path):
    done, elapsed = validate(network(tmp_path, 6, 64))
    assert elapsed < 5
    assert done.returncode == 2
    [line] = done.stdout.splitlines()
    assert "51,073 steps" in line and f"at most {STEP_LIMIT:,}" in line
    assert "per unit" in line and "per weight" in line  # what counts
    assert "network.sizes" in line and "Traceback" not in done.stderr


def test_a_batch_too_large_for_the_step_limit_is_refused(tmp_path):
    rows = lambda n, m: "[" + ", ".join("[" + ", ".join(["1"] * m) + "]" for _ in range(n)) + "]"  # noqa: E731
    path = tmp_path / "batch.yaml"
    path.write_text(f"id: batch\ntitle: b\nkind: affine\naffine:\n  X: {rows(20, 20)}\n  W: {rows(20, 20)}\n"
                    f"  dY: {rows(20, 20)}\n", encoding="utf-8")
    done, _ = validate(path)
    assert done.returncode == 2
    assert "1,220 steps" in done.stdout and "Y, dX, dW and db" in done.stdout  # 400 + 400 + 400 + 20


def test_a_graph_with_too_many_local_derivatives_is_refused(tmp_path):
    inputs = ", ".join(f"a{i}: 1" for i in range(40))
    total = " + ".join(f"a{i}" for i in range(40))
    nodes = "\n".join(f"    n{k}: {total}" for k in range(30))
    path = tmp_path / "dense.yaml"
    path.write_text(f"id: dense\ntitle: d\nkind: graph\ngraph:\n  inputs: {{{inputs}}}\n  nodes:\n{nodes}\n"
                    "  output: n29\n", encoding="utf-8")
    done, _ = validate(path)
    assert done.returncode == 2
    assert f"at most {STEP_LIMIT:,}" in done.stdout and "graph.nodes" in done.stdout


@pytest.mark.parametrize("path", sorted(builtin_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_every_builtin_problem_is_well_inside_the_step_limit(path):
    _, solution = load_and_derive(str(path))
    assert len(solution.steps) <= STEP_LIMIT // 10


def test_the_readme_states_the_limits():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Writing a problem"):]
    section = section[:section.index("\n## ", 5)]
    assert f"{STEP_LIMIT:,} steps" in section
    assert re.search(r"60 operations", section)


def test_simplification_is_stopped_at_its_budget_and_the_next_one_still_works():
    import sympy as sp

    from tutor.engine.budget import SIMPLIFY_SECONDS, bounded_simplify

    x = sp.Symbol("x")
    assert bounded_simplify(sp.sin(x) ** 2 + sp.cos(x) ** 2) == 1  # starts the helper (not on the clock)
    started = time.monotonic()
    assert bounded_simplify(100000 * (x + 1) ** 99999) is None  # minutes in SymPy
    assert time.monotonic() - started < SIMPLIFY_SECONDS + 1
    assert bounded_simplify(-sp.sin(x) / sp.cos(x)) == -sp.tan(x)  # a new helper answers
