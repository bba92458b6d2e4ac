"""What can happen at a step, and what counts as done and as right at the first try.

The one vocabulary from the Session to the progress database: the values are the strings stored
in its ``verdict`` column, so they must not change. Standard library only: ``bptutor progress``
reads it without loading the checker.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Outcome(StrEnum):
    INVALID = "invalid"  # could not be read: costs no attempt
    MORE_DIGITS = "more_digits"  # too few figures to tell right from a mistake: costs no attempt
    CORRECT = "correct"
    WRONG = "wrong"
    HINT = "hint"
    SHOWN = "shown"
    SKIPPED = "skipped"


FREE = frozenset({Outcome.INVALID, Outcome.MORE_DIGITS})  # answers that cost nothing, not even the first try
RESULTS = frozenset({Outcome.CORRECT, Outcome.SHOWN, Outcome.SKIPPED})  # outcomes that move past a step
DONE = frozenset({Outcome.CORRECT, Outcome.SHOWN})  # outcomes that make the step's value known
DECIDED = frozenset({Outcome.CORRECT, Outcome.WRONG, Outcome.SHOWN})  # steps counted in first-try accuracy


def first_try(log: Iterable[str]) -> bool:
    """Right at the first attempt, without a hint or a reveal: the first outcome of the step
    (in one session, oldest first) that is not a free answer (unreadable, or asked for one more
    figure) is CORRECT.

    Answering a step again after going back neither earns nor loses this."""
    for outcome in log:
        if outcome not in FREE:
            return outcome == Outcome.CORRECT
    return False


def done(log: Iterable[str]) -> bool:
    """The step's value was found or shown at some point (a skip after going back undoes neither)."""
    return any(outcome in DONE for outcome in log)
