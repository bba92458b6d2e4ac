"""SymPy functions that print as the lecture writes them, kept unexpanded: σ(u), ReLU(u), ReLU'(u), √v.

Each knows its derivative (so SymPy's ``diff`` gives the lecture's form) and its numeric value
(``NUMERIC``, for ``lambdify``), both taken from the table in ``functions``.
"""

from __future__ import annotations

import sympy as sp

from . import functions as fn


class sigma(sp.Function):  # noqa: N801 - printed as the lecture's σ
    """The logistic sigmoid, kept unexpanded so formulas read σ(u)."""

    def fdiff(self, argindex=1):
        s = sigma(self.args[0])
        return s * (1 - s)

    def _sympystr(self, printer):
        return f"σ({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\sigma\left({printer._print(self.args[0])}\right)"


class ReLUPrime(sp.Function):
    """ReLU'(u): 1 for u > 0 and 0 otherwise (the lecture's choice at u = 0)."""

    def fdiff(self, argindex=1):
        return sp.S.Zero

    def _sympystr(self, printer):
        return f"ReLU'({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\mathrm{{ReLU}}'\left({printer._print(self.args[0])}\right)"


class ReLU(sp.Function):
    def fdiff(self, argindex=1):
        return ReLUPrime(self.args[0])

    def _sympystr(self, printer):
        return f"ReLU({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\mathrm{{ReLU}}\left({printer._print(self.args[0])}\right)"


class Sqrt(sp.Function):
    """A square root printed as √(v) and kept unevaluated (SymPy's own prints as v^(1/2) here)."""

    def fdiff(self, argindex=1):
        return 1 / (2 * Sqrt(self.args[0]))

    def _sympystr(self, printer):
        return f"√({printer._print(self.args[0])})"

    def _latex(self, printer):
        return rf"\sqrt{{{printer._print(self.args[0])}}}"


# How the printed functions evaluate numerically (for lambdify in tests and follow-through hints).
NUMERIC = {
    "sigma": fn.FUNCTIONS["sigma"].scalar,
    "ReLU": fn.FUNCTIONS["relu"].scalar,
    "ReLUPrime": lambda u: fn.FUNCTIONS["relu"].slope(float(u), 0.0),
    "Sqrt": fn.FUNCTIONS["sqrt"].scalar,
}
