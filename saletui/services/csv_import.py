"""Accounts and people from a spreadsheet (CSV), as reps keep them in Excel or WPS.

- **Encoding**: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), and
  GB18030 (a superset of GBK/GB2312, what Chinese Excel writes for "CSV"). UTF-8 is tried
  first: a GBK file is practically never valid UTF-8, while UTF-8 Chinese often decodes
  as (wrong) GB18030. `ImportReport.encoding` says which one was used.
- **Delimiter**: comma, semicolon (European Excel) or tab, sniffed from the header row.
- **Header**: column names in English or Chinese, ignoring case, spaces, `_`/`-` and a
  bracketed unit ("Market capacity (CNY)"). Unknown columns are reported with a close
  match and ignored; a missing required column stops the import before any row is read.
- **Values** go through the same validation as the forms (`accounts.clean`,
  `people.clean`, `parse.*`); this module only maps other spellings onto the stored ones
  ("现有客户" -> customer, "高" -> high, "前5" -> top5, "是" -> coach) and leaves everything
  else for the form rules to accept or refuse with their own message.
- **Matching**: an account is the active account with the same name ignoring case; a
  person is the one with the same name at the same account. A matched row updates only
  the columns the file has; a blank cell clears the field (except the relationship, which
  keeps its value: a blank there means "not said"). Re-importing a file is therefore
  harmless: its rows come back as "unchanged".
- **Transaction**: everything runs in one transaction. By default any bad row rolls it
  all back (nothing is written); with `skip_bad_rows` the good rows are kept. A dry run
  does the whole import and always rolls back, so its counts are exactly what a real run
  would do.

Row numbers are the ones a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, cast

from saletui.errors import ValidationError
from saletui.i18n import _, ngettext
from saletui.method.org import would_create_cycle
from saletui.money import DEFAULT_CURRENCY
from saletui.services.csv_export import FORMULA_PREFIXES
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, database, now
from saletui.store.people import PersonDraft

KINDS = ("accounts", "people")


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not text, a workbook, bad CSV)."""


class RowError(NamedTuple):
    """One problem in one row, a (row, column, message) tuple: `row` as a spreadsheet counts
    it (the header is row 1), `column` as the file's header names it."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}: {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class UnknownColumn:
    """A header the import does not know; its values are ignored."""

    column: str
    position: int  # 1-based, as the spreadsheet's A, B, C ... counts
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What happens (or would happen) to one row: for a preview."""

    row: int
    action: str  # "create", "update", "unchanged" or "error"
    name: str


@dataclass
class ImportReport:
    """Everything an import did or would do; `written` says whether it was kept."""

    kind: str
    path: Path
    encoding: str = ""
    delimiter: str = ","
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as in the file
    unknown_columns: list[UnknownColumn] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)
    dry_run: bool = False
    skip_bad_rows: bool = False
    written: bool = False

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> str:
        """ "12 created, 3 updated, 0 unchanged; 2 bad rows"."""
        return (
            _("{created} created, {updated} updated, {unchanged} unchanged").format(
                created=self.created,
                updated=self.updated,
                unchanged=self.unchanged,
            )
            + "; "
            + ngettext("{n} bad row", "{n} bad rows", self.bad_rows).format(n=self.bad_rows)
        )

    def summary(self) -> str:
        """One line for the user: what was written, would be written, or why nothing was."""
        if self.dry_run:
            return _("Dry run, nothing written; the import would give: {counts}").format(counts=self.counts())
        if self.written:
            if self.errors:
                return _("Imported the good rows: {counts} (skipped)").format(counts=self.counts())
            return _("Imported: {counts}").format(counts=self.counts())
        if self.bad_rows and not self.rows:  # the header itself is unusable
            return _("Nothing imported: the header needs fixing.")
        return _(
            "Nothing imported: {bad} (all or nothing). The other rows would give {created} created, "
            "{updated} updated, {unchanged} unchanged; fix the bad rows, or import the good ones with "
            "--skip-bad-rows."
        ).format(
            bad=ngettext("{n} bad row", "{n} bad rows", self.bad_rows).format(n=self.bad_rows),
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )


# -- spellings --------------------------------------------------------------------------------


def _key(text: str) -> str:
    """A header or choice as compared: width-folded, case-folded, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)  # "Market capacity (CNY)"
    return re.sub(r"[\s_\-./:：*#]+", "", text.casefold())


def _fold(name: str) -> str:
    """A name as matched: case-insensitive, Unicode-normalised, outer spaces ignored."""
    return unicodedata.normalize("NFC", name).strip().casefold()


ACCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "account",
        "account name",
        "company",
        "company name",
        "customer",
        "customer name",
        "客户名称",
        "公司名称",
        "客户",
        "客户名",
        "公司",
        "单位名称",
        "企业名称",
        "名称",
    ),
    "industry": ("industry", "sector", "行业", "所属行业"),
    "region": ("region", "area", "territory", "区域", "地区", "大区", "片区"),
    "owner": (
        "owner",
        "rep",
        "sales rep",
        "account owner",
        "salesperson",
        "负责人",
        "销售",
        "销售代表",
        "客户经理",
        "业务员",
    ),
    "relationship": (
        "relationship",
        "status",
        "customer type",
        "account type",
        "type",
        "客户类型",
        "关系",
        "客户状态",
        "类型",
    ),
    "contribution": ("contribution", "贡献", "贡献度"),
    "stability": ("stability", "稳定性"),
    "expected_value": ("expected value", "expected contribution", "预期贡献", "预期价值"),
    "intent": ("intent", "intention", "意向", "合作意向"),
    "tier": ("tier", "5+5+5", "分级", "层级", "客户分级"),
    "currency": ("currency", "currency code", "币种", "货币"),
    "market_capacity": ("market capacity", "capacity", "market size", "市场容量", "容量"),
    "excluded_capacity": ("excluded capacity", "排除容量", "不参与容量"),
    "excluded_channels": ("excluded channels", "排除渠道", "不参与渠道"),
    "credit_terms": ("credit terms", "credit", "信用条件", "信用"),
    "payment_terms": ("payment terms", "payment", "付款条件", "付款方式", "账期"),
    "next_step": ("next step", "next action", "下一步", "下一步行动"),
    "next_step_date": ("next step date", "next step due", "下一步日期"),
    "rules_of_engagement": ("rules of engagement", "交往规则", "合作规则"),
    "profile_notes": (
        "notes",
        "profile",
        "profile notes",
        "note",
        "remarks",
        "comments",
        "备注",
        "简介",
        "客户简介",
        "客户概况",
    ),
}

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "account": ("account", "account name", "company", "customer", "客户名称", "客户", "公司名称", "公司", "单位"),
    "name": ("name", "person", "contact", "contact name", "full name", "姓名", "联系人", "名字"),
    "title": ("title", "job title", "position", "职务", "职位", "头衔"),
    "department": ("department", "dept", "部门"),
    "reports_to": ("reports to", "manager", "boss", "上级", "直接上级", "汇报给", "汇报对象"),
    "influence": ("influence", "影响力", "影响力等级"),
    "is_coach": ("coach", "is coach", "教练", "是否教练"),
    "attitude": ("attitude", "态度"),
    "coverage": ("coverage", "覆盖", "接触程度", "覆盖程度"),
    "buying_role": ("buying role", "role", "角色", "采购角色"),
    "owner": ("owner", "our owner", "relationship owner", "负责人", "我方负责人"),
    "phone": ("phone", "telephone", "mobile", "tel", "电话", "手机", "联系电话"),
    "fax": ("fax", "传真"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮件", "电子邮箱"),
    "interests": ("interests", "hobbies", "兴趣", "爱好", "兴趣爱好"),
    "pains": ("pains", "pain points", "痛点"),
    "good_supplier": ("good supplier", "ideal supplier", "好供应商标准", "理想供应商"),
    "responsibility": ("responsibility", "responsibilities", "职责"),
    "notes": ("notes", "note", "remarks", "comments", "备注"),
}

# Written by `saletui export` for reading only; a re-import ignores them without a word.
EXPORT_ONLY = {
    "accounts": ("id", "class", "分类", "created at", "updated at", "archived at", "warnings"),
    "people": ("id", "last contacted", "created at", "updated at"),
}
REQUIRED = {"accounts": ("name",), "people": ("account", "name")}

_RELATIONSHIPS = {
    "customer": ("customer", "existing customer", "existing", "client", "现有客户", "已有客户", "老客户", "客户"),
    "prospect": ("prospect", "potential customer", "potential", "潜在客户", "潜在", "意向客户"),
    "future": ("future", "future customer", "未来客户", "未来"),
}
_LEVELS = {"high": ("high", "h", "高"), "low": ("low", "l", "低")}
_TIERS = {
    "top5": ("top5", "top", "topfive", "前5", "前五", "头部5"),
    "middle5": ("middle5", "middle", "mid5", "mid", "middlefive", "中5", "中五", "中间5", "中间五", "中间"),
    "new5": ("new5", "new", "newfive", "新5", "新五", "新增5", "新增"),
    "": ("none", "无", "-"),
}
_ATTITUDES = {
    "mentor": ("mentor", "导师", "++"),
    "supporter": ("supporter", "support", "支持者", "支持", "+"),
    "neutral": ("neutral", "中立", "="),
    "non-supporter": ("non-supporter", "nonsupporter", "not supporter", "不支持", "不支持者", "非支持者", "-"),
    "opponent": ("opponent", "against", "反对者", "反对", "--"),
    "": ("unknown", "未知", "?"),
}
_ROLES = {
    "decision-maker": ("decision maker", "decider", "决策者", "拍板人", "决策人"),
    "economic-buyer": ("economic buyer", "经济购买者", "经济决策者", "财务决策者"),
    "technical-evaluator": ("technical evaluator", "技术评估者", "技术评估", "技术把关者", "技术把关"),
    "user": ("user", "end user", "使用者", "用户", "使用部门"),
    "procurement": ("procurement", "purchasing", "buyer", "采购", "采购方"),
    "gatekeeper": ("gatekeeper", "守门人", "把关者", "看门人"),
}
_COVERAGES = {
    "unknown": ("unknown", "未知"),
    "none": ("none", "no contact", "无", "未接触", "没有接触"),
    "brief": ("brief", "简短", "少量接触", "接触过"),
    "multiple": ("multiple", "多次", "多次接触"),
    "in-depth": ("in depth", "in-depth", "深入", "深度"),
}
_YES = ("yes", "y", "true", "1", "x", "✓", "✔", "√", "是", "对", "有")
_NO = ("no", "n", "false", "0", "否", "不是", "无", "")


def _spellings(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for stored, names in table.items():
        for name in (stored, *names):
            out.setdefault(name.strip(), stored)  # symbols such as "-" and "--" match as typed
            if _key(name):
                out.setdefault(_key(name), stored)
    return out


def _normaliser(table: Mapping[str, tuple[str, ...]]) -> Callable[[str], str]:
    """Map another spelling onto the stored value; anything unknown is passed on unchanged,
    so the form's own rule refuses it with its own message."""
    spellings = _spellings(table)

    def normalise(value: str) -> str:
        raw = value.strip()
        if raw in spellings:
            return spellings[raw]
        return spellings.get(_key(raw), raw)

    return normalise


_relationship = _normaliser(_RELATIONSHIPS)
_level = _normaliser(_LEVELS)
_tier = _normaliser(_TIERS)
_attitude = _normaliser(_ATTITUDES)
_role = _normaliser(_ROLES)
_coverage = _normaliser(_COVERAGES)
_MIDNIGHT = re.compile(r"^(\S+)\s+0?0:00(?::00(?:\.0+)?)?$")


def _date(value: str) -> str:
    """Excel writes a date cell as "2026-03-01 00:00:00" or "2026/3/1 0:00": keep the day."""
    match = _MIDNIGHT.match(value.strip())
    return match.group(1) if match else value


def _coach(value: str) -> bool:
    key = _key(value)
    if key in {_key(v) for v in _YES}:
        return True
    if key in {_key(v) for v in _NO}:
        return False
    raise ValueError(_("Not yes or no: {value!r}.").format(value=value.strip()))


def unescape_formula(cell: str) -> str:
    """Undo the export's formula guard: a leading `'` before `= + - @`, tab, CR or `'`."""
    if len(cell) > 1 and cell[0] == "'" and (cell[1] == "'" or cell[1:].startswith(FORMULA_PREFIXES)):
        return cell[1:]
    return cell


# -- reading the file ---------------------------------------------------------------------------


@dataclass
class _Table:
    encoding: str
    delimiter: str
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)


def _decode(data: bytes, encoding: str | None, path: Path) -> tuple[str, str]:
    if encoding:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFileError(_("unknown encoding {name!r}").format(name=encoding)) from None
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("{path} is not {encoding} (byte {at})").format(path=path, encoding=codec, at=exc.start + 1)
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError(_("{path} starts like UTF-16 text but is not").format(path=path)) from None
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportFileError(
            _('{path} is neither UTF-8 nor GB18030/GBK text; save it as "CSV UTF-8"').format(path=path)
        ) from None


def _sniff(text: str) -> str:
    """The delimiter used most in the header line (outside quotes); comma when none is."""
    first, in_quotes = [], False
    for ch in text:
        if ch == '"':
            in_quotes = not in_quotes
        elif ch in "\r\n" and not in_quotes:
            break
        elif not in_quotes:
            first.append(ch)
    line = "".join(first)
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])  # ties keep the order above: comma first
    return best if counts[best] else ","


def read_table(path: Path, encoding: str | None = None) -> _Table:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(_('{path} is an Excel workbook, not CSV: save it as "CSV UTF-8" first').format(path=path))
    text, used = _decode(data, encoding, path)
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise ImportFileError(_("{path} contains NUL bytes: it is not a CSV text file").format(path=path))
    delimiter = _sniff(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ImportFileError(_("{path} is not valid CSV: {reason}").format(path=path, reason=exc)) from None
    numbered = [(i, cells) for i, cells in enumerate(records, start=1) if any(c.strip() for c in cells)]
    if not numbered:
        raise ImportFileError(_("{path} is empty: no header row").format(path=path))
    header_row, header = numbered[0]
    return _Table(used, delimiter, header_row, [h.strip() for h in header], numbered[1:])


def _map_header(kind: str, table: _Table, report: ImportReport) -> dict[str, int] | None:
    """Field name -> column index; None (and errors on the header row) when unusable."""
    columns = ACCOUNT_COLUMNS if kind == "accounts" else PERSON_COLUMNS
    aliases: dict[str, str] = {}
    for name, spellings in columns.items():
        for spelling in (name, *spellings):
            aliases.setdefault(_key(spelling), name)
    ignored = {_key(c) for c in EXPORT_ONLY[kind]}
    mapping: dict[str, int] = {}
    for index, header in enumerate(table.header):
        key = _key(header)
        if not key:
            if any(index < len(cells) and cells[index].strip() for _row, cells in table.rows):
                report.unknown_columns.append(UnknownColumn(header, index + 1))
            continue
        if key in ignored:
            continue
        field = aliases.get(key)
        if field is None:
            close = difflib.get_close_matches(key, list(aliases), n=1, cutoff=0.75)
            suggestion = _display(close[0], columns) if close else None
            report.unknown_columns.append(UnknownColumn(header, index + 1, suggestion))
            continue
        if field in mapping:
            report.errors.append(
                RowError(
                    table.header_row,
                    header,
                    _("Same column as {other!r}: give it once.").format(other=table.header[mapping[field]]),
                )
            )
            continue
        mapping[field] = index
        report.columns[field] = header
    for name in REQUIRED[kind]:
        if name not in mapping:
            examples = ", ".join(repr(s) for s in columns[name][:1] + _chinese(columns[name])[:2])
            report.errors.append(
                RowError(
                    table.header_row,
                    name.replace("_", " "),
                    _("Required column is missing (call it e.g. {names}).").format(names=examples),
                )
            )
    return None if report.errors else mapping


def _chinese(spellings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for s in spellings if not s.isascii())


def _display(key: str, columns: dict[str, tuple[str, ...]]) -> str:
    """The spelling of a header key as the user would type it."""
    for name, spellings in columns.items():
        for spelling in (name, *spellings):
            if _key(spelling) == key:
                return spelling if spelling != name else name.replace("_", " ")
    return key


# -- the import ---------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised to leave the import's transaction without keeping anything."""


def import_csv(
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    currency: str = DEFAULT_CURRENCY,
) -> ImportReport:
    """Import `kind` ("accounts" or "people") from the CSV file at `path` into the open database.

    New accounts without a currency column take `currency` (the `currency:` setting); their
    amounts are read exactly, in that currency's minor units.

    Raises ImportFileError when the file cannot be read at all; every other problem is in
    the report's `errors`, and `written` says whether anything was kept.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    table = read_table(Path(path), encoding)
    report = ImportReport(
        kind,
        Path(path),
        encoding=table.encoding,
        delimiter=table.delimiter,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
    )
    mapping = _map_header(kind, table, report)
    if mapping is None:
        return report
    importer: _Import = (
        _AccountImport(report, mapping, len(table.header), currency)
        if kind == "accounts"
        else _PeopleImport(report, mapping, len(table.header))
    )
    try:
        with database.atomic("IMMEDIATE"):
            for number, cells in table.rows:
                importer.row(number, cells)
            importer.finish()
            if dry_run or (report.errors and not skip_bad_rows):
                raise _Rollback
            report.written = True
    except _Rollback:
        pass
    report.errors.sort(key=lambda e: e.row)
    return report


class _Import:
    def __init__(self, report: ImportReport, mapping: dict[str, int], width: int) -> None:
        self.report = report
        self.mapping = mapping
        self.width = width  # cells in the header row

    def values(self, number: int, cells: list[str]) -> dict[str, str] | None:
        """The row's cells by field name; None (reported) when it has more cells than the header."""
        extra = [c for c in cells[self.width :] if c.strip()]
        if extra:
            self.report.errors.append(
                RowError(
                    number,
                    _("(row)"),
                    _(
                        "{n} more cells than the header has columns: is a {delimiter} inside a value without quotes?"
                    ).format(n=len(cells) - self.width, delimiter=_delimiter_name(self.report.delimiter)),
                )
            )
            self.report.rows.append(RowOutcome(number, "error", ""))
            return None
        return {
            name: unescape_formula(cells[index]) if index < len(cells) else "" for name, index in self.mapping.items()
        }

    def column(self, name: str) -> str:
        """The column a field came from, as the file calls it."""
        return self.report.columns.get(name, name.replace("_", " "))

    def fail(self, number: int, errors: dict[str, str], name: str) -> None:
        for field_name, message in errors.items():
            self.report.errors.append(RowError(number, self.column(field_name), message))
        self.report.rows.append(RowOutcome(number, "error", name))

    def count(self, number: int, action: str, name: str) -> None:
        if action == "create":
            self.report.created += 1
        elif action == "update":
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        self.report.rows.append(RowOutcome(number, action, name))

    def row(self, number: int, cells: list[str]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


def _delimiter_name(delimiter: str) -> str:
    return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(delimiter, repr(delimiter))


class _AccountImport(_Import):
    def __init__(self, report: ImportReport, mapping: dict[str, int], width: int, currency: str) -> None:
        super().__init__(report, mapping, width)
        self.currency = currency
        self.existing: dict[str, list[int]] = {}
        for account_id, name in database.execute_sql(
            "SELECT id, name FROM account WHERE archived_at IS NULL"
        ).fetchall():
            self.existing.setdefault(_fold(name), []).append(account_id)
        self.seen: dict[str, int] = {}

    def row(self, number: int, cells: list[str]) -> None:
        values = self.values(number, cells)
        if values is None:
            return
        name = values["name"].strip()
        key = _fold(name)
        if name and key in self.seen:
            self.fail(
                number,
                {"name": _("Same account as row {row}: give each account once.").format(row=self.seen[key])},
                name,
            )
            return
        if name:
            self.seen[key] = number
        ids = self.existing.get(key, []) if name else []
        if len(ids) > 1:
            exact = [i for i in ids if Account.get_by_id(i).name == name]
            ids = exact if len(exact) == 1 else ids
        if len(ids) > 1:
            self.fail(
                number,
                {
                    "name": _("{n} active accounts are called {name!r}; rename one in the app first.").format(
                        n=len(ids), name=name
                    )
                },
                name,
            )
            return
        account = Account.get_by_id(ids[0]) if ids else None
        # An existing account's amounts come back exactly (minor units, as text); a new one
        # is in the settings' currency unless the file has a currency column.
        draft = AccountDraft.from_account(account) if account else AccountDraft(currency=self.currency)
        for field_name, value in values.items():
            if field_name == "relationship":
                if value.strip():
                    draft.relationship = _relationship(value)
            elif field_name == "currency":
                if value.strip():  # a blank keeps the account's (or the default) currency
                    draft.currency = value
            elif field_name in ("contribution", "stability", "expected_value", "intent"):
                setattr(draft, field_name, _level(value))
            elif field_name == "tier":
                draft.tier = _tier(value)
            elif field_name == "next_step_date":
                draft.next_step_date = _date(value)
            else:
                setattr(draft, field_name, value)
        account_id = account.id if account else None
        try:
            cleaned = accounts.clean(draft, account_id)
            if account is not None and all(getattr(account, k) == v for k, v in cleaned.items()):
                self.count(number, "unchanged", name)
                return
            saved = accounts.save(draft, account_id)
        except ValidationError as exc:
            self.fail(number, exc.errors, name)
            return
        self.count(number, "create" if account is None else "update", name)
        if account is None:
            self.existing[key] = [saved.id]


class _PeopleImport(_Import):
    """People rows, then (in `finish`) their reporting lines.

    Values are checked by `people.clean`; the rows are written directly and each
    account's warning count is refreshed once at the end (not once per row, as
    `people.save` does): 20,000 people import in seconds, not minutes.
    """

    def __init__(self, report: ImportReport, mapping: dict[str, int], width: int) -> None:
        super().__init__(report, mapping, width)
        self.accounts: dict[str, list[tuple[int, str]]] = {}
        self.archived: set[str] = set()
        for account_id, name, archived in database.execute_sql(
            "SELECT id, name, archived_at IS NOT NULL FROM account"
        ).fetchall():
            if archived:
                self.archived.add(_fold(name))
            else:
                self.accounts.setdefault(_fold(name), []).append((account_id, name))
        self.people: dict[int, dict[str, list[int]]] = {}  # account -> folded name -> ids
        self.trees: dict[int, dict[int, int | None]] = {}  # account -> person -> manager
        self.in_file: dict[tuple[int, str], tuple[int, int]] = {}  # -> (row, person id)
        self.managers: list[tuple[int, int, int, str, int]] = []  # row, person, account, name, outcome
        self.touched: set[int] = set()  # accounts whose warning count must be refreshed

    def staff(self, account_id: int) -> dict[str, list[int]]:
        if account_id not in self.people:
            index: dict[str, list[int]] = {}
            tree: dict[int, int | None] = {}
            for person_id, name, manager in database.execute_sql(
                "SELECT id, name, reports_to_id FROM person WHERE account_id = ? ORDER BY id", (account_id,)
            ).fetchall():
                index.setdefault(_fold(name), []).append(person_id)
                tree[person_id] = manager
            self.people[account_id] = index
            self.trees[account_id] = tree
        return self.people[account_id]

    def account(self, raw: str) -> tuple[int | None, str | None]:
        name = raw.strip()
        if not name:
            return None, _("Which account? This cell is empty.")
        matches = self.accounts.get(_fold(name), [])
        if len(matches) > 1:
            matches = [m for m in matches if m[1] == name] or matches
        if len(matches) == 1:
            return matches[0][0], None
        if len(matches) > 1:
            return None, _("{n} active accounts are called {name!r}.").format(n=len(matches), name=name)
        if _fold(name) in self.archived:
            return None, _("The account {name!r} is archived; restore it first.").format(name=name)
        message = _("No active account called {name!r}; import or add it first.").format(name=name)
        if len(self.accounts) <= 20_000:
            close = difflib.get_close_matches(_fold(name), list(self.accounts), n=1, cutoff=0.8)
            if close:
                message += " " + _("Did you mean {name!r}?").format(name=self.accounts[close[0]][0][1])
        return None, message

    def row(self, number: int, cells: list[str]) -> None:
        values = self.values(number, cells)
        if values is None:
            return
        name = values["name"].strip()
        account_id, problem = self.account(values["account"])
        if account_id is None:
            self.fail(number, {"account": problem or ""}, name)  # a problem comes with every None
            return
        key = (account_id, _fold(name))
        if name and key in self.in_file:
            self.fail(
                number,
                {
                    "name": _("Same person as row {row}: give each person once per account.").format(
                        row=self.in_file[key][0]
                    )
                },
                name,
            )
            return
        ids = self.staff(account_id).get(_fold(name), []) if name else []
        if len(ids) > 1:
            self.fail(
                number,
                {
                    "name": _("{n} people at this account are called {name!r}; rename one in the app first.").format(
                        n=len(ids), name=name
                    )
                },
                name,
            )
            return
        person = Person.get_by_id(ids[0]) if ids else None
        draft = PersonDraft.from_person(person) if person else PersonDraft()
        errors: dict[str, str] = {}
        for field_name, value in values.items():
            if field_name in ("account", "reports_to"):
                continue
            if field_name == "is_coach":
                try:
                    draft.is_coach = _coach(value)
                except ValueError as exc:
                    errors["is_coach"] = str(exc)
            elif field_name == "attitude":
                draft.attitude = _attitude(value)
            elif field_name == "buying_role":
                draft.buying_role = _role(value)
            elif field_name == "coverage":
                draft.coverage = _coverage(value)
            else:
                setattr(draft, field_name, value)
        person_id = person.id if person else None
        try:
            cleaned = people.clean(account_id, draft, person_id)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
        if errors:
            self.fail(number, errors, name)
            return
        if person is None:
            row_id: int = Person.insert(account=account_id, **cleaned).execute()
            self.staff(account_id).setdefault(_fold(name), []).append(row_id)
            self.trees[account_id][row_id] = cast("int | None", cleaned["reports_to"])  # clean() gives an id or None
            self.touched.add(account_id)
            action = "create"
        else:
            row_id = person.id
            if any(getattr(person, k if k != "reports_to" else "reports_to_id") != v for k, v in cleaned.items()):
                Person.update(**cleaned, updated_at=now()).where(Person.id == row_id).execute()
                self.touched.add(account_id)
                action = "update"
            else:
                action = "unchanged"
        self.in_file[key] = (number, row_id)
        self.count(number, action, name)
        if "reports_to" in self.mapping:
            self.managers.append((number, row_id, account_id, values["reports_to"].strip(), len(self.report.rows) - 1))

    def finish(self) -> None:
        """Reporting lines, once everyone in the file exists: a manager may come later in it."""
        for number, person_id, account_id, manager_name, outcome in self.managers:
            tree = self.trees[account_id]
            manager_id: int | None = None
            if manager_name:
                in_file = self.in_file.get((account_id, _fold(manager_name)))
                candidates = [in_file[1]] if in_file else self.staff(account_id).get(_fold(manager_name), [])
                if len(candidates) != 1:
                    if candidates:
                        message = _("{n} people at this account are called {name!r}.").format(
                            n=len(candidates), name=manager_name
                        )
                    else:
                        message = _("No one called {name!r} at this account (in this file or already saved).").format(
                            name=manager_name
                        )
                    self._manager_failed(number, message)
                    continue
                manager_id = candidates[0]
            if tree.get(person_id) == manager_id:
                continue
            if manager_id is not None and (manager_id == person_id or would_create_cycle(tree, person_id, manager_id)):
                try:  # the store's own check and message; it refuses before writing anything
                    people.move(person_id, manager_id)
                except ValidationError as exc:
                    self._manager_failed(number, "; ".join(exc.errors.values()))
                    continue
            Person.update(reports_to=manager_id, updated_at=now()).where(Person.id == person_id).execute()
            tree[person_id] = manager_id
            self.touched.add(account_id)
            if self.report.rows[outcome].action == "unchanged":
                self.report.unchanged -= 1
                self.report.updated += 1
                self.report.rows[outcome] = RowOutcome(number, "update", self.report.rows[outcome].name)
        for account_id in sorted(self.touched):
            people.refresh_warning_count(account_id)

    def _manager_failed(self, number: int, message: str) -> None:
        self.report.errors.append(RowError(number, self.column("reports_to"), message))
