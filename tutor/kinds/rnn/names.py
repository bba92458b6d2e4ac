"""The env names of an unrolled RNN and their symbols in the seed's notation (chapter 9).

Time is a superscript in parentheses, as layers are in a network: u₁⁽²⁾ is u_1 at t = 2.
Weights carry no time (they are shared by every t): w₁₁ⁱⁿ, w₁₂ (w_jj' from z_j' to unit j),
w₁₁ᵒᵘᵗ; δ₁ᵒᵘᵗ⁽²⁾ is the output unit's δ at t = 2.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.keys import grad, key, new
from tutor.engine.symbols import Notation, label

_TAGS = {"in": ("ⁱⁿ", r"\mathrm{in}"), "out": ("ᵒᵘᵗ", r"\mathrm{out}")}


def x(t: int, i: int) -> str:
    return key(f"x{t}", i)


def d(t: int, k: int) -> str:
    return key(f"d{t}", k)


def u(t: int, j: int) -> str:
    return key(f"u{t}", j)


def z(t: int, j: int) -> str:
    """z_j^t; z_j^0 is the given start state h0."""
    return key(f"z{t}", j)


def v(t: int, k: int) -> str:
    return key(f"v{t}", k)


def y(t: int, k: int) -> str:
    return key(f"y{t}", k)


def loss(t: int) -> str:
    """E⁽ᵗ⁾, the loss at time t."""
    return key("E", t)


def delta_out(t: int, k: int) -> str:
    return key(f"deltaout{t}", k)


def delta(t: int, j: int) -> str:
    return key(f"delta{t}", j)


def w_in(j: int, i: int) -> str:
    return key("Win", j, i)


def w(j: int, jp: int) -> str:
    return key("W", j, jp)


def w_out(k: int, j: int) -> str:
    return key("Wout", k, j)


def b(j: int) -> str:
    return key("b", j)


def b_out(k: int) -> str:
    return key("bout", k)


def vector(env, name, t: int, n: int) -> np.ndarray:
    """(name(t, 1), ..., name(t, n)) read from an environment: u⁽ᵗ⁾, y⁽ᵗ⁾, d⁽ᵗ⁾, ..."""
    return np.array([env[name(t, j)] for j in range(1, n + 1)], dtype=float)


def parameters(sizes: tuple[int, ...]) -> dict[str, list[tuple[str, tuple[int, ...]]]]:
    """Every weight and bias by the JSON name of its matrix, in row order, with its indices."""
    n_in, n_hidden, n_out = sizes
    hidden, inputs, outputs = range(1, n_hidden + 1), range(1, n_in + 1), range(1, n_out + 1)
    return {
        "W_in": [(w_in(j, i), (j, i)) for j in hidden for i in inputs],
        "W": [(w(j, jp), (j, jp)) for j in hidden for jp in hidden],
        "W_out": [(w_out(k, j), (k, j)) for k in outputs for j in hidden],
        "b": [(b(j), (j,)) for j in hidden],
        "b_out": [(b_out(k), (k,)) for k in outputs],
    }


_BASES = {"W_in": ("w", "in"), "W": ("w", None), "W_out": ("w", "out"), "b": ("b", None), "b_out": ("b", "out")}


def _timed(notation: Notation, name: str, base_text: str, base_latex: str, t: int, index: int, tag: str | None = None):
    """u₁⁽²⁾, or with a tag δ₁ᵒᵘᵗ⁽²⁾ (the formula printer parenthesises a power of such a name)."""
    mark, mark_latex = _TAGS[tag] if tag is not None else ("", "")
    subscript, time = label("", "", None, (index,))[0], label("", "", t, ())[0]
    upper = f"{mark_latex},({t})" if tag is not None else f"({t})"
    notation.add(name, f"{base_text}{subscript}{mark}{time}", f"{base_latex}^{{{upper}}}_{{{index}}}")


def _parameter(notation: Notation, name: str, matrix: str, indices: tuple[int, ...], eta: bool) -> None:
    base, tag = _BASES[matrix]
    text, latex = label(base, base, None, indices)
    if tag is not None:
        mark, mark_latex = _TAGS[tag]
        text += mark
        latex = latex.replace(f"{base}_", rf"{base}^{{{mark_latex}}}_", 1)
    notation.add(name, text, latex)
    notation.gradient_of(grad(name), text, latex)
    if eta:
        notation.with_word(new(name), "symbol.updated", {"name": text}, {"name": latex})


def declare(spec, notation: Notation) -> dict[str, float]:
    """Every symbol of the problem, and its given numbers by env name."""
    n_in, n_hidden, n_out = spec.sizes
    givens: dict[str, float] = {}
    weights = {"W_in": spec.W_in, "W": spec.W, "W_out": spec.W_out}
    biases = {"b": spec.hidden_bias(), "b_out": spec.output_bias()}
    eta = spec.learning_rate is not None
    for matrix, entries in parameters(spec.sizes).items():
        for name, indices in entries:
            _parameter(notation, name, matrix, indices, eta)
            source = weights.get(matrix)
            givens[name] = float(source[indices[0] - 1][indices[1] - 1] if source is not None else biases[matrix][indices[0] - 1])
    for j, value in enumerate(spec.start(), 1):
        _timed(notation, z(0, j), "z", "z", 0, j)
        givens[z(0, j)] = float(value)
    for t in range(1, spec.T + 1):
        for i in range(1, n_in + 1):
            _timed(notation, x(t, i), "x", "x", t, i)
            givens[x(t, i)] = float(spec.inputs[t - 1][i - 1])
        for k in range(1, n_out + 1):
            _timed(notation, d(t, k), "d", "d", t, k)
            givens[d(t, k)] = float(spec.targets[t - 1][k - 1])
        for j in range(1, n_hidden + 1):
            _timed(notation, u(t, j), "u", "u", t, j)
            _timed(notation, z(t, j), "z", "z", t, j)
            _timed(notation, delta(t, j), "δ", r"\delta", t, j)
        for k in range(1, n_out + 1):
            _timed(notation, v(t, k), "v", "v", t, k)
            _timed(notation, y(t, k), "y", "y", t, k)
            _timed(notation, delta_out(t, k), "δ", r"\delta", t, k, tag="out")
        text, latex = label("E", "E", t, ())
        notation.add(loss(t), text, latex)
    notation.add("E", "E", "E")
    if eta:
        notation.add("eta", "η", r"\eta")
        givens["eta"] = float(spec.learning_rate)
    return givens
