"""The maths table against independent routes: each function's math, NumPy and SymPy forms agree
(SymPy evaluated at 50 digits), each derivative matches SymPy's own diff and a central finite
difference, and the printed forms read as the lecture writes them."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from tutor.maths import names
from tutor.maths.activations import ACTIVATIONS, logsumexp, softmax
from tutor.maths.functions import FUNCTIONS, lookup
from tutor.maths.losses import LOSSES
from tutor.maths.printed import NUMERIC, ReLU, ReLUPrime, Sqrt, sigma

X = sp.Symbol("x", real=True)
POINTS = (-40.0, -7.5, -1.0, -1e-3, 0.0, 1e-3, 0.3, 1.0, 2.5, 36.0)
FD_STEP = 1e-6


def _points(f, *, for_slope=False):
    kept = [x for x in POINTS if f.defined is None or f.defined(x)]
    if for_slope and f.slope_defined is not None:
        kept = [x for x in kept if f.slope_defined(x)]
    if f.name == "tan":
        kept = [x for x in kept if abs(x) < 1.5]  # away from the poles at ±π/2
    if f.name == "exp":
        kept.append(700.0)  # near the top of the float range
    return kept


def _high_precision(expression, x: float) -> float:
    return float(expression.subs(X, sp.Float(x, 50)).evalf(50))


def test_names_match_the_table():
    assert tuple(FUNCTIONS) == names.FUNCTIONS
    assert tuple(ACTIVATIONS) == names.ACTIVATIONS
    assert tuple(LOSSES) == names.LOSSES
    assert all(lookup(alias) is FUNCTIONS[target] for alias, target in names.ALIASES.items())
    assert names.CALLABLE == set(names.FUNCTIONS) | set(names.ALIASES)
    assert all((LOSSES[loss].output, loss) in names.FUSED for loss in names.LOSSES if LOSSES[loss].output)


@pytest.mark.parametrize("name", names.FUNCTIONS)
def test_math_numpy_and_sympy_forms_agree(name):
    f = FUNCTIONS[name]
    points = _points(f)
    vector = f.vector(np.array(points))
    for x, from_numpy in zip(points, vector):
        exact = _high_precision(f.sympy(X, True), x)
        assert f.scalar(x) == pytest.approx(exact, rel=1e-13, abs=1e-300), x
        assert from_numpy == pytest.approx(exact, rel=1e-13, abs=1e-300), x
        printed = sp.lambdify(X, f.printed(X), modules=[NUMERIC, "math"])
        assert printed(x) == pytest.approx(exact, rel=1e-13, abs=1e-300), x


@pytest.mark.parametrize("name", names.FUNCTIONS)
def test_each_slope_matches_sympy_diff_and_finite_differences(name):
    f = FUNCTIONS[name]
    by_sympy = sp.diff(f.sympy(X, True), X)
    lecture = sp.lambdify(X, f.slope_sympy(X), modules=[NUMERIC, "math"])
    for x in _points(f, for_slope=True):
        slope = float(f.slope(x, f.scalar(x)))
        if x in f.kinks:
            continue  # checked below: the lecture's choice, not a derivative
        exact = _high_precision(by_sympy, x)
        # Slopes written from f(x) (1 - tanh², σ(1 - σ)) keep absolute, not relative, accuracy
        # where f saturates: 1 - h² is 0 in floats once h rounds to 1.
        assert slope == pytest.approx(exact, rel=1e-12, abs=1e-15), x
        assert lecture(x) == pytest.approx(exact, rel=1e-12, abs=1e-15), x
        if abs(x) < 50 and all(abs(x - k) > 10 * FD_STEP for k in f.kinks) and (f.defined is None or f.defined(x - FD_STEP)):
            central = (f.scalar(x + FD_STEP) - f.scalar(x - FD_STEP)) / (2 * FD_STEP)
            assert slope == pytest.approx(central, rel=1e-6, abs=1e-8), x


def test_the_slope_is_vectorised_like_the_value():
    for f in FUNCTIONS.values():
        points = np.array([x for x in _points(f, for_slope=True) if abs(x) < 50])
        values = f.vector(points)
        each = [float(f.slope(x, y)) for x, y in zip(points, values)]
        assert np.allclose(f.slope(points, values), each, rtol=1e-15, atol=0)


def test_non_differentiable_points_are_data():
    assert FUNCTIONS["relu"].kinks == (0.0,) and FUNCTIONS["relu"].slope_defined is None  # ReLU'(0) = 0 by choice
    assert float(FUNCTIONS["relu"].slope(0.0, 0.0)) == 0.0
    assert FUNCTIONS["abs"].kinks == (0.0,) and not FUNCTIONS["abs"].slope_defined(0.0)
    assert not FUNCTIONS["sqrt"].slope_defined(0.0) and FUNCTIONS["sqrt"].defined(0.0)
    assert ACTIVATIONS["relu"].kinks == (0.0,) and ACTIVATIONS["sigmoid"].kinks == ()


def test_sigmoid_is_stable_far_from_zero():
    f = FUNCTIONS["sigma"]
    assert f.scalar(-800.0) == 0.0 and f.scalar(800.0) == 1.0
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert list(f.vector(np.array([-800.0, 800.0]))) == [0.0, 1.0]
    assert f.scalar(-40.0) == pytest.approx(float(1 / (1 + mpmath.exp(40))), rel=1e-14)


U = np.array([-3.0, -0.4, 0.0, 0.25, 2.0, 9.0])


@pytest.mark.parametrize("name", [a for a in names.ACTIVATIONS if a != "softmax"])
def test_activation_forward_and_slope(name):
    act = ACTIVATIONS[name]
    h = act.forward(U)
    own = {"identity": lambda u: u, "relu": lambda u: max(u, 0.0), "sigmoid": lambda u: 1 / (1 + math.exp(-u)),
           "tanh": math.tanh}[name]
    assert np.allclose(h, [own(u) for u in U], rtol=1e-14, atol=0)
    batch = act.forward(np.stack([U, -U]))  # training's batches: one example a row
    assert np.allclose(batch[1], [own(-u) for u in U], rtol=1e-14, atol=0)
    central = [(own(u + FD_STEP) - own(u - FD_STEP)) / (2 * FD_STEP) for u in U]
    for u, slope, at, expected in zip(U, act.slope(U, h), map(act.slope_at, U), central):
        if u in act.kinks:
            assert slope == 0.0  # the lecture's ReLU'(0)
            continue
        assert slope == pytest.approx(expected, rel=1e-6, abs=1e-9)
        assert at == pytest.approx(slope, rel=1e-14)
    uu, hh = sp.symbols("u h")
    lecture = sp.lambdify((uu, hh), act.slope_formula(uu, hh), modules=[NUMERIC, "math"])
    assert [lecture(u, y) for u, y in zip(U, h)] == pytest.approx(list(act.slope(U, h)), rel=1e-14)


def test_which_mistake_rules_each_slope_allows():
    assert ACTIVATIONS["relu"].slope_needs_u and not ACTIVATIONS["sigmoid"].slope_needs_u
    assert ACTIVATIONS["identity"].mistakes == ()
    assert ACTIVATIONS["relu"].mistakes == ("missing_derivative",)
    assert set(ACTIVATIONS["tanh"].mistakes) == {"missing_derivative", "derivative_at_h", "slope_in_u"}


def test_softmax_and_logsumexp_against_high_precision():
    u = np.array([[1000.0, 999.0, -5.0], [0.5, -0.5, 0.0]])
    for row, h, lse in zip(u, softmax(u), logsumexp(u)):
        total = mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in row)
        assert lse == pytest.approx(float(mpmath.log(total)), rel=1e-15)
        assert list(h) == pytest.approx([float(mpmath.exp(mpmath.mpf(v)) / total) for v in row], rel=1e-13)


def test_printed_forms():
    u, v = sp.symbols("u v")
    assert sp.sstr(ACTIVATIONS["sigmoid"].formula(u)) == "σ(u)"
    assert sp.sstr(ACTIVATIONS["relu"].formula(u)) == "ReLU(u)"
    assert sp.sstr(ACTIVATIONS["relu"].slope_formula(u, v)) == "ReLU'(u)"
    assert sp.sstr(Sqrt(v)) == "√(v)" and sp.latex(Sqrt(v)) == r"\sqrt{v}"
    assert sp.latex(sigma(u)) == r"\sigma\left(u\right)"
    assert sp.latex(ReLUPrime(u)) == r"\mathrm{ReLU}'\left(u\right)"
    assert sp.diff(sigma(u), u) == sigma(u) * (1 - sigma(u)) and sp.diff(ReLU(u), u) == ReLUPrime(u)
    h = sp.symbols("h1:3")
    assert sp.sstr(ACTIVATIONS["softmax"].formulas(sp.symbols("u1:3"))[0]) == "exp(u1)/(exp(u1) + exp(u2))"
    assert sp.sstr(LOSSES["squared_error"].formula(h, sp.symbols("d1:3"))).startswith("(")


def test_every_named_mistake_rule_exists():
    from tutor.engine import mistakes

    for key in {k for a in ACTIVATIONS.values() for k in a.mistakes} | {
        k for loss in LOSSES.values() for k in (*loss.mistakes, *loss.delta_mistakes)
    }:
        assert key in mistakes.KEYS and callable(getattr(mistakes, key))
