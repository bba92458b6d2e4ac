"""The built-in problems, finding a problem by id or path, and listing problems.

Imports neither pydantic, sympy nor numpy: ``bptutor list`` uses only this module and must start
fast. Listing reads each file with the safe YAML reader and picks a few fields; the full check is
``tutor.problem.load``'s job. What it read is kept in an index in the user cache folder, keyed by
each file's path and stat stamp (size, times, inode), so a second ``list`` needs no YAML at all.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tempfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutor import __version__, kinds
from tutor.errors import ProblemError

__all__ = ["ProblemInfo", "builtin_dir", "list_problems", "problem_files", "resolve", "shown_path"]

SUFFIXES = (".yaml", ".yml")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_CHECKSUM_BYTES = 1024 * 1024  # above yamlsafe.MAX_BYTES (imported only on an index miss)


def builtin_dir() -> Path:
    """Where the built-in problems are: inside the wheel (tutor/_problems) or the checkout (problems/)."""
    here = Path(__file__).resolve()
    packaged = here.parents[1] / "_problems"
    if packaged.is_dir():
        return packaged
    return here.parents[2] / "problems"


def problem_files(directory: Path) -> list[Path]:
    """The problem files directly inside ``directory``, sorted by name (none if it is missing)."""
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return []
    return sorted(
        (p for p in entries if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file()),
        key=lambda p: p.name,
    )


def shown_path(text: Path | str) -> str:
    """A path (or a message quoting one) as text that can always be printed: bytes of a file
    name that are not UTF-8 appear as \\xNN."""
    return str(text).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _name_is_text(path: Path) -> bool:
    try:
        path.name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes kept as surrogates by the file system codec
        return False
    return True


def _search_dirs(extra_dirs: Sequence[Path | str]) -> list[tuple[Path, bool]]:
    return [(Path(d), False) for d in extra_dirs] + [(builtin_dir(), True)]


def _looks_like_path(ref: str) -> bool:
    return (
        ref.endswith(SUFFIXES)
        or "/" in ref
        or os.sep in ref
        or (os.altsep is not None and os.altsep in ref)
        or ref.startswith(".")
        or ref.startswith("~")
    )


def resolve(ref: str, extra_dirs: Sequence[Path | str] = ()) -> Path:
    """A problem file from a reference: an existing file or something path-like is a path;
    anything else is an id, looked up in ``extra_dirs`` first, then among the built-ins."""
    candidate = Path(ref).expanduser() if ref.startswith("~") else Path(ref)
    try:
        exists = candidate.exists()
    except (OSError, ValueError):
        exists = False
    if exists or _looks_like_path(ref):
        return candidate
    known: list[str] = []
    for directory, _builtin in _search_dirs(extra_dirs):
        for suffix in SUFFIXES:
            path = directory / f"{ref}{suffix}"
            if path.is_file():
                return path
        known.extend(p.stem for p in problem_files(directory) if _name_is_text(p))
    close = difflib.get_close_matches(ref.lower(), sorted(set(known)), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    raise ProblemError(None, f"no problem called {ref!r}{hint} (bptutor list shows them all)")


@dataclass(frozen=True)
class ProblemInfo:
    """One line of ``bptutor list``: what the file says, without the full check."""

    id: str
    path: Path
    title: dict[str, str] = field(default_factory=dict)  # language -> text; {} when unreadable
    kind: str | None = None
    topics: tuple[str, ...] = ()
    builtin: bool = False
    error: str | None = None  # why the file cannot be used, when that shows without the full check


def list_problems(extra_dirs: Sequence[Path | str] = ()) -> list[ProblemInfo]:
    """The problems in ``extra_dirs`` (in order) and then the built-ins, each sorted by file name.

    A built-in whose id is also found in ``extra_dirs`` is still listed (``resolve`` prefers the
    extra directory).
    """
    index = _Index.load()
    infos = [
        index.info(path, builtin) if _name_is_text(path) else _unnamed(path, builtin)
        for directory, builtin in _search_dirs(extra_dirs)
        for path in problem_files(directory)
    ]
    index.save()
    return infos


def _unnamed(path: Path, builtin: bool) -> ProblemInfo:
    """A file whose name is not UTF-8 cannot have a matching id: listed by its escaped name, as an error."""
    return ProblemInfo(
        id=shown_path(path.stem), path=path, builtin=builtin,
        error=f"{shown_path(path)}: the file name is not valid UTF-8; rename the file to use it",
    )


class _Index:
    """What listing read from each file, by absolute path, valid while its stat stamp is unchanged.

    A missing, corrupt or unwritable index only costs speed: listing then reads the files."""

    def __init__(self, path: Path | None, entries: dict[str, dict]):
        self.path, self.entries, self.changed = path, entries, False

    @staticmethod
    def format() -> str:
        """Who wrote the index: this version, knowing these kinds (a kind registered since may make
        a file usable that was not)."""
        return f"bptutor-index-1/{__version__}/{','.join(sorted(kinds.KINDS))}"

    @classmethod
    def load(cls) -> _Index:
        try:
            from tutor.paths import cache_dir

            path = cache_dir() / "problem-index.json"
        except (OSError, RuntimeError, KeyError):  # no home folder to find
            return cls(None, {})
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, {})
        ok = isinstance(stored, dict) and stored.get("format") == cls.format() and isinstance(stored.get("files"), dict)
        return cls(path, stored["files"] if ok else {})

    def info(self, path: Path, builtin: bool) -> ProblemInfo:
        key = str(path.absolute())
        try:
            stamp = _stamp(path)
        except OSError:
            return _read_info(path, builtin)
        entry = self.entries.get(key)
        if isinstance(entry, dict) and entry.get("stamp") == stamp:
            try:
                return _from_json(entry["info"], path, builtin)
            except (KeyError, TypeError, ValueError):
                pass
        info = _read_info(path, builtin)
        self.entries[key] = {"stamp": stamp, "info": _to_json(info)}
        self.changed = True
        return info

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        tmp_name = None
        try:
            # ASCII: a folder name that is not UTF-8 (kept as surrogates) is escaped, not an error.
            text = json.dumps({"format": self.format(), "files": self.entries})
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: two lists at once never read half a file.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.path.parent, prefix=".problem-index-", delete=False
            ) as tmp:
                tmp_name = tmp.name
                tmp.write(text)
            os.replace(tmp_name, self.path)
        except (OSError, ValueError):  # ValueError: UnicodeError and anything json refuses
            if tmp_name is not None:
                try:
                    Path(tmp_name).unlink(missing_ok=True)
                except OSError:
                    pass


def _stamp(path: Path) -> list[int]:
    """What must be unchanged for an index entry to hold. An edit that keeps the size and puts the
    mtime back still moves ctime, but within one clock tick of the file system it may not: a
    checksum of the content (problem files are small: reading them costs far less than YAML)."""
    stat = path.stat()
    stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev]
    if stat.st_size <= _CHECKSUM_BYTES:  # larger files are refused by their size alone
        stamp.append(zlib.crc32(path.read_bytes()))
    return stamp


def _to_json(info: ProblemInfo) -> dict:
    return {"id": info.id, "title": info.title, "kind": info.kind, "topics": list(info.topics), "error": info.error}


def _from_json(data: dict, path: Path, builtin: bool) -> ProblemInfo:
    title, topics = data["title"], data["topics"]
    if not (isinstance(title, dict) and isinstance(topics, list) and isinstance(data["id"], str)):
        raise ValueError("index entry of the wrong shape")
    return ProblemInfo(
        id=data["id"], path=path, title=title, kind=data["kind"], topics=tuple(topics), builtin=builtin,
        error=data["error"],
    )


def _read_info(path: Path, builtin: bool) -> ProblemInfo:
    from tutor.problem import yamlsafe  # only on an index miss: YAML costs a third of list's start-up

    try:
        data, _root = yamlsafe.parse_file(path)
    except ProblemError as exc:
        return ProblemInfo(id=path.stem, path=path, builtin=builtin, error=shown_path(str(exc)))
    errors: list[str] = []
    raw_id = data.get("id")
    if not isinstance(raw_id, str) or not _ID.match(raw_id):
        errors.append("the id is missing or not valid")
    elif raw_id != path.stem:
        errors.append(f"id {raw_id!r} does not match the file name {path.stem!r}")
    title = _title(data.get("title"))
    if not title:
        errors.append("the title is missing")
    kind = kinds.canonical(data.get("kind"))
    if kind is None:
        names = list(kinds.KINDS)
        errors.append(f"kind must be {', '.join(names[:-1])} or {names[-1]}")
    topics_raw = data.get("topics")
    topics = tuple(t for t in topics_raw if isinstance(t, str)) if isinstance(topics_raw, list) else ()
    return ProblemInfo(
        id=raw_id if isinstance(raw_id, str) and raw_id else path.stem,
        path=path,
        title=title,
        kind=kind,
        topics=topics,
        builtin=builtin,
        error=f"{shown_path(path)}: " + "; ".join(errors) if errors else None,
    )


def _title(raw: object) -> dict[str, str]:
    if isinstance(raw, str) and raw.strip():
        return {"en": raw}
    if isinstance(raw, dict):
        title = {k: v for k, v in raw.items() if isinstance(k, str) and isinstance(v, str) and v.strip()}
        return title if "en" in title else {}
    return {}
