"""The top of the screen: the problem's title, a progress bar over all steps, and the score.

The title is never cut: it wraps onto a second line when it needs one, and only when two lines
are not enough does its end give way, whole words at a time (tui/fit.py).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from ...session import Session
from .. import view
from ..fit import title_lines


class Title(Static):
    """The problem's title (teacher text, shown as plain text), fitted to its width."""

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(Content(title), markup=False, **kwargs)
        self.full = title  # the whole title, as the teacher wrote it
        self.lines = [title]

    def on_resize(self) -> None:
        cells = self.content_region.width
        if cells > 0:
            lines = title_lines(self.full, cells)
            if lines != self.lines:
                self.lines = lines
                self.update(Content("\n".join(lines)))


class ProgressHeader(Horizontal):
    """Title, progress bar, "5/28  first try 3/28"."""

    def __init__(self, title: str, total: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self._title = title
        self._total = total

    def compose(self) -> ComposeResult:
        yield Title(self._title, id="title")
        yield ProgressBar(total=self._total, show_eta=False, show_percentage=False, id="bar")
        yield Static("", id="counts", markup=False)

    def refresh_from(self, session: Session) -> None:
        self.query_one(ProgressBar).update(total=len(session.steps), progress=session.done())
        self.query_one("#counts", Static).update(Content(view.progress_text(session)))
