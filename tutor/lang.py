"""Which language to speak: --lang, else $BPTUTOR_LANG, else the locale (ja_* gives Japanese)."""

from __future__ import annotations

import os

LANGUAGES = ("en", "ja")


def resolve_language(option: str | None = None, environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    for candidate in (option, env.get("BPTUTOR_LANG")):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in LANGUAGES:
                return code
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"
