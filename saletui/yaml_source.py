"""Safe YAML loading that remembers where each mapping key and list item stood, for
error messages.

Mappings come back as `PositionedDict` (a `LinedDict` that also knows columns), lists as
`PositionedList`; both compare equal to plain dicts and lists. Lines and columns are 1-based.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from saletui.config_check import ConfigProblems
from saletui.config_error import ConfigError, LinedDict
from saletui.i18n import _


class PositionedDict(LinedDict):
    """A LinedDict that also knows the column of itself and of each of its keys."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns: dict[Any, int] = {}
        self.column: int | None = None

    def column_of(self, key: Any) -> int | None:
        return self.columns.get(key, self.column if key not in self.lines else None)


class PositionedList(list[Any]):
    """A list from YAML that knows the line and column of itself and of each item."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []
        self.columns: list[int] = []
        self.line: int | None = None
        self.column: int | None = None

    def line_of(self, index: int) -> int | None:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line

    def column_of(self, index: int) -> int | None:
        return self.columns[index] if 0 <= index < len(self.columns) else self.column


# libyaml's parser when PyYAML has it (seven times faster on a 1,000-objection playbook);
# construction, and so our line tracking, stays in Python either way.
if TYPE_CHECKING:  # both loaders have the same API; type against the pure-Python one
    _SAFE_LOADER = yaml.SafeLoader
else:
    _SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SAFE_LOADER):
    """SafeLoader that records the line and column of every mapping key and list item, and
    the problems YAML itself lets pass (a key given twice) so that they are all reported."""

    problems: list[ConfigError]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = PositionedDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        try:
            hash(key)
        except TypeError:  # e.g. `? [a, b]`: a list or mapping used as a key
            loader.problems.append(
                ConfigError(
                    loader.name, _("a key must be a plain word, not a list or mapping"), line=line, column=column
                )
            )
            continue
        if key in mapping:  # reported, and the first value kept: the file is refused anyway
            loader.problems.append(
                ConfigError(loader.name, _("duplicate key `{key}`").format(key=key), line=line, column=column)
            )
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
        mapping.columns[key] = column
    mapping.line = node.start_mark.line + 1
    mapping.column = node.start_mark.column + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    items = PositionedList(loader.construct_object(child, deep=True) for child in node.value)
    items.lines = [child.start_mark.line + 1 for child in node.value]
    items.columns = [child.start_mark.column + 1 for child in node.value]
    items.line = node.start_mark.line + 1
    items.column = node.start_mark.column + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(path: Path, text: str | None = None) -> tuple[Any, list[ConfigError]]:
    """Parse `path` (or `text`, reported as `path`) with safe loading only: the data, and
    the problems found on the way (keys given twice, lists used as keys), each with line
    and column, for the file's checker to report with its own.

    A file that cannot be read or parsed at all raises ConfigError (a syntax error with
    its line and column): nothing after it can be checked.
    """
    if text is None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigError(path, _("cannot read file: {reason}").format(reason=exc.strerror)) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                path, _("not UTF-8 text ({reason} at byte {start})").format(reason=exc.reason, start=exc.start)
            ) from None
    loader = _LineLoader(text)
    loader.name = str(path)
    loader.problems = []
    try:
        return loader.get_single_data(), loader.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or _("invalid YAML")
        raise ConfigError(
            path, problem, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, str(exc)) from None
    finally:
        loader.dispose()


def load_yaml(path: Path, text: str | None = None) -> Any:
    """`read_yaml`'s data; its problems, if any, raised together as ConfigProblems."""
    data, problems = read_yaml(path, text)
    if problems:
        raise ConfigProblems(problems)
    return data
