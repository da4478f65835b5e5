"""Read and validate a process file; a broken one is reported and the built-in one used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from saletui.config_check import ConfigChecker, position
from saletui.config_error import ConfigError, LinedDict
from saletui.i18n import _
from saletui.method.qualification import BANT, QualificationKey
from saletui.method.stages import STAGES
from saletui.process.schema import MilestoneTemplate, Process, StageTemplate
from saletui.settings import BUILTIN_PROCESSES, config_root

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_TOP_KEYS = ("language", "qualification", "stages")
_STAGE_KEYS = ("key", "name", "key_node", "milestones", "probability")
_MILESTONE_KEYS = ("id", "question", "key_node", "qualifies")
_QUALIFICATION_KEYS = ("key", "name", "letter")


def resolve(chosen: str) -> Path:
    """A process file given in the settings or with --process: a path, or the name of a
    built-in one (`meddpicc`)."""
    if chosen in BUILTIN_PROCESSES:
        return config_root() / f"process.{chosen}.yaml"
    return Path(chosen).expanduser()


def _qualification(c: ConfigChecker, top: LinedDict) -> tuple[QualificationKey, ...]:
    """The file's `qualification:` list (BANT when it has none)."""
    if "qualification" not in top:
        return BANT
    raw = top["qualification"]
    if not isinstance(raw, list) or not raw:
        c.error(_("expected a non-empty list of qualification keys"), top, "qualification", "qualification")
        return BANT
    keys: list[QualificationKey] = []
    for i, item in enumerate(raw):
        where = f"qualification[{i}]."
        entry = _mapping(c, item, where, raw, i)
        if entry is None:
            continue
        c.keys(entry, _QUALIFICATION_KEYS, where)
        key, name, letter = (_text(c, entry, k, where) for k in _QUALIFICATION_KEYS)
        if key is not None and not _ID.match(key):
            c.error(_("an id uses letters, digits, - and _ only"), entry, "key", f"{where}key")
        elif key is not None and any(k.key == key for k in keys):
            c.error(_("duplicate qualification key `{key}`").format(key=key), entry, "key", f"{where}key")
        elif letter is not None and len(letter) > 3:
            c.error(_("a letter is one to three characters"), entry, "letter", f"{where}letter")
        elif key is not None and name is not None and letter is not None:
            keys.append(QualificationKey(key, name, letter))
    return tuple(keys) or BANT


def builtin_path(language: str) -> Path:
    """The shipped process file for an interface language (English when none matches)."""
    root = config_root()
    localized = root / f"process.{language}.yaml"
    return localized if language != "en" and localized.exists() else root / "process.yaml"


def _mapping(c: ConfigChecker, value: Any, where: str, container: Any, key: Any) -> LinedDict | None:
    """`value` as a mapping; None (the problem recorded at `container[key]`) if it is not one."""
    if not isinstance(value, dict):
        c.error(_("expected a mapping of keys to values"), container, key, where.rstrip("."))
        return None
    return value if isinstance(value, LinedDict) else LinedDict(value)


def _text(c: ConfigChecker, data: LinedDict, key: str, where: str) -> str | None:
    if key not in data:
        c.error(_("missing `{key}`").format(key=key), data, None, f"{where}{key}")
        return None
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        c.error(_("expected non-empty text"), data, key, f"{where}{key}")
        return None
    return value.strip()


def parse_process(path: Path, data: Any, found: Sequence[ConfigError] = ()) -> Process:
    """Check a process file's data. Raises ConfigProblems with every problem of the file
    (and those in `found`, from reading it), each at its line and column."""
    c = ConfigChecker(path, found)
    if not isinstance(data, dict):
        _line, column = position(data)
        c.errors.append(ConfigError(path, _("expected a mapping of keys to values"), line=1, column=column))
        c.raise_if_any()
    top = data if isinstance(data, LinedDict) else LinedDict(data)
    c.keys(top, _TOP_KEYS, "")
    qualification = _qualification(c, top)
    known_keys = {k.key for k in qualification}
    language = top.get("language", "en")
    if not isinstance(language, str):
        c.error(_("expected text"), top, "language", "language")
    stages_raw = top.get("stages")
    expected = [s.key for s in STAGES]
    order = _("the stages must be exactly, in this order: {stages}").format(stages=", ".join(expected))
    if not isinstance(stages_raw, list):
        c.error(_("expected a list of the six stages"), top, "stages", "stages")
        stages_raw = []
    elif len(stages_raw) != len(expected):
        c.error(order, top, "stages", "stages")
    in_order = len(stages_raw) == len(expected)  # else which stage is meant is a guess: not checked
    ids: set[str] = set()
    stages = []
    for i, raw in enumerate(stages_raw):
        where = f"stages[{i}]."
        stage = _mapping(c, raw, where, stages_raw, i)
        if stage is None:
            continue
        c.keys(stage, _STAGE_KEYS, where)
        if in_order and stage.get("key") != expected[i]:
            c.error(
                _("expected `{key}` here; {order}").format(key=expected[i], order=order), stage, "key", f"{where}key"
            )
        milestones_raw = stage.get("milestones", [])
        if not isinstance(milestones_raw, list) or not milestones_raw:
            c.error(_("expected a non-empty list of milestones"), stage, "milestones", f"{where}milestones")
            milestones_raw = []
        milestones = []
        for j, mraw in enumerate(milestones_raw):
            mwhere = f"{where}milestones[{j}]."
            m = _mapping(c, mraw, mwhere, milestones_raw, j)
            if m is None:
                continue
            c.keys(m, _MILESTONE_KEYS, mwhere)
            mid = _text(c, m, "id", mwhere)
            if mid is not None:
                if not _ID.match(mid):
                    c.error(_("an id uses letters, digits, - and _ only"), m, "id", f"{mwhere}id")
                elif mid in ids:
                    c.error(_("duplicate milestone id `{id}`").format(id=mid), m, "id", f"{mwhere}id")
                else:
                    ids.add(mid)
            key_node = m.get("key_node", False)
            if not isinstance(key_node, bool):
                c.error(_("expected true or false"), m, "key_node", f"{mwhere}key_node")
            question = _text(c, m, "question", mwhere)
            qualifies = m.get("qualifies", "")
            if not isinstance(qualifies, str):
                c.error(_("expected text"), m, "qualifies", f"{mwhere}qualifies")
                qualifies = ""
            elif qualifies and qualifies not in known_keys:
                c.error(
                    _("unknown qualification key `{key}`; this file's keys are: {keys}").format(
                        key=qualifies, keys=", ".join(sorted(known_keys))
                    ),
                    m,
                    "qualifies",
                    f"{mwhere}qualifies",
                )
                qualifies = ""
            if mid is not None and question is not None:
                milestones.append(MilestoneTemplate(mid, question, key_node is True, str(qualifies or "")))
        name = _text(c, stage, "name", where)
        stage_key_node = _text(c, stage, "key_node", where)
        probability = stage.get("probability")
        if probability is not None and (
            isinstance(probability, bool) or not isinstance(probability, int) or not 0 <= probability <= 100
        ):
            c.error(_("expected a whole percent from 0 to 100"), stage, "probability", f"{where}probability")
            probability = None
        if name is not None and stage_key_node is not None:
            stages.append(
                StageTemplate(str(stage.get("key", "")), name, stage_key_node, tuple(milestones), probability)
            )
    c.raise_if_any()
    return Process(language=language, stages=tuple(stages), source=path, qualification=qualification)


def load_process(path: Path) -> Process:
    """Read one process file; raises ConfigError naming file, line, column and key (a
    ConfigProblems with every problem when the file could be read)."""
    from saletui.yaml_source import read_yaml  # PyYAML only when a process file is read

    data, found = read_yaml(path)
    return parse_process(path, data, found)


def load_with_fallback(chosen: Path | None, language: str) -> tuple[Process, ConfigError | None]:
    """The user's file if it is valid; otherwise the built-in one and the reason why."""
    builtin = builtin_path(language)
    if chosen is not None:
        try:
            return load_process(chosen), None
        except ConfigError as exc:
            return load_process(builtin), exc
    return load_process(builtin), None
