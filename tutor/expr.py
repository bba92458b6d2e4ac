"""The one safe expression parser: student answers and teacher-written graph node expressions.

Nothing here calls ``eval``, ``sympify`` or ``parse_expr``: those run Python code and can hang on
ten-character inputs. Instead the text goes through four bounded stages:

1. ``normalize``: NFKC and a small map of look-alike characters (IME full-width input, U+2212, ×).
2. a token scan of the normalised text: it refuses anything outside the grammar with a message
   that says what is wrong (quotes, '.', '=', '2x', unbalanced parentheses, nesting > 40, ...);
3. ``ast.parse(mode="eval")`` for precedence, then an allowlist walk that turns the tree into a
   few small node classes (at most 200 nodes);
4. evaluation in floats only, so ``9**9**9**9`` ends in ``OverflowError`` within microseconds.

The functions, their numeric forms and their derivatives come from the maths table
(``tutor/maths/functions.py``, NumPy); sympy is imported inside ``Expr.to_sympy``.

The canonical text of an expression (``Expr.text``) writes powers as ``^`` (the lecture's notation),
puts spaces around binary + and -, and parenthesises a signed right operand (``2*(-3)``).
It parses back to the same tree.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import math
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Union

from tutor import i18n
from tutor.maths import functions as _table
from tutor.maths import names as _names

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

FUNCTIONS: frozenset[str] = _names.CALLABLE
CONSTANTS: frozenset[str] = frozenset(_names.CONSTANTS)

MAX_NESTING = 40  # parentheses and calls; deeper is never a hand-written answer
MAX_DEPTH = 100  # tree depth (a long chain of unary minus, say); keeps recursion shallow
MAX_NODES = 200
MAX_NUMBER_CHARS = 100  # far below Python's 4,300-digit int-str limit, far above any real answer
MAX_VALUES = 100  # entries in a list answer
MAX_SUGGEST_CHARS = 40  # longer unknown names get no "did you mean"

_EMPTY: Mapping[str, float] = MappingProxyType({})


class ExprError(ValueError):
    """Input that is not an expression we accept, or one that cannot be evaluated.

    ``code`` is an i18n key (``tutor/i18n/``); ``params`` fill its template.
    ``str(e)`` is the English message; ``e.message(lang)`` gives another language.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = "en") -> str:
        return i18n.t(self.code, lang, **self.params)

    def msg(self) -> i18n.Msg:
        """The message unrendered, to nest inside another message."""
        return i18n.Msg(self.code, dict(self.params))

    def __str__(self) -> str:
        return self.message("en")


# ---------------------------------------------------------------------------------------------
# 1. Normalisation

# Superscripts first: NFKC would turn "x²" into "x2", a different name.
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")

# Applied after NFKC (which already maps full-width ０-９ ．－＋（），＾ to ASCII).
_LOOKALIKES = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash, what word processors turn "-" into
    "×": "*",
    "·": "*",  # middle dot
    "・": "*",  # katakana middle dot (Japanese IME)
    "⋅": "*",  # dot operator
    "∙": "*",  # bullet operator
    "∗": "*",  # asterisk operator
    "÷": "/",
    "∕": "/",  # division slash
    "⁄": "/",  # fraction slash: NFKC writes "½" as "1⁄2"
    "、": ",",  # Japanese comma
    "σ": "sigma",
    "δ": "delta",
    "η": "eta",
    "π": "pi",
}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_WHITESPACE = re.compile(r"\s+")

# Characters an IME produces where a minus was meant; named in the error message.
_DASHES = frozenset("ー―—ｰ")


def normalize(text: str) -> str:
    """Map what people type (full-width IME input, Unicode operators) to the ASCII grammar.

    ``^`` becomes ``**``; whitespace runs become one space; the ends are stripped.
    Characters with no ASCII meaning are kept, so the parser can name them in its error.
    """
    return _normalize_display(text).replace("^", "**")


def _normalize_display(text: str) -> str:
    # Like normalize() but keeps "^": positions in error messages then match what was typed.
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^(" + m.group().translate(_SUPERSCRIPT) + ")", text)
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKE_TABLE)
    return _WHITESPACE.sub(" ", text).strip()


# ---------------------------------------------------------------------------------------------
# 2. The expression tree


@dataclass(frozen=True, slots=True)
class _Num:
    value: int | float


@dataclass(frozen=True, slots=True)
class _Var:
    name: str


@dataclass(frozen=True, slots=True)
class _Const:
    name: str


@dataclass(frozen=True, slots=True)
class _Unary:
    op: str  # "-" or "+"
    operand: _Node


@dataclass(frozen=True, slots=True)
class _Bin:
    op: str  # "+", "-", "*", "/", "^"
    left: _Node
    right: _Node


@dataclass(frozen=True, slots=True)
class _Call:
    func: str
    arg: _Node


_Node = Union[_Num, _Var, _Const, _Unary, _Bin, _Call]


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
        return _slope(self.tree, name, env)[1]

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
# 3. Parsing


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


_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def _check_characters(display: str) -> None:
    if _PRINTABLE_ASCII.fullmatch(display):
        return  # the usual case, without a Python-level loop over the text
    for pos, char in enumerate(display, 1):
        if " " <= char <= "~":
            continue
        codepoint = f"U+{ord(char):04X}"
        if unicodedata.category(char) in ("Cc", "Cf"):  # NUL, escape, zero-width space, BOM...
            raise ExprError("expr.control_char", codepoint=codepoint, pos=pos)
        if char in _DASHES:
            raise ExprError("expr.non_ascii_dash", char=char, pos=pos)
        charname = unicodedata.name(char, "?").lower()
        raise ExprError("expr.non_ascii", char=char, codepoint=codepoint, charname=charname, pos=pos)


# -- token scan: everything the allowlist walk would refuse, said in the student's terms -------

_TOKEN = re.compile(
    r"""
    (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_]\w*)
  | (?P<op>\*\*|[-+*/^(),\[\]])
  | (?P<space>\ +)
  | (?P<other>.)
    """,
    re.VERBOSE | re.ASCII | re.DOTALL,
)
_LEADING_ZERO = re.compile(r"0+[1-9]\d*")  # Python refuses "05"; say so plainly


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "num", "name", "op"
    text: str
    pos: int  # 1-based, in the display text


def _scan(display: str, names: frozenset[str]) -> None:
    opened: list[_Token] = []
    prev: _Token | None = None
    parts = 0
    for match in _TOKEN.finditer(display):
        kind = match.lastgroup or "other"
        if kind == "space":
            continue
        tok = _Token(kind, match.group(), match.start() + 1)
        if kind == "other":
            raise _refuse_char(display, tok)
        _check_token(tok)
        if prev is not None:
            _check_adjacent(prev, tok, names)
        _track_brackets(tok, opened)
        if tok.text not in ("(", ")", ","):
            parts += 1  # roughly one tree node per token: refuse huge inputs before ast.parse
            if parts > MAX_NODES:
                raise ExprError("expr.too_many_nodes", limit=MAX_NODES)
        prev = tok
    if opened:
        raise ExprError("expr.unclosed", char=opened[-1].text, pos=opened[-1].pos)


def _check_token(tok: _Token) -> None:
    if tok.kind == "num":
        if len(tok.text) > MAX_NUMBER_CHARS:
            raise ExprError("expr.number_too_long", number=tok.text[:12] + "...")
        if _LEADING_ZERO.fullmatch(tok.text):
            raise ExprError("expr.leading_zero", number=tok.text, suggestion=str(int(tok.text)))
    elif tok.kind == "name" and keyword.iskeyword(tok.text):
        raise ExprError("expr.keyword", word=tok.text)
    elif tok.text in ("[", "]"):
        raise ExprError("expr.brackets")


def _check_adjacent(prev: _Token, tok: _Token, names: frozenset[str]) -> None:
    # Two operands in a row: "2x", "2 (", ")(", "x y". Python would say only "invalid syntax".
    prev_operand = prev.kind in ("num", "name") or prev.text == ")"
    tok_operand = tok.kind in ("num", "name") or tok.text == "("
    if not (prev_operand and tok_operand):
        return
    if prev.kind == "name" and tok.text == "(":
        if prev.text in FUNCTIONS:
            return  # a call: "exp("
        if prev.text in names:
            raise ExprError("expr.not_a_function", name=prev.text)
        return  # an unknown function: the tree walk names it and suggests one
    if prev.kind == "name" and prev.text in FUNCTIONS and prev.text not in names:
        raise ExprError("expr.function_needs_call", name=prev.text)
    if prev.kind == "num" and tok.kind == "num":
        raise ExprError("expr.missing_operator", left=prev.text, right=tok.text)
    raise ExprError("expr.implicit_multiplication", suggestion=f"{prev.text}*{tok.text}", pos=tok.pos)


def _track_brackets(tok: _Token, opened: list[_Token]) -> None:
    if tok.text == "(":
        opened.append(tok)
        if len(opened) > MAX_NESTING:
            raise ExprError("expr.too_deep", limit=MAX_NESTING)
    elif tok.text == ")":
        if not opened:
            raise ExprError("expr.unbalanced_close", char=")", pos=tok.pos)
        opened.pop()


def _refuse_char(display: str, tok: _Token) -> ExprError:
    char = tok.text
    after = display[tok.pos : tok.pos + 1]
    if char in "'\"":
        return ExprError("expr.string")
    if char == ".":
        return ExprError("expr.attribute", pos=tok.pos)
    if char == "=":  # "<=", ">=" and "!=" are refused at their first character
        return ExprError("expr.comparison", op="==") if after == "=" else ExprError("expr.equals")
    if char in "<>":
        return ExprError("expr.comparison", op=char + ("=" if after == "=" else ""))
    if char == "!":
        return ExprError("expr.comparison", op="!=") if after == "=" else ExprError("expr.factorial")
    if char == "%":
        return ExprError("expr.percent")
    return ExprError("expr.bad_char", char=char, pos=tok.pos)


def _syntax_error(display: str, err: SyntaxError) -> ExprError:
    stripped = display.rstrip()
    if stripped[-1] in "+-*/^(,":
        return ExprError("expr.incomplete", near=stripped[-12:])
    pos = _display_pos(display, (err.offset or 1) - 1) + 1
    return ExprError("expr.syntax", pos=pos, near=display[pos - 1 : pos + 11] or display[-12:])


def _display_pos(display: str, source_index: int) -> int:
    # source has "**" where display has "^": map a 0-based source index back.
    seen = 0
    for i, char in enumerate(display):
        seen += 2 if char == "^" else 1
        if seen > source_index:
            return i
    return max(len(display) - 1, 0)


# -- the allowlist walk ------------------------------------------------------------------------

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}
_OTHER_OPERATORS = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<",
                    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
_DECIMAL_COMMA = re.compile(r"(\d),(\d)")
_TWO_POINTS = re.compile(r"\d*\.\d*\.")  # "0.1.0": not one number


class _Builder:
    """Turns an ``ast`` tree into ``_Node``s, refusing every node type not in the grammar."""

    def __init__(self, display: str, names: frozenset[str]) -> None:
        self.display = display
        self.names = names
        self.count = 0

    def build(self, node: ast.AST, depth: int) -> _Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise ExprError("expr.too_many_nodes", limit=MAX_NODES)
        if depth > MAX_DEPTH:  # a chain of 100 operators: no answer looks like that
            raise ExprError("expr.too_complex", limit=MAX_DEPTH)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise ExprError("expr.not_allowed", what=type(node).__name__.lower())
        return method(node, depth + 1)

    def _Constant(self, node: ast.Constant, depth: int) -> _Node:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExprError("expr.not_allowed", what=type(value).__name__)
        if isinstance(value, float) and not math.isfinite(value):
            raise ExprError("expr.number_range", number=self._source(node))
        return _Num(value)

    def _Name(self, node: ast.Name, depth: int) -> _Node:
        name = node.id
        if name in self.names:
            return _Var(name)
        if name in CONSTANTS:
            return _Const(name)
        if name in FUNCTIONS:
            raise ExprError("expr.function_needs_call", name=name)
        raise _unknown("name", name, self.names | CONSTANTS)

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> _Node:
        op = _UNARY.get(type(node.op))
        if op is None:
            raise ExprError("expr.not_allowed", what=type(node.op).__name__.lower())
        return _Unary(op, self.build(node.operand, depth))

    def _BinOp(self, node: ast.BinOp, depth: int) -> _Node:
        op = _BINARY.get(type(node.op))
        if op is None:
            raise ExprError("expr.operator", op=_OTHER_OPERATORS.get(type(node.op), "?"))
        return _Bin(op, self.build(node.left, depth), self.build(node.right, depth))

    def _Call(self, node: ast.Call, depth: int) -> _Node:
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
        return _Call(func.id, self.build(args[0], depth))

    def _Tuple(self, node: ast.Tuple, depth: int) -> _Node:
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


def _variables(node: _Node) -> set[str]:
    match node:
        case _Var(name):
            return {name}
        case _Unary(_, operand) | _Call(_, operand):
            return _variables(operand)
        case _Bin(_, left, right):
            return _variables(left) | _variables(right)
    return set()


# -- canonical text ----------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "unary": 3, "^": 4, "atom": 5}


def _precedence(node: _Node) -> int:
    if isinstance(node, _Bin):
        return _PRECEDENCE[node.op]
    if isinstance(node, _Unary):
        return _PRECEDENCE["unary"]
    return _PRECEDENCE["atom"]


def _unparse(node: _Node) -> str:
    match node:
        case _Num(value):
            return _number_text(value)
        case _Var(name) | _Const(name):
            return name
        case _Call(func, arg):
            return f"{func}({_unparse(arg)})"
        case _Unary(op, operand):
            inner = _unparse(operand)
            # "-(-x)" and "-(x+y)" keep their parentheses; "-x^2" means -(x^2) as in Python.
            return f"{op}({inner})" if _precedence(operand) <= _PRECEDENCE["unary"] else op + inner
        case _Bin(op, left, right):
            return _unparse_binary(op, left, right)
    raise AssertionError(node)


def _unparse_binary(op: str, left: _Node, right: _Node) -> str:
    mine = _PRECEDENCE[op]
    if op == "^":  # right-associative; a signed or power base needs parentheses: (-2)^2
        left_text = _wrap(left, _precedence(left) <= mine)
        right_text = _wrap(right, _precedence(right) < mine)
        return f"{left_text}^{right_text}"
    # Keep the tree as typed: "a-(b-c)" and "a+(b+c)" both keep their parentheses,
    # so that parse(text) rebuilds the same tree and the same float result.
    left_text = _wrap(left, _precedence(left) < mine)
    right_text = _wrap(right, _precedence(right) <= mine or isinstance(right, _Unary))  # 2*(-3)
    return f"{left_text} {op} {right_text}" if op in "+-" else f"{left_text}{op}{right_text}"


def _wrap(node: _Node, needed: bool) -> str:
    text = _unparse(node)
    return f"({text})" if needed else text


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    text = repr(value)  # shortest text that reads back as the same float
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"  # "1e-05" -> "1e-5"
    return text


# ---------------------------------------------------------------------------------------------
# 4. Evaluation, in floats only


def _evaluate(node: _Node, env: Mapping[str, float]) -> float:
    match node:
        case _Num(value):
            return _finite(_to_float(value))
        case _Const(name):
            return math.pi if name == "pi" else math.e
        case _Var(name):
            return _lookup(env, name)
        case _Unary(op, operand):
            value = _evaluate(operand, env)
            return -value if op == "-" else value
        case _Bin(op, left, right):
            return _finite(_BINARY_EVAL[op](_evaluate(left, env), _evaluate(right, env)))
        case _Call(func, arg):
            return _call(func, _evaluate(arg, env))
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


def _slope(node: _Node, name: str, env: Mapping[str, float]) -> tuple[float, float]:
    """(value, d value/d name) of a subtree: forward-mode differentiation in floats."""
    match node:
        case _Var(var):
            return _lookup(env, var), 1.0 if var == name else 0.0
        case _Unary(op, operand):
            value, slope = _slope(operand, name, env)
            return (-value, -slope) if op == "-" else (value, slope)
        case _Bin(op, left, right):
            return _binary_slope(op, left, right, name, env)
        case _Call(func, arg):
            x, dx = _slope(arg, name, env)
            value = _call(func, x)
            if dx == 0.0:
                return value, 0.0
            function = _table.lookup(func)
            if function.slope_defined is not None and not function.slope_defined(x):
                derivative = f"d({func} {_unparse(arg)})/d{_unparse(arg)}" if isinstance(arg, _Var) else \
                    f"d({func}({_unparse(arg)}))/d({_unparse(arg)})"
                raise ExprError("expr.slope_undefined", derivative=derivative, arg=_unparse(arg), value=_short(x))
            return value, _finite_slope(float(function.slope(x, value)) * dx, name)
    return _evaluate(node, env), 0.0


def _binary_slope(op: str, left: _Node, right: _Node, name: str, env: Mapping[str, float]) -> tuple[float, float]:
    a, da = _slope(left, name, env)
    b, db = _slope(right, name, env)
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


def _operand(node: _Node) -> str:
    return _unparse(node) if isinstance(node, (_Var, _Num, _Const, _Call)) else f"({_unparse(node)})"


# ---------------------------------------------------------------------------------------------
# 5. Conversion to sympy


def _constant_parts_finite(node: _Node) -> bool:
    """Whether every part without variables has a finite float value.

    If so, sympy's eager evaluation only meets numbers below 1e308: cheap. If not
    (``9^9^9``), it could try to build a number with hundreds of millions of digits.
    """
    if not _variables(node):
        try:
            _evaluate(node, _EMPTY)
        except ExprError:
            return False
        return True
    match node:
        case _Unary(_, operand) | _Call(_, operand):
            return _constant_parts_finite(operand)
        case _Bin(_, left, right):
            return _constant_parts_finite(left) and _constant_parts_finite(right)
    return True


class _SympyBuilder:
    def __init__(self, sp: Any, symbols: dict[str, Any], evaluate: bool) -> None:
        self.sp = sp
        self.symbols = symbols
        self.ev = evaluate

    def build(self, node: _Node) -> Any:
        sp = self.sp
        match node:
            case _Num(value):
                return sp.Integer(value) if isinstance(value, int) else sp.Float(value)
            case _Const(name):
                return sp.pi if name == "pi" else sp.E
            case _Var(name):
                return self.symbols[name] if name in self.symbols else sp.Symbol(name)
            case _Unary(op, operand):
                inner = self.build(operand)
                return self.mul(sp.S.NegativeOne, inner) if op == "-" else inner
            case _Bin(op, left, right):
                return self.binary(op, self.build(left), self.build(right))
            case _Call(func, arg):
                return self.call(func, self.build(arg))
        raise AssertionError(node)

    def add(self, a: Any, b: Any) -> Any:
        return self.sp.Add(a, b, evaluate=self.ev)

    def mul(self, a: Any, b: Any) -> Any:
        return self.sp.Mul(a, b, evaluate=self.ev)

    def pow(self, a: Any, b: Any) -> Any:
        return self.sp.Pow(a, b, evaluate=self.ev)

    def binary(self, op: str, a: Any, b: Any) -> Any:
        minus_one = self.sp.S.NegativeOne
        if op == "+":
            return self.add(a, b)
        if op == "-":
            return self.add(a, self.mul(minus_one, b))
        if op == "*":
            return self.mul(a, b)
        if op == "/":
            return self.mul(a, self.pow(b, minus_one))
        return self.pow(a, b)

    def call(self, func: str, x: Any) -> Any:
        return _table.lookup(func).sympy(x, self.ev)
