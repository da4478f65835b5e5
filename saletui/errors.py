"""Errors every layer raises and catches: kept apart so that a screen, an importer or a
store module can name them without importing the store module that happened to need
them first.
"""

from __future__ import annotations

from typing import Any


class ValidationError(Exception):
    """Values that cannot be saved; `errors` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class StaleEditError(Exception):
    """Someone else (another window, another program) saved the row since the form read it.

    Nothing was written. `current` is the row as stored now; saving again with its
    `version` overwrites their change on purpose.
    """

    def __init__(self, current: Any) -> None:
        self.current = current
        super().__init__(f"{type(current).__name__.lower()} {getattr(current, 'id', '?')} was changed meanwhile")
