"""Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer recomposes all its keys whenever the screen's bindings are refreshed (focus
moves, a key is dimmed, the screen resumes), even when nothing it shows changed; on bptutor's
first screen that was most of the styling work before the first step appeared.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


def _shown_keys(screen: Screen) -> tuple:
    return tuple(
        (key, binding.action, binding.description, enabled, tooltip)
        for key, (_node, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show
    )


class KeyFooter(Footer):
    _composed_for: tuple | None = None

    def compose(self):
        if self._bindings_ready:
            self._composed_for = _shown_keys(self.screen)
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._bindings_ready and screen is self.screen and _shown_keys(screen) == self._composed_for:
            return
        super().bindings_changed(screen)
