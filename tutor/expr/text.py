"""Normalisation: what people type (full-width IME input, Unicode operators) to the ASCII grammar."""

from __future__ import annotations

import re
import unicodedata

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


def normalize(text: str) -> str:
    """Map what people type (full-width IME input, Unicode operators) to the ASCII grammar.

    ``^`` becomes ``**``; whitespace runs become one space; the ends are stripped.
    Characters with no ASCII meaning are kept, so the parser can name them in its error.
    """
    return normalize_display(text).replace("^", "**")


def normalize_display(text: str) -> str:
    # Like normalize() but keeps "^": positions in error messages then match what was typed.
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^(" + m.group().translate(_SUPERSCRIPT) + ")", text)
    text = unicodedata.normalize("NFKC", text).translate(_LOOKALIKE_TABLE)
    return _WHITESPACE.sub(" ", text).strip()
