"""Bounds on the symbolic work a problem file can ask for.

Problem files are untrusted, and SymPy's ``simplify`` has no bound of its own: measured on this
project's 2-core test machine, the derivative of a three-node chain ``nK = n(K-1)**2 +
sin(n(K-1))`` (58 operations) took 5 s, a four-node chain (164 operations) over 150 s, and even
``100000*(x + 1)**99999`` (3 operations) over 120 s. So expression size alone cannot bound it:
simplification runs in a helper process that is killed after :data:`SIMPLIFY_SECONDS`, and the
caller falls back to the unsimplified form. A process, not a thread, because a thread busy in
SymPy cannot be stopped.

One helper (``python -m tutor.engine.simplify_child``) serves every simplification of this
process, so SymPy is imported once (about 1 s) and each question then costs milliseconds. Its
start-up is not charged to the question's budget, so a slow machine does not change which
formula a built-in problem asks for. A helper that overran is killed and the next question
starts another.
"""

from __future__ import annotations

import atexit
import functools
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

SIMPLIFY_SECONDS = 2.0
"""Wall-clock budget of one simplification; the built-in problems' take under 0.1 s."""
SIMPLIFY_MAX_OPS = 200
"""Larger expressions are not even tried: at 58 operations simplify already took 5 s."""
START_SECONDS = 60.0
"""How long the helper may take to import SymPy (our own code, not the problem's)."""

_HEADER = struct.Struct("!I")


def tree_size(expr: Any) -> int:
    """The number of nodes of ``expr`` written out as a tree, counted over SymPy's shared
    sub-expressions (a graph's composed output is a DAG whose tree can be exponentially larger),
    so it costs one visit per distinct sub-expression; without recursion, for deep expressions."""
    sizes: dict[int, int] = {}
    keep: list[Any] = []  # ids stay unique while their objects live
    stack = [(expr, False)]
    while stack:
        node, counted = stack.pop()
        if id(node) in sizes:
            continue
        if counted:
            sizes[id(node)] = 1 + sum(sizes[id(arg)] for arg in node.args)
            keep.append(node)
        else:
            stack.append((node, True))
            stack.extend((arg, False) for arg in node.args)
    return sizes[id(expr)]


@functools.lru_cache(maxsize=256)
def bounded_simplify(expr: Any) -> Any | None:
    """``sympy.simplify(expr)`` within the budget, or None when it would take longer, is too
    large to try, or no helper process can be started. Cached: variants and repeated loads of
    one problem ask the same question."""
    import sympy as sp

    if sp.count_ops(expr) > SIMPLIFY_MAX_OPS:
        return None
    with _lock:
        return _helper.ask(expr, SIMPLIFY_SECONDS)


class _Helper:
    """The helper process, started on first use and replaced after it is killed."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def ask(self, expr: Any, seconds: float) -> Any | None:
        try:
            process = self.process if self.process is not None and self.process.poll() is None else self._start()
            if process is None:
                return None
            _write(process, pickle.dumps(expr))
            answer = _read(process, time.monotonic() + seconds)
            return pickle.loads(answer) if answer is not None else self.stop()
        except Exception:  # noqa: BLE001 - whatever went wrong with the helper, keep the form we have
            return self.stop()

    def _start(self) -> subprocess.Popen | None:
        root = str(Path(__file__).resolve().parents[2])  # the folder holding this copy of tutor
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tutor.engine.simplify_child"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
            start_new_session=True,  # the terminal's Ctrl+C is for the tutor, not for the helper
        )
        if _read(self.process, time.monotonic() + START_SECONDS) is None:  # "ready"
            return self.stop()
        return self.process

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
        return None


def _write(process: subprocess.Popen, data: bytes) -> None:
    assert process.stdin is not None
    process.stdin.write(_HEADER.pack(len(data)) + data)
    process.stdin.flush()


def _read(process: subprocess.Popen, deadline: float) -> bytes | None:
    """One message from the helper, or None if it does not come by ``deadline``."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    header = _read_exactly(fd, _HEADER.size, deadline)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0], deadline)


def _read_exactly(fd: int, size: int, deadline: float) -> bytes | None:
    data = b""
    while len(data) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, size - len(data))
        if not chunk:
            raise EOFError("the helper ended")
        data += chunk
    return data


_lock = threading.Lock()  # one question at a time: the TUI derives in a worker thread
_helper = _Helper()
atexit.register(_helper.stop)
