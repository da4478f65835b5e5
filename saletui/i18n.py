"""One translation mechanism for every user-visible string (stdlib gettext).

`_` looks up the active catalogue at call time, so strings translated inside
functions follow `set_language`. Nothing is installed at import.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "saletui"
LANGUAGES = ("en", "zh_CN")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The interface language the user's locale asks for (LC_ALL > LC_MESSAGES > LANG)."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


def set_language(language: str) -> None:
    """Activate a catalogue; unknown languages fall back to English."""
    global _translation, _language
    _language = language if language in LANGUAGES else "en"
    _translation = gettext.translation(
        DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True
    )


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate `message` with the active catalogue."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
