"""Where bptutor keeps its files: progress in the user data folder, the problem index in the user
cache folder. ``BPTUTOR_HOME`` overrides both (tests and classrooms use it).

platformdirs answers for every platform, but importing it costs about 40 ms, a quarter of
``bptutor list``'s start-up budget; on Linux and the BSDs the cache folder follows the XDG rule
directly, which is what platformdirs would answer there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "bptutor"


def _home_override() -> Path | None:
    home = os.environ.get("BPTUTOR_HOME")
    return Path(home).expanduser().absolute() if home else None


def data_dir() -> Path:
    override = _home_override()
    if override is not None:
        return override
    from platformdirs import user_data_dir

    # appauthor=False: otherwise Windows nests the folder as bptutor\bptutor.
    return Path(user_data_dir(APP, appauthor=False))


def cache_dir() -> Path:
    override = _home_override()
    if override is not None:
        return override / "cache"
    if sys.platform not in ("win32", "darwin"):
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
        return base / APP
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))
