"""TutorApp: the full-screen front end of ``bptutor solve``. It routes between screens.

Given a problem, the app's first screen is a SolveScreen (screens/solve.py), which owns the
Session and the solving keys. Without one, it starts on the problem list (screens/picker.py); a
problem chosen there opens in a SolveScreen, and quitting it (F10, ctrl+q, the word quit, the
summary's Quit) comes back to the list. Quitting the list quits the app.
"""

from __future__ import annotations

import asyncio
import threading

from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from ..errors import TutorError
from ..i18n import t
from ..session import Session
from .screens.solve import SolveScreen
from .signals import SignalGuard


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
        self._guard: SignalGuard | None = None

    def run(self, *args, **kwargs):
        """As App.run, with every quitting signal leaving the terminal as it was (tui/signals.py)."""
        self._guard = SignalGuard()  # reads the terminal's modes before the app changes them
        try:
            return super().run(*args, **kwargs)
        finally:
            self._guard.uninstall()

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
        if self._guard is not None:
            self._guard.install(asyncio.get_running_loop(), self.exit)
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

    def _show_picker(self) -> None:
        from .screens.picker import PickerScreen

        if not self.is_screen_installed("picker"):
            self.install_screen(PickerScreen(self.library, self.lang), "picker")
        self.push_screen("picker")

    def on_picker_screen_chosen(self, event) -> None:
        """Derive the chosen problem in a worker, so the list keeps answering keys and signals
        while a large or hostile file is being derived or refused."""
        event.stop()
        if any(w.group == "open" and not w.is_finished for w in self.workers):
            return  # one problem at a time; Enter again while it opens does nothing
        self.notify(t("tui.picker_opening", self.lang, id=event.info.id), timeout=3, markup=False)
        self.run_worker(_in_daemon_thread(self.library.load, event.info), name=event.info.id, group="open",
                        exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "open" or not self.is_screen_installed("picker"):
            return
        if self.screen is not self.get_screen("picker"):
            return  # the student has left the list meanwhile
        if event.state is WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, TutorError) else t(
                "tui.picker_failed", self.lang, id=worker.name, error=f"{type(error).__name__}: {error}")
            self.notify(message, severity="error", timeout=15, markup=False)
        elif event.state is WorkerState.SUCCESS:
            self.problem, self.solution = worker.result
            self._start_solving()

    def _start_solving(self) -> None:
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
        if self.screen is not self.get_screen("picker"):
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


async def _in_daemon_thread(function, *args):
    """``function(*args)`` in a daemon thread. Not Textual's thread worker: its threads come from
    asyncio's executor, which the interpreter waits for at exit, so quitting while a problem is
    derived would wait for the derivation. The SymPy work in it is bounded (tutor/engine/budget.py)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def settle(outcome: tuple[bool, object]) -> None:
        if not done.done():
            if outcome[0]:
                done.set_result(outcome[1])
            else:
                done.set_exception(outcome[1])

    def run() -> None:
        try:
            outcome = (True, function(*args))
        except Exception as exc:  # noqa: BLE001 - every error is shown to the student by the app
            outcome = (False, exc)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:  # the app has ended meanwhile: nobody is waiting
            pass

    threading.Thread(target=run, name="bptutor-open", daemon=True).start()
    return await done
