"""The Textual app driven headless (App.run_test and Pilot): answers, keys, typed words, help,
markup safety and the Japanese interface. Values come from the engine's solution, which the
engine and oracle tests check independently."""

from __future__ import annotations

import asyncio
import functools
import io

import pytest
from textual.widgets._footer import FooterKey
from rich.console import Console
from textual.widgets import Footer, Static

from tests.conftest import solved
from tutor import formula
from tutor.i18n import t
from tutor.problem import load_problem
from tutor.problem.library import builtin_dir
from tutor.session import Outcome
from tutor.tui.app import TutorApp
from tutor.tui.screens.help import HelpScreen
from tutor.numbers import typed_value
from tutor.tui.widgets.answer import AnswerInput
from tutor.tui.widgets.diagram import DiagramPanel
from tutor.tui.widgets.feedback import FeedbackArea
from tutor.tui.widgets.header import ProgressHeader
from tutor.tui.widgets.preview import ReadingPreview
from tutor.tui.widgets.step_list import StepList
from tutor.tui.widgets.step_panel import StepPanel

SIZE = (100, 32)


def tui_test(scenario):
    """Run an async Pilot scenario as a plain test (no async plugin needed)."""

    @functools.wraps(scenario)
    def run(*args, **kwargs):
        return asyncio.run(scenario(*args, **kwargs))

    return run


def make_app(problem_id: str = "xor", lang: str = "en", store=None, unfinished=None, ask_resume: bool = True):
    problem, solution = solved(problem_id)
    return TutorApp(problem, solution, lang, store, unfinished, ask_resume=ask_resume)


def screen_text(app) -> str:
    """The whole screen as plain text, as a terminal would show it (modal screens included)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, force_terminal=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def text_of(widget: Static) -> str:
    return str(widget.render())


def diagram_text(app) -> str:
    return app.query_one(DiagramPanel).text


async def answer(pilot, text: str) -> None:
    box = pilot.app.solving.query_one(AnswerInput)
    box.focus()
    box.value = text
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


@tui_test
async def test_right_answer_is_marked_and_moves_on():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        first = app.session.steps[0]
        assert "u₁⁽¹⁾ = ?" in diagram_text(app)
        await pilot.press(*typed_value(first.value))  # typed key by key, as a student would
        await pilot.pause()
        assert text_of(app.query_one(ReadingPreview)) == f"I read this as: {typed_value(first.value)}"
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.index == 1
        assert app.session.states[first.name].result is Outcome.CORRECT
        assert app.query_one(StepList).mark_of(first.name) == "✓"
        assert app.query_one(StepList).mark_of(app.session.steps[1].name) == "▶"
        assert f"u₁⁽¹⁾ = {typed_value(first.value)}" in diagram_text(app)
        feedback = app.query_one(FeedbackArea)
        assert feedback.has_class("correct") and not feedback.has_class("wrong")
        assert text_of(feedback).startswith("✓ u₁⁽¹⁾ = 0.5\nCorrect.")
        assert app.query_one(AnswerInput).value == ""
        assert "1/28 done" in text_of(app.query_one("#counts", Static))


@tui_test
async def test_wrong_answer_shows_a_cross_and_stays():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.7")
        assert app.session.index == 0
        assert app.session.states["u1_1"].attempts == 1
        feedback = app.query_one(FeedbackArea)
        assert feedback.has_class("wrong")
        assert text_of(feedback).startswith("✗ u₁⁽¹⁾ = 0.7\nNot correct")
        assert app.query_one(AnswerInput).value == "0.7"  # kept, to be corrected
        assert "u₁⁽¹⁾ = ?" in diagram_text(app)
        await answer(pilot, "0.5")
        assert app.session.index == 1
        assert app.query_one(StepList).mark_of("u1_1") == "(✓)"  # right, but not at the first try


@tui_test
async def test_hint_key_gives_the_formula_then_the_numbers():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        step = app.session.current
        notation = app.solution.symbols
        general = formula.equation_text(step, notation)
        with_numbers = formula.equation_text(step, notation, app.session.follow_env())
        hints = app.query_one("#hints", Static)
        assert general not in screen_text(app)  # the formula is not given away before a hint
        assert not hints.display
        await pilot.press("f2")
        await pilot.pause()
        assert hints.display
        assert general in text_of(hints) and with_numbers not in text_of(hints)
        assert general in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert general in text_of(hints) and with_numbers in text_of(hints)
        assert app.session.states[step.name].hints == 2
        assert app.session.index == 0


@tui_test
async def test_show_reveals_the_answer_and_moves_on():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert app.session.index == 1
        assert app.query_one(StepList).mark_of("u1_1") == "!"
        assert app.query_one(FeedbackArea).has_class("shown")
        assert "The answer is 0.5." in text_of(app.query_one(FeedbackArea))
        assert "u₁⁽¹⁾ = 0.5" in diagram_text(app)


@tui_test
async def test_skip_and_back():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert app.session.index == 1
        assert app.query_one(StepList).mark_of("u1_1") == "–"
        await answer(pilot, "0.5")
        assert app.session.index == 2
        await pilot.press("f5")
        await pilot.pause()
        assert app.session.index == 1
        assert app.query_one(StepList).mark_of("u1_2") == "▶"
        assert "Earlier answer: 0.5" in text_of(app.query_one(FeedbackArea))
        assert app.query_one(StepPanel).border_title.startswith("Step 2 of 28")


@tui_test
async def test_show_puts_the_worked_line_under_the_answer():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert "u₁⁽¹⁾ = 0.5·1 + 0.5·0 + 0 = 0.5" in text_of(app.query_one(FeedbackArea))


async def _answer_up_to(pilot, name: str) -> None:
    """Answer every step before ``name`` with its exact value, every digit of it."""
    session = pilot.app.session
    while session.current.name != name:
        await answer(pilot, repr(session.current.value))


@pytest.mark.parametrize("key", ["f3", "f4"])
@tui_test
async def test_a_revealed_loss_is_filled_into_the_picture_and_marked(key):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _answer_up_to(pilot, "E")
        assert "E = ?" in diagram_text(app)
        await pilot.press(key)
        await pilot.pause()
        # E = ½(h − d)² with h₁⁽²⁾ = 0.6508 and d = 1: 0.5 · 0.3492² = 0.06098
        assert "E = 0.06098" in diagram_text(app) and "E = ?" not in diagram_text(app)
        assert app.query_one(StepList).mark_of("E") == {"f3": "!", "f4": "–"}[key]
        feedback = text_of(app.query_one(FeedbackArea))
        assert "0.06098" in feedback and "E = 1/2·(0.6508 − 1)² = 0.06098" in feedback


@tui_test
async def test_a_skipped_step_is_filled_in_in_japanese_too():
    app = make_app(lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "u₁⁽¹⁾ = 0.5" in diagram_text(app)
        assert app.query_one(StepList).mark_of("u1_1") == "–"
        feedback = text_of(app.query_one(FeedbackArea))
        assert "答えは 0.5 です" in feedback and "厳密な値を入れると: u₁⁽¹⁾ = 0.5·1 + 0.5·0 + 0 = 0.5" in feedback


@tui_test
async def test_back_is_dimmed_on_the_first_step():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        assert app.session.index == 0
        assert app.solving.check_action("back", ()) is None  # shown in the footer but does nothing
        assert app.solving.check_action("hint", ()) is True
        back_key = lambda: next(k for k in app.query(FooterKey) if k.action == "back")  # noqa: E731
        assert back_key().has_class("-disabled")
        await answer(pilot, "0.5")
        await pilot.pause()
        assert not back_key().has_class("-disabled")  # the footer follows, though it is rebuilt only on changes


@tui_test
async def test_unreadable_answer_costs_no_attempt_and_says_why():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reading = app.session.read("0,5x")
        assert not reading.ok
        app.query_one(AnswerInput).value = "0,5x"
        await pilot.pause()
        preview = app.query_one(ReadingPreview)
        assert preview.has_class("-error")
        assert text_of(preview) == reading.message("en")
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.index == 0
        assert app.session.states["u1_1"].attempts == 0
        feedback = app.query_one(FeedbackArea)
        assert feedback.has_class("invalid")
        assert text_of(feedback) == f"? u₁⁽¹⁾ = 0,5x\n{reading.message('en')}\nNot marked: no attempt was used."


@pytest.mark.parametrize("typed", ["[/b]", "[@click=app.quit]x[/]", "[b]0.5[/b]", "[red]x"])
@tui_test
async def test_markup_in_an_answer_is_shown_literally(typed):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*typed)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.query_one(AnswerInput).value == typed
        assert app.session.index == 0 and app.session.states["u1_1"].attempts == 0
        feedback = text_of(app.query_one(FeedbackArea))
        assert feedback.startswith(f"? u₁⁽¹⁾ = {typed}\n")  # echoed as typed, brackets and all
        assert feedback.count(typed) == 1
        assert f"u₁⁽¹⁾ = {typed}" in screen_text(app)
        # Clicking on the echoed text must not run an action.
        await pilot.click(ReadingPreview)
        await pilot.click(FeedbackArea)
        await pilot.pause()
        assert app.is_running


@tui_test
async def test_markup_in_an_answer_is_echoed_verbatim():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        box = app.query_one(AnswerInput)
        box.value = "[b]x[/b]"
        await pilot.pause()
        assert "[b]x[/b]" in screen_text(app)  # in the answer box, as typed
        await pilot.press("enter")
        await pilot.pause()
        assert screen_text(app).count("[b]x[/b]") == 2  # and echoed in the feedback


@tui_test
async def test_markup_in_a_problem_title_is_shown_literally(tmp_path):
    source = (builtin_dir() / "xor.yaml").read_text(encoding="utf-8")
    lines = source.splitlines()
    at = lines.index("title:")
    lines[at + 1] = '  en: "[@click=app.quit]Quit[/] [b]bold[/b] [/i]"'
    path = tmp_path / "xor.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problem = load_problem(path)
    _, solution = solved("xor")
    app = TutorApp(problem, solution, "en", None, None)
    async with app.run_test(size=SIZE) as pilot:
        title = app.query_one(ProgressHeader).query_one("#title", Static)
        assert text_of(title) == "[@click=app.quit]Quit[/] [b]bold[/b] [/i]"
        await pilot.click(title)
        await pilot.pause()
        assert app.is_running


@tui_test
async def test_typed_words_act_like_keys():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "hint")
        assert app.session.states["u1_1"].hints == 1
        assert app.query_one(AnswerInput).value == ""
        await answer(pilot, "show")
        assert app.session.index == 1
        await answer(pilot, "skip")
        assert app.session.index == 2
        await answer(pilot, "back")
        assert app.session.index == 1
        await answer(pilot, "?")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await answer(pilot, "quit")
    assert app.return_code == 0


@tui_test
async def test_preview_names_a_command_word():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.query_one(AnswerInput).value = "hint"
        await pilot.pause()
        preview = app.query_one(ReadingPreview)
        assert preview.has_class("-command") and "hint" in text_of(preview)


@tui_test
async def test_help_lists_every_key_and_blocks_the_others():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        for keys in ("F1", "F2 / ^t", "F3 / ^r", "F4 / ^n", "F5 / ^b", "F10 / ^q", "Enter"):
            assert keys in shown
        for word in ("Hint", "Show", "Skip", "Back", "Quit", "Submit"):
            assert word in shown
        await pilot.press("f2")  # keys of the main screen do nothing under the help
        await pilot.pause()
        assert app.session.states["u1_1"].hints == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+t")  # the ctrl alternative of F2
        await pilot.pause()
        assert app.session.states["u1_1"].hints == 1


@pytest.mark.parametrize("lang", ["en", "ja"])
@tui_test
async def test_help_lists_the_keys_in_the_students_language(lang):
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        keys = ["Enter", "F1", "F2 / ^t", "F3 / ^r", "F4 / ^n", "F5 / ^b", "F10 / ^q"]
        actions = ["submit", "help", "hint", "show", "skip", "back", "quit"]
        expected = [(k, t(f"tui.key_{a}", lang)) for k, a in zip(keys, actions)]
        assert app.screen.rows == expected
        shown = text_of(app.screen.query_one("#help-keys", Static))
        for keys_, what in expected:
            assert keys_ in shown and what in shown
        assert t("command.hint", lang) in text_of(app.screen.query_one("#help-words", Static))


@tui_test
async def test_footer_shows_the_keys_at_80x24():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer_line = screen_text(app).splitlines()[-1]
        for label in ("Enter Submit", "F1 Help", "F2 Hint", "F3 Show answer", "F4 Skip", "F5 Back", "F10 Quit"):
            assert label in footer_line
        assert app.query_one(Footer)


@tui_test
async def test_vector_and_formula_steps_say_what_to_type():
    app = make_app("softmax_scores")
    async with app.run_test(size=SIZE):
        quantity = text_of(app.query_one("#quantity", Static))
        assert quantity == "h = ?   (h₁, h₂, h₃): 3 values, separated by commas, in this order"
    app = make_app("chain_log_cos")
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(6):
            await pilot.press("f3")
            await pilot.pause()
        assert app.session.current.name == "formula_grad_x"
        assert "a formula in x" in text_of(app.query_one("#quantity", Static))


@tui_test
async def test_graph_diagram_fills_in_node_values():
    app = make_app("apple_orange")
    async with app.run_test(size=SIZE) as pilot:
        assert "apple·apple_num" in diagram_text(app) and "apple_price = ?" in diagram_text(app)
        await answer(pilot, "200")
        assert app.session.index == 1
        assert "= 200" in diagram_text(app)


@tui_test
async def test_full_width_digits_from_an_ime():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "０．５")
        assert app.session.index == 1


@tui_test
async def test_japanese_interface():
    app = make_app(lang="ja")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "順伝播" in shown  # the phase, in the step panel's title and the step list
        assert app.query_one(StepPanel).border_title == "ステップ 1/28 · 順伝播"
        assert "XOR で誤差逆伝播" in shown  # the problem's own Japanese title
        assert "F2 ヒント" in shown.splitlines()[-1]
        await answer(pilot, "0.7")
        assert "不正解" in text_of(app.query_one(FeedbackArea))


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 16)])
@pytest.mark.parametrize("lang", ["en", "ja"])
@tui_test
async def test_layout_keeps_the_essentials_visible(size, lang):
    app = make_app(lang=lang)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert "u₁⁽¹⁾ = ?" in shown
        box = app.query_one(AnswerInput)
        assert box.region.height >= 1 and box.region.width >= 20
        assert app.query_one(DiagramPanel).region.height >= 3
        if size != (60, 16):
            assert ("F10 Quit" if lang == "en" else "F10 終了") in shown.splitlines()[-1]


@tui_test
async def test_current_quantity_is_highlighted_on_the_diagram():
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.query_one(DiagramPanel).highlighted == "u₁⁽¹⁾ = ?"
        await answer(pilot, "0.5")
        assert app.query_one(DiagramPanel).highlighted == "u₂⁽¹⁾ = ?"


def test_locate_finds_whole_entries_only():
    from tutor.tui.fit import Spot, locate

    text = "  ∂E/∂w₁₁⁽¹⁾ = ?   w₁₁⁽¹⁾ (new) = ?\n  w₁₁⁽¹⁾ = 0.5 → u = ?\n──┤E = 0.06098│"
    assert locate(text, "w₁₁⁽¹⁾ = ") == Spot(line=1, column=2, cells=len("w₁₁⁽¹⁾ = 0.5"))
    assert locate(text, "E = ") == Spot(line=2, column=3, cells=len("E = 0.06098"))
    assert locate(text, "price = ") is None
