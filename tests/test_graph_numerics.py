"""Graph nodes with abs, sigma, sqrt and powers: derivatives from the maths table, and numbers
that have no derivative reported in the problem's terms, never as a raw Python message."""

from __future__ import annotations

import json

import mpmath
import pytest
import sympy as sp
from typer.testing import CliRunner

from tutor.cli import app
from tutor.engine import derive
from tutor.errors import ProblemError
from tutor.expr import ExprError, parse
from tutor.problem.load import load_problem_text


def graph(inputs: dict, nodes: dict, output: str = "z"):
    text = json.dumps({"id": "g", "title": "t", "kind": "graph", "graph": {"inputs": inputs, "nodes": nodes, "output": output}})
    return derive(load_problem_text(text))


def test_abs_differentiates_as_its_sign():
    solution = graph({"x": -1.5}, {"z": "abs(x)"})
    assert solution.values["z"] == 1.5 and solution.values["grad_x"] == -1.0
    local = next(step for step in solution.steps if step.name == "dz_dx")
    assert sp.sstr(local.formula) == "sign(x)"


def test_sigma_far_from_zero_has_a_value_and_a_slope():
    for x in (-800.0, -30.0, 30.0):
        solution = graph({"x": x}, {"z": "sigma(x)"})
        with mpmath.workdps(50):
            s = 1 / (1 + mpmath.exp(-mpmath.mpf(x)))
            assert solution.values["z"] == pytest.approx(float(s), rel=1e-14, abs=1e-300)
            # σ(1 - σ), the lecture's form, is accurate to 1e-16 absolutely (1 - σ rounds near σ = 1).
            assert solution.values["grad_x"] == pytest.approx(float(s * (1 - s)), rel=1e-9, abs=1e-16)


@pytest.mark.parametrize(
    ("inputs", "node", "message"),
    [
        ({"x": 0}, "sqrt(x)", "d(sqrt x)/dx is undefined at x = 0"),
        ({"x": 0}, "abs(x)", "d(abs x)/dx is undefined at x = 0"),
        ({"x": 1, "y": 1}, "sqrt(x - y)", "d(sqrt(x - y))/d(x - y) is undefined at x - y = 0"),
        ({"x": 0}, "x ** 0.5", "d(x ** 0.5)/dx is undefined at x = 0"),
        ({"x": -2, "y": 2}, "x ** y",
         "d(x ** y)/dy = x ** y · log x needs x > 0, so it is undefined at x = -2"),
    ],
)
def test_an_undefined_derivative_names_the_node(inputs, node, message):
    with pytest.raises(ProblemError) as caught:
        graph(inputs, {"z": node})
    assert caught.value.message == message and caught.value.key == "graph.nodes.z"


def test_the_cli_prints_it_as_a_bad_problem(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("id: g\ntitle: t\nkind: graph\ngraph: {inputs: {x: 0}, nodes: {z: sqrt(x)}, output: z}\n")
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "200", "BPTUTOR_LANG": "en"})
    assert result.exit_code == 2
    assert f"{path}:4:33: graph.nodes.z: d(sqrt x)/dx is undefined at x = 0" in result.output
    assert "division" not in result.output


@pytest.mark.parametrize(
    "text",
    ["x*y + sin(x)/y", "exp(-x)*tanh(y)", "sigma(x*y)", "relu(x - y)^2", "log(abs(x)) + sqrt(y)", "x^y", "2^x - y^3"],
)
def test_expression_derivatives_agree_with_sympy(text):
    expr = parse(text, ["x", "y"])
    x, y = sp.symbols("x y", real=True)
    algebraic = expr.to_sympy({"x": x, "y": y})
    for point in ({"x": 0.7, "y": 1.9}, {"x": 2.5, "y": 0.4}):
        for name, symbol in (("x", x), ("y", y)):
            exact = float(sp.diff(algebraic, symbol).subs({x: point["x"], y: point["y"]}).evalf(30))
            assert expr.derivative(name, point) == pytest.approx(exact, rel=1e-12, abs=1e-14), (text, name)


def test_a_derivative_in_an_unused_name_is_zero_even_where_a_slope_is_undefined():
    assert parse("sqrt(x) + y", ["x", "y"]).derivative("y", {"x": 0.0, "y": 1.0}) == 1.0
    with pytest.raises(ExprError):
        parse("sqrt(x) + y", ["x", "y"]).derivative("x", {"x": 0.0, "y": 1.0})
