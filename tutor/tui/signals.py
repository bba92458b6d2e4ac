"""Ending the app on a signal with the terminal as it was found.

SIGTERM, SIGINT, SIGHUP, SIGQUIT and SIGUSR1 ask the app to quit the ordinary way, which leaves
the alternate screen, turns mouse reporting off and gives the tty back its modes (and lets the
session finish its saving). Should that not finish within :data:`GRACE_SECONDS` (a hung-up tty,
a busy loop), a watchdog restores the terminal itself and ends the process. The default actions
of these signals end the process at once, leaving the terminal raw, on the alternate screen,
with mouse reporting on.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

try:
    import termios
except ImportError:  # not a POSIX terminal: nothing to put back
    termios = None  # type: ignore[assignment]

GRACE_SECONDS = 3.0
SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1")
# What Textual's Linux driver turns on, turned off: mouse reporting (1000, 1003, 1015, 1006,
# 1016), bracketed paste, in-band resize, the kitty keyboard protocol, focus events; then line
# wrap and the cursor back on, and the main screen.
RESET = (
    "\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l\x1b[?2004l\x1b[?2048l\x1b[<u\x1b[?1004l"
    "\x1b[?7h\x1b[?25h\x1b[?1049l"
)


class SignalGuard:
    """Installed while the app runs in a terminal; ``quit`` is called on the event loop's thread."""

    def __init__(self) -> None:
        self.fd: int | None = None
        self.modes: list[Any] | None = None
        self.previous: dict[int, Any] = {}
        try:
            fd = sys.stdin.fileno()
            if termios is not None and os.isatty(fd):
                self.fd, self.modes = fd, termios.tcgetattr(fd)
        except (OSError, ValueError, AttributeError, termios.error if termios else OSError):
            pass  # no terminal (a test, a served page): nothing to restore

    def install(self, loop: Any, quit: Callable[[], None]) -> None:
        def handler(number: int, _frame: Any) -> None:
            _start_watchdog(self, 128 + number)
            try:
                loop.call_soon_threadsafe(quit)
            except RuntimeError:  # the loop has already closed
                pass

        for name in SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                self.previous[number] = signal.signal(number, handler)
            except (ValueError, OSError):  # not the main thread (a test's app): Textual's own handling
                return

    def uninstall(self) -> None:
        for number, previous in self.previous.items():
            try:
                signal.signal(number, previous)
            except (ValueError, OSError, TypeError):
                pass
        self.previous.clear()

    def restore(self) -> None:
        """Put the terminal back without ever blocking: the tty may be gone or not reading."""
        if self.fd is None:
            return
        try:
            tty = os.open(os.ttyname(self.fd), os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError:
            tty = None
        if tty is not None:  # its own open file, so O_NONBLOCK does not reach the shell's
            try:
                os.write(tty, RESET.encode())
            except OSError:
                pass
            finally:
                os.close(tty)
        try:
            termios.tcsetattr(self.fd, termios.TCSANOW, self.modes)
        except (OSError, termios.error):
            pass


def _start_watchdog(guard: SignalGuard, status: int) -> None:
    def last_resort() -> None:
        guard.restore()
        os._exit(status)

    timer = threading.Timer(GRACE_SECONDS, last_resort)
    timer.daemon = True
    timer.start()
