"""The Textual app at the edges of a session, driven headless: resuming a recorded one, the summary
at the end, and a progress store that fails on the way."""

from __future__ import annotations

from tests.test_tui import SIZE, answer, diagram_text, make_app, screen_text, text_of, tui_test
from tutor.i18n import t
from tutor.progress import ProgressStore
from tutor.numbers import typed_value
from tutor.tui.screens.resume import ResumeScreen
from tutor.tui.screens.summary import SummaryScreen
from tutor.tui.widgets.answer import AnswerInput
from tutor.tui.widgets.feedback import FeedbackArea
from tutor.tui.widgets.step_list import StepList


@tui_test
async def test_resume_after_quitting(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    first = make_app(store=store)
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.5")
        await answer(pilot, "0.5")
        assert first.session.index == 2
        await pilot.press("f10")
    assert first.return_code == 0
    unfinished = store.unfinished_session("xor")
    assert unfinished is not None and unfinished.current_step == 2

    second = make_app(store=store, unfinished=unfinished, ask_resume=True)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, ResumeScreen)
        assert "step 3 of 28" in screen_text(second)
        await pilot.press("y")
        await pilot.pause()
        assert second.session.index == 2
        assert second.session.session_id == unfinished.id
        # Answered right (Session.restore does not keep "at the first try", so either check mark).
        assert second.query_one(StepList).mark_of("u1_1") in ("✓", "(✓)")
        assert "u₂⁽¹⁾ = 0.5" in diagram_text(second)
        assert "Continuing at step 3 of 28" in text_of(second.query_one(FeedbackArea))
    store.close()


@tui_test
async def test_shown_and_skipped_values_stay_in_the_picture_after_resuming(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    first = make_app(store=store)
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.5")
        await answer(pilot, "0.5")
        await pilot.press("f3")  # h₁⁽¹⁾
        await pilot.press("f4")  # h₂⁽¹⁾
        await pilot.pause()
        await pilot.press("f10")
    second = make_app(store=store, unfinished=store.unfinished_session("xor"), ask_resume=False)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.session.index == 4
        steps = second.query_one(StepList)
        assert (steps.mark_of("h1_1"), steps.mark_of("h1_2")) == ("!", "–")
        # σ(0.5) = 1/(1 + e^-0.5) = 0.6225 for both hidden units
        assert "h₁⁽¹⁾ = 0.6225" in diagram_text(second) and "h₂⁽¹⁾ = 0.6225" in diagram_text(second)
    store.close()


@tui_test
async def test_declining_to_resume_starts_over(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    first = make_app(store=store)
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.5")
        await pilot.press("f10")
    unfinished = store.unfinished_session("xor")
    second = make_app(store=store, unfinished=unfinished)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert second.session.index == 0
        await answer(pilot, "0.5")
        session = second.session
        assert session.session_id != unfinished.id
    again = store.unfinished_session("xor")
    assert again is not None and again.id == session.session_id  # the old one was closed
    store.close()


@tui_test
async def test_resume_without_asking(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    first = make_app(store=store)
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.5")
        await answer(pilot, "quit")
    second = make_app(store=store, unfinished=store.unfinished_session("xor"), ask_resume=False)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not isinstance(second.screen, ResumeScreen)
        assert second.session.index == 1
    store.close()


@tui_test
async def test_finishing_shows_the_summary_with_the_mistakes(tmp_path):
    store = ProgressStore(tmp_path / "progress.sqlite3")
    app = make_app("softmax_loss", store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")  # show E
        await pilot.pause()
        step = app.session.current
        mistake = step.mistakes[0]
        wrong = mistake.compute(app.session.follow_env())
        await answer(pilot, typed_value(wrong))
        assert app.query_one(FeedbackArea).has_class("wrong")
        await answer(pilot, typed_value(step.value))
        assert isinstance(app.screen, SummaryScreen)
        shown = screen_text(app)
        assert "Score: 0/2 right at the first try" in shown
        assert "Answers shown: 1" in shown
        assert t(f"mistake_name.{mistake.key}", "en") in shown
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, SummaryScreen)
        assert "All steps are done" in screen_text(app)
        assert app.query_one(AnswerInput).disabled and not app.query_one(AnswerInput).display
        await pilot.press("f5")  # review: back to the last step
        await pilot.pause()
        assert app.session.index == 1 and not app.query_one(AnswerInput).disabled
        assert app.focused is app.query_one(AnswerInput)
    assert store.unfinished_session("softmax_loss") is None  # finished in the store
    store.close()


@tui_test
async def test_summary_quit_key_ends_the_app():
    app = make_app("softmax_scores")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "Skipped: 1" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


class _BrokenStore:
    """A progress store that can no longer write (disk full, file removed)."""

    warning = None

    def start_session(self, *args, **kwargs):
        from tutor.progress import ProgressError

        raise ProgressError("Could not start a session in /nowhere: disk I/O error")


@tui_test
async def test_a_failing_store_is_reported_and_the_lesson_goes_on():
    app = make_app(store=_BrokenStore())
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "0.5")  # the first attempt starts the recorded session, and fails
        assert any("disk I/O error" in n.message for n in app._notifications)
        assert app.session.index == 1
        await answer(pilot, "0.5")
        assert app.session.index == 2
        assert app.session.unsaved == 2  # kept, to be written when the store works again


@tui_test
async def test_a_paste_over_the_answer_limit_gets_a_message_not_silence():
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        box = app.screen.query_one(AnswerInput)
        box.post_message(events.Paste("1" * 20_000))
        await pilot.pause()
        assert box.value == ""
        assert any("20,000 characters" in n.message and "10,000" in n.message for n in app._notifications)
        box.post_message(events.Paste("0.5"))  # a paste within the limit goes in as before
        await pilot.pause()
        assert box.value == "0.5"


@tui_test
async def test_a_matrix_pasted_row_by_row_keeps_every_row():
    from textual import events

    from tests.conftest import solved
    from tutor.tui.app import TutorApp

    problem, solution = solved("conv_seed")
    app = TutorApp(problem, solution, "en", None, None, ask_resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(pilot, "3")  # the output size; the next step is the whole 3×3 output
        box = app.screen.query_one(AnswerInput)
        box.post_message(events.Paste("26 6 -6\n0 -4 8\n\n24 -8 -4\n"))
        await pilot.pause()
        assert box.value == "26 6 -6; 0 -4 8; 24 -8 -4"
        await pilot.press("enter")
        await pilot.pause()
        from tutor.outcomes import Outcome

        assert app.session.states["u"].result is Outcome.CORRECT and app.session.index == 2
