"""SolveScreen: one problem, solved step by step. It owns the Session and the solving keys.

The Session (tutor/session.py) decides everything and view.py words it. This screen passes keys
and typed words to the session, then asks each widget to ``refresh_from(session)``. Every text a
student or a teacher wrote reaches the screen as plain text (Content or markup=False), never as
markup: "[/b]" or "[@click=app.quit]" shows as typed.

Quitting (F10, ctrl+q, the word quit, the summary's Quit) is the app's to route: back to the
problem list when there is one, else out.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input

from ...errors import TutorError
from ...i18n import kind_title, t
from ...commands import command
from ...session import Feedback, Outcome, Session, open_session
from .. import view
from ..keys import localised
from ..widgets.diagram import DiagramPanel
from ..widgets.footer import KeyFooter
from ..widgets.header import ProgressHeader
from ..widgets.step_list import StepList
from ..widgets.step_panel import StepPanel
from .help import HelpScreen
from .resume import ResumeScreen
from .summary import SummaryScreen

# Actions that need a session (dimmed in the footer until there is one).
SESSION_ACTIONS = {"help", "hint", "show", "skip", "back", "submit"}


class SolveScreen(Screen[None]):
    # Function keys don't type into the answer box, so they work while it has focus. The ctrl keys
    # are for terminals that keep F1/F10 for themselves; none of them is a control character the
    # terminal or the Input already uses (ctrl+h = backspace, ctrl+i = tab, ctrl+m = enter,
    # ctrl+s/ctrl+q = flow control). The command words (session.Command) work as well.
    # Descriptions are the English fallback: ``for_student`` makes the screen in the student's language.
    BINDINGS = [
        Binding("enter", "submit", "Submit", key_display="Enter"),
        Binding("f1", "help", "Help"),
        Binding("f2,ctrl+t", "hint", "Hint"),
        Binding("f3,ctrl+r", "show", "Show"),
        Binding("f4,ctrl+n", "skip", "Skip"),
        Binding("f5,ctrl+b", "back", "Back"),
        Binding("f10", "quit", "Quit"),
    ]

    def __init__(
        self, problem, solution, lang: str = "en", store=None, unfinished=None, ask_resume: bool = True,
        variant: str = "",
    ) -> None:
        super().__init__()
        self.problem, self.solution, self.lang, self.store = problem, solution, lang, store
        self.unfinished, self.ask_resume = unfinished, ask_resume
        self.variant = variant  # "" or "seed=N": progress is kept per variant
        self.session: Session | None = None

    @classmethod
    def for_student(cls, lang: str, listed: bool = False, **kwargs) -> SolveScreen:
        """A screen whose keys read in ``lang``; F10 reads "Problem list" when it goes back to one."""
        names = (("quit", "tui.key_list"),) if listed else ()
        return localised(cls, lang, names)(lang=lang, **kwargs)

    def compose(self) -> ComposeResult:
        yield ProgressHeader(self.problem.title.get(self.lang), len(self.solution.steps), id="header")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield DiagramPanel(id="diagram")
                yield StepPanel(self.lang, id="step")
            yield StepList(id="steps")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DiagramPanel).border_title = Content(kind_title(self.problem.kind, self.lang))
        self.query_one(StepList).border_title = Content(t("tui.steps", self.lang))
        if self.store is not None and self.store.warning:
            self.app.warn(self.store.warning)
        if self.unfinished is not None and self.ask_resume:
            total = len(self.solution.steps)
            step = min(self.unfinished.current_step + 1, total)
            self.app.push_screen(ResumeScreen(step, total, self.lang), self._resume_answered)
        else:
            self._begin(self.unfinished)

    @property
    def panel(self) -> StepPanel:
        return self.query_one(StepPanel)

    # ------------------------------------------------------------ starting

    def _resume_answered(self, resume: bool | None) -> None:
        if resume:
            self._begin(self.unfinished)
            return
        if self.store is not None:
            try:
                self.store.finish_session(self.unfinished.id)
            except TutorError as exc:
                self.app.warn(str(exc))
        self._begin(None)

    def _begin(self, resume_from) -> None:
        self.session = open_session(
            self.problem, self.solution, self.lang, self.store, resume_from=resume_from, variant=self.variant
        )
        self.refresh_widgets()
        if self.session.notice:
            self.app.warn(self.session.notice)
        elif resume_from is not None:
            total = len(self.session.steps)
            step = min(self.session.index + 1, total)
            self.panel.feedback.note(t("tui.resumed", self.lang, step=step, total=total))
        self.panel.answer.focus()
        self._check_finished()

    # ------------------------------------------------------------ showing

    def refresh_widgets(self) -> None:
        session = self.session
        for widget in (self.query_one(ProgressHeader), self.query_one(DiagramPanel), self.query_one(StepList)):
            widget.refresh_from(session)
        self.panel.refresh_from(session)
        self._preview(self.panel.answer.value)
        self._show_store_state()
        self.refresh_bindings()  # KeyFooter rebuilds only when a key changes

    def _show_store_state(self) -> None:
        # The warning names how many attempts wait and where their copy is; it changes with the count.
        if self.session.store_warning:
            self.app.warn(self.session.store_warning)
        notice = self.session.take_store_notice()
        if notice:
            self.app.notify(notice, timeout=6, markup=False)

    def _preview(self, text: str) -> None:
        preview = self.panel.preview
        if self.session is None or self.session.finished or not text.strip():
            preview.clear()
        elif command(text) is not None:
            preview.show_command(text.strip().lower(), self.lang)
        else:
            preview.show_reading(self.session.read(text), self.lang)

    def _check_finished(self) -> None:
        if self.session.finished and not isinstance(self.app.screen, SummaryScreen):
            self.session.finish()
            self._show_store_state()
            self.app.push_screen(SummaryScreen(self.session.summary(), self.lang), self._after_summary)

    def _after_summary(self, choice: str | None) -> None:
        if choice == "quit":
            self.action_quit()
        else:
            self.panel.feedback.note(t("tui.review", self.lang))

    # ------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        word = command(event.value)
        if word is None:
            self._submit(event.value)
            return
        event.input.clear()
        getattr(self, f"action_{word.value}")()

    def _active(self) -> bool:
        return self.session is not None and not self.session.finished

    def _submit(self, text: str) -> None:
        if not self._active():
            return
        feedback = self.session.submit(text)
        self.panel.feedback.show(view.feedback_view(feedback, self.session))
        if feedback.outcome is Outcome.CORRECT:
            self.panel.answer.clear()
        self.refresh_widgets()
        self._check_finished()

    def _moved_on(self, feedback: Feedback) -> None:
        self.panel.feedback.show(view.feedback_view(feedback, self.session))
        self.panel.answer.clear()
        self.refresh_widgets()
        self._check_finished()

    # ------------------------------------------------------------ actions (keys and typed words)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in SESSION_ACTIONS:
            return True
        # None: shown in the footer but dimmed, and the key does nothing.
        if self.session is None:
            return None
        if action == "help":
            return True
        if action == "back":
            return self.session.index > 0 or None
        return not self.session.finished or None

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_rows(), self.lang))

    def action_submit(self) -> None:
        self._submit(self.panel.answer.value)

    def action_hint(self) -> None:
        if self._active():
            self.session.hint()
            self.refresh_widgets()

    def action_show(self) -> None:
        if self._active():
            self._moved_on(self.session.show())

    def action_skip(self) -> None:
        if self._active():
            self._moved_on(self.session.skip())

    def action_back(self) -> None:
        if self.session is None or self.session.index == 0:
            return
        self.session.back()
        self.panel.answer.clear()
        self.panel.feedback.note(view.earlier(self.session))
        self.refresh_widgets()
        self.panel.answer.focus()

    def action_quit(self) -> None:
        if self.session is not None:
            lost = self.session.close()  # the last try to save, waiting for a lock
            if lost:
                self.app.warn(lost)
        self.app.action_quit()

    def key_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the help screen: this screen's actions in BINDINGS order, each
        with every key bound to it now (the app's ctrl+q too), described in the student's language."""
        described = {binding.action: binding.description for binding in self.BINDINGS}
        keys: dict[str, list[str]] = {action: [] for action in described}
        for active in self.active_bindings.values():
            action = active.binding.action
            if action in keys and active.binding.description:
                keys[action].append(self.app.get_key_display(active.binding))
        return [(" / ".join(sorted(keys[a], key=_ctrl_last)), what) for a, what in described.items() if keys[a]]


def _ctrl_last(shown: str) -> bool:
    return not (shown[:1] == "F" or shown == "Enter")
