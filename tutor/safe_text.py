"""Text from problem files and typed answers made safe to print. Standard library only.

A terminal obeys control characters: ESC starts sequences that move the cursor, erase lines,
set the window title or write the clipboard (OSC 52), and bidirectional controls reorder or
hide text. Problem files are untrusted, so ``validate`` refuses these characters
(:func:`unsafe_character` names the first one) and everything printed from a problem or an
answer passes through :func:`clean` as a second wall, which makes each of them visible instead:
C0 controls and DEL become their Unicode control pictures (ESC -> "␛", BEL -> "␇"), C1 and
bidirectional controls and lone surrogates are written out as ``\\u009b``. Newline and tab stay.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TextIO

__all__ = ["SafeWriter", "clean", "describe_character", "is_bidi", "unsafe_character"]

_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_BIDI_CHAR = re.compile(f"[{_BIDI}]")

_NAMES = {
    0x00: "null", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
    0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line",
    0x90: "device control string", 0x9B: "control sequence introducer", 0x9D: "operating system command",
}


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the control picture: U+241B SYMBOL FOR ESCAPE is "␛"
    if code == 0x7F:
        return "\u2421"  # "␡"
    return f"\\u{code:04x}"


def clean(text: str) -> str:
    """``text`` with every control character (but newline and tab) and bidi control made visible."""
    if not isinstance(text, str):
        text = str(text)
    return _UNSAFE.sub(_visible, text)


def unsafe_character(text: str) -> str | None:
    """The first character ``clean`` would replace, or None when the text is safe to print."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def is_bidi(char: str) -> bool:
    """Whether ``char`` is a bidirectional control (it reorders the text around it)."""
    return _BIDI_CHAR.fullmatch(char) is not None


def describe_character(char: str) -> str:
    """"the control character U+001B (escape)", "the bidirectional control U+202E (right-to-left override)"."""
    code = ord(char)
    if is_bidi(char):
        name = unicodedata.name(char, "").lower()
        return f"the bidirectional control U+{code:04X} ({name})"
    if 0xD800 <= code <= 0xDFFF:
        return f"the unpaired surrogate U+{code:04X}"
    name = _NAMES.get(code)
    return f"the control character U+{code:04X}" + (f" ({name})" if name else "")


class SafeWriter:
    """A text stream whose every ``write`` is cleaned first (plain mode's output)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(clean(text))

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
