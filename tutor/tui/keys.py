"""Key bindings in the student's language.

Textual keeps a binding's description on the (class-level) Binding; the footer and the help
screen show it. ``localise`` gives one node its own copies with the descriptions translated
(i18n keys ``tui.key_<action>``).
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from ..i18n import has, t


def localise(node: DOMNode, lang: str, keys: dict[str, str] | None = None) -> None:
    """``keys`` maps an action to another message key (F10 reads "Problem list" when it goes back to one)."""
    keys = keys or {}
    node._bindings = BindingsMap(
        replace(binding, description=t(keys.get(binding.action, f"tui.key_{binding.action}"), lang))
        if binding.description and has(keys.get(binding.action, f"tui.key_{binding.action}"), lang)
        else binding
        for _, binding in node._bindings
    )
