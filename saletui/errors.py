"""Errors every layer raises and catches: kept apart so that a screen, an importer or a
store module can name them without importing the store module that happened to need
them first.
"""

from __future__ import annotations


class ValidationError(Exception):
    """Values that cannot be saved; `errors` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
