"""The progress store: every attempt a student makes, kept in a small SQLite database.

Standard library plus ``platformdirs`` (imported lazily). No printing: problems the student should
hear about end up in ``ProgressStore.warning`` or in a ``ProgressError`` (a ``TutorError``), and the
front end decides how to show them.

Durability: the database runs in WAL mode and every ``record`` is its own transaction, so an
attempt is on disk when ``record`` returns; killing the process (even with SIGKILL) loses nothing
recorded before. A file that is not a usable progress database is renamed aside, never deleted.
"""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from tutor.claims import SessionClaims
from tutor.errors import TutorError
from tutor.outcomes import DECIDED, Outcome, done, first_try
from tutor.paths import data_dir

SCHEMA_VERSION = 1
DB_NAME = "progress.sqlite3"
LOCK_WAIT = 2.0  # seconds a write waits for another process's lock before it fails
MAX_STORED_ANSWER = 10_000  # characters of an answer kept; a longer one is cut (the Session refuses it anyway)

# SQLite primary result codes (exc.sqlite_errorcode & 0xFF) meaning "this file is not a usable
# database", as opposed to "we may not or cannot write here" (permissions, full disk, I/O).
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED: another connection has the lock; the connection is fine

_SCHEMA = """
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    problem_id   TEXT    NOT NULL,
    variant      TEXT    NOT NULL DEFAULT '',
    steps_total  INTEGER,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT,
    current_step INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE attempts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    step       TEXT    NOT NULL,
    answer     TEXT    NOT NULL,
    verdict    TEXT    NOT NULL,
    mistake    TEXT,
    first_try  INTEGER NOT NULL,
    at         TEXT    NOT NULL
);
CREATE INDEX attempts_by_session_step ON attempts(session_id, step);
CREATE INDEX sessions_by_problem ON sessions(problem_id, variant, finished_at);
"""


class ProgressError(TutorError):
    """Reading or writing progress failed after the store was opened (disk full, file removed...).

    Front ends may show it and carry on: the tutoring itself does not depend on the store.
    """


class _Unusable(Exception):
    """The file opens but is not a progress database this version can use; set it aside."""


def default_db_path() -> Path:
    """``$BPTUTOR_HOME/progress.sqlite3``, else ``progress.sqlite3`` in the platform's user data dir."""
    return data_dir() / DB_NAME


@dataclass(frozen=True)
class Attempt:
    session_id: int
    step: str
    answer: str
    verdict: Outcome
    mistake: str | None
    first_try: bool  # this attempt got the step right at the first try (outcomes.first_try)
    at: str  # ISO-8601, UTC


@dataclass(frozen=True)
class SessionInfo:
    id: int
    problem_id: str
    variant: str  # "" or e.g. "seed=7"
    started_at: str
    finished_at: str | None
    current_step: int  # index of the next step to do
    log: tuple[Attempt, ...] = ()  # every attempt of the session, oldest first (resume replays it)

    @property
    def answered(self) -> dict[str, str]:
        """Step name -> the student's last accepted ("correct") answer text."""
        return {a.step: a.answer for a in self.log if a.verdict is Outcome.CORRECT}


@dataclass(frozen=True)
class ProblemSummary:
    problem_id: str
    sessions: int
    steps_done: int
    steps_total: int | None
    first_try_correct: int
    first_try_total: int
    top_mistakes: list[tuple[str, int]]  # (mistake key, count), most frequent first, at most 3

    @property
    def first_try_accuracy(self) -> float | None:
        if self.first_try_total == 0:
            return None
        return self.first_try_correct / self.first_try_total


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _error_code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _journal_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def _set_aside(path: Path) -> Path:
    """Rename ``path`` (and its journal files) to ``<name>.corrupt-<UTC timestamp>``; return the new path.

    The journal files move too: a stale ``-wal`` left next to a fresh database would be replayed
    into it by SQLite. Under their new names they still belong to the set-aside file.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists() or any(j.exists() for j in _journal_files(aside)):
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    for old, new in zip(_journal_files(path), _journal_files(aside)):
        if old.exists():
            os.replace(old, new)
    return aside


def _storable(answer: str) -> str:
    """The answer as it can be stored: at most MAX_STORED_ANSWER characters, and text SQLite can
    encode (a line read with surrogateescape from invalid UTF-8 keeps its bytes as \\x escapes)."""
    answer = answer[:MAX_STORED_ANSWER]
    return answer.encode("utf-8", "backslashreplace").decode("utf-8")


def _connect(target: str | Path) -> sqlite3.Connection:
    """Open, validate and migrate a database; raises _Unusable or sqlite3.Error."""
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so read-then-write is atomic.
    conn = sqlite3.connect(target, timeout=LOCK_WAIT, isolation_level=None)
    try:
        _validate(conn)
        _configure(conn)
        _migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _validate(conn: sqlite3.Connection) -> None:
    # The first read of a file that is not SQLite raises DatabaseError ("file is not a database").
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise _Unusable("it is damaged: " + "; ".join(str(r[0]) for r in rows[:3]))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise _Unusable(
            f"it was written by a newer bptutor (schema {version}; this version reads up to {SCHEMA_VERSION})"
        )
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise _Unusable("it is an SQLite database, but not a bptutor progress database")


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL fsyncs each commit: a few attempts a minute make the cost irrelevant, and it also
    # survives power loss (NORMAL in WAL only survives a process kill).
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def _migrate(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Check again under the write lock: a second bptutor may have just created the schema.
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # an int constant, not user data
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


class ProgressStore:
    """One connection to the progress database; use as a context manager or call ``close``.

    Opening never raises for a bad file or location: a damaged or foreign file is renamed aside and
    a fresh database created; a location that cannot be written falls back to an in-memory
    database for this session. Either way ``warning`` says what happened, in English.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path: Path = Path(path) if path is not None else default_db_path()
        self.warning: str | None = None
        self.in_memory = False
        self.unwritable: str | None = None  # why the file cannot be written, while in memory
        self._stale = False  # the last write failed for a reason a fresh connection may not have
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()
        self.claims = SessionClaims(self.path.with_name(self.path.name + ".open"))

    def reopen(self) -> bool:
        """Try the database file again after it could not be opened or written (an in-memory
        fallback, a read-only or full disk now fixed). True when writes go to the file again;
        an in-memory fallback's contents are dropped, so write to it only what is kept elsewhere."""
        if not (self.in_memory or self._stale) or self._conn is None:
            return not self.in_memory
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(self.path)
        except (OSError, sqlite3.Error, _Unusable) as exc:
            if self.in_memory:
                self.unwritable = f"{self.path}: {getattr(exc, 'strerror', None) or exc}"
            return False
        self._conn.close()
        self._conn, self.in_memory, self._stale, self.unwritable = conn, False, False, None
        return True

    # -- opening ---------------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        parent = self.path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            return self._in_memory(f"{parent} exists but is not a directory")
        except OSError as exc:
            return self._in_memory(f"its directory cannot be created: {exc.strerror or exc}")
        if self.path.exists() and not self.path.is_file():
            return self._fresh_after(f"{self.path} is not a regular file")
        try:
            return _connect(self.path)
        except _Unusable as exc:
            return self._fresh_after(str(exc))
        except sqlite3.Error as exc:
            if _error_code(exc) in _CORRUPT_CODES:
                return self._fresh_after(f"it is not a readable database: {exc}")
            return self._in_memory(str(exc))

    def _fresh_after(self, reason: str) -> sqlite3.Connection:
        """Move the unusable file aside and start an empty database in its place."""
        try:
            aside = _set_aside(self.path)
        except OSError as exc:
            return self._in_memory(f"{reason}, and it could not be moved aside: {exc.strerror or exc}")
        moved = f"The progress database {self.path} could not be used ({reason}). It was moved to {aside}."
        try:
            conn = _connect(self.path)
        except (sqlite3.Error, _Unusable) as exc:
            conn = self._in_memory(f"a new database could not be created: {exc}")
            self.warning = f"{moved} {self.warning}"
            return conn
        self.warning = f"{moved} A new, empty one was started."
        return conn

    def _in_memory(self, reason: str) -> sqlite3.Connection:
        self.in_memory = True
        self.unwritable = f"{self.path}: {reason}"
        self.warning = (
            f"Progress cannot be saved to {self.path} ({reason}). "
            "This session's progress is kept in memory only and will be lost when bptutor exits."
        )
        return _connect(":memory:")

    # -- plumbing --------------------------------------------------------------------------------

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ProgressError("the progress store is closed")
        return self._conn

    @contextmanager
    def _transaction(self, doing: str, wait: float | None = None) -> Iterator[sqlite3.Connection]:
        """One atomic write; BEGIN IMMEDIATE takes the write lock before we read what we decide on,
        waiting at most ``wait`` seconds (default LOCK_WAIT) for another process to release it."""
        if self._stale:
            self.reopen()  # a connection opened read-only stays so: after a failure, start afresh
        conn = self._db
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(1000 * (LOCK_WAIT if wait is None else wait))}")
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._failed(doing, exc) from exc
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    self._stale = True
            if isinstance(exc, sqlite3.Error):
                raise self._failed(doing, exc) from exc
            raise

    def _failed(self, doing: str, exc: sqlite3.Error) -> ProgressError:
        if _error_code(exc) not in _BUSY_CODES:
            self._stale = True
        return ProgressError(f"Could not {doing} in {self.path}: {exc}")

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise ProgressError(f"Could not read progress from {self.path}: {exc}") from exc

    @staticmethod
    def _require_session(conn: sqlite3.Connection, session_id: int) -> None:
        if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise ValueError(f"no progress session with id {session_id}")

    # -- writing ---------------------------------------------------------------------------------

    def start_session(self, problem_id: str, steps_total: int, variant: str = "", *, wait: float | None = None) -> int:
        with self._transaction("start a session", wait) as conn:
            cur = conn.execute(
                "INSERT INTO sessions (problem_id, variant, steps_total, started_at) VALUES (?, ?, ?, ?)",
                (problem_id, variant, steps_total, _now()),
            )
            return int(cur.lastrowid)

    def record(
        self,
        session_id: int,
        step: str,
        answer: str,
        verdict: str,
        mistake: str | None = None,
        *,
        advance_to: int | None = None,
        at: str | None = None,
        wait: float | None = None,
    ) -> Attempt:
        """Store one attempt in its own transaction; when ``advance_to`` is given, set the session's
        ``current_step`` to it in the same transaction (so resume never skips or repeats a step).

        ``first_try`` is True iff this attempt is right and the step's earlier outcomes in this
        session leave it right at the first try (``outcomes.first_try``).
        """
        try:
            outcome = Outcome(verdict)
        except ValueError:
            raise ValueError(f"unknown verdict {verdict!r}; expected one of {[o.value for o in Outcome]}") from None
        at = at or _now()
        answer = _storable(answer)
        with self._transaction("save your answer", wait) as conn:
            self._require_session(conn, session_id)
            earlier = conn.execute(
                "SELECT verdict FROM attempts WHERE session_id = ? AND step = ? ORDER BY id", (session_id, step)
            ).fetchall()
            right = outcome is Outcome.CORRECT and first_try([v for (v,) in earlier] + [outcome])
            conn.execute(
                "INSERT INTO attempts (session_id, step, answer, verdict, mistake, first_try, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, step, answer, outcome.value, mistake, int(right), at),
            )
            if advance_to is not None:
                conn.execute("UPDATE sessions SET current_step = ? WHERE id = ?", (advance_to, session_id))
        return Attempt(session_id, step, answer, outcome, mistake, right, at)

    def finish_session(self, session_id: int, *, wait: float | None = None) -> None:
        """Mark the session finished (idempotent: the first finish time is kept)."""
        with self._transaction("finish the session", wait) as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "UPDATE sessions SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                (_now(), session_id),
            )
        self.claims.release(session_id, finished=True)

    # -- reading ---------------------------------------------------------------------------------

    def unfinished_session(self, problem_id: str, variant: str = "") -> SessionInfo | None:
        """The most recently started unfinished session of this problem and variant, if any.

        ``log`` holds all its attempts, so a resumed session gets back its first-try marks, hints,
        shown and skipped steps as well as the answers it accepted.
        """
        rows = self._read(
            "SELECT id, problem_id, variant, started_at, finished_at, current_step FROM sessions"
            " WHERE problem_id = ? AND variant = ? AND finished_at IS NULL ORDER BY id DESC LIMIT 1",
            (problem_id, variant),
        )
        if not rows:
            return None
        sid, pid, var, started, finished, current = rows[0]
        return SessionInfo(sid, pid, var, started, finished, current, tuple(self.attempts(sid)))

    def attempts(self, session_id: int) -> list[Attempt]:
        # first_try is worked out from the log, not read from its column: a database may hold
        # flags set by another rule there (any first marked answer, hint or not).
        rows = self._read(
            "SELECT session_id, step, answer, verdict, mistake, at FROM attempts WHERE session_id = ? ORDER BY id",
            (session_id,),
        )
        logs: dict[str, list[Outcome]] = {}
        attempts = []
        for sid, step, answer, verdict, mistake, at in rows:
            outcome = Outcome(verdict)
            log = logs.setdefault(step, [])
            log.append(outcome)
            right = outcome is Outcome.CORRECT and first_try(log)
            attempts.append(Attempt(sid, step, answer, outcome, mistake, right, at))
        return attempts

    def summary(self) -> list[ProblemSummary]:
        """One summary per problem that has a session, sorted by problem id. Definitions:

        - ``sessions``: sessions started, all variants together.
        - ``steps_done`` / ``steps_total``: from the *best* session (most distinct steps answered
          correctly or shown; ties go to the latest), so the figure never drops when a student
          starts over.
        - first try, over all sessions: each (session, step) the student answered or had shown
          counts once in ``first_try_total``, and in ``first_try_correct`` when its log is right
          at the first try (``outcomes.first_try``: no wrong answer, hint or reveal before).
        - ``top_mistakes``: mistake keys over all attempts, most frequent first, ties by key.
        """
        sessions = self._read("SELECT id, problem_id, steps_total FROM sessions ORDER BY id")
        attempts = self._read(
            "SELECT s.problem_id, a.session_id, a.step, a.verdict, a.mistake"
            " FROM attempts a JOIN sessions s ON s.id = a.session_id ORDER BY a.id"
        )
        by_problem: dict[str, list] = {}
        for row in attempts:
            by_problem.setdefault(row[0], []).append(row[1:])
        problems: dict[str, list[tuple[int, int | None]]] = {}
        for sid, pid, total in sessions:
            problems.setdefault(pid, []).append((sid, total))
        return [_summarise(pid, problems[pid], by_problem.get(pid, [])) for pid in sorted(problems)]

    # -- lifetime --------------------------------------------------------------------------------

    def close(self) -> None:
        self.claims.release_all()
        if self._conn is not None:
            self._conn.close()  # the last close checkpoints the WAL into the main file
            self._conn = None

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _summarise(problem_id: str, sessions: list[tuple[int, int | None]], attempts: list) -> ProblemSummary:
    """Build one ProblemSummary from the problem's (session id, steps_total) rows and its attempts
    as (session_id, step, verdict, mistake) in recording order. See ``ProgressStore.summary``."""
    logs: dict[tuple[int, str], list[Outcome]] = {}
    mistakes: Counter[str] = Counter()
    for sid, step, verdict, mistake in attempts:
        if mistake:
            mistakes[mistake] += 1
        logs.setdefault((sid, step), []).append(Outcome(verdict))
    finished: dict[int, set[str]] = {sid: set() for sid, _ in sessions}
    for (sid, step), log in logs.items():
        if done(log):
            finished[sid].add(step)
    decided = [log for log in logs.values() if DECIDED.intersection(log)]
    correct = sum(first_try(log) for log in decided)
    # max() keeps the first maximum, so scan latest first to let ties go to the latest session.
    best_sid, best_total = max(reversed(sessions), key=lambda s: len(finished[s[0]]))
    top = sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return ProblemSummary(
        problem_id=problem_id,
        sessions=len(sessions),
        steps_done=len(finished[best_sid]),
        steps_total=best_total,
        first_try_correct=correct,
        first_try_total=len(decided),
        top_mistakes=top,
    )
