"""Conversion to sympy, node by node (never from text). sympy itself is imported by the caller
(``Expr.to_sympy``) and handed in, so importing this module stays cheap."""

from __future__ import annotations

from typing import Any

from tutor.maths import functions as _table

from .errors import ExprError
from .evaluate import EMPTY, evaluate
from .nodes import Bin, Call, Const, Node, Num, Unary, Var, variables


def constant_parts_finite(node: Node) -> bool:
    """Whether every part without variables has a finite float value.

    If so, sympy's eager evaluation only meets numbers below 1e308: cheap. If not
    (``9^9^9``), it could try to build a number with hundreds of millions of digits.
    """
    if not variables(node):
        try:
            evaluate(node, EMPTY)
        except ExprError:
            return False
        return True
    match node:
        case Unary(_, operand) | Call(_, operand):
            return constant_parts_finite(operand)
        case Bin(_, left, right):
            return constant_parts_finite(left) and constant_parts_finite(right)
    return True


class SympyBuilder:
    def __init__(self, sp: Any, symbols: dict[str, Any], evaluate: bool) -> None:
        self.sp = sp
        self.symbols = symbols
        self.ev = evaluate

    def build(self, node: Node) -> Any:
        sp = self.sp
        match node:
            case Num(value):
                return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
            case Const(name):
                return sp.pi if name == "pi" else sp.E
            case Var(name):
                return self.symbols[name] if name in self.symbols else sp.Symbol(name)
            case Unary(op, operand):
                inner = self.build(operand)
                return self.mul(sp.S.NegativeOne, inner) if op == "-" else inner
            case Bin(op, left, right):
                return self.binary(op, self.build(left), self.build(right))
            case Call(func, arg):
                return self.call(func, self.build(arg))
        raise AssertionError(node)

    def add(self, a: Any, b: Any) -> Any:
        return self.sp.Add(a, b, evaluate=self.ev)

    def mul(self, a: Any, b: Any) -> Any:
        return self.sp.Mul(a, b, evaluate=self.ev)

    def pow(self, a: Any, b: Any) -> Any:
        return self.sp.Pow(a, b, evaluate=self.ev)

    def binary(self, op: str, a: Any, b: Any) -> Any:
        minus_one = self.sp.S.NegativeOne
        if op == "+":
            return self.add(a, b)
        if op == "-":
            return self.add(a, self.mul(minus_one, b))
        if op == "*":
            return self.mul(a, b)
        if op == "/":
            return self.mul(a, self.pow(b, minus_one))
        return self.pow(a, b)

    def call(self, func: str, x: Any) -> Any:
        return _table.lookup(func).sympy(x, self.ev)
