"""The picture marks a value the student did not find: "!" when it was shown, "–" when skipped,
as the step list does; a value found is written plainly."""

from __future__ import annotations

from tutor.render.diagram import diagram
from tutor.session import Session
from tutor.tui.view import known_values

from .conftest import solved


def test_found_shown_and_skipped_values_are_told_apart_on_the_picture():
    problem, solution = solved("xor")
    session = Session(problem, solution)
    session.submit("0.5")  # u₁⁽¹⁾, found
    session.show()  # u₂⁽¹⁾
    session.skip()  # h₁⁽¹⁾
    known = known_values(session)
    assert known.marks == {"u1_2": "!", "h1_1": "–"}
    text = diagram(problem, solution, known, "en")
    assert "u₁⁽¹⁾ = 0.5" in text and "u₁⁽¹⁾ = 0.5!" not in text and "u₁⁽¹⁾ = 0.5–" not in text
    assert "u₂⁽¹⁾ = 0.5!" in text
    assert "h₁⁽¹⁾ = 0.6225–" in text
    assert "h₂⁽¹⁾ = ?" in text
