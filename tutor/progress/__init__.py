"""Every attempt a student makes, kept in a small SQLite database: ``store.ProgressStore`` behind
one interface, ``database`` for opening the file, ``records`` for what reading returns."""

from tutor.progress.records import Attempt, ProblemSummary, SessionInfo
from tutor.progress.store import DB_NAME, LOCK_WAIT, MAX_STORED_ANSWER, ProgressError, ProgressStore, default_db_path

__all__ = [
    "DB_NAME", "LOCK_WAIT", "MAX_STORED_ANSWER", "Attempt", "ProblemSummary", "ProgressError", "ProgressStore",
    "SessionInfo", "default_db_path",
]
