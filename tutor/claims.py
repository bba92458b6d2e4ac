"""Which recorded sessions are open in a running bptutor, so two never continue the same one.

Each open session holds an exclusive ``flock`` on a small file named after its id, in a folder
beside the progress database. The operating system drops the lock when the process ends, however
it ends (SIGKILL, a closed terminal), so a crashed bptutor never leaves a session claimed.
"""

from __future__ import annotations

import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock, so no claims (each run is on its own)
    fcntl = None


class SessionClaims:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._held: dict[int, int] = {}  # session id -> the open file descriptor holding its lock

    def claim(self, session_id: int) -> bool:
        """True when this process now holds the session (or already did, or claims cannot be
        kept here); False when another running bptutor holds it."""
        if session_id in self._held or fcntl is None:
            return True
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / f"{session_id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return True  # a folder that cannot be written: nothing can be shared through it either
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._held[session_id] = fd
        return True

    def release(self, session_id: int, *, finished: bool = False) -> None:
        """Let the session go; a finished one's file is removed (it is never continued again)."""
        fd = self._held.pop(session_id, None)
        if fd is None:
            return
        if finished:
            try:
                os.unlink(self.folder / f"{session_id}.lock")
            except OSError:
                pass
        os.close(fd)

    def release_all(self) -> None:
        for session_id in list(self._held):
            self.release(session_id)
