"""Kept so the kinds can import the SymPy building blocks from the engine; they live in maths."""

from ..maths.forms import add, minus, mul, negate, one_minus

__all__ = ["add", "minus", "mul", "negate", "one_minus"]
