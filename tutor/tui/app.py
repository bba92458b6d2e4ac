"""TutorApp: the full-screen front end of ``bptutor solve``.

Thin on purpose: the Session (tutor/session.py) decides everything, view.py words it, the widgets
lay it out and tutor.tcss styles it. This file holds the keys and passes events along.
Every text a student or a teacher wrote reaches the screen as plain text (Content or
markup=False), never as markup: "[/b]" or "[@click=app.quit]" shows as typed.

Without a problem the app starts on the problem list (screens/picker.py); a problem opened from
it is composed onto the main screen, and quitting it (F10, the word quit, the summary's Quit)
comes back to the list. Quitting the list quits the app.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input

from ..errors import TutorError
from ..i18n import kind_title, t
from ..render.diagram import diagram
from ..session import Outcome, Session, open_session
from . import view
from .keys import localise
from .screens.help import HelpScreen
from .screens.resume import ResumeScreen
from .screens.summary import SummaryScreen
from .widgets.diagram import DiagramPanel
from .widgets.footer import KeyFooter
from .widgets.header import ProgressHeader
from .widgets.step_list import StepList
from .widgets.step_panel import StepPanel

# Actions that need a session on the main screen (not while a help or summary screen is up).
SESSION_ACTIONS = {"help", "hint", "reveal", "skip", "back", "submit"}


class TutorApp(App[None]):
    CSS_PATH = "tutor.tcss"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    # Function keys don't type into the answer box, so they work while it has focus. The ctrl keys
    # are for terminals that keep F1/F10 for themselves; none of them is a control character the
    # terminal or the Input already uses (ctrl+h = backspace, ctrl+i = tab, ctrl+m = enter,
    # ctrl+s/ctrl+q = flow control). The words hint, show, skip, back, quit and ? work as well.
    # Descriptions are translated in __init__ (keys.localise).
    BINDINGS = [
        Binding("enter", "submit", "Submit", key_display="Enter"),
        Binding("f1", "help", "Help"),
        Binding("f2,ctrl+t", "hint", "Hint"),
        Binding("f3,ctrl+r", "reveal", "Show"),
        Binding("f4,ctrl+n", "skip", "Skip"),
        Binding("f5,ctrl+b", "back", "Back"),
        Binding("f10", "quit", "Quit"),
    ]

    def __init__(
        self, problem=None, solution=None, lang: str = "en", store=None, unfinished=None, ask_resume: bool = True,
        variant: str = "", library=None,
    ):
        super().__init__()
        self.problem, self.solution, self.lang, self.store = problem, solution, lang, store
        if problem is None and library is None:
            from .screens.picker import Library

            library = Library()
        self.library = library  # set: problems are picked from a list (screens.picker.Library)
        self.variant = variant  # "" or "seed=N": progress is kept per variant
        self.unfinished, self.ask_resume = unfinished, ask_resume
        self.session: Session | None = None
        self.mistakes: Counter[str] = Counter()  # mistake keys named in this session, for the summary
        self.hints: dict[str, list[str]] = {}  # step name -> hint messages asked for
        self._warned: set[str] = set()
        localise(self, lang, {"quit": "tui.key_list"} if library is not None else None)

    def compose(self) -> ComposeResult:
        if self.problem is None:  # the problem list is a screen of its own, over this one
            return
        yield ProgressHeader(self.problem.title.get(self.lang), len(self.solution.steps), id="header")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield DiagramPanel(id="diagram")
                yield StepPanel(self.lang, id="step")
            yield StepList(id="steps")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._exit_on_signals()
        if self.problem is None:
            self._show_picker()
        else:
            self._open()

    def _open(self) -> None:
        self.query_one(DiagramPanel).border_title = Content(kind_title(self.problem.kind, self.lang))
        self.query_one(StepList).border_title = Content(t("tui.steps", self.lang))
        if self.store is not None and self.store.warning:
            self._warn(self.store.warning)
        unfinished = self.unfinished
        if unfinished is not None and self.ask_resume:
            total = len(self.solution.steps)
            step = min(unfinished.current_step + 1, total)
            self.push_screen(ResumeScreen(step, total, self.lang), self._resume_answered)
        else:
            self._begin(unfinished)

    # ------------------------------------------------------------ starting

    def _exit_on_signals(self) -> None:
        """Quit cleanly on SIGTERM: the default action kills the process at once and leaves the
        terminal in raw mode on the alternate screen. On SIGHUP the terminal is gone: restoring it
        would block on the dead tty for ever, so leave at once. Every attempt is already saved."""
        loop = asyncio.get_running_loop()
        handlers = {"SIGTERM": self.exit, "SIGHUP": lambda: os._exit(128 + signal.SIGHUP)}
        for name, handler in handlers.items():
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, handler)
            except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
                return

    def _show_picker(self) -> None:
        from .screens.picker import PickerScreen

        if not self.is_screen_installed("picker"):
            self.install_screen(PickerScreen(self.library, self.lang), "picker")
        self.push_screen("picker", self._picked)

    async def _picked(self, info) -> None:
        try:
            self.problem, self.solution = self.library.load(info)
        except TutorError as exc:
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            self._show_picker()
            return
        resume = self.library.resume
        self.unfinished = None
        if self.store is not None and resume is not False:
            try:
                self.unfinished = self.store.unfinished_session(self.problem.id)
            except TutorError as exc:
                self._warn(str(exc))
        self.ask_resume = resume is None
        await self.recompose()
        self._open()

    async def _back_to_list(self) -> None:
        while len(self.screen_stack) > 1:  # help, resume or summary over the problem
            await self.pop_screen()
        self.problem = self.solution = self.session = self.unfinished = None
        self.mistakes, self.hints = Counter(), {}
        await self.recompose()
        self._show_picker()

    def action_quit(self) -> None:
        """F10, ctrl+q, the word quit and the summary's Quit: back to the list, if there is one."""
        if self.library is not None and self.problem is not None:
            self.call_later(self._back_to_list)
        else:
            self.exit()

    def _resume_answered(self, resume: bool | None) -> None:
        if resume:
            self._begin(self.unfinished)
            return
        if self.store is not None:
            try:
                self.store.finish_session(self.unfinished.id)
            except TutorError as exc:
                self._warn(str(exc))
        self._begin(None)

    def _begin(self, resume_from) -> None:
        self.session = open_session(
            self.problem, self.solution, self.lang, self.store, resume_from=resume_from, variant=self.variant
        )
        if resume_from is not None:
            self.mistakes.update(a.mistake for a in resume_from.log if a.verdict == "wrong" and a.mistake)
        self.query_one(StepList).build(self.session)
        panel = self.query_one(StepPanel)
        self._refresh()
        if resume_from is not None:
            total = len(self.session.steps)
            panel.feedback.note(t("tui.resumed", self.lang, step=min(self.session.index + 1, total), total=total))
        panel.answer.focus()
        self._check_finished()

    # ------------------------------------------------------------ showing

    def _refresh(self) -> None:
        session = self.session
        current = session.current
        self.query_one(ProgressHeader).show(session)
        known = view.known_values(session)
        label = view.symbol_text(session, current) if current is not None else None
        self.query_one(DiagramPanel).show(diagram(self.problem, self.solution, known, self.lang), label)
        self.query_one(StepList).show(session)
        panel = self.query_one(StepPanel)
        panel.show(session, view.hint_lines(self.hints.get(current.name, [])) if current else [])
        self._preview(panel.answer.value)
        if session.store_warning:
            self._warn(session.store_warning)
        self.refresh_bindings()  # KeyFooter rebuilds only when a key changes

    def _preview(self, text: str) -> None:
        preview = self.query_one(StepPanel).preview
        if self.session is None or self.session.finished or not text.strip():
            preview.clear()
        elif view.command(text) is not None:
            preview.show_command(text.strip().lower(), self.lang)
        else:
            preview.show_reading(self.session.read(text), self.lang)

    def _warn(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.notify(message, severity="warning", timeout=10, markup=False)

    def _check_finished(self) -> None:
        if self.session.finished and not isinstance(self.screen, SummaryScreen):
            self.session.finish()
            if self.session.store_warning:
                self._warn(self.session.store_warning)
            self.push_screen(SummaryScreen(view.summary(self.session, self.mistakes), self.lang), self._after_summary)

    def _after_summary(self, choice: str | None) -> None:
        if choice == "quit":
            self.action_quit()
        else:
            self.query_one(StepPanel).feedback.note(t("tui.review", self.lang))

    # ------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        action = view.command(event.value)
        if action is None:
            self._submit(event.value)
            return
        event.input.clear()
        if action == "quit":
            self.action_quit()
        else:
            getattr(self, f"action_{action}")()

    def _active(self) -> bool:
        return self.session is not None and not self.session.finished

    def _submit(self, text: str) -> None:
        if not self._active():
            return
        feedback = self.session.submit(text)
        if feedback.outcome is Outcome.WRONG and feedback.verdict is not None and feedback.verdict.mistake:
            self.mistakes[feedback.verdict.mistake] += 1
        panel = self.query_one(StepPanel)
        panel.feedback.show(view.feedback_view(feedback, self.session))
        if feedback.outcome is Outcome.CORRECT:
            panel.answer.clear()
        self._refresh()
        self._check_finished()

    def _moved_on(self, feedback) -> None:
        panel = self.query_one(StepPanel)
        panel.feedback.show(view.feedback_view(feedback, self.session))
        panel.answer.clear()
        self._refresh()
        self._check_finished()

    # ------------------------------------------------------------ actions (keys and typed words)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in SESSION_ACTIONS:
            return True
        # None: shown in the footer but dimmed, and the key does nothing.
        if self.session is None or isinstance(self.screen, ModalScreen):
            return None
        if action == "help":
            return True
        if action == "back":
            return self.session.index > 0 or None
        return not self.session.finished or None

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self._key_rows(), self.lang))

    def action_submit(self) -> None:
        self._submit(self.query_one(StepPanel).answer.value)

    def action_hint(self) -> None:
        if self._active():
            feedback = self.session.hint()
            self.hints.setdefault(feedback.step.name, []).append(feedback.message)
            self._refresh()

    def action_reveal(self) -> None:
        if self._active():
            self._moved_on(self.session.show())

    def action_skip(self) -> None:
        if self._active():
            self._moved_on(self.session.skip())

    def action_back(self) -> None:
        if self.session is None or self.session.index == 0:
            return
        self.session.back()
        panel = self.query_one(StepPanel)
        panel.answer.clear()
        panel.feedback.note(view.earlier(self.session))
        self._refresh()
        panel.answer.focus()

    def get_key_display(self, binding: Binding) -> str:
        """F1 rather than f1: as printed on the keyboard."""
        shown = super().get_key_display(binding)
        return shown.upper() if shown[:1] == "f" and shown[1:].isdigit() else shown

    def _key_rows(self) -> list[tuple[str, str]]:
        """(keys, what they do) for the help screen, from the live bindings, in BINDINGS order."""
        rows: dict[str, tuple[list[str], str]] = {}
        for _, binding in sorted(self._bindings, key=lambda pair: _binding_order(pair[1])):
            if binding.description:
                keys, _ = rows.setdefault(binding.action, ([], binding.description))
                keys.append(self.get_key_display(binding))
        return [(" / ".join(keys), what) for keys, what in rows.values()]


def _binding_order(binding: Binding) -> tuple[int, int]:
    actions = [b.action for b in TutorApp.BINDINGS]
    position = actions.index(binding.action) if binding.action in actions else len(actions)
    return position, 0 if binding.key.startswith("f") or binding.key == "enter" else 1
