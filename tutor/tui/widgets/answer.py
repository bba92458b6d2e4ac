"""The answer box: a plain Input whose Enter is listed in the footer ("Enter Submit")."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from ...safe_text import clean

MAX_ANSWER = 300  # the parser refuses longer input anyway


class AnswerInput(Input):
    """No ``restrict`` pattern: full-width digits typed with a Japanese IME must get through
    (the parser normalises them). Made in the student's language with keys.localised."""

    BINDINGS = [Binding("enter", "submit", "Submit", key_display="Enter")]

    def __init__(self, placeholder: str, **kwargs) -> None:
        super().__init__(placeholder=placeholder, max_length=MAX_ANSWER, **kwargs)

    def replace(self, text: str, start: int, end: int) -> None:
        # Typing and pasting come through here: cleaned first, so the cursor lands after the
        # visible form of a pasted escape sequence.
        super().replace(clean(text), start, end)

    def validate_value(self, value: str) -> str:
        """Whatever sets the box's text, no escape sequence reaches the terminal through it."""
        return clean(value)
