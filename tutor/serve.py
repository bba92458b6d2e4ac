"""``bptutor serve``: the tutor in web browsers, for a classroom, through textual-serve.

Each browser page starts its own ``bptutor solve`` process (the problem list first) and
textual-serve relays the screen and the keys over a websocket. The processes share this
machine's progress database, so they run with --new: one student is never offered another
student's unfinished session.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import shlex
import socket
import sys
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

from aiohttp import WSCloseCode, web
from textual_serve.server import Server

from .errors import TutorError


def served_command(lang: str, dirs: Sequence[Path | str] = ()) -> str:
    """The shell command textual-serve runs for each page (exec: one process a page, not two)."""
    argv = [sys.executable, "-m", "tutor", "solve", "--lang", lang, "--new"]
    for directory in dirs:
        argv += ["--dir", str(Path(directory).resolve())]  # the server's working folder, not the child's guess
    return ("exec " if os.name == "posix" else "") + shlex.join(argv)


def url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


class TutorServer(Server):
    def __init__(self, command: str, host: str, port: int) -> None:
        super().__init__(command, host=host, port=port, title="bptutor")
        self._sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # not a line per page and script

    async def on_startup(self, app: web.Application) -> None:
        # Instead of textual-serve's banner: one line with the address, once the port is known free.
        sys.stdout.write(f"bptutor: serving on {url(self.host, self.port)}  (Ctrl+C stops)\n")
        if self.host in ("0.0.0.0", "::", ""):
            sys.stdout.write("bptutor: students open this machine's address with that port\n")
        sys.stdout.flush()
        app.on_response_prepare.append(self._track)
        app.on_cleanup.append(self._wait_for_pages)

    async def _track(self, request: web.Request, response: web.StreamResponse) -> None:
        if isinstance(response, web.WebSocketResponse):
            self._sockets.add(response)

    async def on_shutdown(self, app: web.Application) -> None:
        # Closing each page's websocket makes textual-serve tell its app to quit; otherwise the
        # server would wait a minute for them before it stops.
        for websocket in list(self._sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

    async def _wait_for_pages(self, app: web.Application) -> None:
        # The pages' apps were told to quit; let them end while this loop still watches them: a
        # subprocess that outlives the loop makes asyncio print a traceback at exit.
        deadline = time.monotonic() + 5
        while _children() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # for the exit callbacks

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # The page's websocket and script addresses come from public_url, by default host:port:
        # with --host 0.0.0.0 a student's browser would connect to 0.0.0.0. Use the address the
        # browser asked for instead. Safe to set per request: nothing awaits between here and
        # the template reading it.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)


def _children() -> list[int]:
    """This process's children not yet reaped, zombies included (Linux: from /proc; elsewhere none are known)."""
    me, found = str(os.getpid()), []
    try:
        entries = list(Path("/proc").glob("[0-9]*/stat"))
    except OSError:
        return []
    for stat in entries:
        try:
            parent = stat.read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        if parent == me:
            found.append(int(stat.parent.name))
    return found


def check_port(host: str, port: int) -> None:
    """A clear message now rather than aiohttp's OSError after start-up."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise TutorError(f"cannot serve on {host!r}: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        # As aiohttp does: a port the last run left in TIME_WAIT is free to use.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise _bind_error(host, port, exc) from None


def _bind_error(host: str, port: int, exc: OSError) -> TutorError:
    if exc.errno == errno.EADDRINUSE:
        return TutorError(f"port {port} is already in use on {host}; choose another with --port")
    if exc.errno == errno.EACCES:
        return TutorError(f"not allowed to listen on port {port}; choose one above 1023 with --port")
    return TutorError(f"cannot serve on {host}:{port}: {exc.strerror or exc}")


def serve(host: str, port: int, lang: str, dirs: Sequence[Path | str] = ()) -> None:
    """Serve until Ctrl+C (SIGINT) or SIGTERM; raises TutorError when the port cannot be used."""
    check_port(host, port)
    server = TutorServer(served_command(lang, dirs), host, port)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and now
        raise _bind_error(host, port, exc) from None
    sys.stdout.write("bptutor: stopped\n")
