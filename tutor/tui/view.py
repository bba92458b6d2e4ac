"""What the TUI shows, worked out from the Session: plain strings and data, no Textual.

The widgets only lay these out. Keeping the wording here makes it testable without a terminal
and keeps the screens and widgets small.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .. import formula
from ..i18n import t
from ..outcomes import RESULTS
from ..render.diagram import MARK_SHOWN, MARK_SKIPPED, Known
from ..render.entries import matrix_form, vector_form
from ..safe_text import clean
from ..session import Feedback, Outcome, Session
from ..steps import AnswerKind, Step, Value

# Marks in the step list. Each is different in shape, not only in colour.
MARK_FIRST_TRY = "✓"
MARK_LATER = "(✓)"
MARK_CURRENT = "▶"
MARK_TODO = " "

def symbol_text(session: Session, step: Step) -> str:
    return formula.text(step.symbol, session.solution.symbols)


def mark(session: Session, position: int) -> str:
    """The mark of step ``position`` in the step list."""
    if position == session.index:
        return MARK_CURRENT
    state = session.states[session.steps[position].name]
    if state.result is Outcome.CORRECT:
        return MARK_FIRST_TRY if state.first_try else MARK_LATER
    if state.result is Outcome.SHOWN:
        return MARK_SHOWN
    if state.result is Outcome.SKIPPED:
        return MARK_SKIPPED
    return MARK_TODO


def known_values(session: Session) -> Known:
    """The values to fill in on the diagram: those of the steps found, shown or skipped (a skip
    tells the value too), the shown and skipped ones marked as in the step list.

    A step's own value is in ``session.accepted``; after a skip it is not, and the exact value
    stands in, as it does for later steps."""
    values: dict[str, Value] = {}
    marks: dict[str, str] = {}
    for step in session.steps:
        state = session.states[step.name]
        if not any(outcome in RESULTS for outcome in state.log):
            continue
        values[step.name] = session.accepted.get(step.name, step.value)
        if state.result is Outcome.SHOWN:
            marks[step.name] = MARK_SHOWN
        elif state.result is Outcome.SKIPPED:
            marks[step.name] = MARK_SKIPPED
    return Known(values, marks)


def answer_kind(session: Session, step: Step) -> str:
    """What to type: a number, the N entries of a vector in order, a matrix row by row, or a
    formula in x, y."""
    lang = session.lang
    if step.answer is AnswerKind.VECTOR:
        return vector_form(step, session.solution.symbols, lang)
    if step.answer is AnswerKind.MATRIX:
        return matrix_form(step, session.solution.symbols, lang)
    if step.answer is AnswerKind.FORMULA:
        return t("tui.answer_formula", lang, variables=", ".join(step.variables))
    return t("tui.answer_number", lang)


def phase_name(step: Step, lang: str) -> str:
    return t(f"phase.{step.phase.value}", lang)


def step_title(session: Session) -> str:
    """"Step 3 of 28 · Forward pass", or "All steps done"."""
    step = session.current
    if step is None:
        return t("tui.all_done_title", session.lang)
    number = t("tui.step_of", session.lang, number=session.index + 1, total=len(session.steps))
    return f"{number} · {phase_name(step, session.lang)}"


def earlier(session: Session) -> str:
    """What happened to the current step before, when the student came back to it."""
    step = session.current
    if step is None:
        return ""
    state = session.states[step.name]
    if state.result is Outcome.CORRECT:
        return t("tui.earlier_correct", session.lang, answer=state.answer)
    if state.result is Outcome.SHOWN:
        return t("tui.earlier_shown", session.lang)
    if state.result is Outcome.SKIPPED:
        return t("tui.earlier_skipped", session.lang)
    return ""


@dataclass(frozen=True)
class FeedbackView:
    """The feedback area's content: a state (a CSS class), a first line and the message."""

    state: str  # "correct" | "wrong" | "invalid" | "shown" | "skipped" | "info"
    head: str
    message: str


_FEEDBACK_MARKS = {
    Outcome.CORRECT: "✓",
    Outcome.WRONG: "✗",
    Outcome.INVALID: "?",
    Outcome.MORE_DIGITS: "≈",  # near enough to both the right value and a mistake's: one more figure
    Outcome.SHOWN: "!",
    Outcome.SKIPPED: "–",
}


def feedback_view(feedback: Feedback, session: Session) -> FeedbackView:
    """A verdict as symbol and words: "✓ u₁⁽¹⁾ = 0.5" and "Correct." (never colour alone)."""
    symbol = symbol_text(session, feedback.step)
    mark_ = _FEEDBACK_MARKS.get(feedback.outcome, "")
    message = feedback.message
    if feedback.reading is not None and feedback.reading.shown:
        head = f"{mark_} {symbol} = {feedback.reading.shown}"  # what was read, or typed if unreadable
    else:
        head = f"{mark_} {symbol}"
    if feedback.outcome is Outcome.INVALID:
        message = f"{message}\n{t('tui.unreadable', session.lang)}"
    return FeedbackView(feedback.outcome.value, clean(head), clean(message))


def hint_lines(messages: Iterable[str]) -> list[str]:
    """The hints asked for so far on one step, each line once, in the order they came."""
    lines: list[str] = []
    for message in messages:
        for line in message.splitlines():
            if line.strip() and line not in lines:
                lines.append(line)
    return lines


def progress_text(session: Session) -> str:
    right, total = session.score()
    done = t("tui.progress", session.lang, done=session.done(), total=total)
    return f"{done}  {t('tui.score', session.lang, right=right, total=total)}"
