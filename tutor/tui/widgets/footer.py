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
    _passed_on: tuple | None = None  # the keys of the last refresh handed to Footer

    def bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen and self.is_attached and screen.app.app_focus:
            shown = _shown_keys(screen)
            if shown == self._passed_on:
                return
            self._passed_on = shown
        super().bindings_changed(screen)
