"""Every file in tests/bad_inputs is refused with one located ProblemError, quickly.

A file may say what it expects in its first lines: ``# expect: <part of the message>`` and
``# line: <reported line>`` (``-`` when no line can be given). Files named ``numeric_*`` are valid
problems whose numbers misbehave; the loader must accept them (the engine reports them).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tutor.errors import ProblemError
from tutor.problem import load_problem, yamlsafe

CORPUS = Path(__file__).parent / "bad_inputs"
FILES = sorted(CORPUS.glob("*.yaml"))
BROKEN = [p for p in FILES if not p.name.startswith("numeric_")]
NUMERIC = [p for p in FILES if p.name.startswith("numeric_")]


def _expectations(path: Path) -> tuple[str | None, str | None]:
    head = path.read_bytes()[:300].decode("utf-8", "replace")
    expect = re.search(r"^# expect: (.*)$", head, re.M)
    line = re.search(r"^# line: (.*)$", head, re.M)
    return (expect.group(1) if expect else None, line.group(1).strip() if line else None)


def test_corpus_has_enough_files() -> None:
    assert len(BROKEN) >= 40
    assert {p.stem for p in NUMERIC} == {"numeric_exp_overflow", "numeric_log_zero"}


def test_size_cap_file_is_over_the_cap_and_the_others_are_not() -> None:
    assert (CORPUS / "size_cap.yaml").stat().st_size > yamlsafe.MAX_BYTES
    for path in FILES:
        if path.stem != "size_cap":
            assert path.stat().st_size < yamlsafe.MAX_BYTES, path


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_broken_file_gives_one_located_problem_error(path: Path) -> None:
    start = time.perf_counter()
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    elapsed = time.perf_counter() - start
    err = info.value
    text = str(err)
    assert err.path is not None
    assert text.startswith(str(path) + ":")
    assert "\n" not in text and "Traceback" not in text
    assert err.message and not err.message.startswith(("Value error", "Input should"))
    expect, line = _expectations(path)
    if expect is not None:
        assert expect in err.message, text
    if line == "-":
        assert err.line is None, text
    elif line is not None:
        assert err.line == int(line), text
        assert text.startswith(f"{path}:{err.line}:{err.column}: ")
    if err.line is not None:
        assert err.line >= 1 and (err.column is None or err.column >= 1)
    assert elapsed < 2.0, f"{path.name} took {elapsed:.2f} s"


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_pure_python_parser_refuses_it_too(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the same files are refused, with the same kind of error."""
    monkeypatch.setattr(yamlsafe, "Loader", yamlsafe.PureLoader)
    with pytest.raises(ProblemError) as info:
        load_problem(path)
    assert str(info.value).startswith(str(path) + ":")


@pytest.mark.parametrize("path", NUMERIC, ids=lambda p: p.stem)
def test_numeric_files_load(path: Path) -> None:
    problem = load_problem(path)
    assert problem.id == path.stem
    assert problem.kind == "graph"
    assert problem.graph is not None and problem.graph.parsed_nodes()


def test_hostile_tag_runs_no_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "tag.yaml"
    path.write_text(f'id: tag\ntitle: !!python/object/apply:os.system ["touch {marker}"]\nkind: graph\n')
    with pytest.raises(ProblemError, match="tags"):
        load_problem(path)
    assert not marker.exists()
