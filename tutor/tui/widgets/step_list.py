"""Every step with a mark (✓ first try, (✓) later, ! shown, – skipped, ▶ current), grouped by phase.

A label too long for the list goes on over more lines (tui/fit.py), never cut: two quantities
that differ only at the end ("local ∂apple_price/∂apple" and "local ∂apple_price/∂apple_num")
stay apart.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...session import Session
from .. import view
from ..fit import label_lines

MARK_CELLS = 4  # "(✓) " : the widest mark and a space


def _prompt(session: Session, position: int, cells: int) -> Content:
    step = session.steps[position]
    lines = label_lines(view.symbol_text(session, step), cells)
    first = f"{view.mark(session, position):<3} {lines[0]}"
    return Content("\n".join([first, *(" " * MARK_CELLS + line for line in lines[1:])]))


class StepList(OptionList):
    """Read-only list: the highlighted option is the current step, kept in view."""

    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self._shown: dict[str, Content] = {}  # step name -> the prompt on screen
        self._session: Session | None = None
        self._cells = 0  # the label width the prompts were made for

    def label_cells(self) -> int:
        """Cells left for a label on a line of the list, after the mark."""
        return max(self.scrollable_content_region.width - MARK_CELLS, 8)

    def refresh_from(self, session: Session) -> None:
        cells = self.label_cells()
        if session is not self._session or cells != self._cells:
            self._session, self._cells = session, cells
            self._build(session)
        else:
            self._update(session)

    def on_resize(self) -> None:
        if self._session is not None and self.label_cells() != self._cells:
            self.refresh_from(self._session)

    def _build(self, session: Session) -> None:
        """One option per step (id = step name) under a disabled heading per phase."""
        options: list[Option] = []
        phase = None
        self._shown = {}
        for position, step in enumerate(session.steps):
            if step.phase is not phase:
                phase = step.phase
                heading = Content(view.phase_name(step, session.lang))
                options.append(Option(heading, id=f"phase-{position}", disabled=True))
            self._shown[step.name] = _prompt(session, position, self._cells)
            options.append(Option(self._shown[step.name], id=step.name))
        self.set_options(options)
        self._highlight(session)

    def _update(self, session: Session) -> None:
        # Only the prompts that changed: each replacement makes the list measure its lines again.
        for position, step in enumerate(session.steps):
            prompt = _prompt(session, position, self._cells)
            if prompt != self._shown.get(step.name):
                self._shown[step.name] = prompt
                self.replace_option_prompt(step.name, prompt)
        self._highlight(session)

    def _highlight(self, session: Session) -> None:
        current = session.current if session.current is not None else session.steps[-1]
        index = self.get_option_index(current.name)
        if self.highlighted != index:
            self.highlighted = index
            self.call_after_refresh(self.scroll_to_highlight)

    def mark_of(self, name: str) -> str:
        """The mark shown for step ``name`` (for tests)."""
        return str(self.get_option(name).prompt).split(" ", 1)[0]
