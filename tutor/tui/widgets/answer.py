"""The answer box: a plain Input whose Enter is listed in the footer ("Enter Submit")."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from ...i18n import t
from ...safe_text import clean
from ...session import MAX_ANSWER


class AnswerInput(Input):
    """No ``restrict`` pattern: full-width digits typed with a Japanese IME must get through
    (the parser normalises them). Made in the student's language with keys.localised.

    A paste that would make the answer longer than MAX_ANSWER is refused with a message, not
    dropped in silence (Input's own ``max_length`` ignores it without a word); a paste of several
    lines keeps every line."""

    BINDINGS = [Binding("enter", "submit", "Submit", key_display="Enter")]

    def __init__(self, placeholder: str, **kwargs) -> None:
        super().__init__(placeholder=placeholder, max_length=MAX_ANSWER, **kwargs)

    rows_apart = "; "
    """What joins the lines of a pasted block: "; " between a matrix's rows, ", " between a
    vector's entries (set by the step panel for the current step)."""

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only a paste's first line; an answer pasted over several lines (a matrix
        # copied row by row) is joined instead, so no row is lost in silence.
        lines = [line.strip() for line in (event.text or "").splitlines() if line.strip()]
        text = self.rows_apart.join(lines)
        length = len(self.value) - len(self.selected_text) + len(text)
        event.stop()
        event.prevent_default()
        if length > MAX_ANSWER:
            lang = getattr(self.app, "lang", "en")
            message = t("session.answer_too_long", lang, length=f"{length:,}", limit=f"{MAX_ANSWER:,}")
            self.app.notify(message, severity="warning", timeout=8, markup=False)
        elif text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)

    def replace(self, text: str, start: int, end: int) -> None:
        # Typing and pasting come through here: cleaned first, so the cursor lands after the
        # visible form of a pasted escape sequence.
        super().replace(clean(text), start, end)

    def validate_value(self, value: str) -> str:
        """Whatever sets the box's text, no escape sequence reaches the terminal through it."""
        return clean(value)
