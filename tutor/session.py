"""One solving session as a state machine: the TUI and the plain prompt both drive this class.

It holds the current step, the student's accepted values (for follow-through marking), hints
used and results, and records every attempt in the progress store when one is given. It returns
Feedback data; it never prints or reads the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from . import formula
from .errors import TutorError
from .check import Reading, Verdict, check, describe, read_answer
from .i18n import has, t
from .numbers import format_number
from .steps import AnswerKind, Solution, Step, Value, with_components


class Outcome(StrEnum):
    INVALID = "invalid"  # could not be read: costs no attempt
    CORRECT = "correct"
    WRONG = "wrong"
    HINT = "hint"
    SHOWN = "shown"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Feedback:
    outcome: Outcome
    step: Step
    message: str  # plain text, already in the session's language
    reading: Reading | None = None
    verdict: Verdict | None = None


@dataclass
class StepState:
    attempts: int = 0  # marked attempts (readable answers)
    hints: int = 0
    result: Outcome | None = None  # CORRECT, SHOWN or SKIPPED once the step is done
    first_try: bool = False
    answer: str = ""


@dataclass
class Session:
    problem: object
    solution: Solution
    lang: str = "en"
    store: object | None = None  # tutor.progress.ProgressStore
    variant: str = ""
    index: int = 0
    accepted: dict[str, Value] = field(default_factory=dict)
    states: dict[str, StepState] = field(default_factory=dict)
    session_id: int | None = None
    store_warning: str | None = None

    def __post_init__(self) -> None:
        self._exact = self.solution.exact_env()
        for step in self.solution.steps:
            self.states.setdefault(step.name, StepState())

    # ------------------------------------------------------------ state

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.solution.steps

    @property
    def current(self) -> Step | None:
        return self.steps[self.index] if self.index < len(self.steps) else None

    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    def follow_env(self) -> dict[str, Value]:
        """The exact values with the student's accepted answers put in their place."""
        env = dict(self._exact)
        env.update(self.accepted)
        return with_components(env)

    def score(self) -> tuple[int, int]:
        """Steps correct at the first try without a hint, out of all steps."""
        return sum(1 for s in self.states.values() if s.first_try), len(self.steps)

    def done(self) -> int:
        return sum(1 for s in self.states.values() if s.result is not None)

    # ------------------------------------------------------------ actions

    def read(self, text: str) -> Reading:
        """How an answer would be read, without marking it (a live preview)."""
        return read_answer(text, self._require_step())

    def submit(self, text: str) -> Feedback:
        step = self._require_step()
        state = self.states[step.name]
        reading = read_answer(text, step)
        if not reading.ok:
            self._record(step, text, Outcome.INVALID)
            message = t(reading.error, self.lang, **reading.error_params) if reading.error else ""
            return Feedback(Outcome.INVALID, step, message, reading=reading)
        verdict = check(text, step, self.follow_env(), exact_env=self._exact)
        state.attempts += 1
        if not verdict.correct:
            self._record(step, text, Outcome.WRONG, verdict.mistake)
            return Feedback(Outcome.WRONG, step, describe(verdict, self.lang), reading, verdict)
        self._mark_correct(step, state, text)
        self.accepted[step.name] = self._student_value(step, reading)
        self._advance(step, text, Outcome.CORRECT)
        return Feedback(Outcome.CORRECT, step, describe(verdict, self.lang), reading, verdict)

    def hint(self) -> Feedback:
        """First the general formula, then the formula with this student's numbers in it."""
        step = self._require_step()
        state = self.states[step.name]
        state.hints += 1
        notation = self.solution.symbols
        if state.hints == 1:
            message = t("session.hint_formula", self.lang, formula=formula.equation_text(step, notation))
            teacher = self.problem.hints_for(step.name)
            if teacher is not None:
                message += "\n" + teacher.get(self.lang)
        else:
            numbers = formula.equation_text(step, notation, self.follow_env())
            message = t("session.hint_numbers", self.lang, formula=numbers)
            if state.hints > 2:
                message += "\n" + t("session.hint_more", self.lang)
        self._record(step, "", Outcome.HINT)
        return Feedback(Outcome.HINT, step, message)

    def show(self) -> Feedback:
        """Reveal the answer (from the student's own earlier values) and move on."""
        step = self._require_step()
        value = self._target(step)
        self.states[step.name].result = Outcome.SHOWN
        self.accepted[step.name] = value
        shown = step.expected_formula if step.answer is AnswerKind.FORMULA else value_text(value)
        self._advance(step, "", Outcome.SHOWN)
        return Feedback(Outcome.SHOWN, step, t("session.shown", self.lang, answer=shown))

    def skip(self) -> Feedback:
        step = self._require_step()
        self.states[step.name].result = Outcome.SKIPPED
        self.accepted.pop(step.name, None)  # later steps use the exact value
        self._advance(step, "", Outcome.SKIPPED)
        return Feedback(Outcome.SKIPPED, step, t("session.skipped", self.lang))

    def back(self) -> Step | None:
        """Go to the previous step to look at it or answer it again."""
        if self.index > 0:
            self.index -= 1
        return self.current

    def finish(self) -> None:
        if self.store is not None and self.session_id is not None:
            try:
                self.store.finish_session(self.session_id)
            except TutorError as exc:
                self._lose_store(exc)

    # ------------------------------------------------------------ resume

    def restore(self, info) -> None:
        """Continue a recorded session by replaying its attempt log (a progress.SessionInfo):
        position, accepted answers, hints, first-try marks, shown and skipped steps."""
        self.session_id = info.id
        by_name = {step.name: step for step in self.steps}
        for attempt in info.log:
            step = by_name.get(attempt.step)
            if step is not None:
                self._replay(step, attempt.verdict, attempt.answer)
        self.index = min(info.current_step, len(self.steps))

    def _replay(self, step: Step, verdict: str, text: str) -> None:
        state = self.states[step.name]
        if verdict == "hint":
            state.hints += 1
        elif verdict == "wrong":
            state.attempts += 1
        elif verdict == "correct":
            reading = read_answer(text, step)
            state.attempts += 1
            self._mark_correct(step, state, text)
            if reading.ok:
                self.accepted[step.name] = self._student_value(step, reading)
        elif verdict == "shown":
            state.result = Outcome.SHOWN
            self.accepted[step.name] = self._target(step)
        elif verdict == "skipped":
            state.result = Outcome.SKIPPED
            self.accepted.pop(step.name, None)

    # ------------------------------------------------------------ internals

    def _require_step(self) -> Step:
        step = self.current
        if step is None:
            raise RuntimeError("the session is finished")
        return step

    @staticmethod
    def _mark_correct(step: Step, state: StepState, text: str) -> None:
        # Answering a done step again (after "back") neither earns nor loses first-try credit.
        if state.result is None:
            state.first_try = state.attempts == 1 and state.hints == 0
        state.result, state.answer = Outcome.CORRECT, text

    def _target(self, step: Step) -> Value:
        try:
            return step.compute(self.follow_env())
        except (ArithmeticError, ValueError):
            return step.value

    @staticmethod
    def _student_value(step: Step, reading: Reading) -> Value:
        # Formulas carry no number forward; their steps' exact value stands in.
        return step.value if step.answer is AnswerKind.FORMULA else reading.value

    def _advance(self, step: Step, text: str, outcome: Outcome) -> None:
        self.index += 1
        self._record(step, text, outcome, advance_to=self.index)

    def _record(self, step: Step, text: str, outcome: Outcome, mistake: str | None = None, advance_to=None) -> None:
        if self.store is None:
            return
        verdict = {Outcome.SHOWN: "shown", Outcome.SKIPPED: "skipped"}.get(outcome, outcome.value)
        try:
            # Started at the first attempt: a session opened and left at once must not hide an
            # earlier unfinished one from "resume".
            if self.session_id is None:
                self.session_id = self.store.start_session(self.problem.id, len(self.steps), self.variant)
            self.store.record(self.session_id, step.name, text, verdict, mistake, advance_to=advance_to)
        except TutorError as exc:
            self._lose_store(exc)

    def _lose_store(self, exc: TutorError) -> None:
        """The lesson goes on without saving; the front end shows ``store_warning``."""
        self.store_warning = str(exc)
        self.store = None


def rule_text(step: Step, lang: str) -> str:
    """The general law the step applies ("Rule: δⱼ = f′(uⱼ) Σₖ wₖⱼ δₖ"), or "" when it has none."""
    if not step.rule or not has(f"rule.{step.rule}"):
        return ""
    return t("rule.label", lang, rule=t(f"rule.{step.rule}", lang))


def value_text(value: Value) -> str:
    """A value as typed: "0.5" or "0.3, -0.8, 0.5" (what show reveals and a student may enter)."""
    if isinstance(value, tuple):
        return ", ".join(format_number(v) for v in value)
    return format_number(value)


def open_session(problem, solution: Solution, lang: str = "en", store=None, resume_from=None, variant: str = "") -> Session:
    """A new session, or the recorded one ``resume_from`` (a progress.SessionInfo) continued."""
    if resume_from is None:
        return Session(problem, solution, lang, store=store, variant=variant)
    session = Session(problem, solution, lang, store=store, variant=variant, session_id=resume_from.id)
    session.restore(resume_from)
    return session
