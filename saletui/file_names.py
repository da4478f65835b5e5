"""File names made from user text (an account's name) that are safe on every platform.

One rule for every export the CLI and the UI suggest, so that the org chart and the brief
of one account get the same stem, and a name like `../../etc/passwd` or `A/B: <C>` can
never point outside the chosen directory or be refused by Windows.
"""

from __future__ import annotations

import re
import unicodedata

MAX_STEM = 80

# \w is Unicode-aware: CJK letters and digits are kept; path separators, Windows-reserved
# characters (<>:"/\|?*), controls, whitespace, emoji and markup brackets become one "-".
_UNSAFE = re.compile(r"[^\w.-]+")

# Device names Windows refuses as a file name whatever the extension (CON.txt is CON).
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
)


def safe_file_stem(text: str, fallback: str = "account") -> str:
    """`text` as a file-name stem: unsafe runs become `-`, no leading or trailing `-`/`.`
    (so no `..` and no hidden file), at most MAX_STEM characters; `fallback` when nothing is left."""
    stem = _UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip("-.")[:MAX_STEM].strip("-.")
    if not stem:
        return fallback
    if stem.split(".", 1)[0].upper() in _WINDOWS_DEVICES:
        stem = f"{stem}-"
    return stem
