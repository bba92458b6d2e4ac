"""Fitting text into the screen (tutor/tui/fit.py), checked without a terminal: the title, the
step list's labels and the window of the picture around the current quantity."""

from __future__ import annotations

import pytest

from tests.conftest import BUILTIN_IDS, solved
from tutor.render.columns import cell_width
from tutor.session import open_session
from tutor.tui import view
from tutor.tui.fit import Spot, label_lines, scroll_target, title_lines, window

LANGS = ("en", "ja")
# Cells for the title in the header and for a label in the step list, at 80 columns and at
# 120 (the header's progress bar and counts, the list's border, padding, gutter and mark taken off).
TITLE_CELLS = (42, 80)
LABEL_CELLS = (19, 26)


def rejoined(lines: list[str], original: str) -> bool:
    """Whether ``lines`` are ``original`` broken between words: each break replaces one space,
    or falls next to a Japanese character."""
    text = lines[0]
    for line in lines[1:]:
        if original.startswith(text + " " + line) or original == text + " " + line:
            text += " " + line
        elif original.startswith(text + line) and 2 in (cell_width(text[-1]), cell_width(line[0])):
            text += line
        else:
            return False
    return text == original


def titles() -> list[tuple[str, str]]:
    return [(problem_id, lang) for problem_id in BUILTIN_IDS for lang in LANGS]


@pytest.mark.parametrize("cells", TITLE_CELLS)
@pytest.mark.parametrize(("problem_id", "lang"), titles())
def test_every_builtin_title_is_whole_on_at_most_two_lines(problem_id, lang, cells):
    title = solved(problem_id)[0].title.get(lang)
    lines = title_lines(title, cells)
    assert len(lines) <= 2
    assert all(cell_width(line) <= cells for line in lines), lines
    assert rejoined(lines, title), lines


def test_a_title_breaks_after_its_head_in_english_and_japanese():
    assert title_lines("Exercise 7.2: one backpropagation step on XOR", 36) == [
        "Exercise 7.2:",
        "one backpropagation step on XOR",
    ]
    assert title_lines("練習問題 7.2: XOR で誤差逆伝播を 1 ステップ", 36) == [
        "練習問題 7.2:",
        "XOR で誤差逆伝播を 1 ステップ",
    ]


def test_a_title_wraps_between_words_into_lines_of_even_length():
    assert title_lines("The sigmoid function as a computational graph", 42) == [
        "The sigmoid function as",
        "a computational graph",
    ]
    # A break inside 誤差逆伝播 or ステップ, or between 1 and ステップ, would split a word.
    assert title_lines("XOR で誤差逆伝播を 1 ステップ", 24) == ["XOR で誤差逆伝播を", "1 ステップ"]


def test_a_formula_in_a_title_is_not_broken():
    lines = title_lines("A sigmoid unit with binary cross-entropy: δ = h − d", 42)
    assert lines[-1].endswith("δ = h − d")
    assert title_lines("a tanh layer, tanh′(u) = 1 − h²", 20) == ["a tanh layer,", "tanh′(u) = 1 − h²"]


def test_no_wrapped_line_starts_with_a_closing_mark():
    lines = title_lines("ソフトマックスと交差エントロピー、その逆伝播（一歩ずつ）", 16)
    assert all(line[:1] not in "、。）」" for line in lines), lines


def test_a_title_too_long_for_two_lines_loses_whole_words_at_its_end():
    title = "Adam: the second update of three weights, with bias correction"
    lines = title_lines(title, 20)
    assert lines == ["Adam: the second", "update of three …"]
    assert title.startswith(" ".join(lines)[: -len(" …")])


def test_a_japanese_title_too_long_for_two_lines_keeps_whole_words():
    lines = title_lines("練習問題 7.2: XOR で誤差逆伝播を 1 ステップ", 20)
    assert lines == ["練習問題 7.2: XOR で", "誤差逆伝播を…"]


def step_labels(problem_id: str, lang: str) -> list[str]:
    problem, solution = solved(problem_id)
    session = open_session(problem, solution, lang, None)
    return [view.symbol_text(session, step) for step in session.steps]


@pytest.mark.parametrize("cells", LABEL_CELLS)
@pytest.mark.parametrize(("problem_id", "lang"), titles())
def test_every_step_label_fits_the_list_and_stays_unique(problem_id, lang, cells):
    labels = step_labels(problem_id, lang)
    shown = [label_lines(label, cells) for label in labels]
    for lines, label in zip(shown, labels):
        assert all(cell_width(line) <= cells for line in lines), lines
        assert "".join(lines).replace(" ", "") == label.replace(" ", "")  # nothing cut
    entries = ["\n".join(lines) for lines in shown]
    assert len(set(entries)) == len(entries)


def test_two_local_derivatives_that_share_a_start_are_told_apart():
    labels = step_labels("apple", "en")
    first, second = "local ∂apple_price/∂apple_num", "local ∂apple_price/∂apple"
    assert first in labels and second in labels
    assert label_lines(first, 19) == ["local ∂apple_price/", "∂apple_num"]
    assert label_lines(second, 19) == ["local ∂apple_price/", "∂apple"]
    assert label_lines("∂price/∂apple_price", 19) == ["∂price/∂apple_price"]


LOSS_LINE = "x₂ = 0   h₁⁽²⁾ = 0.6508    → E = 0.06098  d₁ = 1"


def test_an_entry_cut_by_the_window_edge_gives_way_to_an_ellipsis():
    edge = LOSS_LINE.index("0.06098") + 3  # the right edge falls after "E = 0.0"
    shown = window(LOSS_LINE, 0, edge)
    assert shown.endswith("→ …" + " " * (len("E = 0.0") - 1))
    assert cell_width(shown) == edge
    value_hidden = window(LOSS_LINE, 0, LOSS_LINE.index("0.06098"))  # "E = " and no value
    assert value_hidden.rstrip().endswith("→ …")


def test_an_entry_cut_on_the_left_gives_way_to_an_ellipsis():
    start = LOSS_LINE.index("h₁") + 2  # the left edge falls inside h₁⁽²⁾ = 0.6508
    shown = window(LOSS_LINE, start, 30)
    assert shown.startswith("…" + " " * (len("⁽²⁾ = 0.6508") - 1) + "    → E = 0.06098")
    assert cell_width(shown) == 30


def test_box_lines_and_spaces_are_cut_without_a_mark():
    assert window("a = 1 ────────── b = 2", 0, 10) == "a = 1 ────"
    assert window("a = 1      b = 2", 5, 5) == "     "


def test_a_wide_character_cut_in_half_is_not_drawn_as_half_of_itself():
    shown = window("第 1 層への重み", 1, 6)
    assert cell_width(shown) == 6
    assert shown.startswith("…") and "第" not in shown  # "…" where the rest of the word was


def test_a_window_wider_than_the_line_is_padded():
    assert window("u = ?", 0, 8) == "u = ?   "


PICTURE = (90, 20)
VIEW = (49, 10)


def test_a_forward_quantity_is_shown_with_what_lies_to_its_left():
    spot = Spot(line=3, column=60, cells=10)
    x, y = scroll_target(PICTURE, VIEW, spot, look_left=True)
    assert x + VIEW[0] == 60 + 10 + 2  # its right end (and a margin) at the right edge
    assert (x, y) == (23, 0)


def test_a_backward_quantity_is_shown_with_what_lies_to_its_right():
    spot = Spot(line=3, column=30, cells=10)
    x, _ = scroll_target(PICTURE, VIEW, spot, look_left=False)
    assert x == 28  # its start (and a margin) at the left edge
    far_right = Spot(line=3, column=80, cells=10)
    assert scroll_target(PICTURE, VIEW, far_right, look_left=False)[0] == 90 - 49  # no scrolling past the end


def test_a_quantity_near_the_start_shows_the_picture_from_its_start():
    assert scroll_target(PICTURE, VIEW, Spot(line=1, column=9, cells=9), look_left=True) == (0, 0)


def test_a_quantity_low_in_the_picture_is_shown_with_two_lines_under_it():
    _, y = scroll_target(PICTURE, VIEW, Spot(line=14, column=0, cells=9), look_left=True)
    assert y + VIEW[1] - 1 == 14 + 2  # the view's last line is two under the entry
    assert scroll_target(PICTURE, VIEW, Spot(line=19, column=0, cells=9), look_left=True)[1] == 20 - 10


def test_a_quantity_near_the_top_keeps_the_top_of_the_picture_in_view():
    assert scroll_target(PICTURE, VIEW, Spot(line=7, column=0, cells=9), look_left=True)[1] == 0
    assert scroll_target(PICTURE, VIEW, Spot(line=8, column=0, cells=9), look_left=True)[1] == 1


def test_an_entry_wider_than_the_view_shows_its_start():
    x, _ = scroll_target(PICTURE, (10, 10), Spot(line=0, column=40, cells=20), look_left=True)
    assert x == 40


def test_a_picture_that_fits_never_scrolls():
    assert scroll_target((40, 8), VIEW, Spot(line=7, column=30, cells=9), look_left=False) == (0, 0)


def test_an_entry_is_found_after_a_line_or_an_arrowhead_but_not_inside_a_longer_symbol():
    from tutor.tui.fit import locate

    picture = "  ∂E/∂b₁ = ?\n──▶u₁ = 0.5◀──  b₁ = 0\n│E = ?│"
    assert locate(picture, "u₁ = ") == Spot(line=1, column=3, cells=len("u₁ = 0.5"))
    assert locate(picture, "b₁ = ") == Spot(line=1, column=16, cells=len("b₁ = 0"))
    assert locate(picture, "E = ") == Spot(line=2, column=1, cells=len("E = ?"))
