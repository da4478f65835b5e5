"""Read and validate a process file; a broken one is reported and the built-in one used."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from saletui.config_error import ConfigError, LinedDict, close_match
from saletui.i18n import _
from saletui.method.stages import STAGES
from saletui.process.schema import MilestoneTemplate, Process, StageTemplate
from saletui.settings import config_root

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_TOP_KEYS = ("language", "stages")
_STAGE_KEYS = ("key", "name", "key_node", "milestones")
_MILESTONE_KEYS = ("id", "question", "key_node")


def builtin_path(language: str) -> Path:
    """The shipped process file for an interface language (English when none matches)."""
    root = config_root()
    localized = root / f"process.{language}.yaml"
    return localized if language != "en" and localized.exists() else root / "process.yaml"


def _mapping(path: Path, value: Any, where: str, line: int | None) -> LinedDict:
    if not isinstance(value, dict):
        raise ConfigError(path, _("expected a mapping of keys to values"), line=line, key=where or None)
    return value if isinstance(value, LinedDict) else LinedDict(value)


def _keys(path: Path, data: LinedDict, allowed: tuple[str, ...], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise ConfigError(
                path,
                _("unknown key `{key}`").format(key=key) + close_match(str(key), allowed),
                line=data.line_of(key),
                key=f"{where}{key}",
            )


def _text(path: Path, data: LinedDict, key: str, where: str) -> str:
    if key not in data:
        raise ConfigError(path, _("missing `{key}`").format(key=key), line=data.line, key=f"{where}{key}")
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(path, _("expected non-empty text"), line=data.line_of(key), key=f"{where}{key}")
    return value.strip()


def parse_process(path: Path, data: Any) -> Process:
    top = _mapping(path, data, "", 1)
    _keys(path, top, _TOP_KEYS, "")
    language = top.get("language", "en")
    if not isinstance(language, str):
        raise ConfigError(path, _("expected text"), line=top.line_of("language"), key="language")
    stages_raw = top.get("stages")
    if not isinstance(stages_raw, list):
        raise ConfigError(path, _("expected a list of the six stages"), line=top.line_of("stages"), key="stages")
    expected = [s.key for s in STAGES]
    order = _("the stages must be exactly, in this order: {stages}").format(stages=", ".join(expected))
    if len(stages_raw) != len(expected):
        raise ConfigError(path, order, line=top.line_of("stages"), key="stages")
    ids: set[str] = set()
    stages = []
    for i, raw in enumerate(stages_raw):
        where = f"stages[{i}]."
        stage = _mapping(path, raw, where, top.line_of("stages"))
        _keys(path, stage, _STAGE_KEYS, where)
        if stage.get("key") != expected[i]:
            raise ConfigError(
                path,
                _("expected `{key}` here; {order}").format(key=expected[i], order=order),
                line=stage.line_of("key"),
                key=f"{where}key",
            )
        milestones_raw = stage.get("milestones", [])
        if not isinstance(milestones_raw, list) or not milestones_raw:
            raise ConfigError(
                path,
                _("expected a non-empty list of milestones"),
                line=stage.line_of("milestones"),
                key=f"{where}milestones",
            )
        milestones = []
        for j, mraw in enumerate(milestones_raw):
            mwhere = f"{where}milestones[{j}]."
            m = _mapping(path, mraw, mwhere, stage.line_of("milestones"))
            _keys(path, m, _MILESTONE_KEYS, mwhere)
            mid = _text(path, m, "id", mwhere)
            if not _ID.match(mid):
                raise ConfigError(
                    path, _("an id uses letters, digits, - and _ only"), line=m.line_of("id"), key=f"{mwhere}id"
                )
            if mid in ids:
                raise ConfigError(
                    path, _("duplicate milestone id `{id}`").format(id=mid), line=m.line_of("id"), key=f"{mwhere}id"
                )
            ids.add(mid)
            key_node = m.get("key_node", False)
            if not isinstance(key_node, bool):
                raise ConfigError(
                    path, _("expected true or false"), line=m.line_of("key_node"), key=f"{mwhere}key_node"
                )
            milestones.append(MilestoneTemplate(mid, _text(path, m, "question", mwhere), key_node))
        stages.append(
            StageTemplate(
                stage["key"],
                _text(path, stage, "name", where),
                _text(path, stage, "key_node", where),
                tuple(milestones),
            )
        )
    return Process(language=language, stages=tuple(stages), source=path)


def load_process(path: Path) -> Process:
    """Read one process file; raises ConfigError naming file, line and key."""
    from saletui.yaml_source import load_yaml  # PyYAML only when a process file is read

    return parse_process(path, load_yaml(path))


def load_with_fallback(chosen: Path | None, language: str) -> tuple[Process, ConfigError | None]:
    """The user's file if it is valid; otherwise the built-in one and the reason why."""
    builtin = builtin_path(language)
    if chosen is not None:
        try:
            return load_process(chosen), None
        except ConfigError as exc:
            return load_process(builtin), exc
    return load_process(builtin), None
