"""A student who rounds every answer to 3 significant figures and carries the rounded values on is
accepted at every step, or asked for one more figure where 3 cannot tell the right value from a
named mistake's (never marked wrong); an answer more than 1% off both the exact and the
follow-through value is not accepted."""

from __future__ import annotations

import random

import pytest
import yaml

from tutor.engine import derive
from tutor.problem import load_problem_text
from tutor.session import Outcome, Session
from tutor.steps import AnswerKind

from .conftest import BUILTIN_IDS, solved
from .test_oracles import random_network


def rounded(value, figures: int) -> str:
    """As a student writes it: "0.0794", "0.100" (the trailing zeros are figures too)."""
    values = value if isinstance(value, tuple) else (value,)
    return ", ".join(format(v, f"#.{figures}g") for v in values)


def rounding_student(problem, solution) -> Session:
    session = Session(problem, solution)
    while not session.finished:
        step = session.current
        if step.answer is AnswerKind.FORMULA:
            feedback = session.submit(step.expected_formula)
        else:
            own = step.compute(session.follow_env())
            figures = 3
            feedback = session.submit(rounded(own, figures))
            while feedback.outcome is Outcome.MORE_DIGITS and figures < 10:
                figures += 1
                feedback = session.submit(rounded(own, figures))
        assert feedback.outcome is Outcome.CORRECT, (step.name, feedback.message)
    return session


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_three_significant_figures_carried_forward_are_accepted(problem_id):
    session = rounding_student(*solved(problem_id))
    assert session.score() == (len(session.steps), len(session.steps))


@pytest.mark.parametrize("seed", range(40))
def test_same_for_random_teacher_networks(seed):
    problem = load_problem_text(yaml.safe_dump(random_network(random.Random(seed))), "random_net.yaml")
    rounding_student(problem, derive(problem))


def beyond(follow: float, exact: float) -> float:
    """1.5% beyond whichever accepted value (follow-through or exact) is further out."""
    direction = 1.0 if follow >= exact else -1.0
    edge = max(follow, exact) if direction > 0 else min(follow, exact)
    return edge + direction * 0.015 * max(abs(edge), abs(exact))


@pytest.mark.parametrize("problem_id", BUILTIN_IDS)
def test_answers_more_than_one_percent_off_are_refused(problem_id):
    problem, solution = solved(problem_id)
    session = Session(problem, solution)
    refused = 0
    while not session.finished:
        step = session.current
        follow = step.compute(session.follow_env())
        if step.answer is AnswerKind.NUMBER and step.value != 0:
            wrong = repr(beyond(follow, step.value))
        elif step.answer is AnswerKind.VECTOR and all(step.value):
            wrong = ", ".join(repr(beyond(f, v)) for f, v in zip(follow, step.value))
        else:
            wrong = None
        if wrong is not None:
            feedback = session.submit(wrong)
            assert feedback.outcome is Outcome.WRONG, (step.name, wrong, step.value)
            refused += 1
        session.show()
    assert refused > 0
