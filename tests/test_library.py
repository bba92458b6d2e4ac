"""The built-in library: where it is, finding problems by id or path, and fast listing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.errors import ProblemError
from tutor.problem import load_problem
from tutor.problem.library import ProblemInfo, builtin_dir, list_problems, resolve

from .conftest import REQUIRED_IDS

REPO = Path(__file__).resolve().parents[1]
BUILTIN_IDS = REQUIRED_IDS


def test_builtin_dir_is_the_checkout_problems_folder() -> None:
    assert builtin_dir() == REPO / "problems"
    assert {p.stem for p in builtin_dir().glob("*.yaml")} == BUILTIN_IDS


def test_pyproject_ships_the_problems_inside_the_package() -> None:
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"problems" = "tutor/_problems"' in text


def test_resolve_an_id_and_a_path(tmp_path: Path) -> None:
    assert resolve("xor") == builtin_dir() / "xor.yaml"
    assert resolve("problems/xor.yaml") == Path("problems/xor.yaml")
    assert resolve(str(tmp_path / "nothing.yaml")) == tmp_path / "nothing.yaml"  # path-like: the loader reports it
    assert resolve("some/dir/file") == Path("some/dir/file")


def test_resolve_prefers_extra_dirs(tmp_path: Path) -> None:
    mine = tmp_path / "xor.yaml"
    mine.write_text((builtin_dir() / "xor.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert resolve("xor", [tmp_path]) == mine
    (tmp_path / "extra_one.yml").write_text("id: extra_one\n", encoding="utf-8")
    assert resolve("extra_one", [tmp_path]) == tmp_path / "extra_one.yml"


def test_resolve_an_unknown_id_suggests_a_close_one() -> None:
    with pytest.raises(ProblemError) as info:
        resolve("xr")
    err = info.value
    assert err.path is None
    assert err.message == "no problem called 'xr'; did you mean 'xor'? (bptutor list shows them all)"
    with pytest.raises(ProblemError, match="no problem called 'qqqqqq' \\(bptutor list"):
        resolve("qqqqqq")


def test_list_problems_reads_the_builtins() -> None:
    infos = list_problems()
    assert {i.id for i in infos} == BUILTIN_IDS
    by_id = {i.id: i for i in infos}
    xor = by_id["xor"]
    assert isinstance(xor, ProblemInfo)
    assert xor.builtin and xor.error is None and xor.kind == "network"
    assert xor.path == builtin_dir() / "xor.yaml"
    assert xor.title["en"] and xor.title["ja"] and "xor" in xor.topics
    assert by_id["apple"].kind == "graph" and by_id["softmax_loss"].kind == "layer"
    for info in infos:
        assert info.error is None and info.title.get("en")
        assert load_problem(info.path).id == info.id


def test_list_problems_includes_extra_dirs_and_broken_files(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("id: mine\ntitle: Mine\nkind: graph\ntopics: [x]\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    (tmp_path / "wrong_id.yaml").write_text("id: other\ntitle: W\nkind: loss\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a problem", encoding="utf-8")
    infos = list_problems([tmp_path])
    first = infos[:3]
    assert [i.id for i in first] == ["broken", "mine", "other"]
    assert not any(i.builtin for i in first)
    assert all(i.builtin for i in infos[3:])
    broken, mine, wrong = first
    assert broken.error is not None and str(tmp_path / "broken.yaml") in broken.error and ":2:" in broken.error
    assert mine.error is None and mine.title == {"en": "Mine"} and mine.topics == ("x",) and mine.kind == "graph"
    assert wrong.error is not None and "does not match the file name" in wrong.error


def test_list_problems_ignores_a_missing_dir(tmp_path: Path) -> None:
    assert {i.id for i in list_problems([tmp_path / "nope"])} == BUILTIN_IDS


def test_listing_imports_neither_pydantic_nor_sympy_nor_numpy() -> None:
    code = (
        "import sys, json\n"
        "from tutor.problem.library import list_problems, resolve\n"
        "infos = list_problems()\n"
        "resolve('xor')\n"
        "print(json.dumps([len(infos)] + [m for m in ('pydantic', 'sympy', 'numpy', 'textual') if m in sys.modules]))\n"
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [len(BUILTIN_IDS)]


def _write(path: Path, title: str) -> None:
    path.write_text(f"id: {path.stem}\ntitle: {title}\nkind: graph\ngraph:\n  inputs: {{x: 1}}\n"
                    "  nodes: {y: x * 2}\n  output: y\n", encoding="utf-8")


def test_the_index_sees_an_edited_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    _write(mine, "First")
    assert list_problems([tmp_path])[0].title == {"en": "First"}
    _write(mine, "A longer second title")  # another size: stale for certain, whatever the clock
    assert list_problems([tmp_path])[0].title == {"en": "A longer second title"}
    mine.write_text("id: [", encoding="utf-8")
    assert list_problems([tmp_path])[0].error is not None


def test_a_corrupt_or_foreign_index_is_ignored_and_rewritten(tmp_path: Path) -> None:
    from tutor.paths import cache_dir

    index = cache_dir() / "problem-index.json"
    first = list_problems()
    for junk in ("{not json", '{"format": "something else", "files": {}}', '{"format": 1}', "[]"):
        index.write_text(junk, encoding="utf-8")
        assert list_problems() == first
        assert json.loads(index.read_text(encoding="utf-8"))["files"]  # rebuilt


def test_an_index_entry_of_the_wrong_shape_is_read_again(tmp_path: Path) -> None:
    from tutor.paths import cache_dir

    first = list_problems()
    index = cache_dir() / "problem-index.json"
    stored = json.loads(index.read_text(encoding="utf-8"))
    for entry in stored["files"].values():
        entry["info"] = {"id": 3, "title": "x", "topics": None}
    index.write_text(json.dumps(stored), encoding="utf-8")
    assert list_problems() == first


def test_listing_works_when_the_cache_folder_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    monkeypatch.setenv("BPTUTOR_HOME", str(blocker))
    assert {i.id for i in list_problems()} == BUILTIN_IDS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # no temporary file left behind


def _bad_name_folder(tmp_path: Path) -> Path:
    """A folder with a good problem and one whose file name is not UTF-8 (bytes 'bad\\xff.yaml')."""
    folder = tmp_path / "problems"
    folder.mkdir()
    _write(folder / "good.yaml", "Good")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.yaml"), "w", encoding="utf-8") as handle:
        handle.write("id: bad\ntitle: Bad\nkind: graph\n")
    return folder


def test_a_file_name_that_is_not_utf8_is_listed_escaped_as_an_error(tmp_path: Path) -> None:
    folder = _bad_name_folder(tmp_path)
    infos = list_problems([folder])
    bad, good = infos[0], infos[1]
    assert good.id == "good" and good.error is None
    assert bad.id == "bad\\xff"
    assert bad.error is not None and "not valid UTF-8" in bad.error and "bad\\xff.yaml" in bad.error
    bad.error.encode("utf-8")  # printable: no surrogate left in it


@pytest.mark.skipif(sys.platform != "linux", reason="file names of arbitrary bytes are a POSIX file system's")
def test_list_over_a_file_name_that_is_not_utf8_works_twice_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder = _bad_name_folder(tmp_path)
    env = dict(os.environ, BPTUTOR_HOME=str(tmp_path / "home"), BPTUTOR_LANG="en", COLUMNS="200")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    for _ in range(2):  # the first run writes the index, the second reads it
        done = subprocess.run([sys.executable, "-m", "tutor", "list", "--dir", str(folder)],
                              env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert "good" in done.stdout and "xor" in done.stdout
        assert "bad\\xff" in done.stderr and "not valid UTF-8" in done.stderr
    assert sorted(p.name for p in (tmp_path / "home" / "cache").iterdir()) == ["problem-index.json"]


def test_a_folder_whose_name_is_not_utf8_is_indexed_without_temporary_files(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"dir\xfe")
    folder.mkdir()
    _write(folder / "mine.yaml", "Mine")
    (folder / "broken.yaml").write_text("id: [", encoding="utf-8")
    for _ in range(2):
        broken, mine = list_problems([folder])[:2]
        assert mine.title == {"en": "Mine"}
        assert broken.error is not None and "dir\\xfe" in broken.error
    from tutor.paths import cache_dir

    assert sorted(p.name for p in cache_dir().iterdir()) == ["problem-index.json"]


def test_the_index_sees_an_edit_that_keeps_the_size_and_the_mtime(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    _write(mine, "First")
    before = mine.stat()
    assert list_problems([tmp_path])[0].title == {"en": "First"}
    _write(mine, "Other")  # as long as "First"
    os.utime(mine, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert mine.stat().st_size == before.st_size and mine.stat().st_mtime_ns == before.st_mtime_ns
    assert list_problems([tmp_path])[0].title == {"en": "Other"}


def test_opening_a_file_whose_name_is_not_utf8_is_a_clear_error(tmp_path: Path) -> None:
    folder = _bad_name_folder(tmp_path)
    with pytest.raises(ProblemError) as caught:
        load_problem(os.path.join(os.fsencode(folder), b"bad\xff.yaml").decode("utf-8", "surrogateescape"))
    assert "bad\\xff" in str(caught.value)
    with pytest.raises(ProblemError) as caught:
        resolve("bax", [folder])
    assert "did you mean" not in str(caught.value)  # a name nobody can type is not suggested
