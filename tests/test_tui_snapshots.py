"""SVG snapshots of the main screen of xor, in English and Japanese, at 80x24 and 120x40.

The screen is taken after one right answer and one hint, with an answer being typed, so the
snapshot shows every part a student sees: the filled-in diagram, the step list with marks, the
hint, the live reading of the answer and the feedback. Regenerate with --snapshot-update (and look
at the report) only when a change to the layout is meant.
"""

from __future__ import annotations

import pytest

from tests.conftest import solved
from tutor.tui.app import TutorApp

pytest.importorskip("pytest_textual_snapshot")

SCENARIO = ["0", ".", "5", "enter", "f2", "0", ".", "6"]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_main_screen(snap_compare, lang, size):
    problem, solution = solved("xor")
    app = TutorApp(problem, solution, lang, None, None)
    assert snap_compare(app, press=SCENARIO, terminal_size=size)
