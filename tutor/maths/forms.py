"""Unevaluated SymPy building blocks, so formulas keep the lecture's order and shape."""

from __future__ import annotations

import sympy as sp


def add(*terms: sp.Expr) -> sp.Expr:
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def mul(*factors: sp.Expr) -> sp.Expr:
    """A product that leaves out factors of 1 (so f'(u) = 1 of the identity disappears)."""
    kept = tuple(f for f in factors if f != 1)
    if not kept:
        return sp.Integer(1)
    return kept[0] if len(kept) == 1 else sp.Mul(*kept, evaluate=False)


def minus(a: sp.Expr, b: sp.Expr) -> sp.Expr:
    """a - b, written as a + (-1)*b, which formula.py prints back as a - b."""
    return sp.Add(a, sp.Mul(-1, b, evaluate=False), evaluate=False)


def one_minus(x: sp.Expr) -> sp.Expr:
    return minus(sp.Integer(1), x)


def negate(x: sp.Expr) -> sp.Expr:
    return sp.Mul(-1, x, evaluate=False)
