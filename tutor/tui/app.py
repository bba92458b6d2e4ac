"""TutorApp: the full-screen front end of ``bptutor solve``. It routes between screens.

Given a problem, the app's first screen is a SolveScreen (screens/solve.py), which owns the
Session and the solving keys. Without one, it starts on the problem list (screens/picker.py); a
problem chosen there opens in a SolveScreen, and quitting it (F10, ctrl+q, the word quit, the
summary's Quit) comes back to the list. Quitting the list quits the app.
"""

from __future__ import annotations

import asyncio
import os
import signal

from textual.app import App
from textual.binding import Binding

from ..errors import TutorError
from ..session import Session
from .screens.solve import SolveScreen


class TutorApp(App[None]):
    CSS_PATH = "tutor.tcss"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

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
        self.variant = variant
        self.unfinished, self.ask_resume = unfinished, ask_resume
        self._warned: set[str] = set()

    def get_default_screen(self):
        if self.problem is None:  # the problem list is pushed over an empty screen
            return super().get_default_screen()
        return self._solve_screen(self.unfinished, self.ask_resume)

    def _solve_screen(self, unfinished, ask_resume: bool) -> SolveScreen:
        return SolveScreen.for_student(
            self.lang, listed=self.library is not None, problem=self.problem, solution=self.solution,
            store=self.store, unfinished=unfinished, ask_resume=ask_resume, variant=self.variant,
        )

    def on_mount(self) -> None:
        self._exit_on_signals()
        if self.problem is None:
            self._show_picker()

    @property
    def solving(self) -> SolveScreen | None:
        """The SolveScreen in the stack (under any help, resume or summary screen), if any."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, SolveScreen)), None)

    @property
    def session(self) -> Session | None:
        return self.solving.session if self.solving is not None else None

    def warn(self, message: str) -> None:
        """A warning notification, once per message for the app's life (a store's trouble repeats)."""
        if message not in self._warned:
            self._warned.add(message)
            self.notify(message, severity="warning", timeout=10, markup=False)

    # ------------------------------------------------------------ routing

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

    def _picked(self, info) -> None:
        try:
            self.problem, self.solution = self.library.load(info)
        except TutorError as exc:
            self.notify(str(exc), severity="error", timeout=15, markup=False)
            self._show_picker()
            return
        resume = self.library.resume
        unfinished = None
        if self.store is not None and resume is not False:
            try:
                unfinished = self.store.unfinished_session(self.problem.id)
            except TutorError as exc:
                self.warn(str(exc))
        self.push_screen(self._solve_screen(unfinished, ask_resume=resume is None))

    async def _back_to_list(self) -> None:
        while self.solving is not None:  # help, resume or summary over the problem, then the problem
            await self.pop_screen()
        self.problem = self.solution = None
        self._show_picker()

    def action_quit(self) -> None:
        """ctrl+q, and the SolveScreen's F10, quit and Quit: back to the list, if there is one."""
        if self.library is not None and self.solving is not None:
            self.call_later(self._back_to_list)
        else:
            self.exit()

    def get_key_display(self, binding: Binding) -> str:
        """F1 rather than f1: as printed on the keyboard."""
        shown = super().get_key_display(binding)
        return shown.upper() if shown[:1] == "f" and shown[1:].isdigit() else shown
