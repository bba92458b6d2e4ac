"""What a graph node or an answer may call: each function once, in every form the tutor needs.

``scalar`` (``math`` module, for the expression evaluator), ``vector`` (NumPy), ``sympy`` (the
algebraic form: SymPy can differentiate and simplify it, used for answers and graph nodes),
``lecture`` (the printed form of the lecture, σ(x) rather than 1/(1 + e^-x)), the derivative as
``slope`` (a number, from x and f(x)) and ``slope_sympy`` (the lecture's form), and where things
break: ``defined`` (where f is), ``slope_defined`` (where f' is), ``kinks`` (points where f has
no derivative; ReLU keeps the lecture's ReLU'(0) = 0, so its slope is still defined there).

SymPy is imported only when a SymPy form is built.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import names

Scalar = Callable[[float], float]


def _sp() -> Any:
    import sympy

    return sympy


def _printed() -> Any:
    from . import printed

    return printed


@dataclass(frozen=True)
class Function:
    name: str
    scalar: Scalar
    vector: Callable[[np.ndarray], np.ndarray]
    sympy: Callable[[Any, bool], Any]  # (x, evaluate) -> the algebraic SymPy form
    slope: Callable[[Any, Any], Any]  # (x, f(x)) -> f'(x), for floats and NumPy arrays alike
    slope_sympy: Callable[[Any], Any]  # x -> f'(x) in the lecture's form
    lecture: Callable[[Any], Any] | None = None  # x -> printed form; None: the SymPy form
    defined: Callable[[float], bool] | None = None  # None: everywhere
    domain_error: str = ""  # i18n key when not defined
    slope_defined: Callable[[float], bool] | None = None  # None: wherever f is
    kinks: tuple[float, ...] = ()

    def printed(self, x: Any) -> Any:
        return self.lecture(x) if self.lecture is not None else self.sympy(x, True)


def sigmoid(x: float) -> float:
    """1/(1 + e^-x), never evaluating e^t for a large positive t."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def sigmoid_vector(u: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(u))  # never overflows
    return np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _sympy_sigma(x: Any, ev: bool) -> Any:
    sp = _sp()
    denominator = sp.Add(sp.S.One, sp.exp(sp.Mul(sp.S.NegativeOne, x, evaluate=ev), evaluate=ev), evaluate=ev)
    return sp.Pow(denominator, sp.S.NegativeOne, evaluate=ev)


def _sympy_relu(x: Any, ev: bool) -> Any:
    sp = _sp()
    return sp.Piecewise((x, sp.Gt(x, 0, evaluate=ev)), (sp.S.Zero, True), evaluate=ev)


def _sigma_slope_sympy(x: Any) -> Any:
    s = _printed().sigma(x)
    return s * (1 - s)


def _positive(x: float) -> bool:
    return x > 0


def _simple(name: str) -> Callable[[Any, bool], Any]:
    """SymPy's own function of that name, e.g. sp.exp."""
    return lambda x, ev: getattr(_sp(), name)(x, evaluate=ev)


FUNCTIONS: dict[str, Function] = {
    f.name: f
    for f in (
        Function("exp", math.exp, np.exp, _simple("exp"), lambda x, y: y, lambda x: _sp().exp(x)),
        Function("log", math.log, np.log, _simple("log"), lambda x, y: 1.0 / x, lambda x: 1 / x,
                 defined=_positive, domain_error="expr.log_domain"),
        Function("sqrt", math.sqrt, np.sqrt, lambda x, ev: _sp().Pow(x, _sp().S.Half, evaluate=ev),
                 lambda x, y: 0.5 / y, lambda x: 1 / (2 * _printed().Sqrt(x)), lecture=lambda x: _printed().Sqrt(x),
                 defined=lambda x: x >= 0, domain_error="expr.sqrt_domain", slope_defined=_positive),
        Function("sin", math.sin, np.sin, _simple("sin"), lambda x, y: np.cos(x), lambda x: _sp().cos(x)),
        Function("cos", math.cos, np.cos, _simple("cos"), lambda x, y: -np.sin(x), lambda x: -_sp().sin(x)),
        Function("tan", math.tan, np.tan, _simple("tan"), lambda x, y: 1.0 + y * y, lambda x: 1 + _sp().tan(x) ** 2),
        Function("tanh", math.tanh, np.tanh, _simple("tanh"), lambda x, y: 1.0 - y * y,
                 lambda x: 1 - _sp().tanh(x) ** 2),
        Function("sigma", sigmoid, sigmoid_vector, _sympy_sigma, lambda x, y: y * (1.0 - y), _sigma_slope_sympy,
                 lecture=lambda x: _printed().sigma(x)),
        Function("relu", lambda x: x if x > 0 else 0.0, lambda u: np.maximum(u, 0.0), _sympy_relu,
                 lambda x, y: (x > 0) * 1.0, lambda x: _printed().ReLUPrime(x),
                 lecture=lambda x: _printed().ReLU(x), kinks=(0.0,)),
        Function("abs", abs, np.abs, _simple("Abs"), lambda x, y: np.sign(x) * 1.0, lambda x: _sp().sign(x),
                 slope_defined=lambda x: x != 0, kinks=(0.0,)),
    )
}


def lookup(name: str) -> Function:
    """The function a name or alias (ln, sigmoid) calls."""
    return FUNCTIONS[names.ALIASES.get(name, name)]
