"""Batch normalisation in front of a student: each named mistake's value (worked out here by hand)
is named and never accepted, the answer key scores full marks in plain mode, follow-through uses the
student's own earlier values, and the batch table shows in the TUI at 80x24."""

from __future__ import annotations

import asyncio
import json
import math
import os
import subprocess
import sys

import pytest

from tutor.check import check
from tutor.i18n import t
from tutor.render.diagram import Known, diagram
from tutor.session import Outcome, Session
from tutor.tui.app import TutorApp
from tutor.tui.widgets.diagram import DiagramPanel

from .conftest import solved

PROBLEM_ID = "batchnorm_n3"
# u = (1, 5, 6): μ = 4, deviations (−3, 1, 2), σ² = 14/3; γ = 1.5, β = −0.5, upstream g = (1, −2, 0.5).
EPS = 1e-5
S = math.sqrt(14 / 3 + EPS)  # √(σ² + ε)
S7 = math.sqrt(7 + EPS)  # with σ² divided by N − 1 = 2
U_HAT_1 = -3 / S
GRAD_VAR = 3 / S**3  # Σ ĝ (u − μ) = 1.5·(−3) − 3·1 + 0.75·2 = −6, times −½ (σ² + ε)^(−3/2)
GRAD_MU = 0.75 / S  # −Σ ĝ / √(σ² + ε) = −(1.5 − 3 + 0.75) / S
GRAD_GAMMA = (-3 + -2 * 1 + 0.5 * 2) / S

MISTAKES = [
    ("var", 7.0, "bn_var_unbiased"),
    ("var", math.sqrt(14 / 3), "bn_std_for_var"),
    ("uhat_1", -3 / S7, "bn_var_unbiased"),
    ("uhat_1", -3 / (14 / 3 + EPS), "bn_sqrt_forgotten"),
    ("y_1", 1.5 * (-3 / S7) - 0.5, "bn_var_unbiased"),
    ("y_1", 1.5 * U_HAT_1, "bn_beta_forgotten"),
    ("grad_gamma", 1 * U_HAT_1, "batch_not_summed"),
    ("grad_gamma", GRAD_GAMMA / 3, "batch_averaged"),
    ("grad_gamma", 1 * 1 - 2 * 5 + 0.5 * 6, "bn_u_for_u_hat"),
    ("grad_beta", 1.0, "batch_not_summed"),
    ("grad_beta", -0.5 / 3, "batch_averaged"),
    ("grad_uhat_2", -2.0, "bn_gamma_forgotten"),
    ("grad_var", -GRAD_VAR, "sign_flipped_back"),
    ("grad_var", 3 / S, "bn_var_power"),
    ("grad_mu", -GRAD_MU, "sign_flipped_back"),
    ("grad_u_1", 1.5 * 1 / S, "bn_stats_constant"),  # γ/√(σ² + ε) · upstream
    ("grad_u_1", 1.5 / S + GRAD_MU / 3, "bn_var_path_forgotten"),
    ("grad_u_1", 1.5 / S + GRAD_VAR * 2 * -3 / 3, "bn_mean_path_forgotten"),
    ("grad_u_2", 1.5 * -2 / S, "bn_stats_constant"),
]


def test_the_hand_worked_right_values_match_the_solution():
    _, solution = solved(PROBLEM_ID)
    for name, right in (("uhat_1", U_HAT_1), ("grad_var", GRAD_VAR), ("grad_mu", GRAD_MU), ("grad_gamma", GRAD_GAMMA)):
        assert solution.step(name).value == pytest.approx(right, rel=1e-12)


@pytest.mark.parametrize("step_name, wrong, key", MISTAKES)
def test_each_named_mistake_is_named_and_never_accepted(step_name, wrong, key):
    _, solution = solved(PROBLEM_ID)
    env = solution.exact_env()
    step = solution.step(step_name)
    verdict = check(repr(wrong), step, env, exact_env=env)
    assert not verdict.correct and verdict.mistake == key
    for figures in (3, 4, 6):  # rounded, it is still never marked right
        assert not check(format(wrong, f"#.{figures}g"), step, env, exact_env=env).correct


def test_every_mistake_message_exists_in_both_languages_and_says_the_lecture_s_rule():
    assert "N − 1" in t("mistake.bn_var_unbiased", "en") and "1/N" in t("mistake.bn_var_unbiased", "en")
    for key in {key for _, _, key in MISTAKES}:
        assert t(f"mistake.{key}", "ja") != t(f"mistake.{key}", "en")


def bptutor(*args: str, home, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, BPTUTOR_HOME=str(home), BPTUTOR_LANG="en")
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin, capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def answer_key(home) -> list[str]:
    document = json.loads(bptutor("solution", PROBLEM_ID, "--format", "json", home=home).stdout)
    return [repr(step["value"]) for step in document["steps"]]


def test_solve_plain_fed_the_answer_key_scores_full_marks(tmp_path):
    lines = answer_key(tmp_path)
    assert len(lines) == 18
    result = bptutor("solve", PROBLEM_ID, "--plain", stdin="\n".join(lines) + "\n", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == "Score: 18/18"


def test_solve_plain_names_each_mistake_then_takes_the_right_value(tmp_path):
    _, solution = solved(PROBLEM_ID)
    wrongs: dict[str, list[float]] = {}
    for step_name, wrong, _ in MISTAKES:
        wrongs.setdefault(step_name, []).append(wrong)
    lines = []
    for step, right in zip(solution.steps, answer_key(tmp_path)):
        lines += [repr(w) for w in wrongs.get(step.name, [])] + [right]
    result = bptutor("solve", PROBLEM_ID, "--plain", stdin="\n".join(lines) + "\n", home=tmp_path)
    assert result.returncode == 0, result.stderr
    for key in {key for _, _, key in MISTAKES}:
        assert t(f"mistake.{key}", "en") in result.stdout, key
    assert result.stdout.rstrip().splitlines()[-1] == f"Score: {18 - len(wrongs)}/18"


def test_plain_mode_says_the_variance_divides_by_n_before_the_first_question(tmp_path):
    result = bptutor("solve", PROBLEM_ID, "--plain", stdin="quit\n", home=tmp_path)
    assert "divided by N (not N − 1)" in result.stdout
    assert "E = Σₙ ∂E/∂yₙ · yₙ" in result.stdout


def test_follow_through_uses_the_student_s_own_gradient_of_the_variance():
    problem, solution = solved(PROBLEM_ID)
    session = Session(problem, solution)
    for step in solution.steps[:13]:  # up to and including ∂E/∂û₃
        assert session.submit(repr(step.value)).outcome is Outcome.CORRECT
    assert session.submit("0.30").outcome is Outcome.CORRECT  # ∂E/∂σ², 0.8% off 0.2976
    assert session.submit(repr(GRAD_MU)).outcome is Outcome.CORRECT
    own = 1.5 / S + 0.30 * 2 * -3 / 3 + GRAD_MU / 3  # ∂E/∂u₁ from the student's ∂E/∂σ² = 0.30
    exact = solution.step("grad_u_1").value
    assert abs(own - exact) > 0.01 * abs(exact)  # so only follow-through accepts it
    feedback = session.submit(repr(own))
    assert feedback.outcome is Outcome.CORRECT and "your own earlier answers" in feedback.message


# ---------------------------------------------------------------- the picture


def test_the_table_has_one_row_per_sample_and_fills_in_with_marks():
    problem, solution = solved(PROBLEM_ID)
    empty = diagram(problem, solution, {}, "en").splitlines()
    header = next(line for line in empty if "ûₙ" in line)
    assert header.split() == ["n", "uₙ", "ûₙ", "yₙ", "∂E/∂yₙ", "∂E/∂ûₙ", "∂E/∂uₙ"]
    rows = [line.split() for line in empty[empty.index(header) + 1:][:3]]
    assert rows == [["1", "1", "?", "?", "1", "?", "?"], ["2", "5", "?", "?", "-2", "?", "?"],
                    ["3", "6", "?", "?", "0.5", "?", "?"]]
    assert "μ = ?" in "\n".join(empty) and "γ = 1.5" in "\n".join(empty)
    known = Known({s.name: s.value for s in solution.steps}, marks={"grad_u_2": "!"})
    full = diagram(problem, solution, known, "en")
    assert "σ² = 4.667" in full and "∂E/∂σ² = 0.2976" in full and "∂E/∂β = -0.5" in full
    assert next(line for line in full.splitlines() if line.split()[:2] == ["2", "5"]).split() == \
        ["2", "5", "0.4629", "0.1944", "-2", "-3", "-1.075!"]
    assert "N − 1" in full and "N − 1" in diagram(problem, solution, {}, "ja")


def test_the_table_fits_the_tui_s_picture_at_80x24():
    problem, solution = solved(PROBLEM_ID)
    full = diagram(problem, solution, {s.name: s.value for s in solution.steps}, "en")
    assert max(len(line) for line in full.splitlines()) <= 50


def test_the_tui_shows_the_whole_table_at_80x24_and_highlights_the_current_value():
    async def scenario():
        problem, solution = solved(PROBLEM_ID)
        app = TutorApp(problem, solution, "en", None, None, ask_resume=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            panel = app.query_one(DiagramPanel)
            assert panel.highlighted == "μ = ?"
            full = diagram(problem, solution, {s.name: s.value for s in solution.steps}, "en")
            widest = max(len(line) for line in full.splitlines())
            assert panel.scrollable_content_region.width >= widest  # filled in, still on screen
            for header in ("ûₙ", "∂E/∂yₙ", "∂E/∂uₙ"):
                assert header in panel.text
            app.solving.query_one("Input").value = "4"
            await pilot.press("enter")
            await pilot.pause()
            assert "μ = 4" in panel.text

    asyncio.run(scenario())
