"""The progress store: every attempt a student makes, kept in a small SQLite database.

Standard library plus ``platformdirs`` (imported lazily). No printing: problems the student should
hear about end up in ``ProgressStore.warning`` or in a ``ProgressError`` (a ``TutorError``), and the
front end decides how to show them.

Durability: the database runs in WAL mode and every ``record`` is its own transaction, so an
attempt is on disk when ``record`` returns; killing the process (even with SIGKILL) loses nothing
recorded before. A file that is not a usable progress database is renamed aside, never deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from tutor.claims import SessionClaims
from tutor.errors import TutorError
from tutor.outcomes import Outcome, first_try
from tutor.paths import data_dir
from tutor.progress.database import (
    BUSY_CODES,
    CORRUPT_CODES,
    LOCK_WAIT,
    connect,
    error_code,
    set_aside,
    Unusable,
)
from tutor.progress.records import Attempt, ProblemSummary, SessionInfo, summarise

DB_NAME = "progress.sqlite3"
MAX_STORED_ANSWER = 10_000  # characters of an answer kept; a longer one is cut (the Session refuses it anyway)


class ProgressError(TutorError):
    """Reading or writing progress failed after the store was opened (disk full, file removed...).

    Front ends may show it and carry on: the tutoring itself does not depend on the store.
    """


def default_db_path() -> Path:
    """``$BPTUTOR_HOME/progress.sqlite3``, else ``progress.sqlite3`` in the platform's user data dir."""
    return data_dir() / DB_NAME


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _storable(answer: str) -> str:
    """The answer as it can be stored: at most MAX_STORED_ANSWER characters, and text SQLite can
    encode (a line read with surrogateescape from invalid UTF-8 keeps its bytes as \\x escapes)."""
    answer = answer[:MAX_STORED_ANSWER]
    return answer.encode("utf-8", "backslashreplace").decode("utf-8")


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
            conn = connect(self.path)
        except (OSError, sqlite3.Error, Unusable) as exc:
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
            return connect(self.path)
        except Unusable as exc:
            return self._fresh_after(str(exc))
        except sqlite3.Error as exc:
            if error_code(exc) in CORRUPT_CODES:
                return self._fresh_after(f"it is not a readable database: {exc}")
            return self._in_memory(str(exc))

    def _fresh_after(self, reason: str) -> sqlite3.Connection:
        """Move the unusable file aside and start an empty database in its place."""
        try:
            aside = set_aside(self.path)
        except OSError as exc:
            return self._in_memory(f"{reason}, and it could not be moved aside: {exc.strerror or exc}")
        moved = f"The progress database {self.path} could not be used ({reason}). It was moved to {aside}."
        try:
            conn = connect(self.path)
        except (sqlite3.Error, Unusable) as exc:
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
        return connect(":memory:")

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
        if error_code(exc) not in BUSY_CODES:
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
        return [summarise(pid, problems[pid], by_problem.get(pid, [])) for pid in sorted(problems)]

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
