"""The verdict on the last action: a mark and words (✓ Correct / ✗ Not correct), never colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ..view import FeedbackView

STATES = ("correct", "wrong", "invalid", "shown", "skipped", "info")


class FeedbackArea(Static):
    """Plain text; the kind of feedback is a CSS class (.correct, .wrong, ...) for tutor.tcss."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.state: str | None = None

    def show(self, feedback: FeedbackView) -> None:
        state = "invalid" if feedback.state == "more_digits" else feedback.state  # costs nothing, like unreadable input
        self._set(state, Content.assemble((feedback.head, "bold"), "\n", feedback.message))

    def note(self, text: str) -> None:
        """A neutral message (resumed, came back to a step, all done)."""
        self._set("info" if text else None, Content(text))

    def clear(self) -> None:
        self._set(None, Content(""))

    def _set(self, state: str | None, content: Content) -> None:
        self.state = state
        for name in STATES:
            self.set_class(name == state, name)
        self.update(content)
