"""The one error type for configuration files: names file, line, key and a close match."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from saletui.i18n import _
from saletui.text import display_text


class ConfigError(Exception):
    """A problem in a user-editable YAML file, phrased for the person who edits it."""

    def __init__(
        self,
        path: Path | str | None,
        problem: str,
        *,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.problem = problem
        self.line = line
        self.column = column
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path) if self.path else "<config>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        # Keys and values quoted in problems come from the file: one line, no escapes.
        return display_text(f"{where}:{key} {self.problem}")


def close_match(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `x`?)' when a choice is close to the misspelt word, else ''."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return _(" (did you mean `{name}`?)").format(name=match[0]) if match else ""


class LinedDict(dict[Any, Any]):
    """A dict from YAML that knows the line of itself and of each of its keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.line: int | None = None

    def line_of(self, key: Any) -> int | None:
        return self.lines.get(key, self.line)
