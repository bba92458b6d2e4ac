"""User-facing messages in English and Japanese. Standard library only.

One flat dict per language (``en.py``, ``ja.py``), keys named by area ("check.", "expr.",
"mistake.", "rule.", "tui.", ...), the same keys in both.
Templates use ``str.format`` fields; ``{name!r}`` quotes a name the way Python does.

A parameter may itself be a :class:`Msg`; it is rendered in the same language first. That is how
an error inside a list ("value 2: unknown name 'z'") stays translatable.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..safe_text import clean
from .en import EN
from .ja import JA

DEFAULT_LANG = "en"


@dataclass(frozen=True)
class Msg:
    """A message not yet rendered: a catalogue key and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


CATALOGUES: dict[str, dict[str, str]] = {"en": EN, "ja": JA}


def _lang_code(lang: str) -> str:
    # "ja_JP.UTF-8" and "ja-JP" both mean Japanese.
    return (lang or DEFAULT_LANG).replace("-", "_").split("_")[0].split(".")[0].lower()


def has(key: str, lang: str = DEFAULT_LANG) -> bool:
    """Whether ``key`` has a message (in ``lang`` or in English)."""
    return key in CATALOGUES.get(_lang_code(lang), {}) or key in EN


def kind_title(kind: str | None, lang: str = DEFAULT_LANG) -> str:
    """A problem kind as the diagram panel names it ("Computational graph"), else as written."""
    key = f"tui.diagram_{kind}"
    return t(key, lang) if has(key, lang) else kind or ""


def join_sentences(parts: list[str], lang: str = DEFAULT_LANG) -> str:
    """Sentences side by side: Japanese needs no space after "。"."""
    return ("" if _lang_code(lang) == "ja" else " ").join(p for p in parts if p)


def fields(template: str) -> set[str]:
    """The parameter names a template uses (for tests that compare languages)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The message ``key`` in ``lang``; falls back to English, then to the key itself.

    A template that cannot be filled (a parameter missing) falls back to the English template,
    then to the bare template: a message with a gap beats a crash in front of a student.
    ``key`` and ``lang`` cannot be template parameters (they are this function's own).
    """
    code = _lang_code(lang)
    # Parameters may carry a typed answer or teacher text: made safe to print here, once for all.
    rendered = {name: _render(value, lang) for name, value in params.items()}
    for template in (CATALOGUES.get(code, {}).get(key), EN.get(key)):
        if template is None:
            continue
        try:
            return template.format(**rendered)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return EN.get(key, key)


def _render(value: Any, lang: str) -> Any:
    if isinstance(value, Msg):
        return t(value.key, lang, **value.params)
    return clean(value) if isinstance(value, str) else value
