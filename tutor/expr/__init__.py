"""The one safe expression parser: student answers and teacher-written graph node expressions.

Nothing here calls ``eval``, ``sympify`` or ``parse_expr``: those run Python code and can hang on
ten-character inputs. Instead the text goes through four bounded stages:

1. ``normalize`` (``text.py``): NFKC and a small map of look-alike characters (IME full-width
   input, U+2212, ×).
2. a token scan of the normalised text (``scan.py``): it refuses anything outside the grammar with
   a message that says what is wrong (quotes, '.', '=', '2x', unbalanced parentheses, nesting > 40, ...);
3. ``ast.parse(mode="eval")`` for precedence, then an allowlist walk (``build.py``) that turns the
   tree into a few small node classes (``nodes.py``, at most 200 nodes);
4. evaluation in floats only (``evaluate.py``), so ``9**9**9**9`` ends in ``OverflowError`` within
   microseconds.

The functions, their numeric forms and their derivatives come from the maths table
(``tutor/maths/functions.py``, NumPy); sympy is imported inside ``Expr.to_sympy``
(the conversion itself is ``sympy_form.py``).

The canonical text of an expression (``Expr.text``) writes powers as ``^`` (the lecture's notation),
puts spaces around binary + and -, and parenthesises a signed right operand (``2*(-3)``).
It parses back to the same tree.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .build import Builder as _Builder
from .errors import (  # noqa: F401 - the limits: part of this package's API
    MAX_DEPTH,
    MAX_NESTING,
    MAX_NODES,
    MAX_NUMBER_CHARS,
    MAX_SUGGEST_CHARS,
    MAX_VALUES,
    ExprError,
)
from .evaluate import EMPTY as _EMPTY
from .evaluate import evaluate as _evaluate
from .evaluate import value_and_slope as _value_and_slope
from .nodes import CONSTANTS, FUNCTIONS
from .nodes import Node as _Node
from .nodes import Num as _Num
from .nodes import Unary as _Unary
from .nodes import unparse as _unparse
from .nodes import variables as _variables
from .scan import check_characters as _check_characters
from .scan import scan as _scan
from .scan import syntax_error as _syntax_error
from .sympy_form import SympyBuilder as _SympyBuilder
from .sympy_form import constant_parts_finite as _constant_parts_finite
from .text import normalize
from .text import normalize_display as _normalize_display

if TYPE_CHECKING:
    import sympy

__all__ = [
    "CONSTANTS",
    "FUNCTIONS",
    "Expr",
    "ExprError",
    "normalize",
    "parse",
    "parse_list",
]


@dataclass(frozen=True)
class Expr:
    """A validated expression. Build it with :func:`parse`."""

    text: str  # canonical echo ("I read this as ..."); parse(text) gives the same tree
    names: frozenset[str]  # variable names used (constants and functions excluded)
    tree: _Node = field(repr=False, compare=False)

    @property
    def is_literal(self) -> bool:
        """A plain number, possibly signed: echoing "0.5 = 0.5" would add nothing."""
        node = self.tree
        if isinstance(node, _Unary):
            node = node.operand
        return isinstance(node, _Num)

    def evaluate(self, env: Mapping[str, float] = _EMPTY) -> float:
        """The value in floats. Raises ExprError on overflow, a domain error or a missing name."""
        return _evaluate(self.tree, env)

    def derivative(self, name: str, env: Mapping[str, float]) -> float:
        """d(expression)/d(name) at ``env``, other names held fixed: the chain rule through the tree,
        each function's slope from the maths table. Raises ExprError where it is undefined."""
        return _value_and_slope(self.tree, name, env)[1]

    def to_sympy(self, symbols: Mapping[str, sympy.Symbol] | None = None) -> sympy.Expr:
        """The same expression as sympy objects, built node by node (never from text).

        Integers become ``Integer`` and decimals ``Float``. If some constant part cannot be
        computed in floats (``9^9^9``, ``log(0)``), the whole tree is built with
        ``evaluate=False`` so that sympy does not try to compute it either.
        """
        import sympy

        evaluate = _constant_parts_finite(self.tree)
        return _SympyBuilder(sympy, dict(symbols or {}), evaluate).build(self.tree)


# ---------------------------------------------------------------------------------------------
# Parsing

def parse(text: str, names: Collection[str] = (), *, max_length: int = 300) -> Expr:
    """Read one expression. Raises ExprError saying what is wrong and where.

    ``names`` are the variables allowed; they shadow the constants ``pi`` and ``e``.
    The functions in FUNCTIONS are always allowed, as calls with one argument.
    """
    return _parse_display(_prepare(text, max_length), frozenset(names))


def parse_list(text: str, names: Collection[str] = (), *, max_length: int = 2000) -> tuple[Expr, ...]:
    """Read comma-separated values: "0.3, -0.8, 0.5", also inside [...] or (...).

    A single value gives a 1-tuple. An error in one value is ``expr.list_item`` with the
    value's 1-based ``item`` and the inner error as ``detail`` (an ``i18n.Msg``).
    """
    display = _prepare(text, max_length)
    _check_characters(display)  # here, so that positions count from the start of the whole list
    pieces = _split_top_level(_strip_enclosing(display))
    if len(pieces) > MAX_VALUES:
        raise ExprError("expr.too_many_values", limit=MAX_VALUES)
    if len(pieces) == 1:
        return (_parse_display(pieces[0], frozenset(names)),)
    return tuple(_parse_item(piece, i, frozenset(names)) for i, piece in enumerate(pieces, 1))


def _prepare(text: str, max_length: int) -> str:
    """Length checks around normalisation: the raw length first, so a 1 MB line costs nothing."""
    if len(text) > max_length:
        raise ExprError("expr.too_long", length=len(text), limit=max_length)
    display = _normalize_display(text)
    if len(display) > 2 * max_length:  # NFKC can expand one character into up to 18
        raise ExprError("expr.too_long", length=len(display), limit=max_length)
    return display


def _parse_item(piece: str, item: int, names: frozenset[str]) -> Expr:
    if not piece:
        raise ExprError("expr.list_empty_item", item=item)
    try:
        return _parse_display(piece, names)
    except ExprError as err:
        raise ExprError("expr.list_item", item=item, detail=err.msg(), inner=err.code) from None


def _strip_enclosing(display: str) -> str:
    # "[0.3, 0.5]" or "(0.3, 0.5)": drop the pair only if it encloses everything ("(1)*(2)" stays).
    if len(display) < 2 or (display[0], display[-1]) not in {("[", "]"), ("(", ")")}:
        return display
    depth = 0
    for i, char in enumerate(display):
        depth += char in "(["
        depth -= char in ")]"
        if depth == 0 and i < len(display) - 1:
            return display
    return display[1:-1].strip()


def _split_top_level(display: str) -> list[str]:
    pieces, depth, start = [], 0, 0
    for i, char in enumerate(display):
        depth += char in "(["
        depth -= char in ")]"
        if char == "," and depth == 0:
            pieces.append(display[start:i].strip())
            start = i + 1
    pieces.append(display[start:].strip())
    return pieces


def _parse_display(display: str, names: frozenset[str]) -> Expr:
    if not display:
        raise ExprError("expr.empty")
    _check_characters(display)
    _scan(display, names)
    source = display.replace("^", "**")
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        raise _syntax_error(display, err) from None
    except (RecursionError, MemoryError):
        raise ExprError("expr.too_deep", limit=MAX_NESTING) from None
    except (ValueError, OverflowError):
        raise ExprError("expr.syntax", pos=1, near=display[:12]) from None
    node = _Builder(display, names).build(tree.body, 1)
    return Expr(_unparse(node), frozenset(_variables(node)), node)
