"""A new problem kind is one registry line: every command picks it up.

The toy kind ``double`` (section ``double: {x: 3}``, one step y = 2x and its gradient dy/dx = 2)
is defined here and registered with a single ``register(...)``; no other file knows it.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp
from typer.testing import CliRunner

from tutor import kinds
from tutor.cli import app, main
from tutor.engine.build import StepBuilder
from tutor.engine.symbols import Notation
from tutor.errors import ProblemError
from tutor.kinds import Gradcheck, Kind, register, unregister
from tutor.problem import load_problem, load_problem_text
from tutor.problem.common import Model, Number
from tutor.problem import schema
from tutor.problem.schema import RangeSpec
from tutor.problem.variants import fill, make_variant
from tutor.steps import Phase, Solution

# ---------------------------------------------------------------------------------------------
# The toy kind


class DoubleSpec(Model):
    """One number, doubled."""

    x: Number
    """The number to double."""


def derive_double(problem) -> Solution:
    notation = Notation()
    x = notation.add("x", "x", "x")
    notation.add("y", "y", "y")
    notation.add("grad_x", "∂y/∂x", r"\frac{\partial y}{\partial x}")
    givens = {"x": problem.double.x}
    builder = StepBuilder(notation, givens, problem.tolerance_for)
    builder.add("y", Phase.FORWARD, 2 * x, lambda env: 2 * env["x"])
    builder.add("grad_x", Phase.BACKWARD, sp.Integer(2), lambda env: 2.0)
    values = {"y": builder.env["y"], "grad_x": builder.env["grad_x"]}
    return Solution(problem_id=problem.id, steps=tuple(builder.steps), givens=givens, values=values, symbols=notation)


def draw_double(problem, section: dict, rng: random.Random) -> dict:
    return {"x": fill(section["x"], problem.vary.get("x") or RangeSpec(low=1, high=9, step=1), rng)}


def diagram_double(problem, solution, known, lang) -> str:
    return f"x = {problem.double.x:g} -> y = 2x = {known.get('y', '?')}"


DOUBLE = Kind(
    name="double", section="double", describe="a doubling", spec=DoubleSpec, derive=derive_double,
    vary_keys=lambda problem: ["x"], draw_variant=draw_double, diagram=diagram_double,
    gradcheck=Gradcheck(lambda problem, solution: [("x", "grad_x")], lambda problem: lambda env: env["y"],
                        lambda problem: "y"),
)

PROBLEM = "id: twice\ntitle: Twice\nkind: double\ndouble:\n  x: 3\n"


@pytest.fixture
def toy(tmp_path: Path):
    register(DOUBLE)
    folder = tmp_path / "problems"
    folder.mkdir()
    (folder / "twice.yaml").write_text(PROBLEM, encoding="utf-8")
    yield folder
    unregister("double")


runner = CliRunner()


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "200", "BPTUTOR_LANG": "en"})


# ---------------------------------------------------------------------------------------------
# Every command


def test_list_shows_the_new_kind(toy):
    result = run("list", "--dir", str(toy))
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "twice" in line)
    assert "double" in line and "Twice" in line


def test_show_draws_it_with_the_kind_s_diagram(toy):
    result = run("show", "twice", "--dir", str(toy))
    assert result.exit_code == 0, result.output
    assert "x = 3 -> y = 2x = ?" in result.output


@pytest.mark.parametrize("fmt", ["text", "md", "latex", "json"])
def test_solution_in_every_format(toy, fmt):
    result = run("solution", "twice", "--format", fmt, "--dir", str(toy))
    assert result.exit_code == 0, result.output
    assert "6" in result.output
    if fmt == "json":
        document = json.loads(result.output)
        assert document["kind"] == "double" and document["values"] == {"y": 6.0, "grad_x": 2.0}


@pytest.mark.parametrize("fmt", ["dot", "svg"])
def test_a_kind_without_a_picture_says_so(toy, fmt, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["bptutor", "solution", "twice", "--format", fmt, "--dir", str(toy)])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert ("bptutor: there is no picture for 'double' problems; pictures show the kinds network, graph, layer, "
            "batchnorm, rnn, conv, pool") in capsys.readouterr().err


def test_solve_plain_marks_both_steps(toy):
    result = run("solve", "twice", "--plain", "--dir", str(toy), stdin="6\n2\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "Score: 2/2"


def test_validate_accepts_it(toy):
    result = run("validate", str(toy / "twice.yaml"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("twice.yaml: ok")


def test_gradcheck_moves_x(toy):
    result = run("gradcheck", "twice", "--dir", str(toy))
    assert result.exit_code == 0, result.output
    assert "∂y/∂x" in result.output and "PASS: all 1 gradients agree" in result.output


def test_random_variants_use_its_rules(toy):
    variant = make_variant(load_problem(toy / "twice.yaml"), 7)
    assert variant.double.x in range(1, 10)


def test_its_section_is_checked_by_its_spec_with_located_errors(toy):
    path = toy / "twice.yaml"
    path.write_text(PROBLEM.replace("x: 3", "x: three"), encoding="utf-8")
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    assert (info.value.line, info.value.key) == (5, "double.x")
    assert "expected a number" in info.value.message
    path.write_text(PROBLEM + "graph: {inputs: {a: 1}, nodes: {b: a}, output: b}\n", encoding="utf-8")
    with pytest.raises(ProblemError, match="belongs only to kind 'graph'; this problem has kind 'double'"):
        load_problem(path)


def test_unregistering_takes_the_section_away(toy):
    unregister("double")
    try:
        assert "double" not in schema.Problem.model_fields
        with pytest.raises(ProblemError, match="must be one of 'network', 'graph', 'layer', 'affine', 'optimizer'") as refused:
            load_problem(toy / "twice.yaml")
        listed = str(refused.value).split("; got")[0]
        assert "'double'" not in listed
    finally:
        register(DOUBLE)


# ---------------------------------------------------------------------------------------------
# The registry itself


def test_the_old_name_of_the_layer_kind_is_read_as_layer():
    text = "id: s\ntitle: S\nkind: loss\nlayer: {activation: softmax, scores: [1, 2]}\n"
    assert load_problem_text(text).kind == "layer"
    assert kinds.get("loss") is kinds.KINDS["layer"]


def test_a_section_belongs_to_one_kind():
    with pytest.raises(ValueError, match="already belongs to kind 'graph'"):
        register(Kind(name="other", section="graph", describe="", spec=DoubleSpec, derive=derive_double,
                      vary_keys=list, draw_variant=draw_double, diagram=diagram_double))
    assert "other" not in kinds.KINDS


def test_the_registry_imports_nothing_heavy():
    code = "import sys, tutor.kinds; print(sorted({'pydantic', 'sympy', 'numpy'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr
