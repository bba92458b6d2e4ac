"""The problem list that ``bptutor solve`` without an id opens first (and ``bptutor serve`` shows):
every problem listed, Enter opens one at step 1, quitting it comes back, titles are plain text
in the app's language."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from textual.widgets import DataTable

from tests.conftest import BUILTIN_IDS
from tests.test_tui import answer, screen_text, tui_test
from tutor.problem.library import builtin_dir
from tutor.progress import ProgressStore
from tutor.tui.app import TutorApp
from tutor.tui.screens.resume import ResumeScreen
from tutor.numbers import typed_value
from tutor.tui.screens.picker import Library, PickerScreen
from tutor.tui.widgets.diagram import DiagramPanel
from tutor.tui.widgets.step_panel import StepPanel

SIZE = (110, 32)
MARKUP_TITLE = "[b]bold[/b] [@click=app.quit]quit[/] [red]red"


def picker_app(lang: str = "en", dirs=()) -> TutorApp:
    return TutorApp(None, None, lang, library=Library(dirs))


def listed_ids(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


def listed_ids_after(problem_id: str) -> str:
    """The problem on the row below."""
    return BUILTIN_IDS[BUILTIN_IDS.index(problem_id) + 1]


async def open_row(pilot, problem_id: str) -> None:
    """Walk the cursor down to the problem, as a student would, press Enter and wait for it to open."""
    rows = listed_ids(pilot.app)
    await pilot.press(*["down"] * rows.index(problem_id), "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def write_problem(folder, problem_id: str, title: str, kind_section: str | None = None) -> None:
    """A copy of the built-in apple problem under another id and title (or with a broken body)."""
    text = (builtin_dir() / "apple.yaml").read_text(encoding="utf-8")
    body = text[text.index("statement:"):]
    if kind_section is not None:
        body = kind_section
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    (folder / f"{problem_id}.yaml").write_text(f'id: {problem_id}\ntitle: "{quoted}"\n{body}', encoding="utf-8")


@tui_test
async def test_the_list_shows_every_builtin_problem_with_title_and_kind():
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert listed_ids(app) == BUILTIN_IDS
        text = screen_text(app)
        assert "Buying apples: a computational graph" in text
        for heading in ("id", "title", "kind"):
            assert heading in text
        table = app.screen.query_one(DataTable)
        kinds = {str(table.get_row_at(row)[0]): str(table.get_row_at(row)[2]) for row in range(table.row_count)}
        assert kinds["xor"] == "Network" and kinds["apple"] == "Computational graph"
        assert kinds["softmax_loss"] == "Output layer"
        assert app.session is None


@tui_test
async def test_enter_opens_the_chosen_problem_at_step_one():
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "xor")
        assert not isinstance(app.screen, PickerScreen)
        assert app.problem.id == "xor"
        assert app.session.index == 0
        total = len(app.session.steps)
        assert f"Step 1 of {total}" in screen_text(app)
        assert "u₁⁽¹⁾ = ?" in app.solving.query_one(DiagramPanel).text
        assert app.solving.query_one(StepPanel).answer.has_focus


@tui_test
async def test_quitting_a_problem_comes_back_to_the_list_and_q_quits():
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "apple")
        assert app.problem.id == "apple"
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.problem is None and app.session is None
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[0]) == "apple"  # the cursor stayed
        # The word quit in the answer box does the same; another problem opens fresh.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.problem.id == listed_ids_after("apple")
        assert app.session.index == 0
        box = app.solving.query_one(StepPanel).answer
        box.value = "quit"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@tui_test
async def test_reopening_an_unfinished_problem_asks_to_continue_unless_new(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    app = TutorApp(None, None, "en", store, library=Library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "xor")
        await answer(pilot, typed_value(app.session.steps[0].value))
        assert app.session.index == 1
        await pilot.press("f10")
        await pilot.pause()
        await open_row(pilot, "xor")
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.session.index == 1
    # As bptutor serve runs it (--new): students share the database, so nobody is offered a session.
    app = TutorApp(None, None, "en", store, library=Library(resume=False))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "xor")
        assert not isinstance(app.screen, ResumeScreen)
        assert app.session.index == 0
    store.close()


@tui_test
async def test_f10_key_reads_problem_list_in_the_footer():
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "apple")
        assert "F10 Problem list" in screen_text(app)


@tui_test
async def test_markup_in_a_title_is_shown_as_typed(tmp_path):
    write_problem(tmp_path, "markup_title", MARKUP_TITLE)
    app = picker_app(dirs=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert listed_ids(app)[0] == "markup_title"  # --dir problems come first
        assert MARKUP_TITLE in screen_text(app)
        await pilot.click("#picker-table", offset=(22, 1))  # on the title: a link would run app.quit
        await pilot.pause()
        assert app.is_running
        if isinstance(app.screen, PickerScreen):  # a click may only move the cursor there
            await pilot.press("enter")
            await pilot.pause()
        assert app.problem.id == "markup_title"
        assert MARKUP_TITLE in screen_text(app)  # the header too


@tui_test
async def test_a_problem_that_fails_to_load_is_reported_and_the_list_stays(tmp_path):
    write_problem(tmp_path, "broken", "Broken on purpose", "kind: graph\ngraph:\n  inputs: {x: 1}\n")
    app = picker_app(dirs=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "broken")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert app.problem is None
        assert any("broken" in str(n.message) for n in app._notifications)
        await open_row(pilot, "xor")
        assert app.problem.id == "xor"


@tui_test
async def test_japanese_titles_and_headings_with_lang_ja():
    from tutor.problem.library import list_problems

    titles = {info.id: info.title["ja"] for info in list_problems() if "ja" in info.title}
    assert "xor" in titles
    app = picker_app("ja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for heading in ("ID", "タイトル", "種類"):
            assert heading in text
        for title in titles.values():
            assert title in text
        assert "ネットワーク" in text and "計算グラフ" in text
        await open_row(pilot, "xor")
        assert titles["xor"] in screen_text(app)
        assert "F10 問題一覧" in screen_text(app)


def test_solve_without_an_id_needs_a_terminal():
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "solve"], stdin=subprocess.DEVNULL, capture_output=True, text=True,
        env=env, timeout=60,
    )
    assert done.returncode == 2
    assert "needs a problem id" in done.stderr and "Traceback" not in done.stderr


@tui_test
async def test_a_file_name_that_is_not_utf8_leaves_the_list_working(tmp_path):
    write_problem(tmp_path, "good_one", "A good one")
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xff.yaml"), "w", encoding="utf-8") as handle:
        handle.write("id: bad\ntitle: Bad\nkind: graph\n")
    app = picker_app(dirs=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert listed_ids(app)[0] == "good_one"
        assert not any(problem_id.startswith("bad") for problem_id in listed_ids(app))
        await open_row(pilot, "good_one")
        assert app.problem.id == "good_one"


CHAIN = """id: {id}
title: A chain of squares and sines
kind: graph
graph:
  inputs: {{x: 0.5}}
  nodes:
    n1: x*x + sin(x)
    n2: n1*n1 + sin(n1)
    n3: n2*n2 + sin(n2)
    n4: n3*n3 + sin(n3)
  output: n4
  formula_of: [x]
"""


def error_messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "error"]


@tui_test
async def test_any_error_while_opening_is_shown_and_the_list_stays(monkeypatch):
    def broken(self, info):
        raise RuntimeError("the disk wobbled")

    monkeypatch.setattr(Library, "load", broken)
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_row(pilot, "apple")
        assert app.is_running and isinstance(app.screen, PickerScreen)
        assert app.problem is None
        [message] = error_messages(app)
        assert "apple" in message and "the disk wobbled" in message
        monkeypatch.undo()
        await open_row(pilot, "xor")
        assert app.problem.id == "xor"


@tui_test
async def test_f10_quits_at_once_while_a_problem_is_still_opening(monkeypatch):
    def slow(self, info):
        time.sleep(20)
        raise AssertionError("the app waited for the derivation")

    monkeypatch.setattr(Library, "load", slow)
    app = picker_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, PickerScreen)  # the list stays while the problem opens
        await pilot.press("down")  # and still answers keys
        await pilot.pause()
        assert app.screen.query_one(DataTable).cursor_row == 1
        started = time.monotonic()
        await pilot.press("f10")
    assert time.monotonic() - started < 1.0
    assert app.return_code == 0


@tui_test
async def test_a_problem_too_large_to_derive_is_refused_with_its_line(tmp_path):
    (tmp_path / "chain4.yaml").write_text(CHAIN.format(id="chain4"), encoding="utf-8")
    app = picker_app(dirs=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        started = time.monotonic()
        await open_row(pilot, "chain4")
        assert time.monotonic() - started < 5
        assert isinstance(app.screen, PickerScreen) and app.problem is None
        [message] = error_messages(app)
        assert "chain4.yaml:12:" in message and "formula_of" in message and "too large" in message
