"""The lecture's notation as SymPy objects, each symbol with a Unicode and a LaTeX name.

Symbols are named by their environment key ("u1_2", "W2_1_2", "delta2_1"), so a formula's
free symbols tell directly which values it reads. How they look is kept beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def _indices_text(indices: tuple[int, ...]) -> str:
    # w₂₁ is unambiguous while every index is one digit; w₁₀,₃ needs the comma.
    sep = "," if any(i >= 10 for i in indices) else ""
    return sep.join(str(i) for i in indices).translate(_SUB)


def _indices_latex(indices: tuple[int, ...]) -> str:
    sep = "," if any(i >= 10 for i in indices) else ""
    return sep.join(str(i) for i in indices)


@dataclass
class Notation:
    """Every symbol a solution uses, with how to print it."""

    symbols: dict[str, sp.Symbol] = field(default_factory=dict)
    text: dict[sp.Symbol, str] = field(default_factory=dict)
    latex: dict[sp.Symbol, str] = field(default_factory=dict)
    ascii: dict[sp.Symbol, str] = field(default_factory=dict)

    def add(self, key: str, text: str, latex: str, ascii_name: str | None = None, *, real: bool = False) -> sp.Symbol:
        symbol = sp.Symbol(key, real=True) if real else sp.Symbol(key)
        self.symbols[key] = symbol
        self.text[symbol] = text
        self.latex[symbol] = latex
        self.ascii[symbol] = ascii_name or key
        return symbol

    def __getitem__(self, key: str) -> sp.Symbol:
        return self.symbols[key]

    def indexed(
        self, key: str, base_text: str, base_latex: str, layer: int | None, indices: tuple[int, ...]
    ) -> sp.Symbol:
        """A symbol such as w_ji^(l): key "W2_1_2" shows as w₁₂⁽²⁾ and w^{(2)}_{12}."""
        return self.add(key, *label(base_text, base_latex, layer, indices))

    def gradient(self, key: str, base_text: str, base_latex: str, layer: int, indices: tuple[int, ...]) -> sp.Symbol:
        """dE/dw_ji^(l) and the like."""
        text, latex = label(base_text, base_latex, layer, indices)
        return self.add(key, f"∂E/∂{text}", rf"\frac{{\partial E}}{{\partial {latex}}}")

    def updated(self, key: str, base_text: str, base_latex: str, layer: int, indices: tuple[int, ...]) -> sp.Symbol:
        """A parameter after one gradient-descent step."""
        text, latex = label(base_text, base_latex, layer, indices)
        return self.add(key, f"{text} (new)", rf"{latex}\ \mathrm{{(new)}}")

    def partial(self, key: str, top: str, bottom: str, *, local: bool = False) -> sp.Symbol:
        """∂top/∂bottom, for graph problems; a local derivative (one node's own rule) says so."""
        fraction = rf"\frac{{\partial {_latex_name(top)}}}{{\partial {_latex_name(bottom)}}}"
        if local:
            return self.add(key, f"local ∂{top}/∂{bottom}", rf"\left({fraction}\right)_{{\mathrm{{local}}}}")
        return self.add(key, f"∂{top}/∂{bottom}", fraction)

    def plain(self, key: str) -> sp.Symbol:
        """A graph input or node. Real, so that SymPy differentiates abs(x) as sign(x)."""
        return self.add(key, key, _latex_name(key), real=True)


def label(base_text: str, base_latex: str, layer: int | None, indices: tuple[int, ...]) -> tuple[str, str]:
    """Unicode and LaTeX forms of base_indices^(layer)."""
    sup_text = f"({layer})".translate(_SUP) if layer is not None else ""
    sup_latex = f"^{{({layer})}}" if layer is not None else ""
    sub_latex = f"_{{{_indices_latex(indices)}}}" if indices else ""
    return f"{base_text}{_indices_text(indices)}{sup_text}", f"{base_latex}{sup_latex}{sub_latex}"


def _latex_name(name: str) -> str:
    return r"\mathrm{" + name.replace("_", r"\_") + "}"
