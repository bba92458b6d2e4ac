"""The session as line-by-line prompts: for pipes, scripts, TERM=dumb and screen readers.

The statement and the problem's data come first (and again on help or ?), so that the text alone
is enough to solve it. One answer per line, or one of the session's command words (help or ? lists them); end of input
stops cleanly. A finished session prints its summary; the last line is always "Score: N/M"
(steps right at the first try / steps). Trouble saving progress goes to stderr the moment it
starts and ends, and at the end when attempts are left unsaved (the exit status is then 1).
A line that is not text in stdin's encoding is answered "I could not read this line".
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from . import formula
from .i18n import t
from .render.entries import matrix_form, vector_form
from .render.given import given_block
from .safe_text import SafeWriter
from .commands import Command, command, command_rows
from .session import Outcome, Session, rule_text, summary_lines
from .steps import AnswerKind


def _prompt(session: Session, out: TextIO) -> None:
    step = session.current
    number = session.index + 1
    symbol = formula.text(step.symbol, session.solution.symbols)
    out.write(f"[{number}/{len(session.steps)}] {t(f'phase.{step.phase.value}', session.lang)}: {symbol} = ?\n")
    rule = rule_text(step, session.lang)
    if rule:
        out.write(f"  {rule}\n")
    if step.answer is AnswerKind.VECTOR:
        out.write(f"  {symbol} = {vector_form(step, session.solution.symbols, session.lang)}\n")
    if step.answer is AnswerKind.MATRIX:
        out.write(f"  {matrix_form(step, session.solution.symbols, session.lang)}\n")
    out.flush()


def help_text(lang: str) -> str:
    rows = command_rows(lang)
    words_width = max(len(words) for words, _ in rows)
    lines = [t("plain.commands", lang)] + [f"  {words:<{words_width}}  {what}" for words, what in rows]
    return "\n".join(lines)


def _lines(source: Iterable[str]) -> Iterator[str]:
    """The lines of ``source``; from a text stream, its bytes decoded line by line, so that one
    line that is not valid text becomes an unreadable answer instead of ending the session."""
    buffer = getattr(source, "buffer", None)
    if buffer is None:
        yield from source
        return
    encoding = getattr(source, "encoding", None) or "utf-8"
    for raw in buffer:
        yield raw.decode(encoding, "surrogateescape")  # undecodable bytes become lone surrogates


def run_plain(session: Session, lines: Iterable[str], out: TextIO, err: TextIO | None = None) -> int:
    """Drive ``session`` from ``lines``; returns the exit status: 0, or 1 when attempts could
    not be saved (they are then in the copy the message on ``err`` names)."""
    err = SafeWriter(err if err is not None else sys.stderr)
    out = SafeWriter(out)  # nothing from a problem file or a typed answer may drive the terminal
    title = session.problem.title.get(session.lang)
    out.write(f"{title}\n{_givens(session)}\n\n{t('plain.intro', session.lang)}\n")
    if session.notice:
        out.flush()
        err.write(f"bptutor: {session.notice}\n")
        err.flush()
    iterator = _lines(lines)
    warned = None
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
        warned = _tell_store(session, warned, out, err)
    if session.finished:
        session.finish()
        out.write(t("plain.finished", session.lang) + "\n")
        out.write("\n".join(summary_lines(session.summary(), session.lang)) + "\n")
    lost = session.close()
    right, total = session.score()
    out.write(f"Score: {right}/{total}\n")
    out.flush()
    if lost:
        err.write(f"bptutor: {lost}\n")
        err.flush()
    return 1 if lost else 0


def _givens(session: Session) -> str:
    return given_block(session.problem, session.solution, session.lang)


def _tell_store(session: Session, warned: bool, out: TextIO, err: TextIO) -> bool:
    """Say on stderr when saving starts to fail and when it works again; returns "failing"."""
    failing = session.store_warning is not None
    notice = session.take_store_notice()
    if failing and not warned or notice:
        out.flush()  # keep stdout and stderr in order on a terminal
        err.write(f"bptutor: {session.store_warning if failing else notice}\n")
        err.flush()
    return failing


def _act(session: Session, text: str, word: Command | None) -> str:
    """What to print after one line of input."""
    if word is Command.HELP:
        return f"{_givens(session)}\n\n{help_text(session.lang)}"
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
    mark = {Outcome.CORRECT: "✓ ", Outcome.WRONG: "✗ ", Outcome.MORE_DIGITS: "≈ "}.get(feedback.outcome, "")
    lines = []
    if feedback.reading is not None and feedback.reading.shown:
        lines.append(t("check.read_as", lang, shown=feedback.reading.shown))
    lines.append(mark + feedback.message)
    return "\n".join(line for line in lines if line)
