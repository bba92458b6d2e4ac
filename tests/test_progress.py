"""The progress store: arithmetic of the summary, resume data, damaged files, durability."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tutor.outcomes import Outcome
from tutor.progress import (
    Attempt,
    ProblemSummary,
    ProgressError,
    ProgressStore,
    default_db_path,
)

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own BPTUTOR_HOME, so nothing touches the real user data dir."""
    path = tmp_path / "home"
    monkeypatch.setenv("BPTUTOR_HOME", str(path))
    return path


@pytest.fixture
def db(home: Path) -> Path:
    return home / "progress.sqlite3"


@pytest.fixture
def store(db: Path):
    with ProgressStore() as s:
        assert s.warning is None
        yield s


def set_aside_files(db: Path) -> list[Path]:
    return sorted(p for p in db.parent.iterdir() if ".corrupt-" in p.name)


# -- location ----------------------------------------------------------------------------------


def test_default_db_path_honours_bptutor_home(home: Path) -> None:
    assert default_db_path() == home / "progress.sqlite3"


def test_default_db_path_falls_back_to_platform_data_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv("BPTUTOR_HOME")
    expected = Path(platformdirs.user_data_dir("bptutor", appauthor=False)) / "progress.sqlite3"
    assert default_db_path() == expected


def test_store_creates_database_under_bptutor_home(db: Path) -> None:
    with ProgressStore() as s:
        assert s.path == db
        assert s.warning is None and not s.in_memory
    assert db.is_file()


# -- recording and the summary -----------------------------------------------------------------


def test_first_try_flags_mark_only_an_unaided_right_first_answer(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=4)
    flags = [
        store.record(sid, "u1", "0.5", "correct").first_try,  # right first time
        store.record(sid, "u2", "0.5,", "invalid").first_try,  # unreadable: not a try
        store.record(sid, "u2", "0.3", "wrong", "sign").first_try,  # a wrong answer is no first-try success
        store.record(sid, "u2", "-0.3", "correct").first_try,  # right at the second try
        store.record(sid, "u3", "", "hint").first_try,
        store.record(sid, "u3", "0.7", "correct").first_try,  # right, but after a hint
        store.record(sid, "u4", "1", "invalid").first_try,
        store.record(sid, "u4", "0.2", "correct").first_try,  # unreadable answers cost nothing
    ]
    assert flags == [True, False, False, False, False, False, False, True]
    assert [a.first_try for a in store.attempts(sid)] == flags  # read back the same way
    assert [a.verdict for a in store.attempts(sid)] == [
        "correct", "invalid", "wrong", "correct", "hint", "correct", "invalid", "correct"
    ]


def test_first_try_is_worked_out_from_the_log_not_from_the_stored_flag(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=1)
    store.record(sid, "u1", "", "hint")
    store.record(sid, "u1", "0.5", "correct")
    # A database may hold flags set by another rule (any first marked answer, hint or not).
    store._db.execute("UPDATE attempts SET first_try = 1 WHERE verdict = 'correct'")
    assert [a.first_try for a in store.attempts(sid)] == [False, False]


def test_summary_counts_unaided_first_tries(store: ProgressStore) -> None:
    # right first try, wrong then right, hint then right: only the first is an unaided first try.
    sid = store.start_session("xor", steps_total=3)
    store.record(sid, "u1", "0.5", "correct")
    store.record(sid, "u2", "0.3", "wrong", "sign")
    store.record(sid, "u2", "-0.3", "correct")
    store.record(sid, "u3", "", "hint")
    store.record(sid, "u3", "0.7", "correct")

    [summary] = store.summary()
    assert summary == ProblemSummary(
        problem_id="xor",
        sessions=1,
        steps_done=3,
        steps_total=3,
        first_try_correct=1,
        first_try_total=3,
        top_mistakes=[("sign", 1)],
    )
    assert summary.first_try_accuracy == pytest.approx(1 / 3)


def test_summary_skipped_then_answered_is_not_a_first_try(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=1)
    store.record(sid, "u1", "", "skipped")
    store.record(sid, "u1", "0.5", "correct")  # after going back
    [summary] = store.summary()
    assert (summary.first_try_correct, summary.first_try_total, summary.steps_done) == (0, 1, 1)


def test_summary_shown_is_a_miss_and_skipped_is_not_counted(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=4)
    store.record(sid, "u1", "0.5", "correct")
    store.record(sid, "u2", "0.25", "shown")  # gave up without trying: done, but a first-try miss
    store.record(sid, "u3", "", "skipped")  # neither done nor a try
    store.record(sid, "u4", "1", "invalid")  # only an unreadable answer: not a try yet

    [summary] = store.summary()
    assert (summary.steps_done, summary.steps_total) == (2, 4)
    assert (summary.first_try_correct, summary.first_try_total) == (1, 2)
    assert summary.first_try_accuracy == 0.5


def test_summary_without_attempts_has_no_accuracy(store: ProgressStore) -> None:
    store.start_session("xor", steps_total=6)
    [summary] = store.summary()
    assert (summary.sessions, summary.steps_done, summary.steps_total) == (1, 0, 6)
    assert summary.first_try_accuracy is None
    assert summary.top_mistakes == []


def test_summary_steps_done_comes_from_best_session_and_tries_from_all(store: ProgressStore) -> None:
    first = store.start_session("xor", steps_total=4)
    for step in ("u1", "u2", "u3"):
        store.record(first, step, "1", "correct")
    second = store.start_session("xor", steps_total=4, variant="seed=7")  # starting over
    store.record(second, "u1", "2", "wrong", "transpose")
    store.record(second, "u1", "1", "correct")

    [summary] = store.summary()
    assert summary.sessions == 2
    assert (summary.steps_done, summary.steps_total) == (3, 4)  # the first session got further
    assert (summary.first_try_correct, summary.first_try_total) == (3, 4)  # each session's u1 counts


def test_top_mistakes_most_frequent_first_ties_by_key_at_most_three(store: ProgressStore) -> None:
    a = store.start_session("xor", steps_total=5)
    b = store.start_session("xor", steps_total=5)
    for sid, mistake in [(a, "sign"), (a, "transpose"), (b, "sign"), (a, "chain"), (b, "transpose"),
                         (b, "chain"), (b, "sign"), (a, "eta")]:  # fmt: skip
        store.record(sid, "d1", "0", "wrong", mistake)
    other = store.start_session("apple", steps_total=2)
    for _ in range(5):
        store.record(other, "grad_apple", "0", "wrong", "forgot_local_gradient")

    by_id = {s.problem_id: s for s in store.summary()}
    assert list(by_id) == ["apple", "xor"]  # sorted by problem id
    assert by_id["xor"].top_mistakes == [("sign", 3), ("chain", 2), ("transpose", 2)]
    assert by_id["apple"].top_mistakes == [("forgot_local_gradient", 5)]


# -- sessions and resume -----------------------------------------------------------------------


def test_unfinished_session_gives_resume_data_after_reopening(db: Path) -> None:
    with ProgressStore() as s:
        sid = s.start_session("xor", steps_total=5, variant="seed=7")
        s.record(sid, "u1", "0.5", "correct", advance_to=1)
        s.record(sid, "u2", "9", "wrong", "sign")
        s.record(sid, "u2", "0.25", "shown", advance_to=2)
        s.record(sid, "u3", "", "hint")
        s.record(sid, "u3", "0.75", "correct", advance_to=3)
        s.record(sid, "u4", "1", "wrong", "chain")  # not advanced: resume at u4

    with ProgressStore() as s:
        info = s.unfinished_session("xor", "seed=7")
        assert info is not None
        assert (info.id, info.problem_id, info.variant, info.finished_at) == (sid, "xor", "seed=7", None)
        assert info.current_step == 3
        # Only the student's own accepted answers: the shown u2 is rebuilt from the exact value.
        assert info.answered == {"u1": "0.5", "u3": "0.75"}
        assert s.unfinished_session("xor") is None  # other variant
        assert s.unfinished_session("and", "seed=7") is None  # other problem


def test_unfinished_session_is_the_latest_and_finish_hides_it(store: ProgressStore) -> None:
    older = store.start_session("xor", steps_total=5)
    newer = store.start_session("xor", steps_total=5)
    assert store.unfinished_session("xor").id == newer

    store.finish_session(newer)
    assert store.unfinished_session("xor").id == older
    store.finish_session(older)
    assert store.unfinished_session("xor") is None

    store.finish_session(older)  # finishing twice is harmless
    assert store.unfinished_session("xor") is None
    assert [s.sessions for s in store.summary()] == [2]


def test_new_session_starts_at_step_zero_with_nothing_answered(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=5)
    info = store.unfinished_session("xor")
    assert (info.id, info.current_step, info.answered, info.finished_at) == (sid, 0, {}, None)


def test_two_stores_on_one_file_see_each_others_attempts(db: Path) -> None:
    # e.g. `bptutor progress` in one terminal while `bptutor solve` runs in another
    with ProgressStore() as solver, ProgressStore() as viewer:
        assert viewer.warning is None
        sid = solver.start_session("xor", steps_total=2)
        solver.record(sid, "u1", "1", "correct", advance_to=1)
        assert viewer.summary()[0].steps_done == 1
        viewer.record(sid, "u2", "2", "wrong", "sign")
        assert [a.step for a in solver.attempts(sid)] == ["u1", "u2"]


def test_attempt_fields_and_utc_timestamps(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=2)
    returned = store.record(sid, "u1", " 0.5 ", "wrong", "sign")
    [stored] = store.attempts(sid)
    assert stored == returned == Attempt(sid, "u1", " 0.5 ", Outcome.WRONG, "sign", False, returned.at)
    assert datetime.fromisoformat(returned.at).utcoffset() == timedelta(0)
    info = store.unfinished_session("xor")
    assert datetime.fromisoformat(info.started_at).utcoffset() == timedelta(0)
    assert store.attempts(sid + 1) == []


def test_bad_arguments_raise_and_write_nothing(store: ProgressStore) -> None:
    sid = store.start_session("xor", steps_total=2)
    with pytest.raises(ValueError, match="verdict"):
        store.record(sid, "u1", "1", "almost")
    with pytest.raises(ValueError, match="session"):
        store.record(sid + 1, "u1", "1", "correct", advance_to=1)
    with pytest.raises(ValueError, match="session"):
        store.finish_session(sid + 1)
    assert store.attempts(sid) == [] and store.attempts(sid + 1) == []


def test_use_after_close_is_a_progress_error(db: Path) -> None:
    s = ProgressStore()
    s.close()
    s.close()  # idempotent
    with pytest.raises(ProgressError):
        s.start_session("xor", steps_total=1)


# -- damaged files and unusable locations ------------------------------------------------------


def write_real_db(db: Path, sessions: int = 3, attempts: int = 150) -> bytes:
    with ProgressStore(db) as s:
        for k in range(sessions):
            sid = s.start_session(f"p{k}", steps_total=7)
            for i in range(attempts):
                s.record(sid, f"s{i % 7}", "x" * 100, "wrong", "sign")
    return db.read_bytes()


def make_random_bytes(db: Path) -> bytes:
    db.write_bytes(bytes(range(256)) * 40)
    # A stale journal next to it must not end up applied to the fresh database.
    db.with_name(db.name + "-wal").write_bytes(b"\x00" * 100)
    return db.read_bytes()


def make_truncated(db: Path) -> bytes:
    data = write_real_db(db)
    assert len(data) > 8 * 4096
    db.write_bytes(data[: len(data) // 2])
    return db.read_bytes()


def make_truncated_header(db: Path) -> bytes:
    data = write_real_db(db, sessions=1, attempts=1)
    db.write_bytes(data[:60])
    return db.read_bytes()


def make_future_version(db: Path) -> bytes:
    write_real_db(db, sessions=1, attempts=1)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 99")
    conn.commit()
    conn.close()
    return db.read_bytes()


def make_foreign_sqlite(db: Path) -> bytes:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    return db.read_bytes()


@pytest.mark.parametrize(
    "damage, reason",
    [
        (make_random_bytes, "not a database"),
        (make_truncated, "malformed"),
        (make_truncated_header, "malformed"),
        (make_future_version, "newer bptutor"),
        (make_foreign_sqlite, "not a bptutor progress database"),
    ],
)
def test_unusable_file_is_set_aside_and_a_fresh_database_started(db: Path, damage, reason: str) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    original = damage(db)

    with ProgressStore() as s:
        assert not s.in_memory
        assert s.warning is not None
        [aside] = [p for p in set_aside_files(db) if not p.name.endswith(("-wal", "-shm"))]
        assert reason in s.warning and str(db) in s.warning and str(aside) in s.warning
        assert aside.name.startswith("progress.sqlite3.corrupt-")
        assert aside.read_bytes() == original  # kept, untouched
        assert s.summary() == []  # a fresh database
        sid = s.start_session("xor", steps_total=1)
        s.record(sid, "u1", "1", "correct")

    with ProgressStore() as s:  # the fresh database is a good one
        assert s.warning is None
        assert s.summary()[0].steps_done == 1


def test_directory_in_place_of_the_file_is_set_aside(db: Path) -> None:
    db.mkdir(parents=True)
    (db / "keep.txt").write_text("mine")

    with ProgressStore() as s:
        assert s.warning is not None and not s.in_memory
        [aside] = set_aside_files(db)
        assert str(aside) in s.warning
        assert (aside / "keep.txt").read_text() == "mine"
        s.record(s.start_session("xor", steps_total=1), "u1", "1", "correct")
    assert db.is_file()


def test_home_that_is_a_file_falls_back_to_memory(home: Path) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a directory")

    with ProgressStore() as s:
        assert s.in_memory
        assert "in memory" in s.warning and str(home) in s.warning
        sid = s.start_session("xor", steps_total=2)  # the session goes on
        s.record(sid, "u1", "1", "correct", advance_to=1)
        assert s.unfinished_session("xor").current_step == 1
        assert s.summary()[0].steps_done == 1
    assert home.read_text() == "not a directory"


def test_read_only_directory_falls_back_to_memory_and_keeps_the_file(db: Path) -> None:
    original = write_real_db(db, sessions=1, attempts=2)
    directory = db.parent
    directory.chmod(0o555)
    try:
        probe = directory / "probe"
        try:
            probe.touch()
        except OSError:
            pass
        else:
            probe.unlink()
            pytest.skip("permissions are not enforced here (running as root?)")

        with ProgressStore() as s:
            assert s.in_memory
            assert "in memory" in s.warning and str(db) in s.warning
            s.record(s.start_session("xor", steps_total=1), "u1", "1", "correct")
    finally:
        directory.chmod(0o755)
    assert set_aside_files(db) == []
    assert db.read_bytes() == original


def test_unopenable_journal_falls_back_to_memory_without_setting_the_file_aside(db: Path) -> None:
    # A location problem, not a damaged file (works even as root, unlike chmod): a good database
    # whose WAL cannot be created must be left exactly where it is.
    original = write_real_db(db, sessions=1, attempts=2)
    db.with_name(db.name + "-wal").mkdir()

    with ProgressStore() as s:
        assert s.in_memory and "in memory" in s.warning
    assert set_aside_files(db) == []
    assert db.read_bytes() == original


# -- durability --------------------------------------------------------------------------------

CHILD = """
import sys, time
from tutor.progress import ProgressStore
store = ProgressStore()
sid = store.start_session("xor", steps_total={n})
for i in range({n}):
    store.record(sid, f"u{{i}}", str(i), "correct", advance_to=i + 1)
    print("recorded", i, flush=True)  # only after record() has committed
time.sleep(600)  # never closes the store: the parent kills us here
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_attempts_survive_sigkill(db: Path) -> None:
    n = 12
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(n=n)], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        lines = [child.stdout.readline().strip() for _ in range(n)]
        assert lines == [f"recorded {i}" for i in range(n)]
        assert db.with_name(db.name + "-wal").stat().st_size > 0  # the data is still only in the WAL
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()

    with ProgressStore() as s:
        assert s.warning is None
        info = s.unfinished_session("xor")
        assert info.current_step == n
        assert info.answered == {f"u{i}": str(i) for i in range(n)}
        assert [a.step for a in s.attempts(info.id)] == [f"u{i}" for i in range(n)]
