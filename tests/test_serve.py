"""``bptutor serve``: the real server in a subprocess, checked over HTTP and in headless Chromium.

textual-serve draws the terminal with xterm.js on a canvas, so the page's DOM holds no text. The
browser test drives Chromium over the DevTools protocol instead: a script added before the page
loads catches the xterm.js Terminal that textual.js creates, and the test reads the terminal's
rows from its buffer, which is what the student sees. Chromium comes from Debian's package; the
test installs it with apt-get when it is missing and is skipped, with the reason, when it cannot.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BUILTIN_IDS
from tutor.problem.library import list_problems

CHROMIUM_PATHS = ("chromium", "/usr/bin/chromium")

# textual.js assigns its xterm.js Terminal to `this.terminal`; a setter on Object.prototype sees
# that assignment, keeps the Terminal where the test can reach it, and then behaves as a plain
# property so the page works as usual.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) window.__bptutorTerminal = value;
  },
});
"""
READ_ROWS = """
(() => {
  const terminal = window.__bptutorTerminal;
  if (!terminal) return null;
  const buffer = terminal.buffer.active, rows = [];
  for (let y = 0; y < terminal.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
})()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Live (not zombie) processes whose parent is ``pid``."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, parent = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if int(parent) == pid and state != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop(process: subprocess.Popen) -> None:
    """SIGINT (Ctrl+C) first; whatever is left of the process group is killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=10)


class Served:
    def __init__(self, process: subprocess.Popen, port: int) -> None:
        self.process, self.port = process, port
        self.url = f"http://127.0.0.1:{port}/"

    def stop_with_ctrl_c(self) -> tuple[int, str, float]:
        """(exit status, everything printed, seconds it took to stop)."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGINT)
        output, _ = self.process.communicate(timeout=20)
        return self.process.returncode, output, time.monotonic() - started


@pytest.fixture
def server():
    """`bptutor serve --port <free port>` on 127.0.0.1, up and answering; stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group: the served apps can be found and ended
    )
    served = Served(process, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(served.url, timeout=2):
                    break
            except OSError:
                assert process.poll() is None, f"bptutor serve ended: {process.communicate()[0]}"
                assert time.monotonic() < deadline, "bptutor serve did not answer within 30 s"
                time.sleep(0.1)
        yield served
    finally:
        stop(process)


def test_the_page_answers_200_with_the_websocket_of_the_address_asked_for(server):
    with urllib.request.urlopen(server.url, timeout=10) as response:
        assert response.status == 200
        page = response.read().decode()
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in page
    # A browser that came by another name gets its own name back (with --host 0.0.0.0 the
    # default would point students at 0.0.0.0).
    request = urllib.request.Request(server.url, headers={"Host": f"localhost:{server.port}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert f"ws://localhost:{server.port}/ws" in response.read().decode()


def test_ctrl_c_stops_the_server_cleanly_and_the_url_was_printed(server):
    status, output, seconds = server.stop_with_ctrl_c()
    assert status == 0, output
    assert f"bptutor: serving on http://127.0.0.1:{server.port}/" in output
    assert "stopped" in output and "Traceback" not in output
    assert seconds < 10


def test_a_port_in_use_is_refused_with_a_message():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "tutor", "serve", "--port", str(port)], capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 2
    assert done.stderr.strip() == f"bptutor: port {port} is already in use on 127.0.0.1; choose another with --port"
    assert done.stdout == ""


# ---------------------------------------------------------------- the page in a browser


def _installed_chromium() -> str | None:
    for name in CHROMIUM_PATHS:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's chromium, installed with apt-get when missing (as root, or with sudo -n)."""
    found = _installed_chromium()
    if found:
        return found
    if sys.platform != "linux" or shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and there is no apt-get to install it")
    if os.geteuid() == 0:
        sudo = []
    elif shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        sudo = ["sudo", "-n"]
    else:
        pytest.skip("chromium is not installed, and installing it needs root (apt-get install chromium)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    last = ""
    for steps in ([["install", "-y", "-q", "chromium"]], [["update", "-q"], ["install", "-y", "-q", "chromium"]]):
        for step in steps:
            try:
                done = subprocess.run([*sudo, "apt-get", *step], capture_output=True, text=True, env=env, timeout=900)
            except subprocess.TimeoutExpired:
                pytest.skip(f"apt-get {step[0]} took over 15 minutes (no network?)")
            said = (done.stderr.strip() or done.stdout.strip()).splitlines()
            last = said[-1] if said else f"exit status {done.returncode}"
            if done.returncode != 0:
                break
        found = _installed_chromium()
        if found:
            return found
    pytest.skip(f"could not install chromium with apt-get (no network?): {last}")


class DevTools:
    """Just enough of the Chrome DevTools protocol: call a method, wait for its answer."""

    def __init__(self, websocket) -> None:
        self.websocket, self.last_id = websocket, 0

    async def call(self, method: str, **params) -> dict:
        self.last_id += 1
        await self.websocket.send_json({"id": self.last_id, "method": method, "params": params})
        while True:  # events arrive in between; the answer carries our id
            message = await self.websocket.receive_json()
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    async def screen(self) -> str:
        result = await self.call("Runtime.evaluate", expression=READ_ROWS, returnByValue=True)
        return result["result"].get("value") or ""

    async def wait_for(self, texts: list[str], seconds: float) -> str:
        deadline = time.monotonic() + seconds
        shown = ""
        while time.monotonic() < deadline:
            shown = await self.screen()
            if all(text in shown for text in texts):
                return shown
            await asyncio.sleep(0.2)
        missing = [text for text in texts if text not in shown]
        raise AssertionError(f"not on the page after {seconds} s: {missing}\n--- the terminal showed:\n{shown}")

    async def press(self, key: str, code: int) -> None:
        await self.call("Runtime.evaluate", expression="window.__bptutorTerminal.focus()")
        common = {"key": key, "code": key, "windowsVirtualKeyCode": code}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text="\r" if key == "Enter" else key, **common)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **common)


def launch_chromium(path: str, profile: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            path, "--headless", "--no-sandbox", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--mute-audio", "--window-size=1280,800",
            # The page links a web font: fail that lookup at once instead of waiting on a network.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )


async def devtools_url(profile: Path, browser: subprocess.Popen) -> str:
    """The page's DevTools websocket: Chromium writes its port to DevToolsActivePort."""
    import aiohttp

    active = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not (active.exists() and active.read_text().strip()):
        assert browser.poll() is None, "chromium ended at start-up"
        assert time.monotonic() < deadline, "chromium's DevTools did not start within 30 s"
        await asyncio.sleep(0.05)
    port = int(active.read_text().split()[0])
    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
            targets = await response.json(content_type=None)
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


def test_the_browser_shows_the_problem_list_and_opens_a_problem(server, chromium, tmp_path):
    import aiohttp

    english = {info.id: info.title["en"] for info in list_problems()}
    profile = tmp_path / "chromium"
    browser = launch_chromium(chromium, profile)
    started = time.monotonic()

    async def scenario() -> tuple[str, str]:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(await devtools_url(profile, browser), max_msg_size=0) as websocket:
                page = DevTools(websocket)
                await page.call("Page.enable")
                await page.call("Page.addScriptToEvaluateOnNewDocument", source=CATCH_TERMINAL)
                await page.call("Page.navigate", url=server.url)
                listed = await page.wait_for(
                    ["bptutor: choose a problem", "Enter open", *BUILTIN_IDS, *english.values()], 40
                )
                await page.press("Enter", 13)  # the first row
                opened = await page.wait_for([english[BUILTIN_IDS[0]], "Step 1 of"], 30)
                return listed, opened

    try:
        listed, opened = asyncio.run(scenario())
        # Ctrl+C with a student's page open: the page's app is told to quit, nothing is left.
        pages = children_of(server.process.pid)
        status, output, seconds = server.stop_with_ctrl_c()
        assert status == 0 and "Traceback" not in output, output
        assert seconds < 10
        assert len(pages) == 1 and not alive(pages[0])
    finally:
        try:
            os.killpg(browser.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        browser.wait(timeout=10)
    print(f"\nthe list was read in the browser {time.monotonic() - started:.1f} s after Chromium started")
    assert "choose a problem" in listed and "Step 1 of" in opened
