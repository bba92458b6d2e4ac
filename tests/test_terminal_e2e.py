"""The real `bptutor solve xor` in a real terminal (tmux): typed answers are marked, the screen
fits 80x24 in Japanese, NO_COLOR gives a grey screen, and quitting or any signal that ends it
(SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1) leave the terminal as they found it (cooked mode,
echo on, main screen, mouse reporting off), even while the problem list is opening a file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.render.columns import cell_width

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (.ci/run installs it; locally: apt-get install tmux)",
)

REPO = Path(__file__).resolve().parents[1]
DONE = "BPTUTOR-EXITED"
MODES_SHOWN = "STTY-SHOWN"  # after stty's output: the modes are all on the screen
SGR = re.compile(r"\x1b\[([0-9;]*)m")


class Terminal:
    """One tmux session on a private server, running bptutor and then reporting how it left the tty."""

    def __init__(self, tmp_path: Path, *args: str, size=(100, 30), env: dict[str, str] | None = None):
        self.socket = str(tmp_path / f"tmux-{len(list(tmp_path.glob('tmux-*')))}.sock")
        settings = {"BPTUTOR_HOME": str(tmp_path / "home"), "BPTUTOR_LANG": "en", "TERM": "xterm-256color"}
        settings.update(env or {})
        exports = " ".join(f"{k}={v}" for k, v in settings.items())
        bptutor = f"{sys.executable} -m tutor {' '.join(args)}"
        # After bptutor: its exit status and the terminal modes, then stay open to be read.
        script = f"cd {REPO} && env {exports} {bptutor}; echo {DONE}:$?; stty -a; echo {MODES_SHOWN}; sleep 120"
        self.tmux("new-session", "-d", "-x", str(size[0]), "-y", str(size[1]), "sh", "-c", script)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def screen(self, escapes: bool = False) -> str:
        return self.tmux("capture-pane", "-p", *(["-e"] if escapes else []))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"{text!r} never appeared; the screen was:\n{screen}")
            time.sleep(0.2)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def type_answer(self, text: str) -> None:
        self.keys("-l", text)
        self.keys("Enter")

    def alternate_screen(self) -> bool:
        return self.tmux("display", "-p", "#{alternate_on}").strip() == "1"

    def mouse_reporting(self) -> bool:
        flags = "#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}"
        return set(self.tmux("display", "-p", flags).strip()) != {"0"}

    def bptutor_pid(self) -> int:
        shell = self.tmux("display", "-p", "#{pane_pid}").strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        assert children, "bptutor is not running"
        return int(children[0])

    def assert_restored(self, timeout: float = 60) -> None:
        screen = self.wait_for(MODES_SHOWN, timeout)
        assert not self.alternate_screen()
        assert not self.mouse_reporting()
        modes = set(screen.split())
        assert {"icanon", "echo", "isig"} <= modes, screen  # cooked mode, echo on: a usable shell

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture
def terminal(tmp_path):
    opened: list[Terminal] = []

    def start(*args: str, **kwargs) -> Terminal:
        opened.append(Terminal(tmp_path, *args, **kwargs))
        return opened[-1]

    yield start
    for term in opened:
        term.close()


def test_answers_are_marked_and_quitting_restores_the_terminal(terminal):
    term = terminal("solve", "xor", "--new")
    term.wait_for("u₁⁽¹⁾ = ?")
    assert term.alternate_screen()

    term.type_answer("0.7")
    screen = term.wait_for("✗ u₁⁽¹⁾ = 0.7")
    assert "Not correct" in screen and "0/28 done" in screen

    term.keys("C-u")
    term.wait_for("Type your answer")
    term.type_answer("1/2")
    screen = term.wait_for("✓ u₁⁽¹⁾ = 1/2 = 0.5")
    assert "1/28 done" in screen and "u₂⁽¹⁾ = ?" in screen

    term.keys("F10")
    term.assert_restored()
    assert f"{DONE}:0" in term.screen()


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1"])
def test_a_signal_quits_cleanly(terminal, signal_name):
    import signal

    term = terminal("solve", "xor", "--new")
    term.wait_for("u₁⁽¹⁾ = ?")
    assert term.alternate_screen() and term.mouse_reporting()  # the checks below can fail
    os.kill(term.bptutor_pid(), getattr(signal, signal_name))
    term.assert_restored(timeout=10)


CHAIN = """id: chain
title: A chain too long to derive as a formula
kind: graph
graph:
  inputs: {x: 0.5}
  nodes:
    n1: x*x + sin(x)
    n2: n1*n1 + sin(n1)
    n3: n2*n2 + sin(n2)
  output: n3
  formula_of: [x]
"""


@pytest.mark.parametrize("how", ["F10", "SIGTERM", "SIGINT"])
def test_the_list_quits_at_once_while_a_problem_opens(terminal, tmp_path, how):
    import signal

    folder = tmp_path / "problems"
    folder.mkdir(exist_ok=True)
    (folder / "chain.yaml").write_text(CHAIN, encoding="utf-8")  # its simplification takes seconds
    term = terminal("solve", "--dir", str(folder))
    term.wait_for("A chain too long")
    term.keys("Enter")
    term.wait_for("Opening chain")
    started = time.monotonic()
    if how == "F10":
        term.keys("F10")
    else:
        os.kill(term.bptutor_pid(), getattr(signal, how))
    term.wait_for(MODES_SHOWN, timeout=10)
    assert time.monotonic() - started < 1.5
    term.assert_restored()


def test_closing_the_terminal_ends_bptutor(terminal):
    term = terminal("solve", "xor", "--new")
    term.wait_for("u₁⁽¹⁾ = ?")
    pid = term.bptutor_pid()
    term.close()  # the window is closed: SIGHUP, and the tty is gone
    deadline = time.monotonic() + 10
    while _alive(pid):
        assert time.monotonic() < deadline, "bptutor outlived its terminal"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


def test_ctrl_c_in_the_app_says_how_to_quit_and_loses_nothing(terminal):
    term = terminal("solve", "xor", "--new")
    term.wait_for("u₁⁽¹⁾ = ?")
    term.type_answer("0.5")
    term.wait_for("1/28 done")
    term.keys("C-c")
    term.wait_for("to quit the app")
    term.keys("C-q")
    term.assert_restored()
    again = terminal("solve", "xor")
    again.wait_for("(step 2 of 28)?")


def test_japanese_at_80x24_keeps_every_border_in_place(terminal):
    term = terminal("solve", "xor", "--new", "--lang", "ja", size=(80, 24))
    term.wait_for("u₁⁽¹⁾ = ?")
    screen = term.wait_for("F10 終了")  # the footer's keys come a moment after the first paint
    assert "ステップ 1/28" in screen
    assert "練習問題 7.2: XOR で誤差逆伝播を 1 ステップ" in screen  # the title whole, not cut
    boxed = [line.rstrip() for line in screen.splitlines() if line[:1] in "│╭╰"]
    assert len(boxed) >= 15
    for line in boxed:  # a wide character counted as one cell would push the right border out
        assert cell_width(line) == 80 and line[-1] in "│╮╯", line


def _colours(screen: str) -> set[int]:
    """The 256-colour palette entries used for text and background."""
    used = set()
    for params in SGR.findall(screen):
        parts = params.split(";")
        for i, part in enumerate(parts[:-2]):
            if part in ("38", "48") and parts[i + 1] == "5":
                used.add(int(parts[i + 2]))
    return used


def _is_grey(entry: int) -> bool:
    return entry >= 232 or entry in (0, 7, 8, 15, 16, 231)


def test_no_color_gives_a_grey_screen(terminal):
    coloured = terminal("solve", "xor", "--new")
    coloured.wait_for("u₁⁽¹⁾ = ?")
    assert any(not _is_grey(c) for c in _colours(coloured.screen(escapes=True)))  # the check can fail

    grey = terminal("solve", "xor", "--new", env={"NO_COLOR": "1"})
    grey.wait_for("u₁⁽¹⁾ = ?")
    used = _colours(grey.screen(escapes=True))
    assert used and all(_is_grey(c) for c in used), sorted(used)
