"""The one checker for the settings, process and playbook files: it collects every problem
of a file, each at its file:line:column, instead of stopping at the first one, so that
whoever edits the file fixes them all in one go.

Each file format keeps its own value rules (a playbook's text lists, the process's six
stages); what they share, where a key stood, unknown keys with a close match, and the
one exception that carries them all, lives here. Pure Python: no store, no UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from saletui.config_error import ConfigError, close_match
from saletui.i18n import _


class ConfigProblems(ConfigError):
    """Every problem of one file at once. It reads as its first problem (`path`, `line`,
    `column`, `key`, `problem`) for code that handles one, and prints all of them, one
    `path:line:column: key: problem` per line, in the order the checker found them (keys
    before values, so the first is what a check that stopped at the first would have said)."""

    def __init__(self, errors: Sequence[ConfigError]) -> None:
        if not errors:
            raise ValueError("ConfigProblems needs at least one problem")
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.path, first.problem, line=first.line, column=first.column, key=first.key)

    def __str__(self) -> str:
        return "\n".join(ConfigError.__str__(error) for error in self.errors)


def all_problems(error: ConfigError) -> list[ConfigError]:
    """The single problems an error stands for: itself, or each one of a ConfigProblems."""
    return list(error.errors) if isinstance(error, ConfigProblems) else [error]


def position(container: Any, key: Any = None) -> tuple[int | None, int | None]:
    """(line, column) of a key or list item as recorded by saletui.yaml_source; of the
    container itself without `key`. (None, None) for plain data that knows no positions."""
    if key is None:
        return getattr(container, "line", None), getattr(container, "column", None)
    line_of = getattr(container, "line_of", None)
    column_of = getattr(container, "column_of", None)
    return (line_of(key) if line_of else None), (column_of(key) if column_of else None)


class ConfigChecker:
    """Collects the problems of one file. A parser calls `error` for each problem and goes
    on with the next key; `raise_if_any` ends the check."""

    def __init__(self, path: Path, found: Sequence[ConfigError] = ()) -> None:
        self.path = path
        self.errors: list[ConfigError] = list(found)

    def error(self, problem: str, container: Any, key: Any, where: str) -> None:
        """A problem at `container[key]` (at the container itself when `key` is None);
        `where` is the dotted key path shown before the problem."""
        line, column = position(container, key)
        self.errors.append(ConfigError(self.path, problem, line=line, column=column, key=where or None))

    def keys(
        self,
        data: dict[Any, Any],
        allowed: Sequence[str],
        where: str,
        elsewhere: tuple[tuple[tuple[str, ...], str], ...] = (),
    ) -> None:
        """Each key not in `allowed` is a problem, with "did you mean" for a close one, or
        else the hint of the first `elsewhere` entry whose keys hold it."""
        for key in data:
            if key in allowed:
                continue
            hint = close_match(str(key), allowed)
            for other_keys, place in elsewhere:
                if not hint and key in other_keys:
                    hint = " " + place
            self.error(_("unknown key `{key}`").format(key=key) + hint, data, key, f"{where}{key}")

    def raise_if_any(self) -> None:
        """Raise ConfigProblems with everything found so far, if anything was."""
        if self.errors:
            raise ConfigProblems(self.errors)
