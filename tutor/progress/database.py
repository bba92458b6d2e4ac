"""Opening the SQLite file behind the progress store: validate, configure, migrate, or set aside.

Standard library only. A file that is not a usable progress database is renamed aside, never
deleted; the store decides what to tell the student.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

SCHEMA_VERSION = 1
LOCK_WAIT = 2.0  # seconds a write waits for another process's lock before it fails

# SQLite primary result codes (exc.sqlite_errorcode & 0xFF) meaning "this file is not a usable
# database", as opposed to "we may not or cannot write here" (permissions, full disk, I/O).
CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED: another connection has the lock; the connection is fine

SCHEMA = """
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


class Unusable(Exception):
    """The file opens but is not a progress database this version can use; set it aside."""


def error_code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def journal_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def set_aside(path: Path) -> Path:
    """Rename ``path`` (and its journal files) to ``<name>.corrupt-<UTC timestamp>``; return the new path.

    The journal files move too: a stale ``-wal`` left next to a fresh database would be replayed
    into it by SQLite. Under their new names they still belong to the set-aside file.
    """
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists() or any(j.exists() for j in journal_files(aside)):
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    for old, new in zip(journal_files(path), journal_files(aside)):
        if old.exists():
            os.replace(old, new)
    return aside


def connect(target: str | Path) -> sqlite3.Connection:
    """Open, validate and migrate a database; raises Unusable or sqlite3.Error."""
    # isolation_level=None: we issue BEGIN IMMEDIATE ourselves so read-then-write is atomic.
    conn = sqlite3.connect(target, timeout=LOCK_WAIT, isolation_level=None)
    try:
        validate(conn)
        configure(conn)
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def validate(conn: sqlite3.Connection) -> None:
    # The first read of a file that is not SQLite raises DatabaseError ("file is not a database").
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        raise Unusable("it is damaged: " + "; ".join(str(r[0]) for r in rows[:3]))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise Unusable(
            f"it was written by a newer bptutor (schema {version}; this version reads up to {SCHEMA_VERSION})"
        )
    if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise Unusable("it is an SQLite database, but not a bptutor progress database")


def configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL fsyncs each commit: a few attempts a minute make the cost irrelevant, and it also
    # survives power loss (NORMAL in WAL only survives a process kill).
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")


def migrate(conn: sqlite3.Connection) -> None:
    if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Check again under the write lock: a second bptutor may have just created the schema.
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # an int constant, not user data
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
