"""ExprError, and the size limits whose breach it reports."""

from __future__ import annotations

from typing import Any

from tutor import i18n

MAX_NESTING = 40  # parentheses and calls; deeper is never a hand-written answer
MAX_DEPTH = 100  # tree depth (a long chain of unary minus, say); keeps recursion shallow
MAX_NODES = 200
MAX_NUMBER_CHARS = 100  # far below Python's 4,300-digit int-str limit, far above any real answer
MAX_VALUES = 100  # entries in a list answer
MAX_SUGGEST_CHARS = 40  # longer unknown names get no "did you mean"


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
