"""User text made safe to show on a terminal: one place for every screen, export and CLI message.

Names, titles and notes come from reps and CSV files; a stray control character or a
bidirectional override must never move the cursor or reorder a table row.
"""

from __future__ import annotations

import re

# Bidirectional overrides and isolates could visually reorder a whole table row.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def display_text(value: str) -> str:
    """User text made safe for one terminal line: controls and escapes become visible."""
    if not _UNSAFE.search(value):
        return value  # the usual case, checked in C
    out = []
    for ch in value:
        code = ord(ch)
        if ch in "\r\n\t":
            out.append(" ")
        elif code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or ch in _BIDI_CONTROLS:
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


def display_block(value: str) -> str:
    """Multi-line user text made safe: each line as `display_text`, line breaks kept."""
    return "\n".join(display_text(line) for line in value.splitlines())


_CONTROL_IN_FILE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character) of each control character a text file should not hold
    (tabs and line breaks are fine): what `display_text` would have to hide."""
    found = []
    for match in _CONTROL_IN_FILE.finditer(text):
        start = match.start()
        line = text.count("\n", 0, start) + 1
        found.append((line, start - (text.rfind("\n", 0, start) + 1) + 1, match.group()))
    return found
