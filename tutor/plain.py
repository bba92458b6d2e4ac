"""The session as line-by-line prompts: for pipes, scripts, TERM=dumb and screen readers.

One answer per line, or one of the session's command words (help or ? lists them); end of input
stops cleanly. A finished session prints its summary; the last line is always "Score: N/M"
(steps right at the first try / steps).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from . import formula
from .i18n import t
from .safe_text import SafeWriter
from .session import Command, Outcome, Session, command, command_rows, rule_text, summary_lines


def _prompt(session: Session, out: TextIO) -> None:
    step = session.current
    number = session.index + 1
    symbol = formula.text(step.symbol, session.solution.symbols)
    out.write(f"[{number}/{len(session.steps)}] {t(f'phase.{step.phase.value}', session.lang)}: {symbol} = ?\n")
    rule = rule_text(step, session.lang)
    if rule:
        out.write(f"  {rule}\n")
    out.flush()


def help_text(lang: str) -> str:
    rows = command_rows(lang)
    words_width = max(len(words) for words, _ in rows)
    lines = [t("plain.commands", lang)] + [f"  {words:<{words_width}}  {what}" for words, what in rows]
    return "\n".join(lines)


def run_plain(session: Session, lines: Iterable[str], out: TextIO) -> int:
    """Drive ``session`` from ``lines``; returns the number of steps right at the first try."""
    out = SafeWriter(out)  # nothing from a problem file or a typed answer may drive the terminal
    title = session.problem.title.get(session.lang)
    out.write(f"{title}\n{t('plain.intro', session.lang)}\n")
    iterator = iter(lines)
    while not session.finished:
        _prompt(session, out)
        try:
            line = next(iterator)
        except StopIteration:
            break
        word = command(line)
        if word is Command.QUIT:
            break
        text = _act(session, line.strip(), word)
        if text:
            out.write(text + "\n")
    if session.finished:
        session.finish()
        out.write(t("plain.finished", session.lang) + "\n")
        out.write("\n".join(summary_lines(session.summary(), session.lang)) + "\n")
    right, total = session.score()
    out.write(f"Score: {right}/{total}\n")
    out.flush()
    return right


def _act(session: Session, text: str, word: Command | None) -> str:
    """What to print after one line of input."""
    if word is Command.HELP:
        return help_text(session.lang)
    if word is Command.BACK:
        session.back()
        return ""
    if word is Command.HINT:
        feedback = session.hint()
    elif word is Command.SHOW:
        feedback = session.show()
    elif word is Command.SKIP:
        feedback = session.skip()
    else:
        feedback = session.submit(text)
    return _feedback_text(feedback, session.lang)


def _feedback_text(feedback, lang: str) -> str:
    """What was read (STACK-style echo), then the verdict, marked in words as well as symbols."""
    mark = {Outcome.CORRECT: "✓ ", Outcome.WRONG: "✗ "}.get(feedback.outcome, "")
    lines = []
    if feedback.reading is not None and feedback.reading.shown:
        lines.append(t("check.read_as", lang, shown=feedback.reading.shown))
    lines.append(mark + feedback.message)
    return "\n".join(line for line in lines if line)
