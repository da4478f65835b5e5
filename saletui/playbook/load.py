"""Read, validate and layer objection playbooks (searching them is `saletui.playbook.search`).

- `load_file` reads one YAML file (safe loading only) and checks it strictly. All the
  problems of a file are collected, and a file with any problem is rejected as a whole:
  a half-read team file must never silently hide objections or techniques.
- `load_layers` reads the built-in playbook, then every team folder, then the personal
  file. A later layer overrides or extends an objection by id (see `_apply`); a file whose
  changes do not fit the layers below it (a new objection without a title, removing what
  is not there) is skipped as a whole too. The other files still load.
- `changed_since` tells cheaply whether any of those files changed on disk.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from saletui.config_check import ConfigChecker, position
from saletui.config_error import ConfigError, close_match
from saletui.i18n import _
from saletui.method.stages import STAGES
from saletui.playbook.schema import OBJECTION_FIELDS, Objection, Playbook, Technique
from saletui.playbook.search import SearchIndex

STAGE_KEYS = tuple(stage.key for stage in STAGES)
TOP_KEYS = ("name", "language", "version", "owner", "objections")
OBJECTION_KEYS = ("id", "title", "aliases", "stages", "stance", "tags", "techniques", "remove")
TECHNIQUE_KEYS = ("id", "name", "when", "script", "follow_up", "remove")
SUFFIXES = (".yaml", ".yml")
DEFAULT_LANGUAGE = "en"

_ID = re.compile(r"^[^\W_][\w-]*$")


# -- one file ------------------------------------------------------------------------


def slug(text: str) -> str:
    """A technique id made from its name: casefolded words joined by `-` (CJK kept)."""
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", text).casefold()).strip("-")


def _kind(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false (YAML reads yes/no/on/off as true/false: put the text in quotes)")
    if isinstance(value, (int, float)):
        return _("a number (put it in quotes to make it text)")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


class _Checker(ConfigChecker):
    """The shared checker with a playbook's value rules: text, ids, flags, text lists."""

    def text(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
        """Non-empty text at data[key]; None (and maybe an error) otherwise."""
        if key not in data:
            if required:
                self.error(_("missing `{key}`").format(key=key), data, None, f"{where}{key}")
            return None
        value = data[key]
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str) or value is None:
            self.error(_("empty; write the text or leave the key out"), data, key, f"{where}{key}")
        else:
            self.error(_("expected text, got {kind}").format(kind=_kind(value)), data, key, f"{where}{key}")
        return None

    def ident(self, data: dict[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
        value = self.text(data, key, where, required=required)
        if value is not None and not _ID.match(value):
            self.error(
                _("an id is one word of letters, digits, - and _ (e.g. too-expensive), got `{value}`").format(
                    value=value
                ),
                data,
                key,
                f"{where}{key}",
            )
            return None
        return value

    def flag(self, data: dict[str, Any], key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.error(_("expected true or false, got {kind}").format(kind=_kind(value)), data, key, f"{where}{key}")
            return False
        return value

    def text_list(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
        if key not in data:
            return None
        value = data[key]
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(
                _("expected a list (`[a, b]` or one `- item` per line), got {kind}").format(kind=_kind(value)),
                data,
                key,
                f"{where}{key}",
            )
            return None
        items: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                items.append(item.strip())
            elif isinstance(item, str) or item is None:
                self.error(_("empty list item"), value, i, f"{where}{key}[{i}]")
            else:
                self.error(_("expected text, got {kind}").format(kind=_kind(item)), value, i, f"{where}{key}[{i}]")
        return tuple(items)


def _technique(c: _Checker, items: list[Any], j: int, where: str, seen: dict[str, int]) -> Technique | None:
    raw = items[j]
    where = f"{where}techniques[{j}]"
    if not isinstance(raw, dict):
        c.error(
            _("expected a technique (a mapping with `name`, `when`, `script`, `follow_up`), got {kind}").format(
                kind=_kind(raw)
            ),
            items,
            j,
            where,
        )
        return None
    before = len(c.errors)
    line, column = (n or 0 for n in position(raw))
    where += "."
    c.keys(raw, TECHNIQUE_KEYS, where)
    remove = c.flag(raw, "remove", where)
    tid = c.ident(raw, "id", where)
    name = c.text(raw, "name", where, required=not (remove and "id" in raw))
    if tid is None and "id" not in raw and name is not None:
        tid = slug(name)
        if not tid:
            c.error(_("cannot make an id from this name; add an `id`"), raw, "name", f"{where}name")
    if tid:
        if tid in seen:
            key = "id" if "id" in raw else "name"
            c.error(
                _("duplicate technique id `{id}` in this objection (first at line {line})").format(
                    id=tid, line=seen[tid]
                ),
                raw,
                key,
                f"{where}{key}",
            )
        else:
            seen[tid] = line
    if remove:
        for key in raw:
            if key not in ("id", "name", "remove"):
                c.error(
                    _("a removed technique takes only `id` (or `name`) and `remove: true`"), raw, key, f"{where}{key}"
                )
        if len(c.errors) > before:
            return None
        return Technique(tid or "", name or "", source=c.path, line=line, column=column, remove=True)
    texts = {key: c.text(raw, key, where) or "" for key in ("when", "script", "follow_up")}
    if len(c.errors) > before:
        return None
    return Technique(
        tid or "",
        name or "",
        when=texts["when"],
        script=texts["script"],
        follow_up=texts["follow_up"],
        source=c.path,
        line=line,
        column=column,
    )


def _objection(c: _Checker, items: list[Any], i: int, seen: dict[str, int]) -> Objection | None:
    raw = items[i]
    where = f"objections[{i}]"
    if not isinstance(raw, dict):
        c.error(
            _("expected an objection (a mapping with `id`, `title`, `techniques`, ...), got {kind}").format(
                kind=_kind(raw)
            ),
            items,
            i,
            where,
        )
        return None
    before = len(c.errors)
    line, column = (n or 0 for n in position(raw))
    where += "."
    c.keys(
        raw, OBJECTION_KEYS, where, elsewhere=((TECHNIQUE_KEYS, _("(it belongs to a technique, under `techniques:`)")),)
    )
    oid = c.ident(raw, "id", where, required=True)
    if oid is not None:
        if oid in seen:
            c.error(
                _("duplicate objection id `{id}` (first at line {line})").format(id=oid, line=seen[oid]),
                raw,
                "id",
                f"{where}id",
            )
        else:
            seen[oid] = line
    remove = c.flag(raw, "remove", where)
    if remove:
        for key in raw:
            if key not in ("id", "remove"):
                c.error(_("a removed objection takes only `id` and `remove: true`"), raw, key, f"{where}{key}")
        if len(c.errors) > before:
            return None
        return Objection(oid or "", source=c.path, line=line, column=column, remove=True)
    title = c.text(raw, "title", where)
    stance = c.text(raw, "stance", where)
    aliases = c.text_list(raw, "aliases", where)
    tags = c.text_list(raw, "tags", where)
    stages = c.text_list(raw, "stages", where)
    for k, stage_key in enumerate(stages or ()):
        if stage_key not in STAGE_KEYS:
            c.error(
                _("unknown stage `{stage}`{hint}; the stages are {stages}").format(
                    stage=stage_key, hint=close_match(stage_key, STAGE_KEYS), stages=", ".join(STAGE_KEYS)
                ),
                raw["stages"],
                k,
                f"{where}stages[{k}]",
            )
    techniques: list[Technique] = []
    if "techniques" in raw:
        items_raw = raw["techniques"]
        if items_raw is None:
            items_raw = []
        if not isinstance(items_raw, list):
            c.error(
                _("expected a list of techniques, got {kind}").format(kind=_kind(items_raw)),
                raw,
                "techniques",
                f"{where}techniques",
            )
        else:
            technique_ids: dict[str, int] = {}
            for j in range(len(items_raw)):
                technique = _technique(c, items_raw, j, where, technique_ids)
                if technique is not None:
                    techniques.append(technique)
    if len(c.errors) > before:
        return None
    return Objection(
        id=oid or "",
        title=title or "",
        aliases=aliases or (),
        stages=stages or (),
        stance=stance or "",
        tags=tags or (),
        techniques=tuple(techniques),
        source=c.path,
        line=line,
        column=column,
        given=frozenset(key for key in (*OBJECTION_FIELDS, "techniques") if key in raw),
    )


def parse_playbook(path: Path, data: Any) -> tuple[Playbook | None, list[ConfigError]]:
    """Check already-parsed YAML data; (playbook, []) or (None, every problem found)."""
    c = _Checker(path)
    if data is None:  # an empty file: nothing yet
        return Playbook(name=path.stem, source=path), []
    if not isinstance(data, dict):
        line, column = position(data)
        c.errors.append(
            ConfigError(
                path,
                _("a playbook file is a mapping: `objections:` and optionally name, language, version, owner"),
                line=line or 1,
                column=column,
            )
        )
        return None, c.errors
    c.keys(
        data,
        TOP_KEYS,
        "",
        elsewhere=(
            (OBJECTION_KEYS, _("(it belongs to an objection, under `objections:`)")),
            (TECHNIQUE_KEYS, _("(it belongs to a technique, under `techniques:`)")),
        ),
    )
    meta = {key: c.text(data, key, "") for key in ("name", "language", "owner")}
    given = data.get("version")
    version: str | None = None
    if isinstance(given, (int, float)) and not isinstance(given, bool):
        version = str(given)
    elif "version" in data:
        version = c.text(data, "version", "")
    objections: list[Objection] = []
    raw = data.get("objections")
    if raw is not None and not isinstance(raw, list):
        c.error(
            _("expected a list of objections (one `- id: ...` per objection), got {kind}").format(kind=_kind(raw)),
            data,
            "objections",
            "objections",
        )
    elif raw:
        seen: dict[str, int] = {}
        for i in range(len(raw)):
            objection = _objection(c, raw, i, seen)
            if objection is not None:
                objections.append(objection)
    if c.errors:
        return None, c.errors
    return Playbook(
        name=meta["name"] or path.stem,
        language=meta["language"] or "",
        version=version or "",
        owner=meta["owner"] or "",
        objections=tuple(objections),
        source=path,
    ), []


def load_file(path: Path, text: str | None = None) -> tuple[Playbook | None, list[ConfigError]]:
    """Read and check one playbook file (or `text` as if it were that file, for an editor).
    A file with any problem gives (None, problems)."""
    from saletui.yaml_source import read_yaml  # PyYAML only when a file is read

    try:
        data, found = read_yaml(path, text)
    except ConfigError as exc:
        return None, [exc]
    playbook, errors = parse_playbook(path, data)
    if found:  # keys given twice: the file is refused with them first, then its other problems
        return None, [*found, *errors]
    return playbook, errors


# -- layers --------------------------------------------------------------------------


def _at(item: Objection | Technique) -> dict[str, int | None]:
    return {"line": item.line or None, "column": item.column or None}


def _merge_techniques(
    old: tuple[Technique, ...],
    entries: tuple[Technique, ...],
    errors: list[ConfigError],
    objection: Objection,
    where: str,
) -> tuple[Technique, ...]:
    result = list(old)
    for j, technique in enumerate(entries):
        index = next((k for k, t in enumerate(result) if t.id == technique.id), None)
        if technique.remove:
            if index is None:
                errors.append(
                    ConfigError(
                        technique.source,
                        _(
                            "nothing to remove: objection `{objection}` has no technique `{id}` in an earlier "
                            "playbook{hint}"
                        ).format(
                            objection=objection.id,
                            id=technique.id,
                            hint=close_match(technique.id, [t.id for t in result]),
                        ),
                        **_at(technique),
                        key=f"{where}techniques[{j}]",
                    )
                )
            else:
                del result[index]
        elif index is None:
            result.append(technique)
        else:
            result[index] = technique
    return tuple(result)


def _apply(state: dict[str, Objection], layer: Playbook) -> tuple[dict[str, Objection], list[ConfigError]]:
    """Lay one file over the merged objections so far.

    - a new id adds an objection (it must have a `title`);
    - a known id replaces the objection's title, aliases, stages, stance and tags that the
      file gives (a list is replaced, not extended) and merges its techniques by id: the
      same id replaces the technique, a new id is appended, `remove: true` deletes it;
    - `remove: true` on an objection deletes it.
    The objection keeps its place; its `source`/`line` move to this file only when the
    file changes one of its own keys (each technique has its own provenance).
    """
    merged = dict(state)
    errors: list[ConfigError] = []
    for i, entry in enumerate(layer.objections):
        where = f"objections[{i}]."
        old = merged.get(entry.id)
        if entry.remove:
            if old is None:
                errors.append(
                    ConfigError(
                        entry.source,
                        _("nothing to remove: no earlier playbook has an objection `{id}`{hint}").format(
                            id=entry.id, hint=close_match(entry.id, merged)
                        ),
                        **_at(entry),
                        key=f"{where}id",
                    )
                )
            else:
                del merged[entry.id]
            continue
        if old is None:
            if "title" not in entry.given:
                errors.append(
                    ConfigError(
                        entry.source,
                        _("objection `{id}` is not in an earlier playbook{hint}, so it needs a `title`").format(
                            id=entry.id, hint=close_match(entry.id, merged)
                        ),
                        **_at(entry),
                        key=f"{where}id",
                    )
                )
                continue
            techniques = _merge_techniques((), entry.techniques, errors, entry, where)
            merged[entry.id] = replace(entry, techniques=techniques)
            continue
        techniques = _merge_techniques(old.techniques, entry.techniques, errors, old, where)
        changes = {key: getattr(entry, key) for key in OBJECTION_FIELDS if key in entry.given}
        if changes:
            merged[entry.id] = replace(
                old,
                **changes,
                techniques=techniques,
                source=entry.source,
                line=entry.line,
                column=entry.column,
                given=entry.given,
            )
        else:
            merged[entry.id] = replace(old, techniques=techniques)
    return merged, errors


def merge(layers: Iterable[Playbook]) -> tuple[list[Objection], list[ConfigError]]:
    """Merge playbooks in order (later wins). A file whose changes do not fit the layers
    below it is skipped as a whole and its problems returned."""
    state: dict[str, Objection] = {}
    errors: list[ConfigError] = []
    for layer in layers:
        merged, problems = _apply(state, layer)
        if problems:
            errors.extend(problems)
        else:
            state = merged
    return list(state.values()), errors


def playbook_files(folder: Path) -> list[Path]:
    """The playbook files of a folder: *.yaml and *.yml, by name; hidden files skipped."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    return sorted(
        (
            Path(entry.path)
            for entry in entries
            if entry.name.lower().endswith(SUFFIXES) and not entry.name.startswith(".") and _is_file(entry)
        ),
        key=lambda p: p.name,
    )


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def builtin_file(builtin_dir: Path, language: str) -> Path:
    """config/playbooks/<language>.yaml: zh_CN tries zh_CN.yaml then zh.yaml; English
    when none matches."""
    for name in (language, language.split("_")[0]):
        if name and (builtin_dir / f"{name}.yaml").is_file():
            return builtin_dir / f"{name}.yaml"
    return builtin_dir / f"{DEFAULT_LANGUAGE}.yaml"


def other_builtin_file(builtin: Path) -> Path | None:
    """The built-in playbook of the other language beside `builtin` (en.yaml <-> zh.yaml)."""
    others = sorted(p for p in builtin.parent.glob("*.yaml") if p.name != builtin.name)
    return others[0] if others else None


def default_builtin_dir() -> Path:
    from saletui.settings import config_root

    return config_root() / "playbooks"


@dataclass(frozen=True)
class Fingerprint:
    """What was on disk when the playbooks were loaded; cheap to compare again."""

    builtin: Path
    """The built-in file used."""
    team_dirs: tuple[Path, ...]
    """The team folders, in layer order."""
    personal_file: Path | None
    """The personal file (it may not exist)."""
    stats: tuple[tuple[str, int | None, int | None], ...]
    """(path, mtime_ns, size) of every file and folder looked at; None when missing."""


def _stat(path: Path) -> tuple[str, int | None, int | None]:
    try:
        st = path.stat()
    except OSError:
        return str(path), None, None
    return str(path), st.st_mtime_ns, st.st_size


def _layer_files(builtin: Path, team_dirs: Sequence[Path], personal_file: Path | None) -> list[Path]:
    files = [builtin]
    for folder in team_dirs:
        files.extend(playbook_files(folder))
    if personal_file is not None:
        files.append(personal_file)
    return files


def _fingerprint(builtin: Path, team_dirs: Sequence[Path], personal_file: Path | None) -> Fingerprint:
    stats = [_stat(path) for path in _layer_files(builtin, team_dirs, personal_file)]
    stats.extend((f"{folder}{os.sep}", int(folder.is_dir()), None) for folder in team_dirs)
    return Fingerprint(builtin, tuple(team_dirs), personal_file, tuple(stats))


def changed_since(fingerprint: Fingerprint) -> bool:
    """True when a playbook file was edited, added or removed since `fingerprint`."""
    return _fingerprint(fingerprint.builtin, fingerprint.team_dirs, fingerprint.personal_file) != fingerprint


@dataclass(frozen=True)
class LoadedPlaybook:
    """The merged objections of all layers, and what went wrong on the way."""

    objections: list[Objection]
    """Merged, in order: built-in first, then what later layers added."""
    errors: list[ConfigError]
    """Problems of every file; each bad file was skipped, the others loaded."""
    files: list[Path]
    """The files read, in layer order."""
    layers: list[Playbook]
    """The files that loaded, in layer order (name, language, version, owner)."""
    fingerprint: Fingerprint
    """Pass to `changed_since` to learn whether anything changed on disk."""

    @cached_property
    def index(self) -> SearchIndex:
        """The search index of `objections`, built on first use."""
        return SearchIndex(self.objections)

    @cached_property
    def other_language(self) -> SearchIndex | None:
        """The other built-in playbook (Chinese beside English and back), read on the first
        search: a rep types what the customer said in whichever language it was said."""
        other = other_builtin_file(self.fingerprint.builtin)
        if other is None:
            return None
        playbook, _problems = load_file(other)  # shipped with saletui: checked by its tests
        return SearchIndex(playbook.objections) if playbook is not None else None

    def search(self, query: str, stage: str | None = None, tag: str | None = None) -> list[Objection]:
        """Search this playbook, then the other language's built-in one: its matches come
        after, each shown as this playbook's objection of the same id when there is one (the
        rep's language, with the team's and personal changes), else as written."""
        found = self.index.search(query, stage=stage, tag=tag)
        other = self.other_language if query.strip() else None
        if other is None:
            return found
        mine = {o.id: o for o in self.objections}
        seen = {o.id for o in found}
        for objection in other.search(query, stage=stage, tag=tag):
            if objection.id not in seen:
                seen.add(objection.id)
                found.append(mine.get(objection.id, objection))
        return found

    def reload(self) -> LoadedPlaybook:
        """Read the same layers again."""
        fp = self.fingerprint
        return _load(fp.builtin, fp.team_dirs, fp.personal_file)


def load_layers(
    builtin_dir: Path | None, team_dirs: Sequence[Path], personal_file: Path | None, language: str
) -> LoadedPlaybook:
    """Built-in playbook for `language` < every team folder (its files by name) < personal
    file. A missing personal file is normal; a missing team folder is reported."""
    builtin = builtin_file(builtin_dir or default_builtin_dir(), language)
    return _load(
        builtin, [Path(d).expanduser() for d in team_dirs], Path(personal_file).expanduser() if personal_file else None
    )


def _load(builtin: Path, team_dirs: Sequence[Path], personal_file: Path | None) -> LoadedPlaybook:
    fingerprint = _fingerprint(builtin, team_dirs, personal_file)  # first: a change while reading shows next time
    errors: list[ConfigError] = []
    files: list[Path] = []
    layers: list[Playbook] = []
    for folder in team_dirs:
        if not folder.is_dir():
            errors.append(ConfigError(folder, _("team playbook folder not found (setting playbooks.team_dirs)")))
    for path in _layer_files(builtin, team_dirs, personal_file):
        if path is personal_file and not path.exists():
            continue
        files.append(path)
        playbook, problems = load_file(path)
        errors.extend(problems)
        if playbook is not None:
            layers.append(playbook)
    objections, problems = merge(layers)
    skipped = {e.path for e in problems}
    errors.extend(problems)
    return LoadedPlaybook(objections, errors, files, [p for p in layers if p.source not in skipped], fingerprint)


def check_paths(
    paths: Sequence[Path], builtin: Path | None = None
) -> tuple[list[Path], list[ConfigError], list[ConfigError]]:
    """What `saletui playbook check` does: read each file (folders: their *.yaml/*.yml)
    and lay them, in the order given, over the built-in English playbook, as the app does.
    Returns the files checked, every problem found (none from the built-in file), and the
    warnings: what loads but is probably a mistake (see `file_warnings`)."""
    files: list[Path] = []
    for path in paths:
        files.extend(playbook_files(path) if path.is_dir() else [path])
    base, _problems = load_file(builtin or builtin_file(default_builtin_dir(), DEFAULT_LANGUAGE))
    layers = [base] if base is not None else []
    errors: list[ConfigError] = []
    warnings: list[ConfigError] = []
    for path in files:
        playbook, problems = load_file(path)
        errors.extend(problems)
        if playbook is not None:
            layers.append(playbook)
            warnings.extend(file_warnings(path, playbook))
    errors.extend(merge(layers)[1])
    return files, errors, warnings


def file_warnings(path: Path, playbook: Playbook) -> list[ConfigError]:
    """A file without objections (a team file truncated on its way through a share would
    otherwise go unnoticed), and control characters in its texts (written as YAML escapes
    such as "\\e[2J"), which the app shows as � rather than letting them clear the
    rep's screen or retitle the terminal."""
    from saletui.text import control_characters

    warnings = []
    if not playbook.objections:
        warnings.append(ConfigError(path, _("no objections in this file: is it complete?")))
    for objection in playbook.objections:
        texts: list[tuple[str, str, int, int]] = [
            (f"{objection.id}.{key}", text, objection.line, objection.column)
            for key in ("title", "stance")
            for text in (getattr(objection, key),)
        ]
        texts += [(f"{objection.id}.aliases", alias, objection.line, objection.column) for alias in objection.aliases]
        for technique in objection.techniques:
            texts += [
                (f"{objection.id}.{technique.id}.{key}", getattr(technique, key), technique.line, technique.column)
                for key in ("name", "when", "script", "follow_up")
            ]
        for where, text, line, column in texts:
            for _line, _column, char in control_characters(text)[:1]:
                warnings.append(
                    ConfigError(
                        path,
                        _("control character U+{code} in the text: it is shown as �").format(code=f"{ord(char):04X}"),
                        line=line or None,
                        column=column or None,
                        key=where,
                    )
                )
    return warnings
