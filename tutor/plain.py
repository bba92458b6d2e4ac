"""The session as line-by-line prompts: for pipes, scripts, TERM=dumb and screen readers.

One answer per line; the words hint, show, skip, back and quit; end of input stops cleanly.
The last line is always "Score: N/M" (steps right at the first try / steps).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from . import formula
from .i18n import t
from .session import Outcome, Session, rule_text

COMMANDS = {"hint", "show", "skip", "back", "quit", "h", "s", "q"}


def _prompt(session: Session, out: TextIO) -> None:
    step = session.current
    number = session.index + 1
    symbol = formula.text(step.symbol, session.solution.symbols)
    out.write(f"[{number}/{len(session.steps)}] {t(f'phase.{step.phase.value}', session.lang)}: {symbol} = ?\n")
    rule = rule_text(step, session.lang)
    if rule:
        out.write(f"  {rule}\n")
    out.flush()


def run_plain(session: Session, lines: Iterable[str], out: TextIO) -> int:
    """Drive ``session`` from ``lines``; returns the number of steps right at the first try."""
    title = session.problem.title.get(session.lang)
    out.write(f"{title}\n{t('plain.intro', session.lang)}\n")
    iterator = iter(lines)
    while not session.finished:
        _prompt(session, out)
        try:
            line = next(iterator)
        except StopIteration:
            break
        word = line.strip().lower()
        if word in ("quit", "q"):
            break
        feedback = _act(session, line.strip(), word)
        if feedback is not None:
            out.write(_feedback_text(feedback, session.lang) + "\n")
    if session.finished:
        session.finish()
        out.write(t("plain.finished", session.lang) + "\n")
    right, total = session.score()
    out.write(f"Score: {right}/{total}\n")
    out.flush()
    return right


def _act(session: Session, text: str, word: str):
    if word in ("hint", "h"):
        return session.hint()
    if word in ("show", "s"):
        return session.show()
    if word == "skip":
        return session.skip()
    if word == "back":
        session.back()
        return None
    return session.submit(text)


def _feedback_text(feedback, lang: str) -> str:
    """What was read (STACK-style echo), then the verdict, marked in words as well as symbols."""
    mark = {Outcome.CORRECT: "✓ ", Outcome.WRONG: "✗ "}.get(feedback.outcome, "")
    lines = []
    if feedback.reading is not None and feedback.reading.shown:
        lines.append(t("check.read_as", lang, shown=feedback.reading.shown))
    lines.append(mark + feedback.message)
    return "\n".join(line for line in lines if line)
