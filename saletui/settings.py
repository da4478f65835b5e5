"""Settings and user paths: built-in defaults < user settings file < environment < flags.

Paths come from platformdirs; `SALETUI_HOME` relocates everything (tests and portable
installs use it). Nothing is read or created at import.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from saletui.config_check import ConfigChecker, position
from saletui.config_error import ConfigError, LinedDict
from saletui.i18n import _
from saletui.method.attention import DEFAULT_CONTACT_DAYS, PurchaseRules, Thresholds
from saletui.method.deal_risk_rules import RISK_KEYS, RiskRules
from saletui.method.deal_risk_rules import STAGE_KEYS as RISK_STAGE_KEYS
from saletui.method.derivation import RULES, ClassRules
from saletui.method.implementation import Cadence, Phase, PhaseRule
from saletui.method.plan import ACTION_NOTICE_DAYS, DEFAULT_BEHIND_PERCENT
from saletui.method.prospect_score import FACTORS
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
    state_dir: Path | None = None  # logs; None: beside the data

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        home = env.get("SALETUI_HOME")
        if home:
            base = Path(home).expanduser()
            return cls(data_dir=base / "data", config_dir=base / "config", state_dir=base / "state")
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            state_dir=Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
        )

    @property
    def log_file(self) -> Path:
        """Where saletui writes the traceback of an internal error (see saletui.crash_log)."""
        return (self.state_dir or self.data_dir) / "saletui.log"

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
class PlanSettings:
    behind_percent: int = DEFAULT_BEHIND_PERCENT
    """In the monthly review, an account is behind when its sales to date are more than
    this many percent short of what its plan expected to date (0-99)."""
    action_notice_days: int = ACTION_NOTICE_DAYS
    """An open plan action needs attention this many days before it is due (and after)."""


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
    interface language, `meddpicc` the shipped MEDDPICC one. A relative path is taken
    from the settings file's folder."""
    attention: AttentionSettings = field(default_factory=AttentionSettings)
    """Needs-attention thresholds."""
    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> keys, applied with App.set_keymap."""
    playbooks: PlaybookSettings = field(default_factory=PlaybookSettings)
    """Where the objection playbook layers live (team folders, personal file)."""
    currency: str = DEFAULT_CURRENCY
    """ISO 4217 code (CNY, USD, EUR, JPY) given to new accounts, to imported accounts
    without a currency column, and to existing accounts when amounts were made exact."""
    plan: PlanSettings = field(default_factory=PlanSettings)
    """The 5+5+5 plans: when an account is behind, when an action is due."""
    deal_stages: dict[str, str] = field(default_factory=dict)
    """A CRM's deal stage (name or internal id) -> "1".."6", "won" or "lost", for
    `saletui import deals`; added to (and overriding) the built-in table of Salesforce's and
    HubSpot's standard stages (saletui.services.deal_import.BUILTIN_STAGES)."""
    classes: ClassRules = field(default_factory=ClassRules)
    """How customers' classes are derived from their orders (saletui.method.derivation)."""
    purchases: PurchaseRules = field(default_factory=PurchaseRules)
    """Purchase reminders in needs-attention: no purchase for N days, probably run out."""
    problems: tuple[ConfigError, ...] = field(default=(), compare=False)
    """Mistakes in the sections that fall back on their defaults instead of stopping
    saletui (`classes:`, `purchases:`): shown at start, each with file and line."""
    after_signing: Cadence = field(default_factory=Cadence)
    """A won deal's implementation phases: per phase (new_toy, learning, effectiveness) the
    days it lasts and the days between follow-ups (saletui.method.implementation)."""
    deal_risks: RiskRules = field(default_factory=RiskRules)
    """What puts an open deal at risk: days without activity, days per stage, how many
    contacts, which objections are about price, risks switched off (method.deal_risk)."""

    def thresholds(self) -> Thresholds:
        """What needs-attention checks: contact days per class and the purchase reminders."""
        return Thresholds(
            dict(self.attention.contact_days),
            action_notice_days=self.plan.action_notice_days,
            purchases=self.purchases,
        )


BUILTIN_PROCESSES = ("meddpicc",)
"""Process files shipped in config/ (process.<name>.yaml), chosen by name with `process_file:`
or --process, besides the built-in one per language."""

SOFT_SECTIONS = ("classes", "purchases", "deal_risks")
"""Sections whose mistakes are reported while saletui goes on with the section's defaults:
a threshold typed wrong should not keep a rep from their accounts."""


DEAL_OUTCOMES = ("won", "lost")
_STAGE_KEYS = ("development", "entry", "proposal", "bidding", "negotiation", "implementation")


def deal_stage_target(value: Any) -> str | None:
    """A `deal_stages` value as stored ("1".."6", "won", "lost"); None when it is none of
    them. Takes 1-6 as numbers or text, a stage key (proposal) and won/lost in any case."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if 1 <= value <= 6 else None
    if not isinstance(value, str):
        return None
    text = value.strip().casefold()
    if text in DEAL_OUTCOMES:
        return text
    if text.isdigit() and 1 <= int(text) <= 6:
        return str(int(text))
    if text in _STAGE_KEYS:
        return str(_STAGE_KEYS.index(text) + 1)
    return None


_CLASS_KEYS = ("EI", "EII", "EIII", "EIV", "PI", "PII", "PIII", "PIV", "F", "other")


def _expect(c: ConfigChecker, data: LinedDict, key: str, value: Any, kind: type, where: str) -> Any:
    """`value` if it is of `kind`; else None, with the problem recorded at the key."""
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        c.error(
            (
                _("expected a number, got {value!r}")
                if kind is int
                else _("expected text, got {value!r}")
                if kind is str
                else _("expected a mapping, got {value!r}")
            ).format(value=value),
            data,
            key,
            f"{where}{key}",
        )
        return None
    return value


def _lined(value: dict[Any, Any]) -> LinedDict:
    return value if isinstance(value, LinedDict) else LinedDict(value)


def parse_settings(path: Path, data: Any, base: Settings, found: Sequence[ConfigError] = ()) -> Settings:
    """Overlay one settings file's data on `base`, validating every key. Raises
    ConfigProblems with every problem of the file (and those in `found`, from reading it)."""
    c = ConfigChecker(path, found)
    if data is None:
        c.raise_if_any()
        return base
    if not isinstance(data, dict):
        _line, column = position(data)
        c.errors.append(
            ConfigError(path, _("the settings file must be a mapping of keys to values"), line=1, column=column)
        )
        c.raise_if_any()
    data = _lined(data)
    top = [f.name for f in fields(Settings) if f.name != "problems"]
    c.keys(data, top, "")
    values: dict[str, Any] = {}
    for key in ("language", "theme", "database", "process_file"):
        if key in data:
            text = _expect(c, data, key, "" if data[key] is None else data[key], str, "")
            if text is not None:
                values[key] = text
    if values.get("process_file") and values["process_file"] not in BUILTIN_PROCESSES:
        process = Path(values["process_file"]).expanduser()
        values["process_file"] = str(process if process.is_absolute() else path.parent / process)
    if "currency" in data:
        raw = _expect(c, data, "currency", data["currency"], str, "")
        if raw is not None and not is_currency_code(raw.strip().upper()):
            c.error(
                _("expected a three-letter currency code (CNY, USD, EUR), got {value!r}").format(value=raw),
                data,
                "currency",
                "currency",
            )
        elif raw is not None:
            values["currency"] = raw.strip().upper()
    if "language" in values and values["language"] not in ("", "en", "zh_CN"):
        c.error(_('must be "", en or zh_CN'), data, "language", "language")
    if "attention" in data:
        att = _expect(c, data, "attention", data["attention"] or LinedDict(), dict, "")
        if att is not None:
            values["attention"] = _parse_attention(c, _lined(att), base.attention)
    if "keymap" in data:
        km = _expect(c, data, "keymap", data["keymap"] or LinedDict(), dict, "")
        if km is not None:
            keymap = dict(base.keymap)
            for binding_id, keys in _lined(km).items():
                keys = _expect(c, km, binding_id, keys, str, "keymap.")
                if keys is not None:
                    keymap[str(binding_id)] = keys
            values["keymap"] = keymap
    if "playbooks" in data:
        pb = _expect(c, data, "playbooks", data["playbooks"] or LinedDict(), dict, "")
        if pb is not None:
            values["playbooks"] = _parse_playbooks(c, path, _lined(pb), base.playbooks)
    if "plan" in data:
        pl = _expect(c, data, "plan", data["plan"] or LinedDict(), dict, "")
        if pl is not None:
            values["plan"] = _parse_plan(c, _lined(pl), base.plan)
    if "deal_stages" in data:
        ds = _expect(c, data, "deal_stages", data["deal_stages"] or LinedDict(), dict, "")
        if ds is not None:
            values["deal_stages"] = _parse_deal_stages(c, _lined(ds), base.deal_stages)
    problems = list(base.problems)
    soft_sections: tuple[tuple[str, Callable[[ConfigChecker, LinedDict, Any], Any]], ...] = (
        ("classes", _parse_classes),
        ("purchases", _parse_purchases),
        ("deal_risks", _parse_deal_risks),
    )
    for key, parse_section in soft_sections:
        if key not in data:
            continue
        soft = ConfigChecker(path)
        section = _expect(soft, data, key, data[key] or LinedDict(), dict, "")
        if section is not None:
            parsed = parse_section(soft, _lined(section), getattr(base, key))
            if not soft.errors:
                values[key] = parsed
        problems.extend(soft.errors)
    values["problems"] = tuple(problems)
    if "after_signing" in data:
        sign = _expect(c, data, "after_signing", data["after_signing"] or LinedDict(), dict, "")
        if sign is not None:
            values["after_signing"] = _parse_after_signing(c, _lined(sign), base.after_signing)
    c.raise_if_any()
    return Settings(**{**{f.name: getattr(base, f.name) for f in fields(Settings)}, **values})


def _number(
    c: ConfigChecker, data: LinedDict, key: str, where: str, low: float, high: float, *, whole: bool
) -> float | int | None:
    """data[key] as a number between low and high (a whole one if `whole`); None, with the
    problem recorded, otherwise."""
    value = data[key]
    ok = isinstance(value, int) if whole else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok:
        c.error(
            (_("expected a whole number, got {value!r}") if whole else _("expected a number, got {value!r}")).format(
                value=value
            ),
            data,
            key,
            where + key,
        )
        return None
    if not low <= value <= high:
        c.error(
            _("must be between {low} and {high}, got {value!r}").format(low=low, high=high, value=value),
            data,
            key,
            where + key,
        )
        return None
    return int(value) if whole else float(value)


def _parse_classes(c: ConfigChecker, section: LinedDict, base: ClassRules) -> ClassRules:
    c.keys(section, ["window_months", "contribution", "stability", "prospects"], "classes.")
    values: dict[str, Any] = {}
    if "window_months" in section:
        values["window_months"] = _number(c, section, "window_months", "classes.", 3, 60, whole=True)
    if "contribution" in section:
        part = _expect(c, section, "contribution", section["contribution"] or LinedDict(), dict, "classes.")
        if part is not None:
            part = _lined(part)
            c.keys(part, ["rule", "share"], "classes.contribution.")
            if "rule" in part:
                rule = part["rule"]
                if rule not in RULES:
                    c.error(
                        _("must be top_share or min_share, got {value!r}").format(value=rule),
                        part,
                        "rule",
                        "classes.contribution.rule",
                    )
                else:
                    values["contribution_rule"] = rule
            if "share" in part:
                values["contribution_share"] = _number(c, part, "share", "classes.contribution.", 0.01, 1, whole=False)
    if "stability" in section:
        part = _expect(c, section, "stability", section["stability"] or LinedDict(), dict, "classes.")
        if part is not None:
            part = _lined(part)
            c.keys(part, ["min_months", "min_quarters", "max_month_share"], "classes.stability.")
            months = values.get("window_months") or base.window_months
            if "min_months" in part:
                values["min_months"] = _number(c, part, "min_months", "classes.stability.", 1, months, whole=True)
            if "min_quarters" in part:
                quarters = -(-months // 3)
                values["min_quarters"] = _number(c, part, "min_quarters", "classes.stability.", 0, quarters, whole=True)
            if "max_month_share" in part:
                values["max_month_share"] = _number(
                    c, part, "max_month_share", "classes.stability.", 0.01, 1, whole=False
                )
    if "prospects" in section:
        part = _expect(c, section, "prospects", section["prospects"] or LinedDict(), dict, "classes.")
        if part is not None:
            values.update(_parse_prospects(c, _lined(part), base))
    return replace(base, **{k: v for k, v in values.items() if v is not None})


def _parse_prospects(c: ConfigChecker, part: LinedDict, base: ClassRules) -> dict[str, Any]:
    """`classes: prospects:`: the factors' weights, the score from which the expected
    contribution is high, and how many factors must be rated."""
    where = "classes.prospects."
    c.keys(part, ["weights", "high_from", "min_rated"], where)
    values: dict[str, Any] = {}
    if "weights" in part:
        given = _expect(c, part, "weights", part["weights"] or LinedDict(), dict, where)
        if given is not None:
            given = _lined(given)
            c.keys(given, list(FACTORS), where + "weights.")
            weights = dict(base.prospect_weights)
            for factor in FACTORS:
                if factor in given:
                    weight = _number(c, given, factor, where + "weights.", 0, 100, whole=False)
                    if weight is not None:
                        weights[factor] = weight
            if not any(weights.values()):
                c.error(_("at least one factor needs a weight above 0"), part, "weights", where + "weights")
            else:
                values["prospect_weights"] = tuple((f, float(weights[f])) for f in FACTORS)
    if "high_from" in part:
        values["prospect_high_from"] = _number(c, part, "high_from", where, 1, 5, whole=False)
    if "min_rated" in part:
        values["prospect_min_rated"] = _number(c, part, "min_rated", where, 1, len(FACTORS), whole=True)
    return values


def _parse_purchases(c: ConfigChecker, section: LinedDict, base: PurchaseRules) -> PurchaseRules:
    c.keys(section, [f.name for f in fields(PurchaseRules)], "purchases.")
    values: dict[str, Any] = {}
    if "no_purchase_days" in section:
        values["no_purchase_days"] = _number(c, section, "no_purchase_days", "purchases.", 1, 3650, whole=True)
    if "run_out_factor" in section:
        values["run_out_factor"] = _number(c, section, "run_out_factor", "purchases.", 1, 10, whole=False)
    if "run_out_min_orders" in section:
        values["run_out_min_orders"] = _number(c, section, "run_out_min_orders", "purchases.", 2, 100, whole=True)
    return replace(base, **{k: v for k, v in values.items() if v is not None})


def _parse_deal_risks(c: ConfigChecker, section: LinedDict, base: RiskRules) -> RiskRules:
    where = "deal_risks."
    c.keys(section, [f.name for f in fields(RiskRules)], where)
    values: dict[str, Any] = {}
    if "no_activity_days" in section:
        values["no_activity_days"] = _number(c, section, "no_activity_days", where, 1, 3650, whole=True)
    if "min_contacts" in section:
        values["min_contacts"] = _number(c, section, "min_contacts", where, 1, 50, whole=True)
    if "stage_days" in section:
        raw = _expect(c, section, "stage_days", section["stage_days"] or LinedDict(), dict, where)
        if raw is not None:
            raw = _lined(raw)
            c.keys(raw, list(RISK_STAGE_KEYS), f"{where}stage_days.")
            days = dict(base.stage_days)
            for key in RISK_STAGE_KEYS:
                if key in raw:
                    n = _number(c, raw, key, f"{where}stage_days.", 1, 3650, whole=True)
                    if n is not None:
                        days[key] = int(n)
            values["stage_days"] = days
    for key, allowed in (("price_objections", None), ("ignore", list(RISK_KEYS))):
        if key not in section:
            continue
        raw = section[key] if section[key] is not None else []
        if not isinstance(raw, list) or not all(isinstance(v, str) and v.strip() for v in raw):
            c.error(_("expected a list of ids, got {value!r}").format(value=raw), section, key, where + key)
            continue
        unknown = [v for v in raw if allowed is not None and v not in allowed]
        if unknown:
            c.error(
                _("unknown risk {value!r}; the risks are: {known}").format(
                    value=unknown[0], known=", ".join(allowed or [])
                ),
                section,
                key,
                where + key,
            )
            continue
        values[key] = frozenset(raw) if key == "ignore" else tuple(v.strip() for v in raw)
    return replace(base, **{k: v for k, v in values.items() if v is not None})


def _parse_attention(c: ConfigChecker, att: LinedDict, base: AttentionSettings) -> AttentionSettings:
    c.keys(att, ["contact_days"], "attention.")
    days = dict(base.contact_days)
    if "contact_days" in att:
        cd = _expect(c, att, "contact_days", att["contact_days"] or LinedDict(), dict, "attention.")
        if cd is not None:
            cd = _lined(cd)
            c.keys(cd, list(_CLASS_KEYS), "attention.contact_days.")
            for code, n in cd.items():
                if code not in _CLASS_KEYS:
                    continue  # reported above
                n = _expect(c, cd, code, n, int, "attention.contact_days.")
                if n is None:
                    continue
                if n < 1:
                    c.error(_("must be at least 1 day"), cd, code, f"attention.contact_days.{code}")
                    continue
                days["" if code == "other" else code] = n
    return AttentionSettings(days)


def _parse_plan(c: ConfigChecker, pl: LinedDict, base: PlanSettings) -> PlanSettings:
    c.keys(pl, [f.name for f in fields(PlanSettings)], "plan.")
    values = {f.name: getattr(base, f.name) for f in fields(PlanSettings)}
    for key, low, high in (("behind_percent", 0, 99), ("action_notice_days", 0, 365)):
        if key not in pl:
            continue
        n = _expect(c, pl, key, pl[key], int, "plan.")
        if n is None:
            continue
        if not low <= n <= high:
            c.error(_("must be from {low} to {high}").format(low=low, high=high), pl, key, f"plan.{key}")
            continue
        values[key] = n
    return PlanSettings(**values)


_PHASE_KEYS = ("new_toy", "learning", "effectiveness")


def _parse_after_signing(c: ConfigChecker, data: LinedDict, base: Cadence) -> Cadence:
    """Each phase's `lasts` and `follow_up`, whole days of at least 1; learning, the phase
    the method asks to follow most closely, may not have the longest gap between follow-ups."""
    c.keys(data, list(_PHASE_KEYS), "after_signing.")
    rules = {key: base.rule(Phase(key)) or PhaseRule(1, 1) for key in _PHASE_KEYS}
    for key in _PHASE_KEYS:
        if key not in data:
            continue
        where = f"after_signing.{key}."
        raw = _expect(c, data, key, data[key] or LinedDict(), dict, "after_signing.")
        if raw is None:
            continue
        raw = _lined(raw)
        c.keys(raw, ["lasts", "follow_up"], where)
        values = {"lasts": rules[key].lasts, "follow_up": rules[key].follow_up}
        for name in ("lasts", "follow_up"):
            if name not in raw:
                continue
            n = _expect(c, raw, name, raw[name], int, where)
            if n is None:
                continue
            if n < 1:
                c.error(_("must be at least 1 day"), raw, name, f"{where}{name}")
                continue
            values[name] = n
        rules[key] = PhaseRule(**values)
    cadence = Cadence(**rules)
    closest = min(cadence.new_toy.follow_up, cadence.effectiveness.follow_up)
    if cadence.learning.follow_up > closest:
        learning = data.get("learning")
        at: LinedDict = data
        at_key: str | None = None
        if isinstance(learning, LinedDict) and "follow_up" in learning:
            at, at_key = learning, "follow_up"
        c.error(
            _(
                "learning is the phase to follow most closely: its follow_up ({days} days) may not be longer "
                "than new_toy's or effectiveness's ({other} days)"
            ).format(days=cadence.learning.follow_up, other=closest),
            at,
            at_key,
            "after_signing.learning.follow_up",
        )
    return cadence


def _parse_deal_stages(c: ConfigChecker, ds: LinedDict, base: dict[str, str]) -> dict[str, str]:
    stages = dict(base)
    for name, target in ds.items():
        where = f"deal_stages.{name}"
        if not isinstance(name, (str, int)) or isinstance(name, bool) or not str(name).strip():
            c.error(_("expected a stage name as the key, got {value!r}").format(value=name), ds, name, where)
            continue
        stored = deal_stage_target(target)
        if stored is None:
            c.error(
                _(
                    "expected a stage 1-6 (or development, entry, proposal, bidding, negotiation, "
                    "implementation), won or lost, got {value!r}"
                ).format(value=target),
                ds,
                name,
                where,
            )
            continue
        stages[str(name).strip()] = stored
    return stages


def _parse_playbooks(c: ConfigChecker, path: Path, pb: LinedDict, base: PlaybookSettings) -> PlaybookSettings:
    c.keys(pb, [f.name for f in fields(PlaybookSettings)], "playbooks.")
    team_dirs = list(base.team_dirs)
    if "team_dirs" in pb:
        raw = pb["team_dirs"] if pb["team_dirs"] is not None else []
        if not isinstance(raw, list):
            c.error(
                _("expected a list of folders, got {value!r}").format(value=raw), pb, "team_dirs", "playbooks.team_dirs"
            )
            raw = []
        team_dirs = []
        for i, folder in enumerate(raw):
            if not isinstance(folder, str) or not folder.strip():
                container, key = (raw, i) if hasattr(raw, "line_of") else (pb, "team_dirs")
                c.error(
                    _("expected a folder path, got {value!r}").format(value=folder),
                    container,
                    key,
                    f"playbooks.team_dirs[{i}]",
                )
                continue
            folder_path = Path(folder.strip()).expanduser()
            team_dirs.append(str(folder_path if folder_path.is_absolute() else path.parent / folder_path))
    personal = base.personal_file
    if "personal_file" in pb:
        value = _expect(
            c, pb, "personal_file", "" if pb["personal_file"] is None else pb["personal_file"], str, "playbooks."
        )
        if value is not None:
            personal = value.strip()
            if personal and not Path(personal).expanduser().is_absolute():
                personal = str(path.parent / personal)
    return PlaybookSettings(team_dirs=team_dirs, personal_file=personal)


def load_settings(user_file: Path | None) -> Settings:
    """Built-in defaults, then the user's file if it exists. Raises ConfigError (a
    ConfigProblems with every problem when the file could be read).

    The defaults are the dataclass defaults; config/settings.yaml documents the same values
    (a test keeps the two equal), so start-up parses YAML only when the user has a file.
    """
    settings = Settings()
    if user_file is not None and user_file.exists():
        from saletui.yaml_source import read_yaml  # PyYAML costs ~12 ms to import

        data, found = read_yaml(user_file)
        settings = parse_settings(user_file, data, settings, found)
    return settings
