"""The help screen: every key, the command words of the answer box, how to write answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ...i18n import t
from ...render.diagram import pad, width
from ...commands import command_rows


def keys_table(rows: list[tuple[str, str]]) -> str:
    """Two aligned columns: keys, what they do."""
    keys_width = max((width(keys) for keys, _ in rows), default=0)
    return "\n".join(f"  {pad(keys, keys_width)}   {what}" for keys, what in rows)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close", show=False)]

    def __init__(self, rows: list[tuple[str, str]], lang: str) -> None:
        super().__init__()
        self.rows = rows
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with VerticalScroll(id="help-box") as box:
            box.border_title = Content(t("tui.help_title", lang))
            box.border_subtitle = Content(t("tui.help_close", lang))
            yield Static(Content(t("tui.help_keys", lang)), classes="help-heading", markup=False)
            yield Static(Content(keys_table(self.rows)), id="help-keys", markup=False)
            yield Static(Content(t("tui.help_words", lang)), classes="help-heading", markup=False)
            yield Static(Content(keys_table(command_rows(lang))), id="help-words", markup=False)
            for key in ("tui.help_answers", "tui.help_marks", "tui.help_saved"):
                yield Static(Content(t(key, lang)), classes="help-text", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()  # arrow keys and PgUp/PgDn scroll a long help

    def action_close(self) -> None:
        self.dismiss(None)
