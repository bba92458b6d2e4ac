"""The words a student may type instead of an answer, the same in the plain prompt and in the
TUI's answer box, with what each does in the student's language."""

from __future__ import annotations

from enum import StrEnum

from .i18n import t


class Command(StrEnum):
    """Words typed instead of an answer, in the plain prompt and in the TUI's answer box."""

    HINT = "hint"
    SHOW = "show"
    SKIP = "skip"
    BACK = "back"
    QUIT = "quit"
    HELP = "help"


# Every word a student may type for a command; the first word of each is the one shown in help.
COMMAND_WORDS = {
    "hint": Command.HINT,
    "h": Command.HINT,
    "show": Command.SHOW,
    "s": Command.SHOW,
    "skip": Command.SKIP,
    "back": Command.BACK,
    "quit": Command.QUIT,
    "q": Command.QUIT,
    "exit": Command.QUIT,
    "help": Command.HELP,
    "?": Command.HELP,
}


def command(text: str) -> Command | None:
    """The command a typed word stands for ("show" and "s" -> SHOW), else None (an answer)."""
    return COMMAND_WORDS.get(text.strip().lower())


def command_rows(lang: str) -> list[tuple[str, str]]:
    """(the words, what they do) for every command, for help texts."""
    words: dict[Command, list[str]] = {}
    for word, cmd in COMMAND_WORDS.items():
        words.setdefault(cmd, []).append(word)
    return [(", ".join(words[cmd]), t(f"command.{cmd.value}", lang)) for cmd in Command]
