"""Deals (opportunities) from a CRM's CSV export: Salesforce, HubSpot, or a plain sheet.

Reading the file (encodings, delimiters, Excel's date cells) is csv_import's `read_table`;
what is specific to deals lives here:

- **Sources.** The header tells where the file comes from: Salesforce (Data Loader's
  `Id, AccountId, StageName, CloseDate, IsClosed, IsWon ...` or a report's "Opportunity
  Name", "Account Name", "Stage", "Close Date"), HubSpot ("Record ID", "Deal Name", "Deal
  Stage", "Pipeline", "Associated Company IDs") or a plain saletui/Chinese sheet (客户名称,
  项目名称, 阶段, 金额, 预计成交日期). A deal remembers its source and its id there, so a
  re-import updates it: found by source id, then by account and title.
- **Accounts.** A deal links to its account by the CRM's id (`AccountId`, "Associated
  Company IDs"; a Salesforce report's 15-character id matches the 18-character one), else
  by the account's name. Accounts are never created here: import them first.
- **Stages** go through a table: the built-in one below (Salesforce's standard stages,
  HubSpot's default pipeline by internal id and label, saletui's own names) with the
  settings' `deal_stages` over it. A stage maps to 1-6 (the deal stays open) or to won or
  lost. An unknown stage is refused with the value and the setting that would map it.
- **Amounts** are exact, in the account's currency; a currency column must agree with it.
- **Milestones.** A new deal gets the process's milestones exactly as the app's "new
  deal" does (`store.deals.save`): entered at stage N, the milestones of the stages before
  N count as reached. A re-import that moves an existing deal to another stage changes
  only the stage, as the deal form does; the milestones the rep has worked stay as they are.
- **All or nothing**, as the other imports: any bad row and nothing is written, unless
  `skip_bad_rows`; a dry run always rolls back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.stages import STAGES
from saletui.process.schema import Process
from saletui.services.csv_import import (
    ImportReport,
    Progress,
    RowError,
    Table,
    UnknownColumn,
    import_all_or_nothing,
    unescape_formula,
    with_redecode,
)
from saletui.services.import_columns import IGNORE, ColumnMap, Detection, aliases_of, register_kind
from saletui.store import deals
from saletui.store.deals import DealDraft
from saletui.store.models import Deal, database, now
from saletui.store.parse import FieldError
from saletui.store.parse import date as parse_date

SOURCES = {"salesforce": "Salesforce", "hubspot": "HubSpot"}

# The built-in stage table: a CRM's stage (compared as `_key` compares) -> "1".."6", won, lost.
BUILTIN_STAGES: dict[str, str] = {
    # Salesforce's standard Opportunity stages, in their order.
    "Prospecting": "1",
    "Qualification": "1",
    "Needs Analysis": "2",
    "Value Proposition": "3",
    "Id. Decision Makers": "3",
    "Perception Analysis": "3",
    "Proposal/Price Quote": "4",
    "Negotiation/Review": "5",
    "Closed Won": "won",
    "Closed Lost": "lost",
    # HubSpot's default sales pipeline: internal ids (API, "Deal Stage" in some exports) ...
    "appointmentscheduled": "1",
    "qualifiedtobuy": "2",
    "presentationscheduled": "3",
    "decisionmakerboughtin": "4",
    "contractsent": "5",
    "closedwon": "won",
    "closedlost": "lost",
    # ... and the labels the export writes.
    "Appointment Scheduled": "1",
    "Qualified To Buy": "2",
    "Presentation Scheduled": "3",
    "Decision Maker Bought-In": "4",
    "Contract Sent": "5",
    # saletui's own stages, in English and Chinese, as the app and its exports name them.
    "Development": "1",
    "Entry": "2",
    "Proposal": "3",
    "Bidding": "4",
    "Negotiation": "5",
    "Implementation": "6",
    "客户开发": "1",
    "立项": "2",
    "提案": "3",
    "招投标": "4",
    "商务谈判": "5",
    "工程实施": "6",
    "开发": "1",
    "投标": "4",
    "谈判": "5",
    "实施": "6",
    "won": "won",
    "lost": "lost",
    "赢单": "won",
    "成交": "won",
    "已成交": "won",
    "输单": "lost",
    "丢单": "lost",
    "失败": "lost",
}

DEAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "opportunity id", "record id", "deal id", "商机id", "项目id"),
    "account_id": (
        "accountid",
        "account id",
        "associated company ids",
        "associated company id",
        "company id",
        "客户id",
    ),
    "account": (
        "account name",
        "account",
        "associated company",
        "company",
        "company name",
        "customer",
        "客户名称",
        "客户",
        "公司名称",
        "公司",
    ),
    "title": (
        "name",
        "opportunity name",
        "deal name",
        "title",
        "deal",
        "project",
        "项目名称",
        "商机名称",
        "项目",
        "商机",
        "名称",
    ),
    "stage": ("stagename", "stage", "deal stage", "阶段", "销售阶段", "商机阶段", "项目阶段"),
    "amount": ("amount", "value", "deal amount", "金额", "预计金额", "商机金额", "项目金额"),
    "close_date": (
        "closedate",
        "close date",
        "expected close",
        "expected close date",
        "预计成交日期",
        "预计签约日期",
        "成交日期",
        "结单日期",
    ),
    "is_closed": ("isclosed", "closed"),
    "is_won": ("iswon", "won"),
    "currency": ("currencyisocode", "currency", "opportunity currency", "deal currency code", "币种", "货币"),
    "close_reason": (
        "close reason",
        "closed lost reason",
        "closed won reason",
        "loss reason",
        "win reason",
        "输赢原因",
        "赢单原因",
        "输单原因",
    ),
    "pipeline": ("pipeline", "销售管道"),
}

# Columns these exports always have that a saletui deal has no field for: read, not kept,
# and named in the report (instead of "unknown column").
NOT_KEPT = (
    "probability",
    "probability (%)",
    "deal probability",
    "type",
    "deal type",
    "lead source",
    "description",
    "next step",
    "forecast category",
    "forecastcategoryname",
    "expected revenue",
    "opportunity owner",
    "deal owner",
    "owner",
    "ownerid",
    "created date",
    "create date",
    "createddate",
    "last modified date",
    "last activity date",
    "fiscal period",
    "age",
    "stage duration",
    "campaignid",
    "pricebook2id",
    "associated contact",
    "associated contact ids",
    "备注",
    "负责人",
    "可能性",
)

_SALESFORCE_HINTS = {"stagename", "accountid", "isclosed", "iswon", "opportunityname", "opportunityid"}
_HUBSPOT_HINTS = {"recordid", "dealstage", "dealname", "pipeline", "associatedcompany", "associatedcompanyids"}
_YES = {"true", "1", "yes", "y", "是"}
_NO = {"false", "0", "no", "n", "否", ""}


def _key(text: str) -> str:
    """A header or stage as compared: width- and case-folded, no spaces or punctuation,
    no bracketed part ("Associated Company IDs (Primary)", "Probability (%)")."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)
    return re.sub(r"[\s_\-./:：*#]+", "", text.casefold())


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def stage_table(overrides: Mapping[str, str]) -> dict[str, str]:
    """The built-in table with the settings' `deal_stages` over it, keyed as `_key` keys."""
    table = {_key(name): target for name, target in BUILTIN_STAGES.items()}
    for number, stage in enumerate(STAGES, start=1):
        table.setdefault(_key(str(number)), str(number))
        table.setdefault(_key(f"{number} {stage.key}"), str(number))
        table.setdefault(_key(stage.key), str(number))
    table.update({_key(name): target for name, target in overrides.items()})
    return table


@dataclass
class DealImportReport(ImportReport):
    """An ImportReport that also says which CRM the file came from and which of its
    columns were read but have no place in saletui."""

    source: str = ""
    not_kept: list[str] = field(default_factory=list)


def _detect_source(keys: set[str]) -> str:
    if keys & _SALESFORCE_HINTS:
        return "salesforce"
    if keys & _HUBSPOT_HINTS:
        return "hubspot"
    return ""


# Fields only a deal file has: what tells a deals header from an accounts or people one.
_DEAL_ONLY = ("stage", "amount", "close_date", "is_closed", "is_won", "close_reason", "pipeline")


def _aliases() -> dict[str, str]:
    return aliases_of(DEAL_COLUMNS, _key)


def detect_deal_columns(header: Sequence[str]) -> Detection:
    """Each column of a deals header and the field it goes to: read-but-not-kept columns
    and unknown ones go nowhere (the unknown ones with the spelling they probably are)."""
    aliases = _aliases()
    not_kept = {_key(c) for c in NOT_KEPT}
    columns: list[ColumnMap] = []
    score = 0
    taken: set[str] = set()
    for index, raw in enumerate(header):
        key = _key(raw)
        found = aliases.get(key)
        if found is None:
            if key in not_kept or not key:
                columns.append(ColumnMap(raw.strip(), index + 1, IGNORE, bool(key)))
                continue
            close = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.75)
            columns.append(ColumnMap(raw.strip(), index + 1, IGNORE, False, _display(close[0]) if close else None))
            continue
        columns.append(ColumnMap(raw.strip(), index + 1, found))
        if found not in taken:
            score += 4 if found in _DEAL_ONLY else 1
            taken.add(found)
    source = _detect_source({_key(h) for h in header}) or "csv"
    return Detection("deals", source, tuple(columns), score)


def _detector(header: Sequence[str]) -> Detection | None:
    """`detect`'s view of a deals file: one with a deal's title, account and a deal-only
    field (stage, amount, close date ...); None for anything else."""
    detection = detect_deal_columns(header)
    found = {c.field for c in detection.columns}
    if "title" in found and found & {"account", "account_id"} and found & set(_DEAL_ONLY):
        return detection
    return None


register_kind(_detector, "deals", tuple(DEAL_COLUMNS))


def import_deals(
    path: Path,
    *,
    process: Process | None,
    stages: Mapping[str, str] | None = None,
    settings_file: str = "settings.yaml",
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> DealImportReport:
    """Import the deals of the CSV file at `path` into the open database.

    `process` gives new deals their milestones (None: none, as in tests of the mapping
    only); `stages` is the settings' `deal_stages`; `settings_file` is named in the message
    for an unknown stage. Raises ImportFileError when the file cannot be read at all.
    `progress` and `limit` as for csv_import.import_csv.
    """
    options = (process, stages, settings_file, dry_run or limit is not None, skip_bad_rows, mapping, progress, limit)
    return with_redecode(Path(path), encoding, lambda table: _import_table(table, Path(path), *options))


def _import_table(
    table: Table,
    path: Path,
    process: Process | None,
    stages: Mapping[str, str] | None,
    settings_file: str,
    dry_run: bool,
    skip_bad_rows: bool,
    mapping: Mapping[str, str] | None,
    progress: Progress | None,
    limit: int | None,
) -> DealImportReport:
    report = DealImportReport(
        "deals",
        path,
        encoding=table.encoding,
        delimiter=table.delimiter,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
    )
    detection = detect_deal_columns(table.header)
    if mapping:
        detection = detection.remapped(mapping, {IGNORE, *DEAL_COLUMNS})
    report.detection = detection
    not_kept = {_key(c) for c in NOT_KEPT}
    fields_at: dict[str, int] = {}
    report.source = _detect_source({_key(h) for h in table.header})
    for c in detection.columns:
        header = table.header[c.position - 1]
        if not c.field:
            if not c.known and _key(header):
                report.unknown_columns.append(UnknownColumn(header, c.position, c.suggestion))
            elif _key(header) in not_kept:
                report.not_kept.append(header)
            continue
        if c.field in fields_at:
            report.errors.append(
                RowError(
                    table.header_row,
                    header,
                    _("Same column as {other!r}: give it once.").format(other=table.header[fields_at[c.field]]),
                )
            )
            continue
        fields_at[c.field] = c.position - 1
        report.columns[c.field] = header
    mapping_at = fields_at
    if "title" not in mapping_at:
        report.errors.append(
            RowError(
                table.header_row,
                "title",
                _("Required column is missing (call it e.g. {names}).").format(
                    names="'Opportunity Name', 'Deal Name', '项目名称'"
                ),
            )
        )
    if "account" not in mapping_at and "account_id" not in mapping_at:
        report.errors.append(
            RowError(
                table.header_row,
                "account",
                _("Required column is missing (call it e.g. {names}).").format(
                    names="'Account Name', 'AccountId', 'Associated Company', '客户名称'"
                ),
            )
        )
    if report.errors:
        return report
    import_all_or_nothing(
        table,
        report,
        (),
        lambda: _DealImport(report, mapping_at, len(table.header), process, stage_table(stages or {}), settings_file),
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        progress=progress,
        limit=limit,
    )
    report.done()
    return report


def _display(key: str) -> str:
    for name, spellings in DEAL_COLUMNS.items():
        for spelling in (name, *spellings):
            if _key(spelling) == key:
                return spelling if spelling != name else name.replace("_", " ")
    return key


_MONEY_PREFIX = re.compile(r"^\s*([A-Za-z]{3})\s+(?=[\d.,])|^\s*[$¥￥€£]\s*")
_TIME_SUFFIX = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?$", re.I)


def close_date(value: str) -> dt.date | None:
    """A close date as the CRMs write it: ISO (with a time: HubSpot's "2026-03-31 00:00"),
    Chinese Excel's 2026/3/31 or 2026年3月31日, or a report's 31/03/2026 or 3/31/2026
    when the day tells which is which. An ambiguous 03/04/2026 is refused, not guessed."""
    raw = value.strip()
    match = _TIME_SUFFIX.match(raw) or re.match(r"^(\S+)\s+0?0:00(?::00(?:\.0+)?)?$", raw)
    if match:
        raw = match.group(1)
    slashed = _SLASHED.match(raw)
    if slashed:
        first, second, year = (int(g) for g in slashed.groups())
        if first > 12 >= second:
            day, month = first, second
        elif second > 12 >= first:
            day, month = second, first
        elif first == second:
            day = month = first
        else:
            raise FieldError(
                _("Is {value!r} day/month or month/day? Export dates as YYYY-MM-DD.").format(value=value.strip())
            )
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise FieldError(_("Not a date: {value!r} (use YYYY-MM-DD).").format(value=value.strip())) from None
    return parse_date(raw)


def _flag(value: str) -> bool | None:
    key = value.strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return None if not key else False
    raise FieldError(_("Not true or false: {value!r}.").format(value=value.strip()))


class _DealImport:
    def __init__(
        self,
        report: DealImportReport,
        mapping: dict[str, int],
        width: int,
        process: Process | None,
        stages: dict[str, str],
        settings_file: str,
    ) -> None:
        self.report = report
        self.mapping = mapping
        self.width = width
        self.process = process
        self.stages = stages
        self.settings_file = settings_file
        self.source = report.source
        self.by_name: dict[str, list[tuple[int, str, str]]] = {}  # folded name -> (id, name, currency)
        self.by_source_id: dict[str, tuple[int, str, str]] = {}
        self.archived: set[str] = set()
        for account_id, name, currency, source, source_id, archived in database.execute_sql(
            "SELECT id, name, currency, source, source_id, archived_at IS NOT NULL FROM account"
        ).fetchall():
            if archived:
                self.archived.add(_fold(name))
                continue
            self.by_name.setdefault(_fold(name), []).append((account_id, name, currency))
            if source_id and source == self.source:
                self.by_source_id[source_id] = (account_id, name, currency)
        self.deals: dict[tuple[int, str], list[tuple[int, str, str]]] | None = None
        self.deal_ids: dict[tuple[str, str], int] | None = None
        self.seen_ids: dict[str, int] = {}
        self.seen_titles: dict[tuple[int, str], int] = {}

    def column(self, name: str) -> str:
        return self.report.column(name)

    def fail(self, number: int, errors: dict[str, str], name: str) -> None:
        self.report.fail(number, errors, name)

    def count(self, number: int, action: str, name: str) -> None:
        self.report.count(number, action, name)

    # -- the account -------------------------------------------------------------------

    def account(self, values: dict[str, str]) -> tuple[tuple[int, str, str] | None, str, str]:
        """(account, "", "") or (None, column, message)."""
        raw_ids = values.get("account_id", "").strip()
        for candidate in (p.strip() for p in re.split(r"[;,]", raw_ids) if p.strip()):
            found = self.by_source_id.get(candidate)
            if found is None and self.source == "salesforce" and len(candidate) == 15:
                # A report's 15-character id is the case-sensitive start of the 18-character one.
                matches = [a for sid, a in self.by_source_id.items() if len(sid) == 18 and sid[:15] == candidate]
                found = matches[0] if len(matches) == 1 else None
            if found is not None:
                return found, "", ""
        name = values.get("account", "").strip()
        if name:
            matches = self.by_name.get(_fold(name), [])
            if len(matches) > 1:
                matches = [m for m in matches if m[1] == name] or matches
            if len(matches) == 1:
                return matches[0], "", ""
            if matches:
                return None, "account", _("{n} active accounts are called {name!r}.").format(n=len(matches), name=name)
            if _fold(name) in self.archived:
                return None, "account", _("The account {name!r} is archived; restore it first.").format(name=name)
            message = _("No active account called {name!r}; import or add it first.").format(name=name)
            if raw_ids:
                message += " " + _("No account imported from {source} has the id {value!r} either.").format(
                    source=SOURCES.get(self.source, self.source or "?"), value=raw_ids
                )
            close = difflib.get_close_matches(_fold(name), list(self.by_name), n=1, cutoff=0.8)
            if close:
                message += " " + _("Did you mean {name!r}?").format(name=self.by_name[close[0]][0][1])
            return None, "account", message
        if raw_ids:
            return (
                None,
                "account_id",
                _("No account imported from {source} has the id {value!r}; import the accounts first.").format(
                    source=SOURCES.get(self.source, self.source or "?"), value=raw_ids
                ),
            )
        return None, "account" if "account" in self.mapping else "account_id", _("Which account? This cell is empty.")

    # -- one row ---------------------------------------------------------------------

    def finish(self) -> None:
        """Nothing is held back: each deal is written as its row is read."""

    def close(self) -> None:
        """Nothing to drop: the deals import keeps its lookups in Python (one per account)."""

    def row(self, number: int, cells: list[str]) -> None:
        extra = [c for c in cells[self.width :] if c.strip()]
        if extra:
            self.fail(
                number,
                {"(row)": _("{n} more cells than the header has columns.").format(n=len(cells) - self.width)},
                "",
            )
            return
        values = {
            name: unescape_formula(cells[index]) if index < len(cells) else "" for name, index in self.mapping.items()
        }
        title = values["title"].strip()
        source_id = values.get("source_id", "").strip() if self.source else ""
        if source_id and source_id in self.seen_ids:
            self.fail(
                number,
                {"source_id": _("Same deal as row {row}: give each deal once.").format(row=self.seen_ids[source_id])},
                title,
            )
            return
        account, column, problem = self.account(values)
        if account is None:
            self.fail(number, {column: problem}, title)
            return
        account_id, account_name, currency = account
        errors: dict[str, str] = {}

        target = self.stage_target(values.get("stage", ""), errors)
        closed = won = None
        try:
            closed = _flag(values.get("is_closed", ""))
        except FieldError as exc:
            errors["is_closed"] = str(exc)
        try:
            won = _flag(values.get("is_won", ""))
        except FieldError as exc:
            errors["is_won"] = str(exc)
        if closed is not None and "stage" in errors and "is_closed" not in errors and closed:
            del errors["stage"]  # Salesforce's own IsClosed/IsWon settle a custom closing stage
        status = "open"
        if target in ("won", "lost"):
            status = target
        if closed is True:
            status = "won" if won else "lost"
        elif closed is False and target in ("won", "lost"):
            errors["is_closed"] = _("IsClosed is false but the stage {value!r} closes the deal.").format(
                value=values.get("stage", "").strip()
            )
        stage = int(target) if target and target.isdigit() else None

        file_currency = values.get("currency", "").strip().upper()
        amount = values.get("amount", "")
        prefix = _MONEY_PREFIX.match(amount)
        if prefix:
            if prefix.group(1):
                file_currency = file_currency or prefix.group(1).upper()
            amount = amount[prefix.end() :]
        if file_currency and file_currency != currency:
            errors["currency" if "currency" in self.mapping else "amount"] = _(
                "The deal is in {value!r} but {account!r} keeps its amounts in {currency}: "
                "convert it, or change the account's currency first."
            ).format(value=file_currency, account=account_name, currency=currency)
        close_on = None
        try:
            close_on = close_date(values.get("close_date", ""))
        except FieldError as exc:
            errors["close_date"] = str(exc)

        deal = self.find(account_id, source_id, title)
        if stage is None:
            stage = deal.stage if deal is not None else (6 if status == "won" else 1)
        draft = DealDraft(
            title=title, value=amount, expected_close=close_on.isoformat() if close_on else "", stage=stage
        )
        if "amount" not in self.mapping and deal is not None:
            draft.value = deals.DealDraft.from_deal(deal).value
        if "close_date" not in self.mapping and deal is not None:
            draft.expected_close = deal.expected_close.isoformat() if deal.expected_close else ""
        try:
            cleaned = deals.clean(draft, currency)
        except ValidationError as exc:
            errors = {**{("amount" if k == "value" else k): v for k, v in exc.errors.items()}, **errors}
            cleaned = {}
        if errors:
            self.fail(number, errors, title)
            return
        if source_id:
            self.seen_ids[source_id] = number
        title_key = (account_id, _fold(title))
        if not source_id and title_key in self.seen_titles:
            self.fail(
                number,
                {"title": _("Same deal as row {row}: give each deal once.").format(row=self.seen_titles[title_key])},
                title,
            )
            return
        self.seen_titles[title_key] = number

        reason = values.get("close_reason", "").strip()
        closed_at: dt.datetime | None = None
        if status != "open":
            closed_at = dt.datetime.combine(close_on, dt.time(0, 0)) if close_on else None
            if closed_at is None:
                closed_at = deal.closed_at if deal is not None and deal.status == status and deal.closed_at else now()
            if not reason:
                reason = (deal.close_reason if deal is not None else "") or _(
                    "Imported as {stage!r} from {source}."
                ).format(
                    stage=values.get("stage", "").strip() or status,
                    source=SOURCES.get(self.source, self.report.path.name),
                )
        extra_values: dict[str, object] = {"status": status, "closed_at": closed_at}
        if reason or deal is None:
            extra_values["close_reason"] = reason
        if self.source:
            extra_values["source"] = self.source
            if source_id:
                extra_values["source_id"] = source_id
        if deal is None:
            created = deals.save(account_id, draft, process=self.process)
            Deal.update(**extra_values).where(Deal.id == created.id).execute()
            self.remember(created.id, account_id, title, self.source, source_id)
            self.count(number, "create", title)
            return
        wanted = {**cleaned, **extra_values}
        if deal.account_id != account_id:  # moved to another account in the CRM
            wanted["account"] = account_id
        if all(getattr(deal, k) == v for k, v in wanted.items() if k != "account") and "account" not in wanted:
            self.count(number, "unchanged", title)
            return
        if wanted.get("stage", deal.stage) != deal.stage:
            wanted["stage_on"] = dt.date.today()  # reached in the CRM by today at the latest
        Deal.update(**wanted, updated_at=now()).where(Deal.id == deal.id).execute()
        self.count(number, "update", title)

    def stage_target(self, raw: str, errors: dict[str, str]) -> str | None:
        value = raw.strip()
        if not value:
            return None
        target = self.stages.get(_key(value))
        if target is None:
            errors["stage"] = _(
                'Unknown stage {value!r}: map it under deal_stages in {settings} (e.g. "{value}": 3), '
                "to 1-6, won or lost."
            ).format(value=value, settings=self.settings_file)
        return target

    def find(self, account_id: int, source_id: str, title: str) -> Deal | None:
        """The deal this row updates: the one with the same source id, else the one of the
        same account with the same title that does not belong to another record there."""
        if self.deals is None:  # read once: a query per row made 2,000 deals take a minute
            self.deals, self.deal_ids = {}, {}
            for deal_id, account, deal_title, source, deal_source_id in database.execute_sql(
                "SELECT id, account_id, title, source, source_id FROM deal ORDER BY id"
            ).fetchall():
                self.remember(deal_id, account, deal_title, source, deal_source_id)
        assert self.deal_ids is not None
        if source_id and (self.source, source_id) in self.deal_ids:
            return Deal.get_by_id(self.deal_ids[(self.source, source_id)])
        for deal_id, source, deal_source_id in self.deals.get((account_id, _fold(title)), []):
            if source_id and source == self.source and deal_source_id and deal_source_id != source_id:
                continue
            return Deal.get_by_id(deal_id)
        return None

    def remember(self, deal_id: int, account_id: int, title: str, source: str, source_id: str) -> None:
        assert self.deals is not None and self.deal_ids is not None
        self.deals.setdefault((account_id, _fold(title)), []).append((deal_id, source, source_id))
        if source_id:
            self.deal_ids[(source, source_id)] = deal_id
