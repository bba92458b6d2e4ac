"""The current step: which quantity ("u₂⁽¹⁾ = ?"), what to type, hints asked for, the answer box,
the live reading of the answer, and the feedback on the last action."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...i18n import t
from ...session import Session, rule_text
from ...steps import AnswerKind
from .. import view
from ..keys import localised
from .answer import AnswerInput
from .feedback import FeedbackArea
from .preview import ReadingPreview


class StepPanel(Vertical):
    """Shows ``session.current`` with the general law it applies; the step's own formula appears
    only as a hint, when asked for."""

    def __init__(self, lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static("", id="quantity", markup=False)
        yield Static("", id="rule", markup=False)
        yield Static("", id="hints", markup=False)
        yield localised(AnswerInput, self.lang)(t("tui.input_placeholder", self.lang), id="answer")
        yield ReadingPreview(id="preview")
        yield FeedbackArea(id="feedback")

    @property
    def answer(self) -> AnswerInput:
        return self.query_one(AnswerInput)

    @property
    def preview(self) -> ReadingPreview:
        return self.query_one(ReadingPreview)

    @property
    def feedback(self) -> FeedbackArea:
        return self.query_one(FeedbackArea)

    def refresh_from(self, session: Session) -> None:
        step = session.current
        self.border_title = Content(view.step_title(session))
        quantity = self.query_one("#quantity", Static)
        rule = self.query_one("#rule", Static)
        law = rule_text(step, self.lang) if step is not None else ""
        rule.update(Content(law))
        rule.display = bool(law)
        if step is None:
            quantity.update(Content(t("tui.all_done", self.lang)))
        else:
            symbol = view.symbol_text(session, step)
            kind = view.answer_kind(session, step)
            self.answer.rows_apart = "; " if step.answer is AnswerKind.MATRIX else ", "
            quantity.update(Content.assemble((f"{symbol} = ?", "bold"), "   ", (kind, "dim")))
        hints = view.hint_lines(session.states[step.name].hint_messages) if step is not None else []
        box = self.query_one("#hints", Static)
        box.update(Content("\n".join(hints)))
        box.display = bool(hints)
        self.answer.disabled = step is None
        self.answer.display = step is not None
