"""The network or graph drawn as text, values filled in as they are found; scrolls both ways."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Static

from ...render.diagram import diagram, width
from ...session import Session
from .. import view

_ENTRY_END = re.compile(r"\s{2,}| [→←↓↑]|$")


@dataclass(frozen=True)
class Place:
    line: int
    column: int  # in terminal cells
    start: int  # character offsets in the whole text
    end: int


def locate(text: str, label: str) -> Place | None:
    """Where the entry "label = value" is: ``label`` at a line start or after a space."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start = 0
        while (found := line.find(label, start)) >= 0:
            if found == 0 or line[found - 1] == " ":
                end = _ENTRY_END.search(line, found + len(label)).start()
                return Place(number, width(line[:found]), offset + found, offset + end)
            start = found + 1
        offset += len(line) + 1
    return None


class DiagramPanel(ScrollableContainer):
    """Plain text from tutor.render.diagram; the current quantity is highlighted and kept in view."""

    can_focus = False

    def compose(self) -> ComposeResult:
        yield Static("", id="diagram-text", markup=False)

    _shown: tuple[str, str | None] | None = None

    def refresh_from(self, session: Session) -> None:
        """The picture with the values found so far; the current quantity highlighted."""
        text = diagram(session.problem, session.solution, view.known_values(session), session.lang)
        current = view.symbol_text(session, session.current) if session.current is not None else None
        self.show(text, current)

    def show(self, text: str, current: str | None = None) -> None:
        if self._shown == (text, current):  # unchanged: spare a re-render and a scroll
            return
        self._shown = (text, current)
        content = Content(text)
        place = locate(text, f"{current} = ") if current else None
        if place is not None:
            content = content.stylize("reverse bold", place.start, place.end)
        self.query_one("#diagram-text", Static).update(content)
        if place is not None:
            cells = width(text[place.start : place.end])
            self.call_after_refresh(self._reveal, Region(place.column, place.line, cells, 1))
        elif current is None:
            self.call_after_refresh(self.scroll_home, animate=False)  # all done: the whole picture

    def _reveal(self, region: Region) -> None:
        self.scroll_to_region(region.grow((2, 2, 2, 2)), animate=False, immediate=True)
