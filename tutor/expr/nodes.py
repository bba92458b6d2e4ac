"""The expression tree: the names the grammar knows, the node classes, their variables and
their canonical text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from tutor.maths import names as _names

FUNCTIONS: frozenset[str] = _names.CALLABLE
CONSTANTS: frozenset[str] = frozenset(_names.CONSTANTS)


@dataclass(frozen=True, slots=True)
class Num:
    value: int | float


@dataclass(frozen=True, slots=True)
class Var:
    name: str


@dataclass(frozen=True, slots=True)
class Const:
    name: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str  # "-" or "+"
    operand: Node


@dataclass(frozen=True, slots=True)
class Bin:
    op: str  # "+", "-", "*", "/", "^"
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    arg: Node


Node = Union[Num, Var, Const, Unary, Bin, Call]


def variables(node: Node) -> set[str]:
    match node:
        case Var(name):
            return {name}
        case Unary(_, operand) | Call(_, operand):
            return variables(operand)
        case Bin(_, left, right):
            return variables(left) | variables(right)
    return set()


# -- canonical text ----------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "unary": 3, "^": 4, "atom": 5}


def _precedence(node: Node) -> int:
    if isinstance(node, Bin):
        return _PRECEDENCE[node.op]
    if isinstance(node, Unary):
        return _PRECEDENCE["unary"]
    return _PRECEDENCE["atom"]


def unparse(node: Node) -> str:
    match node:
        case Num(value):
            return _number_text(value)
        case Var(name) | Const(name):
            return name
        case Call(func, arg):
            return f"{func}({unparse(arg)})"
        case Unary(op, operand):
            inner = unparse(operand)
            # "-(-x)" and "-(x+y)" keep their parentheses; "-x^2" means -(x^2) as in Python.
            return f"{op}({inner})" if _precedence(operand) <= _PRECEDENCE["unary"] else op + inner
        case Bin(op, left, right):
            return _unparse_binary(op, left, right)
    raise AssertionError(node)


def _unparse_binary(op: str, left: Node, right: Node) -> str:
    mine = _PRECEDENCE[op]
    if op == "^":  # right-associative; a signed or power base needs parentheses: (-2)^2
        left_text = _wrap(left, _precedence(left) <= mine)
        right_text = _wrap(right, _precedence(right) < mine)
        return f"{left_text}^{right_text}"
    # Keep the tree as typed: "a-(b-c)" and "a+(b+c)" both keep their parentheses,
    # so that parse(text) rebuilds the same tree and the same float result.
    left_text = _wrap(left, _precedence(left) < mine)
    right_text = _wrap(right, _precedence(right) <= mine or isinstance(right, Unary))  # 2*(-3)
    return f"{left_text} {op} {right_text}" if op in "+-" else f"{left_text}{op}{right_text}"


def _wrap(node: Node, needed: bool) -> str:
    text = unparse(node)
    return f"({text})" if needed else text


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)  # shortest text that reads back as the same float
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"  # "1e-05" -> "1e-5"
    return text
