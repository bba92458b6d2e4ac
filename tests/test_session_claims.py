"""Two bptutors never continue the same recorded session; a crashed one leaves nothing claimed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from tests.conftest import solved
from tutor.progress import ProgressStore
from tutor.session import open_session

HOLD = """
import sys, time
from tutor.progress import ProgressStore
store = ProgressStore(sys.argv[1])
assert store.claims.claim(int(sys.argv[2]))
print("held", flush=True)
time.sleep(60)
"""


def _unfinished(tmp_path):
    problem, solution = solved("xor")
    store = ProgressStore(tmp_path / "progress.sqlite3")
    first = open_session(problem, solution, "en", store)
    first.submit(str(solution.steps[0].value))
    first.close()
    info = store.unfinished_session("xor")
    store.close()
    return problem, solution, info


def _hold(tmp_path, session_id: int) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / "progress.sqlite3"), str(session_id)],
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_session_open_in_another_process_is_not_continued(tmp_path):
    problem, solution, info = _unfinished(tmp_path)
    holder = _hold(tmp_path, info.id)
    try:
        with ProgressStore(tmp_path / "progress.sqlite3") as store:
            second = open_session(problem, solution, "en", store, resume_from=info)
            assert second.index == 0 and second.session_id is None
            assert "already open in another bptutor" in second.notice
            second.submit(str(solution.steps[0].value))
            second.close()
            assert second.session_id != info.id  # its answers went to a session of its own
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_process_leaves_its_session_free_to_continue(tmp_path):
    problem, solution, info = _unfinished(tmp_path)
    holder = _hold(tmp_path, info.id)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        resumed = open_session(problem, solution, "en", store, resume_from=info)
        assert resumed.notice is None and resumed.session_id == info.id and resumed.index == 1


def test_plain_mode_says_why_it_starts_anew(tmp_path):
    problem, solution, info = _unfinished(tmp_path)
    holder = _hold(tmp_path, info.id)
    try:
        env = dict(os.environ, BPTUTOR_HOME=str(tmp_path))
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "tutor", "solve", "xor", "--plain", "--resume"],
                                input="quit\n", capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0 and "Traceback" not in result.stderr
        assert "already open in another bptutor" in result.stderr
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()
