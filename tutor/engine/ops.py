"""Each activation and loss in one place: its NumPy form, its derivative, and its SymPy form.

The SymPy forms are what students see (the lecture's notation); the NumPy forms compute the
numbers. Tests check the two against each other and against SymPy's own differentiation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .forms import add, minus, mul, negate, one_minus


class sigma(sp.Function):  # noqa: N801 - printed as the lecture's σ
    """The logistic sigmoid, kept unexpanded so formulas read σ(u)."""

    def _sympystr(self, printer):
        return f"σ({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class ReLU(sp.Function):
    def _sympystr(self, printer):
        return f"ReLU({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\mathrm{{ReLU}}\left({printer._print(self.args[0])}\right)"


class ReLUPrime(sp.Function):
    """ReLU'(u): 1 for u > 0 and 0 otherwise (the lecture's choice at u = 0)."""

    def _sympystr(self, printer):
        return f"ReLU'({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\mathrm{{ReLU}}'\left({printer._print(self.args[0])}\right)"


class Sqrt(sp.Function):
    """A square root printed as √(v) and kept unevaluated (SymPy's own prints as v^(1/2) here)."""

    def _sympystr(self, printer):
        return f"√({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\sqrt{{{printer._print(self.args[0])}}}"


# How the printed functions evaluate numerically (for lambdify in tests and follow-through hints).
NUMERIC_FUNCTIONS = {
    "sigma": lambda u: float(stable_sigmoid(np.float64(u))),
    "ReLU": lambda u: max(float(u), 0.0),
    "ReLUPrime": lambda u: 1.0 if float(u) > 0 else 0.0,
    "Sqrt": lambda v: math.sqrt(float(v)),
}


def stable_sigmoid(u: np.ndarray) -> np.ndarray:
    """1/(1+e^-u) without overflow warnings for large |u|."""
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def stable_softmax(u: np.ndarray) -> np.ndarray:
    shifted = np.exp(u - np.max(u))
    return shifted / shifted.sum()


def logsumexp(u: np.ndarray) -> float:
    m = float(np.max(u))
    return m + float(np.log(np.exp(u - m).sum()))


@dataclass(frozen=True)
class Activation:
    name: str
    forward: Callable[[np.ndarray], np.ndarray]  # u -> h for the whole layer
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray] | None  # f'(u) from (u, h); None: softmax
    formula: Callable[[sp.Expr], sp.Expr] | None  # u -> h, elementwise; None: softmax (built per layer)
    slope_formula: Callable[[sp.Expr, sp.Expr], sp.Expr] | None  # lecture form of f'(u), from (u, h)
    slope_at: Callable[[float], float] | None  # f' evaluated at a number (for the "f' at h" mistake)

    @property
    def elementwise(self) -> bool:
        return self.slope is not None


ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation(
        "identity",
        forward=lambda u: u,
        slope=lambda u, h: np.ones_like(u),
        formula=lambda u: u,
        slope_formula=lambda u, h: sp.Integer(1),
        slope_at=lambda v: 1.0,
    ),
    "sigmoid": Activation(
        "sigmoid",
        forward=stable_sigmoid,
        slope=lambda u, h: h * (1.0 - h),
        formula=lambda u: sigma(u),
        slope_formula=lambda u, h: sp.Mul(h, one_minus(h), evaluate=False),
        slope_at=lambda v: float(stable_sigmoid(np.float64(v)) * (1 - stable_sigmoid(np.float64(v)))),
    ),
    "tanh": Activation(
        "tanh",
        forward=np.tanh,
        slope=lambda u, h: 1.0 - h * h,
        formula=lambda u: sp.tanh(u, evaluate=False),
        slope_formula=lambda u, h: one_minus(sp.Pow(h, 2, evaluate=False)),
        slope_at=lambda v: float(1 - np.tanh(v) ** 2),
    ),
    "relu": Activation(
        "relu",
        forward=lambda u: np.maximum(u, 0.0),
        slope=lambda u, h: (u > 0).astype(float),
        formula=lambda u: ReLU(u),
        slope_formula=lambda u, h: ReLUPrime(u),
        slope_at=lambda v: 1.0 if v > 0 else 0.0,
    ),
    "softmax": Activation(
        "softmax",
        forward=stable_softmax,
        slope=None,
        formula=None,
        slope_formula=None,
        slope_at=None,
    ),
}

# Losses whose output delta collapses to h - d with the matching output activation.
FUSED = {("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")}


def loss_formula(loss: str, h: list[sp.Expr], d: list[sp.Expr]) -> sp.Expr:
    """E in the lecture's form, over the output units h_j and targets d_j."""
    n = len(h)
    if loss in ("squared_error", "mse"):
        squares = add(*(sp.Pow(minus(hj, dj), 2, evaluate=False) for hj, dj in zip(h, d)))
        return mul(sp.Rational(1, 2) if loss == "squared_error" else sp.Rational(1, n), squares)
    if loss == "cross_entropy":
        return negate(add(*(mul(dj, sp.log(hj, evaluate=False)) for hj, dj in zip(h, d))))
    terms = [
        add(mul(dj, sp.log(hj, evaluate=False)), mul(one_minus(dj), sp.log(one_minus(hj), evaluate=False)))
        for hj, dj in zip(h, d)
    ]
    return negate(add(*terms))


def loss_value(loss: str, h: np.ndarray, d: np.ndarray, scores: np.ndarray | None = None) -> float:
    """E from the outputs; from the scores u where an output rounded to exactly 0 or 1 would give log 0."""
    if loss == "squared_error":
        return 0.5 * float(np.sum((h - d) ** 2))
    if loss == "mse":
        return float(np.mean((h - d) ** 2))
    if loss == "cross_entropy":
        used = d != 0
        if np.all(h[used] > 0) or scores is None:
            return float(-np.sum(d[used] * np.log(h[used])))
        return float(np.sum(d * (logsumexp(scores) - scores)))
    if np.all((h > 0) & (h < 1)) or scores is None:
        return float(-np.sum(d * np.log(h) + (1 - d) * np.log1p(-h)))
    return float(np.sum(np.maximum(scores, 0) - scores * d + np.log1p(np.exp(-np.abs(scores)))))
