"""The network or graph drawn as text, values filled in as they are found.

The picture is often larger than its panel (at 80x24 always), so the panel shows a window of it
(tui/fit.py): the current quantity highlighted and in view with the context it is computed from,
and no symbol or value cut by the panel's edge, where "E = 0.06098" would read "E = 0.0". The
student may still scroll it with the mouse.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...render.diagram import diagram
from ...render.entries import entry_names
from ...render.columns import cell_width
from ...session import Session
from ...steps import AnswerKind, Phase
from .. import view
from ..fit import Spot, crop, locate, scroll_target, window

HIGHLIGHT = Style(reverse=True, bold=True)

# Steps computed from what lies to their left in the picture (the forward pass from the inputs,
# a new weight from the weight and its gradient written before it); the backward pass and the
# gradients come from the δ of the layers to the right.
_LOOK_LEFT = {Phase.FORWARD, Phase.LOSS, Phase.UPDATE}


class DiagramPanel(ScrollView):
    """Plain text from tutor.render.diagram; the current quantity is highlighted and kept in view."""

    can_focus = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.spot: Spot | None = None  # the current quantity's entry in the picture
        self._lines: list[str] = []
        self._look_left = True
        self._shown: tuple[str, str | None, bool] | None = None

    @property
    def highlighted(self) -> str:
        """The highlighted entry ("u₁⁽¹⁾ = ?"), or "" when there is none."""
        if self.spot is None:
            return ""
        return crop(self._lines[self.spot.line], self.spot.column, self.spot.cells)

    def refresh_from(self, session: Session) -> None:
        """The picture with the values found so far; the current quantity highlighted."""
        text = diagram(session.problem, session.solution, view.known_values(session), session.lang)
        step = session.current
        current = view.symbol_text(session, step) if step is not None else None
        if step is not None and step.answer in (AnswerKind.VECTOR, AnswerKind.MATRIX) and not locate(text, f"{current} = "):
            # A vector or matrix drawn entry by entry (u₁₁ = ?, ...): its first entry stands for it.
            current = entry_names(step, session.solution.symbols)[0]
        self.show(text, current, look_left=step is None or step.phase in _LOOK_LEFT)

    def show(self, text: str, current: str | None = None, look_left: bool = True) -> None:
        if self._shown == (text, current, look_left):  # unchanged: spare a re-render and a scroll
            return
        self._shown = (text, current, look_left)
        self.text, self._lines, self._look_left = text, text.split("\n"), look_left
        self.spot = locate(text, f"{current} = ") if current else None
        self.virtual_size = Size(max(map(cell_width, self._lines), default=0), len(self._lines))
        self.refresh()
        self.call_after_refresh(self.reveal)

    def reveal(self) -> None:
        """Scroll so that the current quantity is in view with its context; the whole picture's
        start when all is done."""
        if self.spot is None:
            self.scroll_to(0, 0, animate=False, immediate=True)
            return
        region = self.scrollable_content_region
        x, y = scroll_target(tuple(self.virtual_size), (region.width, region.height), self.spot, self._look_left)
        self.scroll_to(x, y, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.call_after_refresh(self.reveal)

    def render_line(self, y: int) -> Strip:
        x, top = self.scroll_offset
        cells = self.scrollable_content_region.width
        row = top + y
        shown = window(self._lines[row], x, cells) if row < len(self._lines) else " " * cells
        base = self.rich_style
        spot = self.spot
        if spot is None or spot.line != row or spot.column < x or spot.column + spot.cells > x + cells:
            return Strip([Segment(shown, base)], cells)
        start = spot.column - x
        parts = [
            Segment(crop(shown, 0, start), base),
            Segment(crop(shown, start, spot.cells), base + HIGHLIGHT),
            Segment(crop(shown, start + spot.cells, cells), base),
        ]
        return Strip(parts, cells)
