"""Progress survives a store that fails for a while: a read-only database or folder, a full disk,
a lock another process keeps. The student is told, every attempt is kept, and all of them are in
the database once the store works again; what cannot be saved is in a JSON copy and plain mode
exits 1.

Tests run as root, which ignores permission bits, so read-only and full disks are real mounts
(a bind mount remounted read-only, a small tmpfs) made inside a private mount namespace
(``unshare -m``); without one these tests are skipped and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
U1 = "0.5"  # XOR: the first four steps are 0.5, 0.5, 0.6225, 0.6225
ANSWERS = ["0.5", "0.5", "0.6225", "0.6225", "0.6225"]


def _env(home: Path, tmp: Path) -> dict:
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "BPTUTOR_HOME": str(home), "BPTUTOR_LANG": "en", "TMPDIR": str(tmp), "PYTHONPATH": path}


def _can_unshare() -> str | None:
    if not shutil.which("unshare"):
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True, timeout=30
    )
    return None if probe.returncode == 0 else "no private mount namespace here (needs root): " + probe.stderr.decode()


NO_UNSHARE = _can_unshare()
needs_mounts = pytest.mark.skipif(NO_UNSHARE is not None, reason=str(NO_UNSHARE))

# Runs inside the namespace: answers two steps while the store is broken, mends it, answers two
# more, and prints what the session said and what the database then holds.
DRIVER = textwrap.dedent(
    """
    import json, subprocess, sys
    from tutor.engine import derive
    from tutor.problem import load_problem
    from tutor.problem.library import builtin_dir
    from tutor.progress import ProgressStore
    from tutor.session import open_session

    home, setup, brk, fix, when = sys.argv[1:6]
    sh = lambda cmd: subprocess.run(["sh", "-c", cmd], check=True)
    sh(setup)
    problem = load_problem(builtin_dir() / "xor.yaml")
    session = open_session(problem, derive(problem), store=ProgressStore()) if when == "mid-session" else None
    if session:
        session.submit("0.5")  # saved: the store works until it breaks
    sh(brk)
    session = session or open_session(problem, derive(problem), store=ProgressStore())
    session.submit("0.5")
    if when == "mid-session":
        session.submit("0.6225")  # wrong here (u2 = 0.5): still an attempt to keep
    else:
        session.submit("0.5")
    broken = {"warning": session.store_warning, "unsaved": session.unsaved}
    sh(fix)
    session.submit("0.6225"); session.submit("0.6225")
    after = {"warning": session.store_warning, "unsaved": session.unsaved, "notice": session.take_store_notice()}
    session.store.close()
    with ProgressStore() as check:
        answers = [a.answer for a in check.attempts(session.session_id)]
    print(json.dumps({"broken": broken, "after": after, "saved": answers}))
    """
)


def run_in_namespace(home: Path, tmp: Path, setup: str, brk: str, fix: str, when: str = "at-start") -> dict:
    """``when``: the store breaks before it is opened (a mount in use cannot be made read-only),
    or mid-session, after one attempt was saved."""
    done = subprocess.run(
        ["unshare", "-m", sys.executable, "-c", DRIVER, str(home), setup, brk, fix, when],
        capture_output=True, text=True, env=_env(home, tmp), timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _assert_recovered(result: dict, saved: list[str], unsaved: int = 2) -> None:
    assert result["broken"]["warning"] and result["broken"]["unsaved"] == unsaved
    assert result["after"]["warning"] is None and result["after"]["unsaved"] == 0
    assert result["after"]["notice"]  # the student hears that saving works again
    assert result["saved"] == saved  # every attempt, in order


@pytest.fixture
def dirs(tmp_path):
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    return home, tmp


def _existing_database(home: Path) -> None:
    from tutor.progress import ProgressStore

    with ProgressStore(home / "progress.sqlite3") as s:
        s.finish_session(s.start_session("apple", 3))


@needs_mounts
def test_read_only_folder_keeps_attempts_and_saves_them_once_writable(dirs):
    home, tmp = dirs
    _existing_database(home)
    result = run_in_namespace(
        home, tmp, f"mount --bind {home} {home}", f"mount -o remount,ro,bind {home}", f"mount -o remount,rw,bind {home}"
    )
    _assert_recovered(result, ["0.5", "0.5", "0.6225", "0.6225"])


@needs_mounts
def test_read_only_database_file_keeps_attempts_and_saves_them_once_writable(dirs):
    home, tmp = dirs
    _existing_database(home)
    db = home / "progress.sqlite3"
    result = run_in_namespace(
        home, tmp, f"mount --bind {db} {db}", f"mount -o remount,ro,bind {db}", f"mount -o remount,rw,bind {db}"
    )
    _assert_recovered(result, ["0.5", "0.5", "0.6225", "0.6225"])


@needs_mounts
def test_full_disk_keeps_attempts_and_saves_them_once_space_is_freed(dirs):
    home, tmp = dirs
    fill = home / "filler"
    result = run_in_namespace(
        home, tmp,
        f"mount -t tmpfs -o size=1m tmpfs {home}",
        f"dd if=/dev/zero of={fill} bs=4k 2>/dev/null; true",  # until the disk is full
        f"rm {fill}",
        when="mid-session",
    )
    _assert_recovered(result, ["0.5", "0.5", "0.6225", "0.6225", "0.6225"])


# -- plain mode, end to end --------------------------------------------------------------------


def _plain(home: Path, tmp: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tutor", "solve", "xor", "--plain", *args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(home, tmp),
    )


def _until_prompt(proc: subprocess.Popen, number: int) -> None:
    """Read stdout up to the prompt of step ``number`` (the answer before it has been handled)."""
    while True:
        line = proc.stdout.readline()
        assert line, "plain mode ended early"
        if line.startswith(f"[{number}/"):
            return


def test_lock_held_longer_than_the_wait_loses_no_attempt(dirs):
    home, tmp = dirs
    _existing_database(home)
    locker = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sqlite3, sys
            conn = sqlite3.connect({str(home / 'progress.sqlite3')!r}, isolation_level=None)
            conn.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            sys.stdin.readline()  # held until the test says so
            conn.execute("COMMIT")
            print("released", flush=True)
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert locker.stdout.readline().strip() == "locked"
        proc = _plain(home, tmp, "--new")
        _until_prompt(proc, 1)
        for number, answer in enumerate(ANSWERS[:2], start=2):  # typed while the lock is held
            proc.stdin.write(answer + "\n")
            proc.stdin.flush()
            _until_prompt(proc, number)
        locker.stdin.write("\n")
        locker.stdin.flush()
        assert locker.stdout.readline().strip() == "released"
        out, err = proc.communicate("\n".join(ANSWERS[2:4]) + "\n", timeout=60)  # typed after
    finally:
        locker.kill()
        locker.wait()
    assert proc.returncode == 0
    assert out.splitlines()[-1] == "Score: 4/28"
    assert "not being saved" in err and "locked" in err and "saved again" in err
    assert "Traceback" not in err
    conn = sqlite3.connect(home / "progress.sqlite3")
    saved = [a for (a,) in conn.execute("SELECT answer FROM attempts a JOIN sessions s ON s.id = a.session_id WHERE s.problem_id = 'xor' ORDER BY a.id")]
    assert saved == ANSWERS[:4]
    assert not list(home.glob("*.unsaved-*.json")) and not list(tmp.glob("*"))  # the copy went with the trouble


@needs_mounts
def test_plain_mode_on_a_read_only_home_says_so_writes_a_copy_and_exits_1(dirs):
    home, tmp = dirs
    _existing_database(home)
    before = (home / "progress.sqlite3").read_bytes()
    script = (
        f"mount --bind {home} {home} && mount -o remount,ro,bind {home} && "
        f"printf '0.5\\n0.6225\\n' | {sys.executable} -m tutor solve xor --plain --resume"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, env=_env(home, tmp), timeout=120
    )
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == "Score: 1/28"
    assert "Traceback" not in done.stderr
    [copy] = tmp.glob("bptutor-unsaved-*.json")  # the database folder was read-only
    assert "2 attempt(s) could not be saved" in done.stderr and str(copy) in done.stderr
    kept = json.loads(copy.read_text())
    assert (kept["problem"], [a["answer"] for a in kept["attempts"]]) == ("xor", ["0.5", "0.6225"])
    assert (home / "progress.sqlite3").read_bytes() == before
