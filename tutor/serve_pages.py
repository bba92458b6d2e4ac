"""What ``bptutor serve`` allows a page: who may open one (the websocket's Origin), how many run at
once, how large a terminal one may ask for, and how a page's process is ended.

Relies on textual-serve 1.1.3's AppService: its public methods (start, send_bytes, send_meta,
set_terminal_size, blur, focus, encode_packet) and, to start the app in a session of its own and
to end it, its ``_open_app_process`` and ``_process``.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import signal
import socket
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import urlsplit

from textual_serve.app_service import AppService

from .errors import TutorError

MAX_WIDTH, MAX_HEIGHT = 500, 200  # a browser window on a wall screen is well inside this
PAGE_MEMORY = 150 * 1024 * 1024  # one page's `bptutor solve --new` (85-100 MB), with room
MOST_PAGES = 32
INPUT_BACKLOG = 1024 * 1024  # keys an app has not read yet; beyond it input is dropped, never waited on
QUIT_GRACE = 2.0  # seconds an app has to quit when asked, then to end on SIGTERM, before SIGKILL


def default_max_pages() -> int:
    """As many pages as this machine's available memory holds, at most MOST_PAGES, at least 1."""
    available = _available_memory()
    if available is None:
        return 8
    return max(1, min(MOST_PAGES, available // PAGE_MEMORY))


def _available_memory() -> int | None:
    try:  # Linux: MemAvailable counts the cache the kernel would give back; free pages do not
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def terminal_size(width: object, height: object) -> tuple[int, int] | None:
    """A size a page may have: whole numbers clamped to 1..MAX; None for anything else."""
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (width, height)):
        return None
    return min(max(width, 1), MAX_WIDTH), min(max(height, 1), MAX_HEIGHT)


# ---------------------------------------------------------------- origins


def origin_of(text: str) -> str | None:
    """'scheme://host:port' in one spelling (lower case, port always given), or None when ``text``
    is not an http(s) origin: no path, query, user or fragment."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    host = parts.hostname.lower()
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}:{port or (443 if parts.scheme == 'https' else 80)}"


def allowed_origins(texts: Iterable[str]) -> frozenset[str]:
    """--allow-origin values, checked: a typing mistake would otherwise refuse every student."""
    found = set()
    for text in texts:
        origin = origin_of(text)
        if origin is None:
            raise TutorError(f"--allow-origin {text!r} is not an origin such as https://tutor.example.org")
        found.add(origin)
    return frozenset(found)


class OriginCheck:
    """A websocket is opened only by a page of this server: its Origin names this machine (by
    name or by one of its own addresses) and this port, or is one given with --allow-origin.
    Browsers always send Origin, and a page cannot forge it; a missing one is refused too."""

    def __init__(self, port: int, allowed: frozenset[str] = frozenset()) -> None:
        self.port, self.allowed = port, allowed
        self.names = {"localhost", socket.gethostname().lower()}

    def allows(self, header: str | None) -> bool:
        origin = origin_of(header) if header else None
        if origin is None:
            return False
        if origin in self.allowed:
            return True
        parts = urlsplit(origin)
        if parts.scheme != "http" or parts.port != self.port:  # this server speaks plain http
            return False
        host = parts.hostname or ""
        # A name must be this machine's own: any other name could be made to point here
        # (DNS rebinding), so a page under it is not ours.
        return host in self.names or _is_own_address(host)


@lru_cache(maxsize=256)
def _is_own_address(host: str) -> bool:
    """An IP address of this machine: one that a socket can be bound to."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if address.is_unspecified or address.is_multicast:
        return False
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


# ---------------------------------------------------------------- a page's process


class Page(AppService):
    """One page's app: in a session of its own (so the app and anything it starts end together),
    never more than MAX_WIDTH x MAX_HEIGHT, input dropped rather than waited on when the app reads
    nothing, and an end that returns within a few seconds whatever the app is doing."""

    _ending: asyncio.Task | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24):
        # textual-serve 1.1.3's own, with start_new_session.
        self._process = process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        self._stdin = process.stdin
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        size = terminal_size(width, height)
        if size is not None:
            await super().set_terminal_size(*size)

    async def send_bytes(self, data: bytes) -> bool:
        return self._send(self.encode_packet(b"D", data))

    async def send_meta(self, data: dict) -> bool:
        import json

        return self._send(self.encode_packet(b"M", json.dumps(data).encode("utf-8")))

    def _send(self, packet: bytes) -> bool:
        # No drain: a busy app reads nothing, and waiting on it would stop this page's socket
        # from being read, so its closing would go unnoticed.
        stdin = self._stdin
        if stdin is None or stdin.is_closing() or stdin.transport.get_write_buffer_size() > INPUT_BACKLOG:
            return False
        stdin.write(packet)
        return True

    async def run(self) -> None:
        await super().run()
        # The app ended (quit, or died without saying so): the page shows that its session ended.
        with contextlib.suppress(Exception):
            await self.remote_close()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def end(self) -> None:
        """Ask the app to quit; SIGTERM then SIGKILL its session if it does not. Safe to call twice."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end())
        await asyncio.shield(self._ending)

    async def _end(self) -> None:
        process = self._process
        if process is None:
            return
        with contextlib.suppress(Exception):
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
        await self.send_meta({"type": "quit"})
        for then in (signal.SIGTERM, signal.SIGKILL, None):
            try:
                await asyncio.wait_for(process.wait(), QUIT_GRACE)
                break
            except TimeoutError:
                if then is not None:
                    _signal_session(process.pid, then)
        _signal_session(process.pid, signal.SIGKILL)  # whatever the app started and left behind
        if self._task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._task, QUIT_GRACE)
            self._task = None


def _signal_session(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)
