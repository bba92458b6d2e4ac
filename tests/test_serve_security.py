"""``bptutor serve`` against pages that are not its own and clients that misbehave: the real server
in a subprocess on 127.0.0.1, driven by aiohttp's websocket client (textual-serve's protocol:
JSON text messages in, the app's terminal output as binary messages out). Each test opens at most
three pages and waits at most a few seconds for any one thing."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import aiohttp
import pytest

from tests.conftest import BUILTIN_IDS
from tests.test_serve import alive, children_of, free_port, stop

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads processes from /proc")

LISTED = b"choose a problem"
ROW_MOVE = re.compile(r"\x1b\[(\d+);\d+H")  # Textual draws each line after a cursor move to it


def wait_until(condition, seconds: float) -> float:
    """Seconds it took for ``condition()`` to hold; fails after ``seconds``."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


class Server:
    def __init__(self, *options: str) -> None:
        self.port = free_port()
        self.own = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tutor", "serve", "--port", str(self.port), *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(self.own + "/", timeout=2):
                    return
            except OSError:
                assert self.process.poll() is None, self.process.communicate()[0]
                assert time.monotonic() < deadline, "bptutor serve did not answer within 30 s"
                time.sleep(0.1)

    def pages(self) -> list[int]:
        return children_of(self.process.pid)

    def index_status(self) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.own + "/", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


@pytest.fixture
def serve():
    started: list[Server] = []

    def start(*options: str) -> Server:
        started.append(Server(*options))
        return started[-1]

    yield start
    for server in started:
        pids = server.pages()
        stop(server.process)
        for pid in pids:  # a page left behind by a failing test
            if alive(pid):
                os.killpg(pid, signal.SIGKILL)


def run(scenario):
    return asyncio.run(asyncio.wait_for(scenario, 60))


async def connect(session: aiohttp.ClientSession, server: Server, origin: str | None, size: str = ""):
    headers = {"Origin": origin} if origin is not None else {}
    return await session.ws_connect(f"{server.own}/ws{size}", headers=headers, autoclose=False)


async def read_screen(websocket, seconds: float, until: bytes | None = None) -> bytes:
    """What the app drew within ``seconds``, or until it drew ``until``."""
    drawn, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline and not (until and until in drawn):
        try:
            message = await websocket.receive(timeout=max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            break
        if message.type == aiohttp.WSMsgType.BINARY:
            drawn += message.data
        elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.CLOSING):
            break
    return drawn


async def refused_status(server: Server, origin: str | None) -> int | None:
    async with aiohttp.ClientSession() as session:
        try:
            websocket = await connect(session, server, origin)
        except aiohttp.WSServerHandshakeError as error:
            return error.status
        await websocket.close()
        return None


def test_a_page_from_another_origin_is_refused_before_the_upgrade(serve):
    server = serve()
    for origin in ("https://evil.example", f"http://evil.example:{server.port}", "null", None,
                   f"http://127.0.0.1:{server.port + 1}", f"https://127.0.0.1:{server.port}"):
        assert run(refused_status(server, origin)) == 403, origin
    assert server.pages() == []  # no app was started for any of them
    _, output, _ = _stop(server)
    assert "refused a page from 'https://evil.example'" in output


def test_a_page_of_this_server_gets_the_tutor(serve):
    server = serve()

    async def scenario() -> list[bytes]:
        screens = []
        async with aiohttp.ClientSession() as session:
            for origin in (server.own, f"http://localhost:{server.port}"):
                websocket = await connect(session, server, origin)
                screens.append(await read_screen(websocket, 15, LISTED))
                await websocket.close()
        return screens

    for drawn in run(scenario()):
        assert b"choose a problem" in drawn


def test_allow_origin_accepts_that_origin_and_no_other(serve):
    server = serve("--allow-origin", "https://Tutor.Example.org/")
    assert run(refused_status(server, "https://tutor.example.org")) is None
    assert run(refused_status(server, "https://tutor.example.org:8443")) == 403
    assert run(refused_status(server, "https://other.example.org")) == 403
    # Through the proxy (which keeps the Host), the page connects back through it, with wss.
    request = urllib.request.Request(server.own + "/", headers={"Host": "tutor.example.org"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert 'data-session-websocket-url="wss://tutor.example.org:443/ws"' in response.read().decode()


def test_allow_origin_that_is_not_an_origin_is_refused_with_one_line():
    done = subprocess.run([sys.executable, "-m", "tutor", "serve", "--allow-origin", "tutor.example.org/path"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("bptutor: --allow-origin 'tutor.example.org/path' is not an origin")
    assert len(done.stderr.splitlines()) == 1


def test_beyond_max_pages_the_classroom_is_full_until_a_page_closes(serve):
    server = serve("--max-pages", "1")

    async def scenario() -> tuple[bytes, tuple[int, str], int]:
        async with aiohttp.ClientSession() as session:
            first = await connect(session, server, server.own)
            assert b"choose a problem" in await read_screen(first, 15, LISTED)
            full_index = await asyncio.to_thread(server.index_status)
            second = await connect(session, server, server.own)
            told = await read_screen(second, 5, b"try again later")
            pages = len(server.pages())
            await second.close()
            await first.close()
        return told, full_index, pages

    told, (status, page), pages = run(scenario())
    assert pages == 1
    assert b"classroom is full" in told
    assert status == 503 and "classroom is full" in page
    wait_until(lambda: server.index_status()[0] == 200, 8)  # the place is free again


def test_a_huge_resize_is_clamped_to_a_sane_terminal(serve):
    server = serve()

    async def scenario() -> bytes:
        async with aiohttp.ClientSession() as session:
            websocket = await connect(session, server, server.own, "?width=100000&height=100000")
            await read_screen(websocket, 15, LISTED)
            await websocket.send_json(["resize", {"width": 100000, "height": 100000}])
            await websocket.send_json(["resize", {"width": "wide", "height": None}])  # ignored
            await websocket.send_str("not json")  # ignored
            drawn = await read_screen(websocket, 4)
            await websocket.close()
            return drawn

    drawn = run(scenario())
    rows = [int(row) for row in ROW_MOVE.findall(drawn.decode("utf-8", "replace"))]
    assert rows and max(rows) == 200  # redrawn at the largest size allowed, no larger
    drawn_lines = re.split(r"\x1b\[\d+;\d+H|\r?\n", drawn.decode("utf-8", "replace"))
    widest = max(len(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)) for line in drawn_lines)
    assert widest == 500  # and as wide as allowed, no wider


@pytest.mark.parametrize("busy", [False, True], ids=["idle", "stopped-and-reading-nothing"])
def test_the_page_process_ends_within_seconds_after_its_socket_closes(serve, busy):
    server = serve()

    async def scenario() -> int:
        async with aiohttp.ClientSession() as session:
            websocket = await connect(session, server, server.own)
            assert b"choose a problem" in await read_screen(websocket, 15, LISTED)
            (pid,) = server.pages()
            if busy:  # a stopped app reads no input at all, like one stuck in a computation
                os.kill(pid, signal.SIGSTOP)
                for _ in range(200):  # and keys pile up unread
                    await websocket.send_json(["stdin", "x" * 1000])
            await websocket.close()
            return pid

    pid = run(scenario())
    seconds = wait_until(lambda: not alive(pid), 10)
    assert seconds < (7 if busy else 4)
    assert server.process.poll() is None  # the server goes on


def _stop(server: Server) -> tuple[int, str, float]:
    started = time.monotonic()
    server.process.send_signal(signal.SIGINT)
    output, _ = server.process.communicate(timeout=30)
    return server.process.returncode, output, time.monotonic() - started


def test_ctrl_c_stops_the_server_and_every_page_within_seconds(serve):
    server = serve()

    async def scenario() -> tuple[list[int], tuple[int, str, float]]:
        async with aiohttp.ClientSession() as session:
            sockets = [await connect(session, server, server.own) for _ in range(2)]
            for websocket in sockets:
                assert b"choose a problem" in await read_screen(websocket, 15, LISTED)
            pages = server.pages()
            os.kill(pages[0], signal.SIGSTOP)  # one of them busy
            return pages, await asyncio.to_thread(_stop, server)

    pages, (status, output, seconds) = run(scenario())
    assert len(pages) == 2
    assert status == 0 and "Traceback" not in output, output
    assert seconds < 10
    assert [pid for pid in pages if alive(pid)] == []


def test_a_dir_holding_a_file_name_that_is_not_utf8_still_serves_the_list(serve, tmp_path):
    folder = tmp_path / "problems"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"bad\xff.yaml"), "w", encoding="utf-8") as handle:
        handle.write("id: bad\ntitle: Bad\nkind: graph\n")
    server = serve("--dir", str(folder))

    async def scenario() -> bytes:
        async with aiohttp.ClientSession() as session:
            websocket = await connect(session, server, server.own)
            drawn = await read_screen(websocket, 15, LISTED)
            await websocket.close()
            return drawn

    drawn = run(scenario())
    assert LISTED in drawn and BUILTIN_IDS[0].encode() in drawn  # the first row
    _, output, _ = _stop(server)
    assert "Traceback" not in output


def test_own_origins_are_this_machines_names_and_addresses_on_this_port():
    import socket

    from tutor.serve_pages import OriginCheck

    check = OriginCheck(8000)
    for own in ("http://127.0.0.1:8000", "http://localhost:8000", "http://LOCALHOST:8000/",
                f"http://{socket.gethostname()}:8000"):
        assert check.allows(own), own
    for foreign in ("http://203.0.113.7:8000",  # an address of another machine (TEST-NET-3)
                    "http://0.0.0.0:8000", "http://127.0.0.1:80", "http://127.0.0.1", "http://attacker.test:8000",
                    "http://127.0.0.1:8000/path", "http://user@127.0.0.1:8000", "ws://127.0.0.1:8000", "", None):
        assert not check.allows(foreign), foreign
