"""The lecture's notation as SymPy objects, each symbol with a Unicode and a LaTeX name.

Symbols are named by their environment key ("u1_2", "W2_1_2", "delta2_1"), so a formula's
free symbols tell directly which values it reads. How they look is kept beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import sympy as sp

from ..i18n import t

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
    # Names that contain a word ("w₁ (new)"): the catalogue key and its fields, to say it in a
    # language; the catalogue has the LaTeX form under the same key with "_latex" added.
    worded: dict[sp.Symbol, tuple[str, dict[str, str]]] = field(default_factory=dict)

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

    def gradient(self, key: str, base_text: str, base_latex: str, layer: int | None, indices: tuple[int, ...]) -> sp.Symbol:
        """dE/dw_ji^(l) and the like."""
        return self.gradient_of(key, *label(base_text, base_latex, layer, indices))

    def gradient_of(self, key: str, text: str, latex: str) -> sp.Symbol:
        """∂E/∂ of a quantity already written as ``text`` and ``latex``."""
        return self.add(key, *partial_of_error(text, latex))

    def updated(self, key: str, base_text: str, base_latex: str, layer: int, indices: tuple[int, ...]) -> sp.Symbol:
        """A parameter after one gradient-descent step."""
        text, latex = label(base_text, base_latex, layer, indices)
        return self.with_word(key, "symbol.updated", {"name": text}, {"name": latex})

    def with_word(self, key: str, message: str, params: dict[str, str], latex_params: dict[str, str]) -> sp.Symbol:
        """A symbol whose name has a word in it, shown in English until ``in_language`` says
        otherwise; ``latex_params`` fill the catalogue's LaTeX form of the same message."""
        symbol = self.add(key, t(message, "en", **params), t(f"{message}_latex", "en", **latex_params))
        self.worded[symbol] = (message, params, latex_params)
        return symbol

    def in_language(self, lang: str) -> Notation:
        """A copy whose worded names ("w₁ (new)", "local ∂c/∂v") are in ``lang``, as text and LaTeX."""
        if not self.worded:
            return self
        text, latex = dict(self.text), dict(self.latex)
        for symbol, (message, params, latex_params) in self.worded.items():
            text[symbol] = t(message, lang, **params)
            latex[symbol] = t(f"{message}_latex", lang, **latex_params)
        return replace(self, text=text, latex=latex)

    def partial(self, key: str, top: str, bottom: str, *, local: bool = False) -> sp.Symbol:
        """∂top/∂bottom, for graph problems; a local derivative (one node's own rule) says so."""
        fraction = rf"\frac{{\partial {_latex_name(top)}}}{{\partial {_latex_name(bottom)}}}"
        if local:
            return self.with_word(key, "symbol.local", {"top": top, "bottom": bottom}, {"fraction": fraction})
        return self.add(key, f"∂{top}/∂{bottom}", fraction)

    def plain(self, key: str) -> sp.Symbol:
        """A graph input or node. Real, so that SymPy differentiates abs(x) as sign(x)."""
        return self.add(key, key, _latex_name(key), real=True)


def partial_of_error(text: str, latex: str) -> tuple[str, str]:
    """∂E/∂x in Unicode and LaTeX, for x written as ``text`` and ``latex``."""
    return f"∂E/∂{text}", rf"\frac{{\partial E}}{{\partial {latex}}}"


def label(base_text: str, base_latex: str, layer: int | None, indices: tuple[int, ...]) -> tuple[str, str]:
    """Unicode and LaTeX forms of base_indices^(layer)."""
    sup_text = f"({layer})".translate(_SUP) if layer is not None else ""
    sup_latex = f"^{{({layer})}}" if layer is not None else ""
    sub_latex = f"_{{{_indices_latex(indices)}}}" if indices else ""
    return f"{base_text}{_indices_text(indices)}{sup_text}", f"{base_latex}{sup_latex}{sub_latex}"


def _latex_name(name: str) -> str:
    return r"\mathrm{" + name.replace("_", r"\_") + "}"
