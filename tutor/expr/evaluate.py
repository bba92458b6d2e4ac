"""Evaluation in floats only, so ``9**9**9**9`` ends in an error within microseconds; and the
slope of an expression by forward-mode differentiation, each function's from the maths table."""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

from tutor.maths import functions as _table

from .errors import ExprError
from .nodes import Bin, Call, Const, Node, Num, Unary, Var, unparse

EMPTY: Mapping[str, float] = MappingProxyType({})  # no variables


def evaluate(node: Node, env: Mapping[str, float]) -> float:
    match node:
        case Num(value):
            return _finite(_to_float(value))
        case Const(name):
            return math.pi if name == "pi" else math.e
        case Var(name):
            return _lookup(env, name)
        case Unary(op, operand):
            value = evaluate(operand, env)
            return -value if op == "-" else value
        case Bin(op, left, right):
            return _finite(_BINARY_EVAL[op](evaluate(left, env), evaluate(right, env)))
        case Call(func, arg):
            return _call(func, evaluate(arg, env))
    raise AssertionError(node)


def _call(name: str, x: float) -> float:
    function = _table.lookup(name)
    if function.defined is not None and not function.defined(x):
        raise ExprError(function.domain_error, value=_short(x))
    try:
        return _finite(float(function.scalar(x)))
    except OverflowError:
        raise ExprError("expr.overflow") from None


def _to_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        raise ExprError("expr.overflow") from None


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ExprError("expr.overflow")
    return value


def _lookup(env: Mapping[str, float], name: str) -> float:
    if name not in env:
        raise ExprError("expr.unbound_name", name=name)
    try:
        value = float(env[name])  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ExprError("expr.not_a_number", name=name) from None
    return _finite(value)


def _divide(a: float, b: float) -> float:
    if b == 0:
        raise ExprError("expr.division_by_zero")
    return a / b


def _power(base: float, exponent: float) -> float:
    if base == 0 and exponent < 0:
        raise ExprError("expr.division_by_zero")
    try:
        return math.pow(base, exponent)  # unlike **, never returns a complex number
    except OverflowError:
        raise ExprError("expr.overflow") from None
    except ValueError:
        raise ExprError("expr.pow_domain", base=f"({_short(base)})", exponent=_short(exponent)) from None


def _short(x: float) -> str:
    # For error messages only: "-8" and "0.3333" read better than "-8.0" and 0.3333333333333333.
    return format(x, ".4g")


_BINARY_EVAL = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "^": _power,
}


def value_and_slope(node: Node, name: str, env: Mapping[str, float]) -> tuple[float, float]:
    """(value, d value/d name) of a subtree: forward-mode differentiation in floats."""
    match node:
        case Var(var):
            return _lookup(env, var), 1.0 if var == name else 0.0
        case Unary(op, operand):
            value, slope = value_and_slope(operand, name, env)
            return (-value, -slope) if op == "-" else (value, slope)
        case Bin(op, left, right):
            return _binary_slope(op, left, right, name, env)
        case Call(func, arg):
            x, dx = value_and_slope(arg, name, env)
            value = _call(func, x)
            if dx == 0.0:
                return value, 0.0
            function = _table.lookup(func)
            if function.slope_defined is not None and not function.slope_defined(x):
                derivative = f"d({func} {unparse(arg)})/d{unparse(arg)}" if isinstance(arg, Var) else \
                    f"d({func}({unparse(arg)}))/d({unparse(arg)})"
                raise ExprError("expr.slope_undefined", derivative=derivative, arg=unparse(arg), value=_short(x))
            return value, _finite_slope(float(function.slope(x, value)) * dx, name)
    return evaluate(node, env), 0.0


def _binary_slope(op: str, left: Node, right: Node, name: str, env: Mapping[str, float]) -> tuple[float, float]:
    a, da = value_and_slope(left, name, env)
    b, db = value_and_slope(right, name, env)
    value = _finite(_BINARY_EVAL[op](a, b))
    if op in "+-":
        return value, da + db if op == "+" else da - db
    if op == "*":
        return value, _finite_slope(da * b + a * db, name)
    if op == "/":
        # d(a/b) = da/b - (a/b) db/b: never squares b, which underflows to 0 for |b| < 1e-154.
        slope = da / b if da != 0.0 else 0.0
        if db != 0.0:
            slope -= value / b * db
        return value, _finite_slope(slope, name)
    slope = 0.0
    if da != 0.0 and b != 0:
        if a == 0 and b < 1:
            power = f"{_operand(left)} ** {_operand(right)}"
            raise ExprError("expr.slope_undefined", derivative=f"d({power})/d{_operand(left)}", arg=_operand(left), value="0")
        slope += b * _power(a, b - 1) * da
    if db != 0.0:
        if a <= 0:
            raise ExprError("expr.pow_slope_domain", power=f"{_operand(left)} ** {_operand(right)}", base=_operand(left),
                            exponent=_operand(right), value=_short(a))
        slope += value * math.log(a) * db
    return value, _finite_slope(slope, name)


def _finite_slope(slope: float, name: str) -> float:
    """A derivative that overflowed is named as one, not as the value that was fine."""
    if not math.isfinite(slope):
        raise ExprError("expr.slope_overflow", name=name)
    return slope


def _operand(node: Node) -> str:
    return unparse(node) if isinstance(node, (Var, Num, Const, Call)) else f"({unparse(node)})"
