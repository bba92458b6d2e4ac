"""Marking an unrolled RNN: BPTT's typical slips are named and never accepted, however many figures
are typed, and the answer key piped into ``solve --plain`` scores full marks. The slips' values are
computed here from a NumPy BPTT (tests/test_rnn.py), not by the engine's mistake rules."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from tutor.i18n import t
from tutor.session import Outcome, Session

from .conftest import solved
from .test_rnn import arrays, numpy_bptt, section_of


@pytest.fixture(scope="module")
def built_in():
    problem, solution = solved("rnn_three_steps")
    p = arrays(section_of(problem))
    return problem, solution, p, numpy_bptt(section_of(problem), p)


def _slips(p: dict, o: dict) -> list[tuple[str, str, float]]:
    """(step, mistake key, the slip's value) for the slips this file is about."""
    slope = 1 - o["z"] ** 2  # tanh′
    own = (p["W_out"].T @ o["delta_out"][1]) * slope[1]  # δ⁽²⁾ from t = 2's output alone
    transposed = (p["W_out"].T @ o["delta_out"][1] + p["W"] @ o["delta"][2]) * slope[1]
    grad_w_12_transposed = sum(o["delta"][t][1] * ([0, 0], *o["z"])[t][0] for t in range(3))
    u3_alone = p["W_in"] @ p["inputs"][2]
    return [
        ("delta2_1", "rnn_recurrent_term_forgotten", own[0]),
        ("delta2_2", "rnn_recurrent_term_forgotten", own[1]),
        ("delta1_1", "rnn_recurrent_transposed", ((p["W_out"].T @ o["delta_out"][0] + p["W"] @ o["delta"][1])
                                                   * slope[0])[0]),
        ("delta2_2", "rnn_recurrent_transposed", transposed[1]),
        ("grad_W_1_2", "rnn_recurrent_transposed", grad_w_12_transposed),
        ("grad_Win_1_1", "rnn_not_summed_over_t", o["delta"][2][0] * p["inputs"][2][0]),  # the last t's term
        ("grad_Wout_1_2", "rnn_not_summed_over_t", o["delta_out"][2][0] * o["z"][2][1]),
        ("grad_b_2", "rnn_not_summed_over_t", o["delta"][2][1]),
        ("grad_W_2_1", "rnn_not_summed_over_t", o["delta"][2][1] * o["z"][1][0]),
        ("E", "rnn_not_summed_over_t", 0.5 * float(np.sum((o["y"][2] - p["targets"][2]) ** 2))),
        ("u3_1", "rnn_recurrent_input_forgotten", u3_alone[0]),
        ("grad_W_2_1", "rnn_state_of_same_t", sum(o["delta"][t][1] * o["z"][t][0] for t in range(3))),
    ]


def _at(problem, solution, name: str) -> Session:
    session = Session(problem, solution)
    while session.current.name != name:
        session.show()
    return session


@pytest.mark.parametrize("index", range(12))
@pytest.mark.parametrize("figures", [None, 4, 6])
def test_each_bptt_slip_is_named_and_never_accepted(built_in, index, figures):
    problem, solution, p, o = built_in
    name, key, slip = _slips(p, o)[index]
    assert abs(slip - solution.step(name).value) > 1e-3 * abs(solution.step(name).value)
    session = _at(problem, solution, name)
    feedback = session.submit(repr(float(slip)) if figures is None else format(slip, f"#.{figures}g"))
    assert feedback.outcome is Outcome.WRONG
    assert feedback.verdict.mistake == key
    assert t(f"mistake.{key}", "en") in feedback.message


def test_the_right_values_are_accepted_where_the_slips_are_refused(built_in):
    problem, solution, _, o = built_in
    right = {"delta2_1": o["delta"][1][0], "grad_W_1_2": o["grad_W"][0][1], "grad_Win_1_1": o["grad_W_in"][0][0],
             "E": o["E"]}
    for name, value in right.items():
        assert _at(problem, solution, name).submit(format(value, "#.4g")).outcome is Outcome.CORRECT, name


def _bptutor(*args: str, stdin: str = "", home) -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en", PYTHONPATH=os.getcwd())
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_solve_plain_with_the_answer_key_scores_full_marks_and_names_the_slips(built_in, tmp_path):
    _, _, p, o = built_in
    key = json.loads(_bptutor("solution", "rnn_three_steps", "--format", "json", home=tmp_path).stdout)
    answers = [repr(step["value"]) for step in key["steps"]]
    M = len(answers)
    full = _bptutor("solve", "rnn_three_steps", "--plain", stdin="\n".join(answers) + "\n", home=tmp_path)
    assert full.returncode == 0 and "Traceback" not in full.stderr
    assert full.stdout.rstrip().splitlines()[-1] == f"Score: {M}/{M}"

    slips = {name: (mistake, value) for name, mistake, value in _slips(p, o)[::3]}
    lines = []
    for step, answer in zip(key["steps"], answers):
        if step["name"] in slips:
            lines.append(repr(float(slips[step["name"]][1])))
        lines.append(answer)
    run = _bptutor("solve", "rnn_three_steps", "--plain", stdin="\n".join(lines) + "\n", home=tmp_path / "again")
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert run.stdout.rstrip().splitlines()[-1] == f"Score: {M - len(slips)}/{M}"
    for mistake, _ in slips.values():
        assert t(f"mistake.{mistake}", "en") in run.stdout


def test_a_later_step_is_marked_on_the_students_own_earlier_values(built_in):
    problem, solution, _, o = built_in
    session = Session(problem, solution)
    z1 = 0.46  # tanh(0.5) = 0.4621: within 1 %, accepted
    y1 = float(0.7 * z1 - 0.6 * o["z"][0][1])
    for text in ("0.5", "-0.3", repr(z1), repr(float(o["z"][0][1])), repr(y1), repr(y1)):
        assert session.submit(text).outcome is Outcome.CORRECT, text
    while session.current.name != "deltaout1_1":
        session.show()
    own = y1 - 0.5  # -0.0032 from the student's y₁⁽¹⁾; the exact δ₁ᵒᵘᵗ⁽¹⁾ is -0.00173
    assert abs(own - o["delta_out"][0][0]) > 0.5 * abs(o["delta_out"][0][0])
    feedback = session.submit(format(own, ".4g"))
    assert feedback.outcome is Outcome.CORRECT and feedback.verdict.follow_through
