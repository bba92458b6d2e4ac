"""`bptutor solution ID` as text: laid out to the width, formulas never broken, prose by paragraph."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import BUILTIN_IDS
from tutor.cli import app
from tutor.problem.library import builtin_dir
from tutor.render.columns import cell_width
from tutor.render.wrap import wrap, wrap_paragraphs

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
NO_LINE_START = "、。）」"


def printed(problem_id: str, lang: str, width: int) -> list[str]:
    result = runner.invoke(app, ["solution", problem_id, "--lang", lang], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def formulas(problem_id: str, lang: str) -> list[str]:
    result = runner.invoke(app, ["solution", problem_id, "--format", "json", "--lang", lang])
    assert result.exit_code == 0, result.output
    return [step["formula"] for step in json.loads(result.output)["steps"]]


def unbreakable_parts(formula: str) -> list[str]:
    """A formula, or when it is a vector "(a, b)" the components, the only places it may break."""
    depth, start, parts = 0, 1, []
    for index, char in enumerate(formula):
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and index < len(formula) - 1:
            return [formula]  # "(a)·(b)" is not a vector
        if depth == 1 and char == ",":
            parts.append(formula[start:index])
            start = index + 2
    return [*parts, formula[start:-1]] if parts else [formula]


def box_paragraphs(lines: list[str], title: str) -> list[str]:
    """The paragraphs inside the box titled ``title``, each with its whitespace removed."""
    start = next(i for i, line in enumerate(lines) if line.startswith("╭") and title in line)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("╰"))
    body = "\n".join(line[1:-1].strip() for line in lines[start + 1 : end])
    return [re.sub(r"\s", "", block) for block in re.split(r"\n\n", body)]


def note_paragraphs(problem_id: str, lang: str) -> list[str] | None:
    notes = yaml.safe_load((builtin_dir() / f"{problem_id}.yaml").read_text(encoding="utf-8")).get("notes")
    if notes is None:
        return None
    return [re.sub(r"\s", "", block) for block in re.split(r"\n\s*\n", notes[lang].strip())]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("width", [60, 80, 100])
@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_solution_fits_the_width_and_keeps_every_formula_whole(problem_id, width, lang):
    lines = printed(problem_id, lang, width)
    for line in lines:
        assert cell_width(line) <= width, line
        assert line == line.rstrip(), f"trailing space: {line!r}"
        assert not line.lstrip(" │").startswith(tuple(NO_LINE_START)), line
    for formula in formulas(problem_id, lang):
        for part in unbreakable_parts(formula) if cell_width(formula) > width - 8 else [formula]:
            assert any(part in line for line in lines), f"{part!r} broken at {width} columns"


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("problem_id", [p for p in BUILTIN_IDS if note_paragraphs(p, "en") is not None])
def test_notes_keep_their_paragraphs(problem_id, lang):
    title = {"en": "Notes", "ja": "補足"}[lang]
    expected = note_paragraphs(problem_id, lang)
    assert len(expected) >= 1
    assert box_paragraphs(printed(problem_id, lang, 60), title) == expected


def test_japanese_prose_never_starts_a_line_with_closing_punctuation_at_any_width():
    for width in range(60, 81):
        lines = printed("xor", "ja", width)
        assert not [line for line in lines if line.lstrip(" │").startswith(tuple(NO_LINE_START))]


def test_piped_solution_is_laid_out_for_100_columns():
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(ROOT)
    env["BPTUTOR_LANG"] = "en"
    result = subprocess.run(
        [sys.executable, "-m", "tutor", "solution", "xor"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    given = next(line for line in lines if line.startswith("╭"))
    assert cell_width(given) == 100
    assert max(cell_width(line) for line in lines) == 100
    assert all(line == line.rstrip() for line in lines)


def test_wrapping_moves_a_character_down_rather_than_start_a_line_with_a_comma():
    # Eight cells fit four kanji; the fifth character is 、 so the fourth kanji goes down with it.
    assert wrap("一二三四、五六", 8) == ["一二三", "四、五六"]
    assert wrap("「引用」です", 6) == ["「引", "用」で", "す"]
    assert wrap("あ「引用」", 4) == ["あ", "「引", "用」"]  # 「 does not end a line either


def test_wrapping_breaks_english_at_spaces_and_keeps_paragraphs_apart():
    assert wrap("one two three", 8) == ["one two", "three"]
    assert wrap_paragraphs("a b\nc\n\nd", 80) == ["a b c", "", "d"]
    assert wrap_paragraphs("日本語の\n文です。", 80) == ["日本語の文です。"]


def test_wrapping_keeps_a_formula_in_prose_whole_and_breaks_one_too_long_for_a_line():
    assert wrap("and the error is (y − d)², where y is", 20) == ["and the error is", "(y − d)², where y is"]
    assert wrap("so d = 1 here", 7) == ["so", "d = 1", "here"]
    assert wrap("a = b + c", 5) == ["a = b", "+ c"]  # longer than a line: broken at its spaces


def test_show_wraps_the_statement_and_leaves_the_picture_as_drawn():
    result = subprocess.run([sys.executable, "-m", "tutor", "show", "xor"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "60"}, timeout=60)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    picture = lines[lines.index("") + 1:]
    prose = lines[:lines.index("")]
    assert all(cell_width(line) <= 60 and line == line.rstrip() for line in prose)
    assert any("(y − d)²" in line for line in prose)
    assert "x₁ = 1 ─┬" in picture[1] and cell_width(max(picture, key=cell_width)) > 60  # not re-wrapped
