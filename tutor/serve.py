"""``bptutor serve``: the tutor in web browsers, for a classroom, through textual-serve.

Each browser page starts its own ``bptutor solve`` process (the problem list first) and
textual-serve relays the screen and the keys over a websocket. The processes share this
machine's progress database, so they run with --new: one student is never offered another
student's unfinished session.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import os
import shlex
import socket
import sys
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.server import Server

from .errors import TutorError
from .serve_pages import (
    OriginCheck,
    Page,
    allowed_origins,
    default_max_pages,
    origin_of,
    terminal_size,
)


def served_command(lang: str, dirs: Sequence[Path | str] = ()) -> str:
    """The shell command textual-serve runs for each page (exec: one process a page, not two)."""
    argv = [sys.executable, "-m", "tutor", "solve", "--lang", lang, "--new"]
    for directory in dirs:
        argv += ["--dir", str(Path(directory).resolve())]  # the server's working folder, not the child's guess
    return ("exec " if os.name == "posix" else "") + shlex.join(argv)


def url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


FULL_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bptutor: the classroom is full</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>The classroom is full</h1>
<p>All {pages} places on this server are taken. Try again later.</p>
<p lang="ja">満席です（{pages} 人）。しばらくしてからもう一度開いてください。</p>
</body></html>
"""
FULL_TERMINAL = "\r\n  The classroom is full ({pages} pages are open): try again later.\r\n"
FORBIDDEN = "bptutor: this server answers only its own pages\n"


class TutorServer(Server):
    """textual-serve's server (1.1.3) with our own websocket handler: it checks the page's Origin,
    caps the pages, clamps their size and ends each page's process when its socket closes."""

    def __init__(
        self, command: str, host: str, port: int, max_pages: int, allowed: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(command, host=host, port=port, title="bptutor")
        self.max_pages, self.origins = max_pages, OriginCheck(port, allowed)
        self.pages: set[Page] = set()  # until each page's process has ended
        self._sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()
        self._refused: set[str] = set()

    def initialize_logging(self) -> None:
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)  # not a line per page and script

    async def on_startup(self, app: web.Application) -> None:
        # Instead of textual-serve's banner: one line with the address, once the port is known free.
        sys.stdout.write(f"bptutor: serving on {url(self.host, self.port)}  (Ctrl+C stops; at most "
                         f"{self.max_pages} pages at once)\n")
        if self.host in ("0.0.0.0", "::", ""):
            sys.stdout.write("bptutor: students open this machine's address with that port\n")
        sys.stdout.flush()
        app.on_cleanup.append(self._wait_for_pages)

    async def on_shutdown(self, app: web.Application) -> None:
        # Every page's app is told to quit (and killed if it does not), then each socket is
        # closed so its handler returns; otherwise the server would wait a minute for them.
        await asyncio.gather(*(page.end() for page in list(self.pages)))
        await asyncio.gather(*(
            websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped") for websocket in list(self._sockets)
        ))

    async def _wait_for_pages(self, app: web.Application) -> None:
        # A subprocess that outlives the loop makes asyncio print a traceback at exit.
        deadline = time.monotonic() + 5
        while _children() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.1)  # for the exit callbacks

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if len(self.pages) >= self.max_pages:
            return web.Response(status=503, text=FULL_PAGE.format(pages=self.max_pages), content_type="text/html",
                                headers={"Retry-After": "60"})
        # The page's websocket and script addresses come from public_url, by default host:port:
        # with --host 0.0.0.0 a student's browser would connect to 0.0.0.0. Use the address the
        # browser asked for instead. Safe to set per request: nothing awaits between here and
        # the template reading it.
        self.public_url = self._proxied(request.host) or f"{request.scheme}://{request.host}"
        return await super().handle_index(request)

    def _proxied(self, host: str) -> str | None:
        """The --allow-origin a proxy forwarded this request for (keeping its Host): the page
        must then connect back through the proxy, with wss when it speaks https."""
        asked = {origin_of(f"{scheme}://{host}") for scheme in ("http", "https")}
        return next((origin for origin in sorted(self.origins.allowed) if origin in asked), None)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if not self.origins.allows(origin):
            self._say_refused(origin)
            raise web.HTTPForbidden(text=FORBIDDEN)
        websocket = web.WebSocketResponse(heartbeat=15, timeout=2, max_msg_size=1024 * 1024)
        await websocket.prepare(request)
        self._sockets.add(websocket)
        if len(self.pages) >= self.max_pages:
            await websocket.send_bytes(FULL_TERMINAL.format(pages=self.max_pages).encode())
            await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=b"the classroom is full")
            return websocket
        size = terminal_size(_int(request.query.get("width"), 80), _int(request.query.get("height"), 24))
        page = Page(self.command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                    close=websocket.close, download_manager=self.download_manager)
        self.pages.add(page)
        try:
            await page.start(*(size or (80, 24)))
            await _relay(websocket, page)
        finally:
            # Shielded: a handler cancelled by the server's shutdown still ends its page.
            await asyncio.shield(self._end(page))
            await websocket.close()
        return websocket

    async def _end(self, page: Page) -> None:
        try:
            await page.end()
        finally:
            self.pages.discard(page)

    def _say_refused(self, origin: str | None) -> None:
        shown = ascii(origin) if origin is not None else "a client that sent no Origin"
        if len(self._refused) < 20 and shown not in self._refused:  # once each: a hostile page may retry
            self._refused.add(shown)
            sys.stdout.write(f"bptutor: refused a page from {shown}: not this server's own "
                             "(behind a proxy, give its address with --allow-origin)\n")
            sys.stdout.flush()


async def _relay(websocket: web.WebSocketResponse, page: Page) -> None:
    """The browser's messages to the app, until the socket closes. Anything malformed is ignored."""
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await page.send_bytes(data.encode("utf-8", "replace"))  # "replace": a lone surrogate
        elif kind == "resize" and isinstance(data, dict):
            await page.set_terminal_size(data.get("width"), data.get("height"))
        elif kind == "ping":
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await page.blur()
        elif kind == "focus":
            await page.focus()


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


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


def serve(
    host: str, port: int, lang: str, dirs: Sequence[Path | str] = (), max_pages: int | None = None,
    allow_origins: Sequence[str] = (),
) -> None:
    """Serve until Ctrl+C (SIGINT) or SIGTERM; raises TutorError when the port cannot be used."""
    allowed = allowed_origins(allow_origins)
    check_port(host, port)
    server = TutorServer(served_command(lang, dirs), host, port, max_pages or default_max_pages(), allowed)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and now
        raise _bind_error(host, port, exc) from None
    sys.stdout.write("bptutor: stopped\n")
