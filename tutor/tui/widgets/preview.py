"""The live "I read this as ..." line under the answer box: how the answer will be read."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...check import Reading
from ...i18n import t

STATES = ("ok", "error", "command")


class ReadingPreview(Static):
    """Shows a Reading (or a recognised command word) as plain text; state in a CSS class."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def _set(self, state: str | None, text: str) -> None:
        for name in STATES:
            self.set_class(name == state, f"-{name}")
        self.update(Content(text))

    def clear(self) -> None:
        self._set(None, "")

    def show_reading(self, reading: Reading, lang: str) -> None:
        if reading.ok:
            self._set("ok", t("check.read_as", lang, shown=reading.shown))
        else:
            self._set("error", reading.message(lang))

    def show_command(self, word: str, lang: str) -> None:
        self._set("command", t("tui.preview_command", lang, word=word))
