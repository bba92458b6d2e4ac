"""Printing step formulas in the lecture's notation: Unicode text and LaTeX, general or with numbers.

Formulas are SymPy expressions built unevaluated, so the terms stay in the lecture's order.
SymPy's printers are subclassed only where a hand calculation reads differently from algebra:
``a - b`` instead of ``a + (-1)*b``, numbers rounded for people, products with a visible dot.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from sympy.core.parameters import evaluate
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from .numbers import format_number
from .steps import Env, Step

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _negated(term: sp.Expr) -> sp.Expr | None:
    """The positive part of a term written as -1 * X (our subtraction), else None."""
    if isinstance(term, sp.Mul) and term.args and term.args[0] == -1:
        rest = term.args[1:]
        return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
    return None


def _is_negative_number(expr: sp.Expr) -> bool:
    return expr.is_Number and expr < 0


def _split_fraction(expr: sp.Mul) -> tuple[list[sp.Expr], list[sp.Expr]]:
    top, bottom = [], []
    for factor in expr.args:
        if isinstance(factor, sp.Pow) and factor.exp == -1:
            bottom.append(factor.base)
        else:
            top.append(factor)
    return top, bottom


class _HandArithmetic:
    """What both printers share: a - b for our subtraction, negative numbers in parentheses."""

    minus = "-"

    def _group(self, text: str) -> str:
        return f"({text})"

    def _wrap(self, expr, *kinds) -> str:
        text = self._print(expr)
        needs = isinstance(expr, kinds) or _is_negative_number(expr) or _negated(expr) is not None
        return self._group(text) if needs else text

    def _print_Add(self, expr, order=None):
        pieces = []
        for k, term in enumerate(expr.args):
            positive = _negated(term)
            if positive is not None:
                pieces.append((f"{self.minus} " if k else self.minus) + self._wrap(positive, sp.Add))
            elif k and _is_negative_number(term):
                pieces.append(f"{self.minus} " + self._print(-term))
            else:
                pieces.append(("+ " if k else "") + self._print(term))
        return " ".join(pieces)


class TextPrinter(_HandArithmetic, StrPrinter):
    """One-line Unicode: u₁⁽²⁾ = w₁₁⁽²⁾·h₁⁽¹⁾ + b₁⁽²⁾."""

    minus = "−"

    def __init__(self, names: Mapping[sp.Symbol, str]):
        super().__init__({"order": "none"})
        self._names = names

    def _print_Symbol(self, expr):
        return self._names.get(expr, expr.name)

    def _print_Float(self, expr):
        return format_number(float(expr))

    def _print_Integer(self, expr):
        return str(int(expr))

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}"

    def _print_Tuple(self, expr):
        return "(" + ", ".join(self._print(a) for a in expr.args) + ")"

    def _print_Mul(self, expr):
        positive = _negated(expr)
        if positive is not None:
            return self.minus + self._wrap(positive, sp.Add)
        top, bottom = _split_fraction(expr)
        numerator = "·".join(self._wrap(f, sp.Add) for f in top) if top else "1"
        if not bottom:
            return numerator
        denominator = "·".join(self._wrap(f, sp.Add, sp.Mul) for f in bottom)
        if len(bottom) > 1:
            denominator = f"({denominator})"
        return f"{numerator}/{denominator}"

    def _print_Pow(self, expr, rational=False):
        base = self._wrap(expr.base, sp.Add, sp.Mul, sp.Pow)
        if expr.exp == -1:
            return f"1/{base}"
        if expr.exp.is_Integer:
            return base + str(int(expr.exp)).translate(_SUPERSCRIPTS)
        return f"{base}^{self._wrap(expr.exp, sp.Add, sp.Mul)}"

    def _print_exp(self, expr):
        return f"exp({self._print(expr.args[0])})"


class TeXPrinter(_HandArithmetic, LatexPrinter):
    def __init__(self, names: Mapping[sp.Symbol, str]):
        super().__init__({"order": "none"})
        self._names = names

    def _print_Symbol(self, expr, style="plain"):
        return self._names.get(expr, expr.name)

    def _print_Float(self, expr):
        return format_number(float(expr))

    def _print_Tuple(self, expr):
        return r"\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"

    def _group(self, text: str) -> str:
        return rf"\left({text}\right)"

    def _print_Mul(self, expr):
        positive = _negated(expr)
        if positive is not None:
            return "-" + self._wrap(positive, sp.Add)
        top, bottom = _split_fraction(expr)
        numerator = self._join(top) if top else "1"
        if not bottom:
            return numerator
        return rf"\frac{{{numerator}}}{{{self._join(bottom, wrap_products=False)}}}"

    def _join(self, factors, wrap_products: bool = True) -> str:
        out = ""
        for k, factor in enumerate(factors):
            text = self._wrap(factor, sp.Add) if wrap_products or len(factors) > 1 else self._print(factor)
            if k:
                # A dot between two numbers; a thin space where a symbol makes the product plain.
                out += r" \cdot " if factor.is_Number or factors[k - 1].is_Number else r" \, "
            out += text
        return out

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -1:
            return rf"\frac{{1}}{{{self._print(expr.base)}}}"
        base = self._wrap(expr.base, sp.Add, sp.Mul, sp.Pow)
        if "^" in base and not base.startswith(r"\left("):  # h^{(1)}_{1} squared: (h^{(1)}_{1})^{2}
            base = self._group(base)
        return f"{base}^{{{self._print(expr.exp)}}}"


def _names(notation, kind: str) -> Mapping[sp.Symbol, str]:
    return getattr(notation, kind) if notation is not None else {}


def text(expr, notation=None) -> str:
    return TextPrinter(_names(notation, "text")).doprint(expr)


def latex(expr, notation=None) -> str:
    return TeXPrinter(_names(notation, "latex")).doprint(expr)


def with_numbers(step: Step, env: Env, notation) -> sp.Expr:
    """The step's formula with every quantity it uses replaced by its number in ``env``."""
    replacements = {}
    for name in step.uses:
        value = env[name]
        if isinstance(value, tuple):
            continue  # vectors stay symbolic; their entries are substituted one by one
        replacements[notation[name]] = sp.Integer(int(value)) if float(value).is_integer() else sp.Float(value)
    with evaluate(False):
        return step.formula.xreplace(replacements)


def equation_text(step: Step, notation, env: Env | None = None) -> str:
    """"lhs = formula" or, with an env, "lhs = formula with numbers"."""
    rhs = step.formula if env is None else with_numbers(step, env, notation)
    return f"{text(step.symbol, notation)} = {text(rhs, notation)}"
