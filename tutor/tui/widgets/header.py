"""The top line: the problem's title, a progress bar over all steps, and the score."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from ...session import Session
from .. import view


class ProgressHeader(Horizontal):
    """Title (teacher text, shown as plain text), progress bar, "5/28  first try 3/28"."""

    def __init__(self, title: str, total: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title
        self._total = total

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title), id="title", markup=False)
        yield ProgressBar(total=self._total, show_eta=False, show_percentage=False, id="bar")
        yield Static("", id="counts", markup=False)

    def refresh_from(self, session: Session) -> None:
        self.query_one(ProgressBar).update(total=len(session.steps), progress=session.done())
        self.query_one("#counts", Static).update(Content(view.progress_text(session)))
