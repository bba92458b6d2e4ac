"""One vocabulary of outcomes: the Session, the progress database, the TUI and the plain prompt
count first tries, shown and skipped steps the same way, and print the same summary."""

from __future__ import annotations

import io

from tests.conftest import solved
from tests.test_plain_pipeline import bptutor
from tests.test_tui import answer, text_of, tui_test
from tutor.outcomes import Outcome, first_try
from tutor.plain import run_plain
from tutor.progress import ProgressStore
from tutor.numbers import typed_value
from tutor.session import Session, summary_lines
from tutor.tui.app import TutorApp
from tutor.tui.screens.summary import SummaryScreen

SIZE = (100, 32)


def test_first_try_is_right_at_the_first_readable_attempt_without_hint_or_reveal():
    assert first_try([Outcome.CORRECT])
    assert first_try([Outcome.INVALID, Outcome.CORRECT])
    assert first_try([Outcome.CORRECT, Outcome.WRONG, Outcome.CORRECT])  # after going back
    assert not first_try([Outcome.HINT, Outcome.CORRECT])
    assert not first_try([Outcome.WRONG, Outcome.CORRECT])
    assert not first_try([Outcome.SHOWN, Outcome.CORRECT])
    assert not first_try([Outcome.SKIPPED, Outcome.CORRECT])
    assert not first_try([])


@tui_test
async def test_a_step_right_after_a_hint_is_not_a_first_try_anywhere(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    problem, solution = solved("xor")
    app = TutorApp(problem, solution, "en", store, None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")  # a hint on u₁⁽¹⁾, then the right answer
        await pilot.pause()
        await answer(pilot, "0.5")
        await answer(pilot, "0.5")  # u₂⁽¹⁾ right at the first try
        session = app.session
        assert [session.states[s.name].first_try for s in session.steps[:2]] == [False, True]
        assert session.score() == (1, 28)
        assert text_of(app.query_one("#counts")) == "2/28 done  score 1"
        await answer(pilot, "quit")
    [summary] = store.summary()
    assert (summary.first_try_correct, summary.first_try_total, summary.steps_done) == (1, 2, 2)
    assert [a.first_try for a in store.attempts(session.session_id)] == [False, False, True]
    store.close()


# softmax_loss has two steps: E, then δ. The same answers in both front ends: E shown, then a
# named mistake for δ, then δ right.
def _answers() -> list[str]:
    session = Session(*solved("softmax_loss"))
    session.show()
    step = session.current
    wrong = typed_value(step.mistakes[0].compute(session.follow_env()))
    return ["show", wrong, typed_value(step.value)]


@tui_test
async def test_the_summary_is_the_same_in_the_tui_and_in_plain_mode():
    words = _answers()
    problem, solution = solved("softmax_loss")
    out = io.StringIO()
    plain_session = Session(problem, solution)
    run_plain(plain_session, [w + "\n" for w in words], out)
    expected = summary_lines(plain_session.summary(), "en")
    assert plain_session.summary().mistakes  # the mistake is named, so the lines say so

    app = TutorApp(problem, solution, "en", None, None)
    async with app.run_test(size=SIZE) as pilot:
        for word in words:
            await answer(pilot, word)
        assert isinstance(app.screen, SummaryScreen)
        shown = text_of(app.screen.query_one("#summary-text"))
        assert app.session.summary() == plain_session.summary()
    assert shown.splitlines() == expected
    printed = out.getvalue().rstrip().splitlines()
    assert printed[-len(expected) - 1 : -1] == expected
    assert printed[-1] == "Score: 0/2"


def test_the_session_and_the_store_agree_on_done_and_first_try(tmp_path):
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        session = Session(*solved("xor"), store=store)
        session.submit("0.5")  # u₁⁽¹⁾ right at the first try,
        session.back()
        session.skip()  # then skipped after going back: still done, still a first try
        session.hint()
        session.submit("0.5")  # u₂⁽¹⁾ after a hint
        session.show()  # h₁⁽¹⁾ shown
        session.skip()  # h₂⁽¹⁾ skipped
        [stored] = store.summary()
        assert (stored.steps_done, stored.first_try_correct) == (session.done(), session.score()[0]) == (3, 1)
        summary = session.summary()
        assert (summary.first_try, summary.later, summary.shown, summary.skipped) == (1, 1, 1, 1)


# xor, with every way of leaving a step: a hint then the right answer (1), shown (2), skipped then
# answered after going back (3), right (4, answered again on the way), right then skipped after
# going back (5: a skip does not undo it), the rest right.
def _every_way_of_leaving_a_step() -> list[str]:
    _, solution = solved("xor")
    key = [typed_value(step.value) for step in solution.steps]
    return ["hint", key[0], "show", "skip", key[3], "back", "back", key[2], key[3], key[4], "back", "skip", *key[5:]]


def test_plain_mode_and_bptutor_progress_count_the_same_steps_done_and_first_tries(tmp_path):
    words = _every_way_of_leaving_a_step()
    result = bptutor("solve", "xor", "--plain", stdin="\n".join(words) + "\n", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-7:] == [
        "Score: 25/28 right at the first try",
        "Right after a retry or a hint: 2",
        "Answers shown: 1",
        "Skipped: 0",
        "",
        "No typical mistake was named.",
        "Score: 25/28",
    ]
    progress = bptutor("progress", home=tmp_path)
    assert progress.returncode == 0, progress.stderr
    [row] = [line.split() for line in progress.stdout.splitlines() if line.strip().startswith("xor")]
    assert row[1:3] == ["28/28", "89%"]  # 25 of the 28 steps answered or shown were right at once


@tui_test
async def test_the_tui_header_counts_the_same_steps_done_and_first_tries(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    problem, solution = solved("xor")
    app = TutorApp(problem, solution, "en", store, None)
    async with app.run_test(size=SIZE) as pilot:
        words = _every_way_of_leaving_a_step()
        for word in words[:-1]:
            await answer(pilot, word)
        assert text_of(app.query_one("#counts")) == "27/28 done  score 24"
        await answer(pilot, words[-1])
        assert app.session.done() == 28 and app.session.score() == (25, 28)
    [summary] = store.summary()
    assert (summary.steps_done, summary.first_try_correct, summary.first_try_total) == (28, 25, 28)
    store.close()
