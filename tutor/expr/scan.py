"""Character and token checks on the normalised text, before ``ast.parse`` sees it; and
Python's SyntaxError retold with a position in the text as typed."""

from __future__ import annotations

import keyword
import re
import unicodedata
from dataclasses import dataclass

from .errors import MAX_NESTING, MAX_NODES, MAX_NUMBER_CHARS, ExprError
from .nodes import FUNCTIONS

# Characters an IME produces where a minus was meant; named in the error message.
_DASHES = frozenset("ー―—ｰ")

_PRINTABLE_ASCII = re.compile(r"[ -~]*")


def check_characters(display: str) -> None:
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


def scan(display: str, names: frozenset[str]) -> None:
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


def syntax_error(display: str, err: SyntaxError) -> ExprError:
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
