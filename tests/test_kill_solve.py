"""SIGKILL in the middle of `bptutor solve` loses no recorded attempt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tutor.progress import ProgressStore

from .conftest import solved


def test_sigkill_keeps_every_answer_already_marked(tmp_path):
    home = tmp_path / "home"
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en", PYTHONUNBUFFERED="1")
    _, solution = solved("xor")
    answers = [repr(step.value) for step in solution.steps[:5]] + ["0.123"]  # five right, one wrong
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "solve", "xor", "--plain", "--new"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )
    try:
        marked = 0
        for answer in answers:
            process.stdin.write(answer + "\n")
            process.stdin.flush()
            while True:  # the mark line comes after the attempt is committed
                line = process.stdout.readline()
                assert line, "bptutor stopped early"
                if line.startswith(("✓", "✗")):
                    marked += 1
                    break
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    store = ProgressStore(home / "progress.sqlite3")
    info = store.unfinished_session("xor")
    assert info is not None and info.current_step == 5
    attempts = store.attempts(info.id)
    assert [a.verdict for a in attempts] == ["correct"] * 5 + ["wrong"] == ["correct"] * (marked - 1) + ["wrong"]
    assert [a.answer for a in attempts] == answers
    store.close()
