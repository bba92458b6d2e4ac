"""Key bindings in the student's language.

Textual reads a class's ``BINDINGS`` once, when the class is created, and the footer and the
help screen show each binding's description. So a screen or widget is localised by class:
``localised(cls, lang)`` is a subclass of ``cls`` whose ``BINDINGS`` carry the descriptions of
i18n keys ``tui.key_<action>``. It keeps ``cls``'s name, so CSS and queries by type still match.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from textual.binding import Binding

from ..i18n import has, t


@cache
def localised(cls: type, lang: str, names: tuple[tuple[str, str], ...] = ()) -> type:
    """``names`` maps an action to another message key (F10 reads "Problem list" when it goes back to one)."""
    keys = dict(names)
    bindings = []
    for binding in cls.BINDINGS:
        if isinstance(binding, Binding) and binding.description:
            key = keys.get(binding.action, f"tui.key_{binding.action}")
            if has(key, lang):
                binding = replace(binding, description=t(key, lang))
        bindings.append(binding)
    return type(cls.__name__, (cls,), {"BINDINGS": bindings, "__module__": cls.__module__, "__doc__": cls.__doc__})
