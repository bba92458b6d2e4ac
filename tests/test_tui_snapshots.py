"""SVG snapshots of the main screen, in English and Japanese, at 80x24 and 120x40: xor (the
first ones), and one problem of each other sort: networks (ex71_relu, softmax_3layer), graphs
(apple, sigmoid_graph), a loss layer (softmax_loss), the affine layer (affine_batch), an
optimizer (adam_step), a convolution (conv_seed, a matrix step), batch normalisation
(batchnorm_n3) and an RNN through time (rnn_three_steps).

The screen is taken after one right answer and one hint, with an answer being typed, so the
snapshot shows every part a student sees: the filled-in diagram, the step list with marks, the
hint, the live reading of the answer and the feedback. Regenerate with --snapshot-update (and look
at the report) only when a change to the layout is meant.
"""

from __future__ import annotations

import pytest

from tests.conftest import solved
from tutor.numbers import typed_value
from tutor.steps import AnswerKind
from tutor.tui.app import TutorApp

pytest.importorskip("pytest_textual_snapshot")

SCENARIO = ["0", ".", "5", "enter", "f2", "0", ".", "6"]
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LANGS = pytest.mark.parametrize("lang", ["en", "ja"])
OTHERS = ["ex71_relu", "softmax_3layer", "apple", "sigmoid_graph", "softmax_loss", "affine_batch", "adam_step"]
# The course's second half at the size the screen is designed for (80x24 only: snapshots are slow).
COURSE_KINDS = ["conv_seed", "batchnorm_n3", "rnn_three_steps"]


@SIZES
@LANGS
def test_main_screen(snap_compare, lang, size):
    problem, solution = solved("xor")
    app = TutorApp(problem, solution, lang, None, None)
    assert snap_compare(app, press=SCENARIO, terminal_size=size)


async def _first_right_then_a_hint(pilot) -> None:
    """The first step answered right (typed key by key; shown when it is not a number), a hint
    asked for on the next, and "0.6" being typed."""
    await pilot.pause()  # the solving screen and its session come with the first refresh
    step = pilot.app.session.current
    if step.answer is AnswerKind.NUMBER:
        await pilot.press(*typed_value(step.value), "enter")
    else:
        await pilot.press("f3")
    await pilot.pause()
    if pilot.app.session.current is not None:
        await pilot.press("f2", "0", ".", "6")
    await pilot.pause()


@SIZES
@LANGS
@pytest.mark.parametrize("problem_id", OTHERS)
def test_main_screen_of_each_sort_of_problem(snap_compare, problem_id, lang, size):
    problem, solution = solved(problem_id)
    app = TutorApp(problem, solution, lang, None, None)
    assert snap_compare(app, run_before=_first_right_then_a_hint, terminal_size=size)


@LANGS
@pytest.mark.parametrize("problem_id", COURSE_KINDS)
def test_main_screen_of_the_course_kinds_at_80x24(snap_compare, problem_id, lang):
    problem, solution = solved(problem_id)
    app = TutorApp(problem, solution, lang, None, None)
    assert snap_compare(app, run_before=_first_right_then_a_hint, terminal_size=(80, 24))
