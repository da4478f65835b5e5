"""One translation mechanism for every user-visible string (stdlib gettext).

`_` looks up the active catalogue at call time, so strings translated inside
functions follow `set_language`. Nothing is installed at import. Text fixed at class
definition (binding descriptions, a screen's HELP) is only marked there with `N_` and
translated where it is shown, so the language can change while the app runs.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Callable
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
    global _translation, _language  # noqa: PLW0603 - the one switch of the process-wide language
    _language = language if language in LANGUAGES else "en"
    _translation = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[_language], fallback=True)


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate `message` with the active catalogue."""
    return _translation.gettext(message)


def translate(message: str) -> str:
    """Translate a msgid held in a variable; it was marked with `N_` where it was written."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def labelled(label: str, value: object) -> str:
    """ "Label: value" with the language's own colon (Chinese writes a full-width "：")."""
    return _("{label}: {value}").format(label=label, value=value)


# A text handed to a dialog: a string, or a function that says it in the current language,
# which the dialog asks again when the language is switched while it is open.
LiveText = str | Callable[[], str]


def say(text: LiveText) -> str:
    """The text now, in the current language if it was given as a function."""
    return text() if callable(text) else text


def N_(message: str) -> str:
    """Mark `message` for extraction only: it is translated where it is shown."""
    return message


class Translated:
    """A class attribute read in the current language, e.g. `HELP = Translated(N_("..."))`."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, instance: object, owner: type | None = None) -> str:
        return translate(self.message)
