"""A vector step's entries by name, in the order they are typed: "(δ₁, δ₂, δ₃)"."""

from __future__ import annotations

from collections.abc import Mapping

from .. import formula
from ..i18n import t
from ..steps import Step

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def entry_names(step: Step, symbols: Mapping) -> list[str]:
    """Each entry's own symbol where the solution has one ("h₁"), else the vector's symbol with
    the index put before any layer superscript ("δ⁽³⁾" → "δ₁⁽³⁾")."""
    count = len(step.value) if isinstance(step.value, tuple) else 1
    whole = formula.text(step.symbol, symbols)
    base, mark, layer = whole.partition("⁽")
    names = []
    for j in range(1, count + 1):
        key = f"{step.name}_{j}"
        if key in getattr(symbols, "symbols", symbols):
            names.append(formula.text(symbols[key], symbols))
        else:
            names.append(f"{base}{str(j).translate(_SUB)}{mark}{layer}")
    return names


def vector_form(step: Step, symbols: Mapping, lang: str) -> str:
    """What to type at a vector step: "(δ₁, δ₂, δ₃): 3 values, separated by commas, in this order"."""
    names = entry_names(step, symbols)
    return t("tui.answer_vector_order", lang, entries=f"({', '.join(names)})", count=len(names))


def matrix_form(step: Step, symbols: Mapping, lang: str) -> str:
    """What to type at a matrix step: "u: a 3×3 matrix, rows separated by ';', …"."""
    rows, columns = (tuple(step.shape) + (1, 1))[:2]
    return t("check.matrix_form", lang, name=formula.text(step.symbol, symbols), rows=rows, columns=columns)
