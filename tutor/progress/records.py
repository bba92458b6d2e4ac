"""What the progress store returns: attempts, recorded sessions and per-problem summaries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tutor.outcomes import DECIDED, Outcome, done, first_try


@dataclass(frozen=True)
class Attempt:
    session_id: int
    step: str
    answer: str
    verdict: Outcome
    mistake: str | None
    first_try: bool  # this attempt got the step right at the first try (outcomes.first_try)
    at: str  # ISO-8601, UTC


@dataclass(frozen=True)
class SessionInfo:
    id: int
    problem_id: str
    variant: str  # "" or e.g. "seed=7"
    started_at: str
    finished_at: str | None
    current_step: int  # index of the next step to do
    log: tuple[Attempt, ...] = ()  # every attempt of the session, oldest first (resume replays it)

    @property
    def answered(self) -> dict[str, str]:
        """Step name -> the student's last accepted ("correct") answer text."""
        return {a.step: a.answer for a in self.log if a.verdict is Outcome.CORRECT}


@dataclass(frozen=True)
class ProblemSummary:
    problem_id: str
    sessions: int
    steps_done: int
    steps_total: int | None
    first_try_correct: int
    first_try_total: int
    top_mistakes: list[tuple[str, int]]  # (mistake key, count), most frequent first, at most 3

    @property
    def first_try_accuracy(self) -> float | None:
        if self.first_try_total == 0:
            return None
        return self.first_try_correct / self.first_try_total


def summarise(problem_id: str, sessions: list[tuple[int, int | None]], attempts: list) -> ProblemSummary:
    """Build one ProblemSummary from the problem's (session id, steps_total) rows and its attempts
    as (session_id, step, verdict, mistake) in recording order. See ``ProgressStore.summary``."""
    logs: dict[tuple[int, str], list[Outcome]] = {}
    mistakes: Counter[str] = Counter()
    for sid, step, verdict, mistake in attempts:
        if mistake:
            mistakes[mistake] += 1
        logs.setdefault((sid, step), []).append(Outcome(verdict))
    finished: dict[int, set[str]] = {sid: set() for sid, _ in sessions}
    for (sid, step), log in logs.items():
        if done(log):
            finished[sid].add(step)
    decided = [log for log in logs.values() if DECIDED.intersection(log)]
    correct = sum(first_try(log) for log in decided)
    # max() keeps the first maximum, so scan latest first to let ties go to the latest session.
    best_sid, best_total = max(reversed(sessions), key=lambda s: len(finished[s[0]]))
    top = sorted(mistakes.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return ProblemSummary(
        problem_id=problem_id,
        sessions=len(sessions),
        steps_done=len(finished[best_sid]),
        steps_total=best_total,
        first_try_correct=correct,
        first_try_total=len(decided),
        top_mistakes=top,
    )
