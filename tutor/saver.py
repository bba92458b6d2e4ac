"""Saving a session's attempts so that none is lost silently.

Every attempt goes into a queue and the queue is written to the progress store in order. When a
write fails (a read-only or full disk, a lock another process keeps), the attempt stays queued
with every later one, a copy of the queue is written as JSON (beside the database, else in the
temp folder), and each later attempt tries the store again: as soon as it works, the whole queue
is written and the copy removed. ``warning`` and ``notice`` say so in the student's language;
the front ends show them. Standard library only.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import TutorError
from .i18n import t

# While the store is failing, a lock is waited for only briefly at each attempt, so the student
# is not held up; the last try at the end of the session waits the store's full time.
QUICK_WAIT = 0.1


@dataclass(frozen=True)
class Pending:
    step: str
    answer: str
    verdict: str
    mistake: str | None
    advance_to: int | None
    at: str  # when the student made it, ISO-8601 UTC, kept when it is written later


@dataclass
class Saver:
    store: object  # tutor.progress.ProgressStore
    problem_id: str
    steps_total: int
    variant: str
    lang: str
    session_id: int | None = None
    queue: list[Pending] = field(default_factory=list)
    finish_queued: bool = False
    warning: str | None = None  # set while attempts are not saved
    notice: str | None = None  # set once they are saved again
    copy: Path | None = None  # the JSON copy of the queue, while there is one
    _reason: str = ""

    @property
    def unsaved(self) -> int:
        return len(self.queue)

    def add(self, step: str, answer: str, verdict: str, mistake: str | None, advance_to: int | None) -> None:
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.queue.append(Pending(step, answer, verdict, mistake, advance_to, at))
        self.flush()

    def finish(self) -> None:
        if self.session_id is None and not self.queue:
            return  # opened and left without an attempt: nothing to record
        self.finish_queued = True
        self.flush()

    def flush(self, full_wait: bool = False) -> bool:
        """Write everything queued; True when nothing is left unsaved."""
        failing = self.warning is not None
        try:
            self._write(QUICK_WAIT if failing and not full_wait else None)
        except TutorError as exc:
            self._reason = str(exc)
            self._write_copy()
            self.warning = t("saver.not_saved", self.lang, count=self.unsaved, reason=self._reason, copy=self._where())
            return False
        if failing:
            self.warning = None
            self.notice = t("saver.saved_again", self.lang, path=str(getattr(self.store, "path", "")))
            self._remove_copy()
        return True

    def close(self) -> str | None:
        """The last try (waiting the store's full time for a lock); what to tell the student
        about attempts still not saved, or None when all are."""
        if self.flush(full_wait=True):
            return None
        return t("saver.lost_at_end", self.lang, count=self.unsaved, reason=self._reason, copy=self._where())

    # ------------------------------------------------------------ internals

    def _write(self, wait: float | None) -> None:
        if not self.queue and not self.finish_queued:
            return
        store = self.store
        if getattr(store, "in_memory", False) and not store.reopen():
            raise TutorError(store.unwritable or "the progress database cannot be opened")
        if self.session_id is None and (self.queue or self.finish_queued):
            self.session_id = store.start_session(self.problem_id, self.steps_total, self.variant, wait=wait)
            store.claims.claim(self.session_id)  # so no other bptutor continues it while this one runs
        while self.queue:
            p = self.queue[0]
            store.record(
                self.session_id, p.step, p.answer, p.verdict, p.mistake, advance_to=p.advance_to, at=p.at, wait=wait
            )
            self.queue.pop(0)
        if self.finish_queued:
            store.finish_session(self.session_id, wait=wait)
            self.finish_queued = False

    def _where(self) -> str:
        return str(self.copy) if self.copy else t("saver.no_copy", self.lang)

    def _copy_text(self) -> str:
        return json.dumps(
            {
                "database": str(getattr(self.store, "path", "")),
                "problem": self.problem_id,
                "variant": self.variant,
                "session": self.session_id,  # null: the session itself could not be started
                "steps_total": self.steps_total,
                "finished": self.finish_queued,
                "attempts": [asdict(p) for p in self.queue],
            },
            ensure_ascii=False,
            indent=1,
        )

    def _write_copy(self) -> None:
        text = self._copy_text()
        if self.copy is not None and _write(self.copy, text):
            return
        stamp = f"unsaved-{datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}.json"
        db = getattr(self.store, "path", None)
        beside = [Path(db).with_name(f"{Path(db).name}.{stamp}")] if db else []
        for path in beside + [Path(tempfile.gettempdir()) / f"bptutor-{stamp}"]:
            if _write(path, text):
                self._remove_copy()
                self.copy = path
                return

    def _remove_copy(self) -> None:
        if self.copy is not None:
            try:
                self.copy.unlink()
            except OSError:
                pass  # it only duplicates what is now in the database
            self.copy = None


def _write(path: Path, text: str) -> bool:
    try:
        path.write_text(text, encoding="utf-8")
        return True
    except OSError:
        try:
            path.unlink()  # a partial copy on a full disk would mislead
        except OSError:
            pass
        return False
