"""A window's sum as the lecture writes it: Σ [z₁₁ … z₃₃] ⊙ [h₁₁ … h₃₃], with numbers
Σ (5 1 0; 1 6 1; 4 1 6) ⊙ (2 0 −2; 0 2 0; −2 0 2). Nine products written out do not fit a line;
this does, and it is still a formula: SymPy reads its symbols and lambdify evaluates it."""

from __future__ import annotations

import math

import sympy as sp

from tutor.maths.forms import add, mul

WRITTEN_OUT_UP_TO = 3  # up to this many products, the sum is written out term by term


class WindowSum(sp.Function):
    """Σₖ aₖ bₖ over two lists of equal length; ``columns`` > 0 says they are blocks of that width."""

    nargs = 3

    @staticmethod
    def _imp_(a, b, columns):
        return math.fsum(x * y for x, y in zip(a, b))

    def _sympystr(self, printer) -> str:
        a, b, columns = self.args
        return f"Σ {_list(printer, a, int(columns), '…')} ⊙ {_list(printer, b, int(columns), '…')}"

    def _latex(self, printer) -> str:
        a, b, columns = self.args
        dots = r"\dots"
        return rf"\sum {_list(printer, a, int(columns), dots)} \odot {_list(printer, b, int(columns), dots)}"


def _list(printer, items: sp.Tuple, columns: int, ellipsis: str) -> str:
    if all(isinstance(item, sp.Symbol) for item in items):  # the formula: first … last
        return f"[{printer._print(items[0])} {ellipsis} {printer._print(items[-1])}]"
    shown = [printer._print(item) for item in items]
    if columns > 0 and len(shown) % columns == 0:
        rows = [" ".join(shown[r:r + columns]) for r in range(0, len(shown), columns)]
        return "(" + "; ".join(rows) + ")"
    return "(" + " ".join(shown) + ")"


def products(pairs: list[tuple[sp.Expr, sp.Expr]], columns: int = 0, *extra: sp.Expr) -> sp.Expr:
    """Σ a·b over ``pairs`` (plus ``extra`` terms): written out when short, else a WindowSum."""
    if len(pairs) <= WRITTEN_OUT_UP_TO:
        terms = [mul(a, b) for a, b in pairs] + list(extra)
        return add(*terms) if terms else sp.Integer(0)
    window = WindowSum(sp.Tuple(*(a for a, _ in pairs)), sp.Tuple(*(b for _, b in pairs)), sp.Integer(columns))
    return add(window, *extra) if extra else window


class _Block(sp.Function):
    """An operation over a block of entries, printed "Σ [a₁₁ … a₃₃]" or "Σ (1 0; 2 1)"."""

    nargs = 2
    word = ""

    def _sympystr(self, printer) -> str:
        items, columns = self.args
        return f"{self.word} {_list(printer, items, int(columns), '…')}"

    def _latex(self, printer) -> str:
        items, columns = self.args
        dots = r"\dots"
        return rf"{self.latex_word} {_list(printer, items, int(columns), dots)}"


class BlockSum(_Block):
    word, latex_word = "Σ", r"\sum"

    @staticmethod
    def _imp_(items, columns):
        return math.fsum(items)


class BlockMax(_Block):
    word, latex_word = "max", r"\max"

    @staticmethod
    def _imp_(items, columns):
        return max(items)


def block(kind: type[_Block], items: list[sp.Expr], columns: int) -> sp.Expr:
    """The sum or max of ``items``: written out when short ("a + b", "max(a, b, c, d)"), else a block."""
    if len(items) <= 2 * WRITTEN_OUT_UP_TO - 2:
        return add(*items) if kind is BlockSum else _MAX(*items)
    return kind(sp.Tuple(*items), sp.Integer(columns))


_MAX = sp.Function("max")  # unevaluated: the entries stay in reading order, repeats and all
