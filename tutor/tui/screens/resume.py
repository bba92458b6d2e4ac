"""The offer to continue an unfinished session: y continues, n starts over."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...i18n import t


class ResumeScreen(ModalScreen[bool]):
    """Dismissed with True (continue) or False (start over). Escape is not bound: no guessing."""

    BINDINGS = [
        Binding("y", "answer(True)", show=False),
        Binding("n", "answer(False)", show=False),
    ]

    def __init__(self, step: int, total: int, lang: str) -> None:
        super().__init__()
        self.step, self.total, self.lang = step, total, lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="resume-box") as box:
            box.border_title = Content(t("tui.resume_title", lang))
            question = t("tui.resume_question", lang, step=self.step, total=self.total)
            yield Static(Content(question), id="resume-question", markup=False)
            with Horizontal(id="resume-buttons"):
                yield Button(Content(t("tui.resume_yes", lang)), id="resume-yes", variant="primary")
                yield Button(Content(t("tui.resume_no", lang)), id="resume-no")

    def on_mount(self) -> None:
        self.query_one("#resume-yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "resume-yes")

    def action_answer(self, resume: bool) -> None:
        self.dismiss(resume)
