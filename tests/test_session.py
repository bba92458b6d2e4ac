"""The Session state machine on its own: marking, hints, show, skip, back, scores, the store, and
resuming a recorded session exactly as it was left."""

from __future__ import annotations

import json
import tempfile

import pytest

from tutor.errors import TutorError
from tutor.progress import ProgressStore
from tutor.commands import Command, command
from tutor.session import Outcome, Session, Summary, open_session, rule_text

from .conftest import solved

# XOR, exercise 7.2 of the seeds: x = (1, 0), every weight 0.5, biases 0, so u1 = u2 = 0.5.
U1, U2 = "0.5", "0.5"


def new_session(problem_id: str = "xor", store=None) -> Session:
    problem, solution = solved(problem_id)
    return Session(problem, solution, store=store)


def test_first_try_counts_only_an_unaided_first_answer():
    session = new_session()
    assert session.submit("0.7").outcome is Outcome.WRONG
    assert session.submit(U1).outcome is Outcome.CORRECT
    session.hint()
    assert session.submit(U2).outcome is Outcome.CORRECT
    assert session.submit("1/(1+exp(-0.5))").outcome is Outcome.CORRECT
    assert session.score() == (1, 28)
    assert [session.states[s.name].first_try for s in session.steps[:3]] == [False, False, True]


def test_the_summary_counts_each_step_once_by_how_it_ended():
    session = new_session("softmax_loss")
    session.show()  # E
    step = session.current
    mistake = step.mistakes[0]
    wrong = mistake.compute(session.follow_env())
    session.submit(", ".join(str(v) for v in wrong))
    session.submit(", ".join(str(v) for v in step.value))
    assert session.summary() == Summary(first_try=0, later=1, shown=1, skipped=0, total=2, mistakes=((mistake.key, 1),))
    assert session.done() == 2


def test_skipped_steps_are_not_done():
    session = new_session()
    session.skip()
    session.submit(U2)
    assert (session.done(), session.summary().skipped, session.score()) == (1, 1, (1, 28))


@pytest.mark.parametrize(
    "typed, expected",
    [("hint", Command.HINT), (" H ", Command.HINT), ("show", Command.SHOW), ("s", Command.SHOW),
     ("skip", Command.SKIP), ("back", Command.BACK), ("quit", Command.QUIT), ("q", Command.QUIT),
     ("exit", Command.QUIT), ("help", Command.HELP), ("?", Command.HELP), ("0.5", None), ("", None)],
)  # fmt: skip
def test_command_words(typed, expected):
    assert command(typed) is expected


def test_an_unreadable_answer_costs_no_attempt():
    session = new_session()
    assert session.submit("0.5 +").outcome is Outcome.INVALID
    assert session.submit(U1).outcome is Outcome.CORRECT
    assert session.score() == (1, 28)


def test_hints_give_the_formula_then_the_numbers():
    session = new_session()
    first, second = session.hint().message, session.hint().message
    assert first.startswith("Formula: u₁⁽¹⁾ = w₁₁⁽¹⁾·x₁ + w₁₂⁽¹⁾·x₂ + b₁⁽¹⁾")
    assert second.startswith("With your numbers: u₁⁽¹⁾ = 0.5·1 + 0.5·0 + 0")


def test_show_follows_the_students_own_values_and_skip_uses_the_exact_ones():
    session = new_session()
    session.submit("0.6")  # wrong (exact 0.5): not carried on
    session.submit(U1)
    session.submit(U2)
    session.submit("0.622")  # h1 rounded: accepted and carried on
    shown = session.show()  # h₂⁽¹⁾ from the student's u₂⁽¹⁾ = 0.5
    assert shown.outcome is Outcome.SHOWN and shown.message.splitlines()[0] == "The answer is 0.6225."
    assert session.accepted["h1_1"] == pytest.approx(0.622)
    skipped = session.skip()
    assert skipped.outcome is Outcome.SKIPPED and "u2_1" not in session.accepted  # u₁⁽²⁾
    assert session.index == 5


def _rounded_output_then_loss(lang: str) -> Session:
    """Every forward step exact, then h₁⁽²⁾ (exact 0.6508) rounded to 0.651; now at E."""
    session = new_session()
    session.lang = lang
    for typed in (U1, U2, "1/(1+exp(-0.5))", "1/(1+exp(-0.5))", "0.5*1/(1+exp(-0.5))*2"):
        assert session.submit(typed).outcome is Outcome.CORRECT
    assert session.submit("0.651").outcome is Outcome.CORRECT
    assert session.current.name == "E"
    return session


@pytest.mark.parametrize("lang, own, exact", [
    ("en", "The answer from your own earlier values is 0.0609 (from the exact values: 0.06098).",
     "With your numbers: E = 1/2·(0.651 − 1)² = 0.0609"),
    ("ja", "あなたのこれまでの値から求めた答えは 0.0609 です（厳密な値からは 0.06098）。",
     "あなたの値を入れると: E = 1/2·(0.651 − 1)² = 0.0609"),
])
def test_a_value_shown_from_the_students_rounded_values_says_so_and_gives_the_exact_one(lang, own, exact):
    # ½(1 − 0.651)² = 0.0609005; from the exact h₁⁽²⁾ = 0.65078: ½(1 − 0.65078)² = 0.060978
    shown = _rounded_output_then_loss(lang).show()
    assert shown.message.splitlines() == [own, exact]


@pytest.mark.parametrize("lang, said", [
    ("en", ["Skipped. The answer is 0.06098; later steps use this exact value.",
            "With the exact values: E = 1/2·(0.6508 − 1)² = 0.06098"]),
    ("ja", ["飛ばしました。答えは 0.06098 です。後のステップではこの厳密な値を使います。",
            "厳密な値を入れると: E = 1/2·(0.6508 − 1)² = 0.06098"]),
])
def test_a_skipped_step_gives_the_exact_value_with_its_working(lang, said):
    session = _rounded_output_then_loss(lang)
    assert session.skip().message.splitlines() == said
    assert "E" not in session.accepted


def test_answering_a_done_step_again_after_back_keeps_its_first_try_credit():
    session = new_session()
    session.submit(U1)
    session.back()
    assert session.index == 0
    session.submit("0.50")
    assert session.score() == (1, 28)
    assert session.index == 1


def test_a_shown_step_answered_again_is_correct_but_not_first_try():
    session = new_session()
    session.show()
    session.back()
    session.submit(U1)
    state = session.states["u1_1"]
    assert (state.result, state.first_try) == (Outcome.CORRECT, False)


def test_every_step_names_a_general_rule_in_both_languages():
    for problem_id in ("xor", "softmax_loss", "apple", "chain_log_cos", "softmax_scores"):
        _, solution = solved(problem_id)
        for step in solution.steps:
            assert rule_text(step, "en").startswith("Rule: "), step.name
            assert rule_text(step, "ja").startswith("公式: "), step.name


def test_the_rules_of_the_xor_steps_are_the_lectures():
    _, solution = solved("xor")
    rules = {step.name: step.rule for step in solution.steps}
    assert rules["u1_1"] == "weighted_sum" and rules["h1_1"] == "activation"
    assert rules["delta2_1"] == "delta_output" and rules["delta1_2"] == "delta_hidden"
    assert rules["grad_W2_1_1"] == "grad_weight" and rules["grad_b1_1"] == "grad_bias"
    assert rules["W1_1_1_new"] == "update" and rules["E"] == "loss_squared_error"


# ---------------------------------------------------------------- resume


def play_and_quit(store: ProgressStore) -> Session:
    session = new_session(store=store)
    session.submit("0.7")  # u₁⁽¹⁾: wrong first
    session.submit(U1)  # u₁⁽¹⁾: correct at the second try
    session.submit(U2)  # u₂⁽¹⁾: first try
    session.hint()
    session.submit("0.6225")  # h₁⁽¹⁾: after a hint
    session.show()  # h₂⁽¹⁾: shown
    session.skip()  # u₁⁽²⁾: skipped
    return session


def test_resume_replays_first_try_marks_hints_shown_and_skipped(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite") as store:
        before = play_and_quit(store)
        info = store.unfinished_session("xor")
        problem, solution = solved("xor")
        after = open_session(problem, solution, store=store, resume_from=info)
        assert after.index == before.index == 5
        assert after.score() == before.score() == (1, 28)
        for name in ("u1_1", "u1_2", "h1_1", "h1_2", "u2_1"):
            b, a = before.states[name], after.states[name]
            assert (a.result, a.first_try, a.hints, a.attempts) == (b.result, b.first_try, b.hints, b.attempts), name
        assert after.accepted == pytest.approx(before.accepted)
        assert after.summary() == before.summary()  # mistakes named before the break included
        assert after.current.name == "h2_1"  # h₁⁽²⁾


def test_a_store_that_cannot_start_a_session_keeps_the_attempts_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the copy goes without a database folder

    class Broken:
        def start_session(self, *args, **kwargs):
            raise TutorError("disk I/O error")

    session = new_session(store=Broken())
    assert session.submit(U1).outcome is Outcome.CORRECT
    assert "disk I/O error" in session.store_warning
    assert session.submit(U2).outcome is Outcome.CORRECT  # the lesson goes on
    assert session.unsaved == 2
    [copy] = tmp_path.glob("bptutor-unsaved-*.json")
    assert [a["answer"] for a in json.loads(copy.read_text())["attempts"]] == [U1, U2]
    assert str(copy) in session.close()


def test_a_session_left_without_an_attempt_records_nothing(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite") as store:
        play_and_quit(store)
        new_session(store=store).finish()  # opened and closed at once
        assert store.unfinished_session("xor").current_step == 5


def test_a_store_that_fails_at_the_end_is_reported_not_raised(tmp_path):
    class FailsToFinish(ProgressStore):
        def finish_session(self, session_id, **kwargs):
            raise TutorError("database is locked")

    with FailsToFinish(tmp_path / "p.sqlite") as store:
        session = new_session(store=store)
        session.submit(U1)
        session.finish()
        assert "database is locked" in session.store_warning
        assert session.unsaved == 0  # the answer itself was saved
        assert "database is locked" in session.close()


def test_a_first_try_shown_again_after_going_back_is_counted_once():
    session = new_session()
    session.submit(U1)
    session.back()
    session.show()
    summary = session.summary()
    assert (summary.first_try, summary.shown, session.done()) == (1, 0, 1)
