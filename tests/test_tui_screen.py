"""The main screen at 80x24, the smallest it is designed for, in English and Japanese: the title
whole, the step's quantity, rule and answer box on screen, the current quantity on the picture in
view, and no value on the picture cut by the panel's edge. And a larger terminal is used."""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region

from tests.test_tui import answer, make_app, screen_text, tui_test
from tests.test_tui_fit import LABEL_CELLS
from tutor.numbers import typed_value
from tutor.steps import AnswerKind, Phase
from tutor.tui.fit import crop, title_lines
from tutor.tui.widgets.answer import AnswerInput
from tutor.tui.widgets.diagram import DiagramPanel
from tutor.tui.widgets.header import Title
from tutor.tui.widgets.step_list import StepList
from tutor.tui.widgets.step_panel import StepPanel

SMALL = (80, 24)
PROBLEMS = ("xor", "apple", "softmax_loss")
# One problem of every other kind; a matrix (conv_seed's u) is found on the picture by its first entry.
OTHER_KINDS = ("affine_batch", "adam_step", "batchnorm_n3", "rnn_three_steps", "conv_seed", "pool_max")
LANGS = ("en", "ja")


def picture_view(app) -> Region:
    """The part of the picture on screen, in picture coordinates (cells, lines)."""
    panel = app.query_one(DiagramPanel)
    x, y = panel.scroll_offset
    region = panel.scrollable_content_region
    return Region(x, y, region.width, region.height)


def shown_picture(app) -> list[str]:
    """The picture panel's inside as the terminal shows it."""
    region = app.query_one(DiagramPanel).scrollable_content_region
    lines = screen_text(app).splitlines()[region.y : region.bottom]
    return [crop(line, region.x, region.width) for line in lines]


def assert_essentials_in_view(app) -> None:
    screen = app.screen.region
    panel = app.query_one(StepPanel)
    for part in (panel.query_one("#quantity"), panel.query_one("#rule"), panel.query_one(AnswerInput)):
        if part.display:
            assert screen.contains_region(part.region), part
            assert panel.region.contains_region(part.region), part  # not clipped by the panel
    diagram = app.query_one(DiagramPanel)
    assert diagram.spot is not None
    spot = diagram.spot
    assert picture_view(app).contains_region(Region(spot.column, spot.line, spot.cells, 1))
    assert diagram.highlighted in "\n".join(shown_picture(app))


def assert_no_value_cut(app) -> None:
    """Every "symbol = value" on screen is a whole entry of the picture (not "E = 0.0" for 0.06098)."""
    text = app.query_one(DiagramPanel).text
    for line in shown_picture(app):
        for entry in re.findall(r"(?:^|(?<=\s))[^\s…─│→←]+ = [^\s…─│→←]+(?=\s|$)", line):
            assert re.search(rf"(?:^|(?<=[\s─│┤├→←]))" + re.escape(entry) + r"(?=[\s─│┤├→←]|$)", text), entry


async def first_backward_step(pilot) -> None:
    """Right answers (typed as a student would; shown when not a number) up to the first step of
    the backward pass."""
    app = pilot.app
    if not any(step.phase in (Phase.BACKWARD, Phase.GRADIENT) for step in app.session.steps):
        return  # an optimizer update has no backward pass: stay at the first step
    while app.session.current.phase not in (Phase.BACKWARD, Phase.GRADIENT):
        step = app.session.current
        if step.answer is AnswerKind.NUMBER:
            await answer(pilot, typed_value(step.value))
        else:
            await pilot.press("f3")
            await pilot.pause()
        assert app.session.current is not step


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("problem_id", PROBLEMS)
@tui_test
async def test_at_80x24_the_title_is_whole(problem_id, lang):
    app = make_app(problem_id, lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        title = app.query_one(Title)
        whole = app.problem.title.get(lang)
        assert title.lines == title_lines(whole, title.content_region.width)
        assert "".join(title.lines).replace(" ", "") == whole.replace(" ", "")
        assert title.region.height == len(title.lines)
        shown = screen_text(app).splitlines()
        for number, line in enumerate(title.lines):
            assert line in shown[number]


@pytest.mark.parametrize(("problem_id", "lang"), [*((p, lang) for p in PROBLEMS for lang in LANGS),
                                                   *((p, "ja") for p in OTHER_KINDS)])  # ja: the wider text
@tui_test
async def test_at_80x24_the_step_and_its_quantity_on_the_picture_are_in_view(problem_id, lang):
    app = make_app(problem_id, lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert_essentials_in_view(app)
        await first_backward_step(pilot)
        await pilot.pause()
        assert_essentials_in_view(app)
        await pilot.press("f2")  # a hint takes room in the step panel, not the answer box's
        await pilot.pause()
        assert_essentials_in_view(app)


@pytest.mark.parametrize("lang", LANGS)
@tui_test
async def test_a_forward_step_shows_the_inputs_it_is_computed_from(lang):
    app = make_app("xor", lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.session.current.name == "u1_1"
        shown = "\n".join(shown_picture(app))
        assert "x₁ = 1" in shown and "x₂ = 0" in shown


@pytest.mark.parametrize("lang", LANGS)
@tui_test
async def test_no_value_on_the_picture_is_shown_cut_at_any_step(lang):
    app = make_app("xor", lang)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        while app.session.current is not None:
            assert_no_value_cut(app)
            assert_essentials_in_view(app)
            await pilot.press("f3")
            await pilot.pause()


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("problem_id", ["apple", "apple_orange"])
@tui_test
async def test_every_step_list_entry_fits_and_reads_differently(problem_id, size):
    app = make_app(problem_id, "en")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        steps = app.query_one(StepList)
        assert steps.label_cells() == LABEL_CELLS[0 if size == SMALL else 1]  # as the pure test assumes
        width = steps.scrollable_content_region.width
        prompts = [str(steps.get_option(step.name).prompt) for step in app.session.steps]
        assert len(set(prompts)) == len(prompts)
        for prompt in prompts:
            assert all(len(line) <= width for line in prompt.splitlines()), prompt  # ASCII and ∂: one cell each
        if problem_id == "apple":  # the whole list is on screen
            shown = screen_text(app)
            assert "local ∂apple_price/" in shown and "∂apple_num" in shown and "∂apple " in shown


@tui_test
async def test_a_larger_terminal_gives_the_picture_and_the_step_list_more_room():
    sizes = {}
    for size in (SMALL, (120, 40)):
        app = make_app("xor", "ja")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            sizes[size] = (app.query_one(DiagramPanel).region, app.query_one(StepList).region)
    (small_picture, small_list), (large_picture, large_list) = sizes.values()
    assert large_picture.width > small_picture.width and large_picture.height > small_picture.height
    assert large_list.width > small_list.width and large_list.height > small_list.height


def large_picture() -> str:
    """A picture as large as a network's may be (90 cells by 25 lines), units joined by lines."""
    lines = []
    for row in range(25):
        left = f"x{row} = {row}" if row % 4 == 0 else ""
        middle = "───────┬──────────" if row % 4 == 0 else "       │          "
        right = f"u{row} = ?" if row % 4 == 0 else ""
        lines.append(f"{left:<10}{middle}{' ' * 40}──▶{right}".rstrip())
    lines[24] = lines[24] + "   E = 0.06098"
    return "\n".join(lines)


@pytest.mark.parametrize(("current", "look_left"), [("u24", True), ("E", False), ("x0", True)])
@tui_test
async def test_a_picture_larger_than_its_panel_keeps_the_current_entry_in_view(current, look_left):
    app = make_app("xor", "ja")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        panel = app.query_one(DiagramPanel)
        panel.show(large_picture(), current, look_left)
        await pilot.pause()
        spot = panel.spot
        assert panel.highlighted.startswith(f"{current} = ")
        assert picture_view(app).contains_region(Region(spot.column, spot.line, spot.cells, 1))
        assert panel.highlighted in "\n".join(shown_picture(app))
        assert_no_value_cut(app)
