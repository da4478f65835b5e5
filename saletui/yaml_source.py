"""Safe YAML loading that remembers where each mapping key and list item stood, for
error messages.

Mappings come back as `PositionedDict` (a `LinedDict` that also knows columns), lists as
`PositionedList`; both compare equal to plain dicts and lists. Lines and columns are 1-based.
"""

from __future__ import annotations

from collections.abc import Callable
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


# Larger than any real playbook (1,000 objections take about 1 MB), small enough that a
# wrong path such as /dev/zero or a log file is refused at once instead of filling memory.
MAX_BYTES = 10 * 1024 * 1024
# Far deeper than any saletui file needs (a playbook nests 5 levels): deeper is an attack or
# an accident, and construction is recursive, so it is refused long before Python's limit.
MAX_DEPTH = 64


class _LineLoader(_SAFE_LOADER):
    """SafeLoader that records the line and column of every mapping key and list item, and
    the problems YAML itself lets pass (a key given twice) so that they are all reported."""

    problems: list[ConfigError]
    depth: int = 0
    too_deep: bool = False  # reported once, at the first node too deep


def _too_deep(loader: _LineLoader, node: yaml.Node) -> bool:
    if loader.depth < MAX_DEPTH:
        return False
    if not loader.too_deep:
        loader.too_deep = True
        loader.problems.append(
            ConfigError(
                loader.name,
                _("nested more than {depth} levels deep").format(depth=MAX_DEPTH),
                line=node.start_mark.line + 1,
                column=node.start_mark.column + 1,
            )
        )
    return True


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = PositionedDict()
    if _too_deep(loader, node):
        return mapping
    loader.depth += 1
    try:
        _fill_mapping(loader, node, mapping)
    finally:
        loader.depth -= 1
    return mapping


def _fill_mapping(loader: _LineLoader, node: yaml.MappingNode, mapping: PositionedDict) -> None:
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


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list[Any]:
    if _too_deep(loader, node):
        return PositionedList()
    loader.depth += 1
    try:
        items = PositionedList(loader.construct_object(child, deep=True) for child in node.value)
    finally:
        loader.depth -= 1
    items.lines = [child.start_mark.line + 1 for child in node.value]
    items.columns = [child.start_mark.column + 1 for child in node.value]
    items.line = node.start_mark.line + 1
    items.column = node.start_mark.column + 1
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

_Constructor = Callable[[Any, yaml.ScalarNode], Any]


def _or_text(construct: _Constructor) -> _Constructor:
    """YAML 1.1 resolves anything shaped like a number or a date as one, and PyYAML's own
    constructors then crash on `0x_` or `2001-13-45` (ValueError, IndexError). Such a value
    is read as the text it is: where a number or date is wanted, the file's checker reports
    it with its line and column; where text is wanted, it is what the author typed."""

    def guarded(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, IndexError, OverflowError, TypeError):
            return str(node.value)

    return guarded


for _tag, _construct in (
    ("tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int),
    ("tag:yaml.org,2002:float", yaml.constructor.SafeConstructor.construct_yaml_float),
    ("tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_timestamp),
):
    _LineLoader.add_constructor(_tag, _or_text(_construct))


def read_yaml(path: Path, text: str | None = None) -> tuple[Any, list[ConfigError]]:
    """Parse `path` (or `text`, reported as `path`) with safe loading only: the data, and
    the problems found on the way (keys given twice, lists used as keys), each with line
    and column, for the file's checker to report with its own.

    A file that cannot be read or parsed at all raises ConfigError (a syntax error with
    its line and column): nothing after it can be checked.
    """
    if text is None:
        text = _read_text(path)
    elif len(text) > MAX_BYTES:
        raise _too_large(path)
    loader = _LineLoader(text)
    loader.name = str(path)
    loader.problems = []
    try:
        return loader.get_single_data(), loader.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or _("invalid YAML")
        if exc.problem and exc.context and exc.context_mark and exc.context_mark.line != getattr(mark, "line", None):
            # e.g. "second occurrence" alone says nothing: name what it follows, and where.
            problem = _("{problem} ({context}: line {line})").format(
                problem=exc.problem, context=exc.context, line=exc.context_mark.line + 1
            )
        raise ConfigError(
            path, problem, line=mark.line + 1 if mark else None, column=mark.column + 1 if mark else None
        ) from None
    except yaml.reader.ReaderError as exc:  # a raw control character: YAML refuses it outright
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise ConfigError(
            path,
            _("control character U+{code} is not allowed here").format(code=f"{code:04X}"),
            line=line,
            column=column,
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, str(exc)) from None
    except RecursionError:  # the pure-Python composer, when libyaml is missing
        raise ConfigError(path, _("nested more than {depth} levels deep").format(depth=MAX_DEPTH)) from None
    finally:
        loader.dispose()


def _too_large(path: Path) -> ConfigError:
    return ConfigError(path, _("larger than {size} MB: not a saletui file").format(size=MAX_BYTES // (1024 * 1024)))


def _read_text(path: Path) -> str:
    """The file's text, read no further than MAX_BYTES (a device such as /dev/zero ends too)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ConfigError(path, _("cannot read file: {reason}").format(reason=exc.strerror)) from None
    if len(data) > MAX_BYTES:
        raise _too_large(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            path, _("not UTF-8 text ({reason} at byte {start})").format(reason=exc.reason, start=exc.start)
        ) from None


def load_yaml(path: Path, text: str | None = None) -> Any:
    """`read_yaml`'s data; its problems, if any, raised together as ConfigProblems."""
    data, problems = read_yaml(path, text)
    if problems:
        raise ConfigProblems(problems)
    return data
