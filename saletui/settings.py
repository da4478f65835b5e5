"""Settings and user paths: built-in defaults < user settings file < environment < flags.

Paths come from platformdirs; `SALETUI_HOME` relocates everything (tests and portable
installs use it). Nothing is read or created at import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from saletui.config_error import ConfigError, LinedDict, close_match
from saletui.i18n import _
from saletui.method.attention import DEFAULT_CONTACT_DAYS, Thresholds
from saletui.money import DEFAULT_CURRENCY, is_currency_code

APP_NAME = "saletui"


def config_root() -> Path:
    """The shipped `config/` folder: inside the wheel, or beside the package in a checkout."""
    packaged = Path(__file__).parent / "_config"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "config"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    config_dir: Path

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        home = env.get("SALETUI_HOME")
        if home:
            base = Path(home).expanduser()
            return cls(data_dir=base / "data", config_dir=base / "config")
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        )

    @property
    def default_db(self) -> Path:
        return self.data_dir / "saletui.sqlite3"

    @property
    def demo_db(self) -> Path:
        return self.data_dir / "demo.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.yaml"


@dataclass(frozen=True)
class AttentionSettings:
    contact_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CONTACT_DAYS))
    """Days without contact before an account needs attention, per class code."""

    def thresholds(self) -> Thresholds:
        return Thresholds(dict(self.contact_days))


@dataclass(frozen=True)
class PlaybookSettings:
    team_dirs: list[str] = field(default_factory=list)
    """Folders of shared team playbooks (*.yaml, *.yml), layered in this order over the
    built-in playbook. `~` is expanded; a relative path is taken from the settings file's
    folder."""
    personal_file: str = ""
    """The rep's own playbook, the last layer; "" means playbook.yaml in the config folder."""

    def team_paths(self) -> list[Path]:
        return [Path(folder).expanduser() for folder in self.team_dirs]

    def personal_path(self, paths: Paths) -> Path:
        return Path(self.personal_file).expanduser() if self.personal_file else paths.config_dir / "playbook.yaml"


@dataclass(frozen=True)
class Settings:
    language: str = ""
    """Interface language: "" (from the environment), "en" or "zh_CN"."""
    theme: str = "textual-dark"
    """A Textual theme name; an unknown one falls back to textual-dark with a warning."""
    database: str = ""
    """Database path; "" means the user data directory."""
    process_file: str = ""
    """Sales process file (stages and milestones); "" means the built-in one for the
    interface language. A relative path is taken from the settings file's folder."""
    attention: AttentionSettings = field(default_factory=AttentionSettings)
    """Needs-attention thresholds."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, applied with App.set_keymap."""
    playbooks: PlaybookSettings = field(default_factory=PlaybookSettings)
    """Where the objection playbook layers live (team folders, personal file)."""
    currency: str = DEFAULT_CURRENCY
    """ISO 4217 code (CNY, USD, EUR, JPY) given to new accounts, to imported accounts
    without a currency column, and to existing accounts when amounts were made exact."""


_CLASS_KEYS = ("EI", "EII", "EIII", "EIV", "PI", "PII", "PIII", "PIV", "F", "other")


def _check_keys(path: Path, data: LinedDict, allowed: list[str], where: str) -> None:
    for key in data:
        if key not in allowed:
            raise ConfigError(
                path,
                _("unknown key `{key}`").format(key=key) + close_match(str(key), allowed),
                line=data.line_of(key),
                key=f"{where}{key}",
            )


def _expect(path: Path, data: LinedDict, key: str, value: Any, kind: type, where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigError(
            path,
            (
                _("expected a number, got {value!r}")
                if kind is int
                else _("expected text, got {value!r}")
                if kind is str
                else _("expected a mapping, got {value!r}")
            ).format(value=value),
            line=data.line_of(key),
            key=f"{where}{key}",
        )
    return value


def parse_settings(path: Path, data: Any, base: Settings) -> Settings:
    """Overlay one settings file's data on `base`, validating every key."""
    if data is None:
        return base
    if not isinstance(data, dict):
        raise ConfigError(path, _("the settings file must be a mapping of keys to values"), line=1)
    data = data if isinstance(data, LinedDict) else LinedDict(data)
    top = [f.name for f in fields(Settings)]
    _check_keys(path, data, top, "")
    values: dict[str, Any] = {}
    for key in ("language", "theme", "database", "process_file"):
        if key in data:
            values[key] = _expect(path, data, key, "" if data[key] is None else data[key], str, "")
    if values.get("process_file"):
        process = Path(values["process_file"]).expanduser()
        values["process_file"] = str(process if process.is_absolute() else path.parent / process)
    if "currency" in data:
        code = _expect(path, data, "currency", data["currency"], str, "").strip().upper()
        if not is_currency_code(code):
            raise ConfigError(
                path,
                _("expected a three-letter currency code (CNY, USD, EUR), got {value!r}").format(
                    value=data["currency"]
                ),
                line=data.line_of("currency"),
                key="currency",
            )
        values["currency"] = code
    if "language" in values and values["language"] not in ("", "en", "zh_CN"):
        raise ConfigError(path, _('must be "", en or zh_CN'), line=data.line_of("language"), key="language")
    if "attention" in data:
        att = _expect(path, data, "attention", data["attention"] or LinedDict(), dict, "")
        att = att if isinstance(att, LinedDict) else LinedDict(att)
        _check_keys(path, att, ["contact_days"], "attention.")
        days = dict(base.attention.contact_days)
        if "contact_days" in att:
            cd = _expect(path, att, "contact_days", att["contact_days"] or LinedDict(), dict, "attention.")
            cd = cd if isinstance(cd, LinedDict) else LinedDict(cd)
            _check_keys(path, cd, list(_CLASS_KEYS), "attention.contact_days.")
            for code, n in cd.items():
                n = _expect(path, cd, code, n, int, "attention.contact_days.")
                if n < 1:
                    raise ConfigError(
                        path, _("must be at least 1 day"), line=cd.line_of(code), key=f"attention.contact_days.{code}"
                    )
                days["" if code == "other" else code] = n
        values["attention"] = AttentionSettings(days)
    if "keymap" in data:
        km = _expect(path, data, "keymap", data["keymap"] or LinedDict(), dict, "")
        km = km if isinstance(km, LinedDict) else LinedDict(km)
        keymap = dict(base.keymap)
        for binding_id, keys in km.items():
            keymap[str(binding_id)] = _expect(path, km, binding_id, keys, str, "keymap.")
        values["keymap"] = keymap
    if "playbooks" in data:
        values["playbooks"] = _parse_playbooks(path, data, base.playbooks)
    return Settings(**{**{f.name: getattr(base, f.name) for f in fields(Settings)}, **values})


def _parse_playbooks(path: Path, data: LinedDict, base: PlaybookSettings) -> PlaybookSettings:
    pb = _expect(path, data, "playbooks", data["playbooks"] or LinedDict(), dict, "")
    pb = pb if isinstance(pb, LinedDict) else LinedDict(pb)
    _check_keys(path, pb, [f.name for f in fields(PlaybookSettings)], "playbooks.")
    team_dirs = list(base.team_dirs)
    if "team_dirs" in pb:
        raw = pb["team_dirs"] if pb["team_dirs"] is not None else []
        if not isinstance(raw, list):
            raise ConfigError(
                path,
                _("expected a list of folders, got {value!r}").format(value=raw),
                line=pb.line_of("team_dirs"),
                key="playbooks.team_dirs",
            )
        team_dirs = []
        for i, folder in enumerate(raw):
            if not isinstance(folder, str) or not folder.strip():
                line_of = getattr(raw, "line_of", None)
                raise ConfigError(
                    path,
                    _("expected a folder path, got {value!r}").format(value=folder),
                    line=line_of(i) if line_of else pb.line_of("team_dirs"),
                    key=f"playbooks.team_dirs[{i}]",
                )
            folder_path = Path(folder.strip()).expanduser()
            team_dirs.append(str(folder_path if folder_path.is_absolute() else path.parent / folder_path))
    personal = base.personal_file
    if "personal_file" in pb:
        personal = _expect(
            path, pb, "personal_file", "" if pb["personal_file"] is None else pb["personal_file"], str, "playbooks."
        ).strip()
        if personal and not Path(personal).expanduser().is_absolute():
            personal = str(path.parent / personal)
    return PlaybookSettings(team_dirs=team_dirs, personal_file=personal)


def load_settings(user_file: Path | None) -> Settings:
    """Built-in defaults, then the user's file if it exists. Raises ConfigError.

    The defaults are the dataclass defaults; config/settings.yaml documents the same values
    (a test keeps the two equal), so start-up parses YAML only when the user has a file.
    """
    settings = Settings()
    if user_file is not None and user_file.exists():
        from saletui.yaml_source import load_yaml  # PyYAML costs ~12 ms to import

        settings = parse_settings(user_file, load_yaml(user_file), settings)
    return settings
