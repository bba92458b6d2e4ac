"""One solving session as a state machine: the TUI and the plain prompt both drive this class.

It holds the current step, the student's accepted values (for follow-through marking), each
step's log of outcomes (tutor/outcomes.py decides from it what is done and what is right at the
first try), the mistakes named, and records every attempt in the progress store when one is
given. It returns data (Feedback, Summary); it never prints or reads the terminal. The words a
student may type instead of an answer are in tutor/commands.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import formula
from .check import Reading, Verdict, check, describe, read_answer
from .i18n import has, t
from .numbers import typed_value
from .outcomes import Outcome, done, first_try
from .reading import floats, matrix_text
from .saver import Saver
from .steps import AnswerKind, Solution, Step, Value, in_language, with_components


MAX_ANSWER = 10_000  # characters; a longer answer is refused before it is read
STORED_PREFIX = 200  # characters of a refused answer kept in the progress log


def _refusal(text: str) -> tuple[str, dict] | None:
    """Why an answer is refused before parsing (a message key and its parameters), else None."""
    if len(text) > MAX_ANSWER:
        return "session.answer_too_long", {"length": f"{len(text):,}", "limit": f"{MAX_ANSWER:,}"}
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes that were not UTF-8, kept as surrogates by the reader
        return "session.unreadable_line", {}
    return None


@dataclass(frozen=True)
class Feedback:
    outcome: Outcome
    step: Step
    message: str  # plain text, already in the session's language
    reading: Reading | None = None
    verdict: Verdict | None = None


@dataclass(frozen=True)
class Summary:
    """The end of a session in numbers; ``summary_lines`` words it for both front ends."""

    first_try: int  # right at the first try (outcomes.first_try)
    later: int  # right, but after a wrong answer, a hint or a reveal
    shown: int
    skipped: int
    total: int
    mistakes: tuple[tuple[str, int], ...]  # (mistake key, times named), most frequent first


@dataclass
class StepState:
    attempts: int = 0  # marked attempts (readable answers)
    hints: int = 0
    result: Outcome | None = None  # CORRECT, SHOWN or SKIPPED once the step is done
    answer: str = ""
    log: list[Outcome] = field(default_factory=list)  # every outcome at this step, oldest first
    hint_messages: list[str] = field(default_factory=list)  # the hints given in this run

    @property
    def first_try(self) -> bool:
        return first_try(self.log)


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
    mistakes: Counter[str] = field(default_factory=Counter)  # mistake key -> times named
    notice: str | None = None  # said once when the session opens (e.g. why it did not resume)

    def __post_init__(self) -> None:
        self.solution = in_language(self.solution, self.lang)
        self._exact = self.solution.exact_env()
        for step in self.solution.steps:
            self.states.setdefault(step.name, StepState())
        self._saver = None
        if self.store is not None:
            self._saver = Saver(self.store, self.problem.id, len(self.steps), self.variant, self.lang, self.session_id)

    # ------------------------------------------------------------ saving

    @property
    def store_warning(self) -> str | None:
        """Set while attempts are not saved: how many, why, and where a copy of them is."""
        return self._saver.warning if self._saver else None

    def take_store_notice(self) -> str | None:
        """Once, after a failure: the attempts are saved again."""
        if self._saver is None:
            return None
        notice, self._saver.notice = self._saver.notice, None
        return notice

    @property
    def unsaved(self) -> int:
        """Attempts not (yet) in the progress database."""
        return self._saver.unsaved if self._saver else 0

    def close(self) -> str | None:
        """The last try to save (waiting the full time for a lock); what to tell the student about
        attempts still not saved (how many, where the copy is), or None when all are saved."""
        return self._saver.close() if self._saver else None

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
        """Steps right at the first try (outcomes.first_try), out of all steps."""
        return sum(1 for s in self.states.values() if s.first_try), len(self.steps)

    def done(self) -> int:
        """Steps found or shown (outcomes.done); a step only skipped is not done."""
        return sum(1 for s in self.states.values() if done(s.log))

    def summary(self) -> Summary:
        # Each step in one row: a first try stays one even when shown or skipped after going back.
        others = [s for s in self.states.values() if not s.first_try]
        right, total = self.score()
        return Summary(
            first_try=right,
            later=sum(1 for s in others if s.result is Outcome.CORRECT),
            shown=sum(1 for s in others if s.result is Outcome.SHOWN),
            skipped=sum(1 for s in others if s.result is Outcome.SKIPPED),
            total=total,
            mistakes=tuple(sorted(self.mistakes.items(), key=lambda kv: (-kv[1], kv[0]))),
        )

    # ------------------------------------------------------------ actions

    def read(self, text: str) -> Reading:
        """How an answer would be read, without marking it (a live preview)."""
        return read_answer(text, self._require_step())

    def submit(self, text: str) -> Feedback:
        step = self._require_step()
        state = self.states[step.name]
        refused = _refusal(text)
        if refused is not None:  # never parsed, never stored whole, costs nothing
            key, params = refused
            state.log.append(Outcome.INVALID)
            self._record(step, text[:STORED_PREFIX], Outcome.INVALID)
            return Feedback(Outcome.INVALID, step, t(key, self.lang, **params))
        reading = read_answer(text, step)
        if not reading.ok:
            state.log.append(Outcome.INVALID)
            self._record(step, text, Outcome.INVALID)
            message = t(reading.error, self.lang, **reading.error_params) if reading.error else ""
            return Feedback(Outcome.INVALID, step, message, reading=reading)
        verdict = check(text, step, self.follow_env(), exact_env=self._exact)
        if not verdict.reading.ok:  # read, but not an answer to mark (a number for a formula): costs nothing
            state.log.append(Outcome.INVALID)
            self._record(step, text, Outcome.INVALID)
            return Feedback(Outcome.INVALID, step, describe(verdict, self.lang), verdict.reading, verdict)
        if verdict.asks_more_digits:  # neither right nor wrong: costs nothing
            state.log.append(Outcome.MORE_DIGITS)
            self._record(step, text, Outcome.MORE_DIGITS)
            return Feedback(Outcome.MORE_DIGITS, step, describe(verdict, self.lang), reading, verdict)
        if not verdict.correct:
            self._wrong(state, verdict.mistake)
            self._record(step, text, Outcome.WRONG, verdict.mistake)
            return Feedback(Outcome.WRONG, step, describe(verdict, self.lang), reading, verdict)
        self._correct(state, text)
        self.accepted[step.name] = self._student_value(step, reading)
        self._advance(step, text, Outcome.CORRECT)
        return Feedback(Outcome.CORRECT, step, describe(verdict, self.lang), reading, verdict)

    def hint(self) -> Feedback:
        """First the general formula, then the formula with this student's numbers in it."""
        step = self._require_step()
        state = self.states[step.name]
        state.hints += 1
        state.log.append(Outcome.HINT)
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
        state.hint_messages.append(message)
        self._record(step, "", Outcome.HINT)
        return Feedback(Outcome.HINT, step, message)

    def show(self) -> Feedback:
        """Reveal the answer (from the student's own earlier values) with its working, and move on."""
        step = self._require_step()
        env = self.follow_env()
        value = self._target(step)
        self._finish_step(self.states[step.name], Outcome.SHOWN)
        self.accepted[step.name] = value
        shown = self._answer_text(step, value)
        exact = self._answer_text(step, step.value)
        if shown != exact:  # carried on from the student's own rounded values: say so, and give both
            message = t("session.shown_own", self.lang, answer=shown, exact=exact)
        else:
            message = t("session.shown", self.lang, answer=shown)
        message += self._worked_line(step, env, shown, "session.hint_numbers")
        self._advance(step, "", Outcome.SHOWN)
        return Feedback(Outcome.SHOWN, step, message)

    def skip(self) -> Feedback:
        """Move on; the exact value is given (with its working) and used by later steps."""
        step = self._require_step()
        self._finish_step(self.states[step.name], Outcome.SKIPPED)
        self.accepted.pop(step.name, None)  # later steps use the exact value
        shown = self._answer_text(step, step.value)
        message = t("session.skipped_answer", self.lang, answer=shown)
        message += self._worked_line(step, self._exact, shown, "session.worked_exact")
        self._advance(step, "", Outcome.SKIPPED)
        return Feedback(Outcome.SKIPPED, step, message)

    @staticmethod
    def _answer_text(step: Step, value: Value) -> str:
        if step.answer is AnswerKind.MATRIX:
            return matrix_text(floats(value) or (), step.shape[-1])
        return step.expected_formula if step.answer is AnswerKind.FORMULA else typed_value(value)

    def _worked_line(self, step: Step, env: dict[str, Value], shown: str, key: str) -> str:
        """"\nWith your numbers: E = 1/2·(0.6508 − 1)² = 0.06098"; nothing for a formula step,
        whose answer already is the formula."""
        if step.answer is AnswerKind.FORMULA:
            return ""
        numbers = formula.equation_text(step, self.solution.symbols, env)
        return "\n" + t(key, self.lang, formula=f"{numbers} = {shown}")

    def back(self) -> Step | None:
        """Go to the previous step to look at it or answer it again."""
        if self.index > 0:
            self.index -= 1
        return self.current

    def finish(self) -> None:
        if self._saver is not None:
            self._saver.finish()

    # ------------------------------------------------------------ resume

    def restore(self, info) -> None:
        """Continue a recorded session by replaying its attempt log (a progress.SessionInfo):
        position, accepted answers, hints, first-try marks, shown and skipped steps."""
        self.session_id = info.id
        if self._saver is not None:
            self._saver.session_id = info.id
        by_name = {step.name: step for step in self.steps}
        for attempt in info.log:
            step = by_name.get(attempt.step)
            if step is not None:
                self._replay(step, Outcome(attempt.verdict), attempt.answer, attempt.mistake)
        self.index = min(info.current_step, len(self.steps))

    def _replay(self, step: Step, outcome: Outcome, text: str, mistake: str | None) -> None:
        state = self.states[step.name]
        if outcome in (Outcome.HINT, Outcome.INVALID, Outcome.MORE_DIGITS):
            state.hints += outcome is Outcome.HINT
            state.log.append(outcome)
        elif outcome is Outcome.WRONG:
            self._wrong(state, mistake)
        elif outcome is Outcome.CORRECT:
            reading = read_answer(text, step)
            self._correct(state, text)
            if reading.ok:
                self.accepted[step.name] = self._student_value(step, reading)
        elif outcome is Outcome.SHOWN:
            self._finish_step(state, outcome)
            self.accepted[step.name] = self._target(step)
        elif outcome is Outcome.SKIPPED:
            self._finish_step(state, outcome)
            self.accepted.pop(step.name, None)

    # ------------------------------------------------------------ internals

    def _require_step(self) -> Step:
        step = self.current
        if step is None:
            raise RuntimeError("the session is finished")
        return step

    def _wrong(self, state: StepState, mistake: str | None) -> None:
        state.attempts += 1
        state.log.append(Outcome.WRONG)
        if mistake:
            self.mistakes[mistake] += 1

    @staticmethod
    def _correct(state: StepState, text: str) -> None:
        state.attempts += 1
        Session._finish_step(state, Outcome.CORRECT)
        state.answer = text

    @staticmethod
    def _finish_step(state: StepState, outcome: Outcome) -> None:
        state.log.append(outcome)
        state.result = outcome

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
        if self._saver is None:
            return
        # The session is started at the first attempt: one opened and left at once must not hide
        # an earlier unfinished one from "resume".
        self._saver.add(step.name, text, outcome.value, mistake, advance_to)
        self.session_id = self._saver.session_id


def rule_text(step: Step, lang: str) -> str:
    """The general law the step applies ("Rule: δⱼ = f′(uⱼ) Σₖ wₖⱼ δₖ"), or "" when it has none."""
    if not step.rule or not has(f"rule.{step.rule}"):
        return ""
    return t("rule.label", lang, rule=t(f"rule.{step.rule}", lang))


def mistake_name(key: str, lang: str) -> str:
    """A mistake rule's name in the student's language, else its key."""
    return t(f"mistake_name.{key}", lang) if has(f"mistake_name.{key}", lang) else key


def summary_lines(summary: Summary, lang: str) -> list[str]:
    """The summary as the TUI's summary screen and the plain prompt both print it."""
    lines = [
        t("summary.score", lang, right=summary.first_try, total=summary.total),
        t("summary.later", lang, count=summary.later),
        t("summary.shown", lang, count=summary.shown),
        t("summary.skipped", lang, count=summary.skipped),
        "",
    ]
    if summary.mistakes:
        lines.append(t("summary.mistakes", lang))
        lines += [f"  • {mistake_name(key, lang)} ×{count}" for key, count in summary.mistakes]
    else:
        lines.append(t("summary.no_mistakes", lang))
    return lines




def open_session(problem, solution: Solution, lang: str = "en", store=None, resume_from=None, variant: str = "") -> Session:
    """A new session, or the recorded one ``resume_from`` (a progress.SessionInfo) continued.
    A session open in another running bptutor is not continued: this one starts anew and its
    ``notice`` says why."""
    if resume_from is not None and store is not None and not store.claims.claim(resume_from.id):
        session = Session(problem, solution, lang, store=store, variant=variant)
        session.notice = t("session.open_elsewhere", lang)
        return session
    if resume_from is None:
        return Session(problem, solution, lang, store=store, variant=variant)
    session = Session(problem, solution, lang, store=store, variant=variant, session_id=resume_from.id)
    session.restore(resume_from)
    return session
