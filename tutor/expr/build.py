"""The allowlist walk: a Python ``ast`` tree into the grammar's nodes, refusing every node type
not in the grammar, with a "did you mean" for unknown names."""

from __future__ import annotations

import ast
import difflib
import math
import re
from collections.abc import Collection
from typing import Any

from .errors import MAX_DEPTH, MAX_NODES, MAX_SUGGEST_CHARS, ExprError
from .nodes import CONSTANTS, FUNCTIONS, Bin, Call, Const, Node, Num, Unary, Var

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}
_OTHER_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_TWO_POINTS = re.compile(r"\d*\.\d*\.")  # "0.1.0": not one number


class Builder:
    """Turns an ``ast`` tree into ``Node``s, refusing every node type not in the grammar."""

    def __init__(self, display: str, names: frozenset[str]) -> None:
        self.display = display
        self.names = names
        self.count = 0

    def build(self, node: ast.AST, depth: int) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise ExprError("expr.too_many_nodes", limit=MAX_NODES)
        if depth > MAX_DEPTH:  # a chain of 100 operators: no answer looks like that
            raise ExprError("expr.too_complex", limit=MAX_DEPTH)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError("expr.not_allowed", what=type(node).__name__.lower())
        return method(node, depth + 1)

    def _Constant(self, node: ast.Constant, depth: int) -> Node:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExprError("expr.not_allowed", what=type(value).__name__)
        if isinstance(value, float) and not math.isfinite(value):
            raise ExprError("expr.number_range", number=self._source(node))
        return Num(value)

    def _Name(self, node: ast.Name, depth: int) -> Node:
        name = node.id
        if name in self.names:
            return Var(name)
        if name in CONSTANTS:
            return Const(name)
        if name in FUNCTIONS:
            raise ExprError("expr.function_needs_call", name=name)
        raise _unknown("name", name, self.names | CONSTANTS)

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Node:
        op = _UNARY.get(type(node.op))
        if op is None:
            raise ExprError("expr.not_allowed", what=type(node.op).__name__.lower())
        return Unary(op, self.build(node.operand, depth))

    def _BinOp(self, node: ast.BinOp, depth: int) -> Node:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprError("expr.operator", op=_OTHER_OPERATORS.get(type(node.op), "?"))
        return Bin(op, self.build(node.left, depth), self.build(node.right, depth))

    def _Call(self, node: ast.Call, depth: int) -> Node:
        func = node.func
        if not isinstance(func, ast.Name):
            raise ExprError("expr.not_allowed", what="call")
        if func.id not in FUNCTIONS:
            if func.id in self.names:
                raise ExprError("expr.not_a_function", name=func.id)
            raise _unknown("function", func.id, FUNCTIONS)
        args = node.args
        if node.keywords or len(args) != 1 or isinstance(args[0], ast.Starred):
            suggestion = _decimal_comma_fix(self.display) if len(args) > 1 else None
            if suggestion is not None:
                raise ExprError("expr.decimal_comma", suggestion=suggestion)
            raise ExprError("expr.arity", name=func.id, count=len(args) + len(node.keywords))
        return Call(func.id, self.build(args[0], depth))

    def _Tuple(self, node: ast.Tuple, depth: int) -> Node:
        if not node.elts:
            raise ExprError("expr.empty_parens", pos=node.col_offset + 1)
        suggestion = _decimal_comma_fix(self.display)
        if suggestion is not None:
            raise ExprError("expr.decimal_comma", suggestion=suggestion)
        raise ExprError("expr.one_value")

    def _source(self, node: ast.AST) -> str:
        return self.display.replace("^", "**")[node.col_offset : node.end_col_offset][:24]


def _decimal_comma_fix(display: str) -> str | None:
    """``display`` with decimal commas as points, when that reads as one number each ("0,5" ->
    "0.5"); None when it cannot be ("0.1,0.1" would become "0.1.0.1": a list was typed)."""
    if not _DECIMAL_COMMA.search(display):
        return None
    fixed = _DECIMAL_COMMA.sub(r"\1.\2", display)
    if _DECIMAL_COMMA.search(fixed) or _TWO_POINTS.search(fixed):
        return None
    return fixed


def _unknown(kind: str, name: str, allowed: Collection[str]) -> ExprError:
    listed = ", ".join(sorted(allowed)) or "-"
    suggestion = _suggest(name, allowed)
    key = f"expr.unknown_{kind}"
    shown = name if len(name) <= MAX_SUGGEST_CHARS else name[:MAX_SUGGEST_CHARS] + "..."
    params: dict[str, Any] = {"name": shown, "names" if kind == "name" else "functions": listed}
    if suggestion:
        return ExprError(key + "_suggest", suggestion=suggestion, **params)
    return ExprError(key, **params)


def _suggest(name: str, allowed: Collection[str]) -> str | None:
    if len(name) > MAX_SUGGEST_CHARS:
        return None  # nobody mistypes a 40-letter name; and difflib is slow on long strings
    by_case = [a for a in allowed if a.lower() == name.lower()]
    if by_case:
        return by_case[0]
    split = _split_into(name, sorted(allowed, key=len, reverse=True))
    if split and len(split) > 1:
        return "*".join(split)  # "xy" with x and y allowed: the student meant x*y
    close = difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)
    return close[0] if close else None


def _split_into(name: str, allowed: list[str]) -> list[str] | None:
    """``name`` as a run of allowed names ("wx" -> ["w", "x"]), or None. Linear DP, no backtracking."""
    splits: dict[int, list[str]] = {0: []}
    for start in range(len(name)):
        if start not in splits:
            continue
        for head in allowed:
            end = start + len(head)
            if head and end not in splits and name.startswith(head, start):
                splits[end] = [*splits[start], head]
    return splits.get(len(name))
