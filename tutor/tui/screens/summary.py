"""The end of a session: score, steps shown and skipped, the mistakes named; quit or review."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...i18n import t
from ...session import Summary, summary_lines


class SummaryScreen(ModalScreen[str]):
    """Dismissed with "quit" or "review"."""

    BINDINGS = [
        Binding("q,f10", "choose('quit')", show=False),
        Binding("r,escape", "choose('review')", show=False),
    ]

    def __init__(self, data: Summary, lang: str) -> None:
        super().__init__()
        self.data, self.lang = data, lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="summary-box") as box:
            box.border_title = Content(t("tui.summary_title", lang))
            yield Static(Content("\n".join(summary_lines(self.data, lang))), id="summary-text", markup=False)
            with Horizontal(id="summary-buttons"):
                yield Button(Content(t("tui.summary_review", lang)), id="review", variant="primary")
                yield Button(Content(t("tui.summary_quit", lang)), id="quit")

    def on_mount(self) -> None:
        self.query_one("#review", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "review")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
