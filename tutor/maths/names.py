"""The names in the maths table, standard library only: the schema and quick commands read these
without importing NumPy or SymPy. ``tests/test_maths.py`` checks they match the table."""

from __future__ import annotations

ACTIVATIONS = ("identity", "relu", "sigmoid", "tanh", "softmax")
LOSSES = ("squared_error", "mse", "binary_cross_entropy", "cross_entropy")

# What graph nodes and answers may call, each with one argument; an alias means the same function.
FUNCTIONS = ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigma", "relu", "abs")
ALIASES = {"ln": "log", "sigmoid": "sigma"}
CONSTANTS = ("pi", "e")
CALLABLE = frozenset(FUNCTIONS) | frozenset(ALIASES)

# (output activation, loss) pairs whose output delta collapses to h - d.
FUSED = frozenset({("softmax", "cross_entropy"), ("sigmoid", "binary_cross_entropy")})
