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
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, cast

from saletui.errors import ValidationError
from saletui.i18n import _, ngettext
from saletui.method.org import would_create_cycle
from saletui.money import DEFAULT_CURRENCY
from saletui.services.csv_export import FORMULA_PREFIXES
from saletui.services.import_columns import (
    ACCOUNT_COLUMNS,
    EXPORT_ONLY,
    FALLBACKS,
    KINDS,
    NOTE,
    PERSON_COLUMNS,
    RELATIONSHIP_TYPES,
    Detection,
    column_key,
    detect,
    fields,
    source_label,
)
from saletui.store import accounts, parse, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, database, now
from saletui.store.people import PersonDraft

__all__ = [
    "ACCOUNT_COLUMNS",
    "EXPORT_ONLY",
    "KINDS",
    "PERSON_COLUMNS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "detect_file",
    "import_csv",
    "unescape_formula",
]
_key = column_key


class ImportFileError(Exception):
    """The file as a whole cannot be read (missing, not text, a workbook, bad CSV)."""


class RowError(NamedTuple):
    """One problem in one row, a (row, column, message) tuple: `row` as a spreadsheet counts
    it (the header is row 1), `column` as the file's header names it."""

    row: int
    column: str
    message: str
    # The row itself was imported, only this column was not (a reports-to that cannot be
    # set): not a bad row, and said so, so that --skip-bad-rows does not call it skipped.
    row_imported: bool = False

    def __str__(self) -> str:
        text = f"{self.row}: {self.column}: {self.message}"
        return text + " " + _("(the row was imported without it)") if self.row_imported else text


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
    source: str = "csv"  # the system that wrote the file (import_columns.SOURCES)
    detection: Detection | None = None  # each column and the field it went to
    accounts_created: list[str] = field(default_factory=list)  # by a WeCom people import
    looks_like: str = ""  # the kind the header fits better, when not the one asked for
    dry_run: bool = False
    skip_bad_rows: bool = False
    written: bool = False

    def column(self, name: str) -> str:
        """The column a field came from, as the file calls it."""
        return self.columns.get(name, name.replace("_", " "))

    def fail(self, row: int, errors: dict[str, str], name: str) -> None:
        """A refused row: each field's reason, under the column the file gave it."""
        for field_name, message in errors.items():
            self.errors.append(RowError(row, self.column(field_name), message))
        self.rows.append(RowOutcome(row, "error", name))

    def count(self, row: int, action: str, name: str) -> None:
        """A row created, updated or unchanged (every importer's bookkeeping)."""
        if action == "create":
            self.created += 1
        elif action == "update":
            self.updated += 1
        else:
            self.unchanged += 1
        self.rows.append(RowOutcome(row, action, name))

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if not e.row_imported})

    @property
    def rows_in_part(self) -> int:
        """Rows imported without one of their columns (see RowError.row_imported)."""
        return len({e.row for e in self.errors if e.row_imported} - {e.row for e in self.errors if not e.row_imported})

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
            + (
                "; "
                + ngettext(
                    "{n} row imported without its reports-to",
                    "{n} rows imported without their reports-to",
                    self.rows_in_part,
                ).format(n=self.rows_in_part)
                if self.rows_in_part
                else ""
            )
        )

    def summary(self) -> str:
        """One line for the user: what was written, would be written, or why nothing was."""
        if self.dry_run:
            return _("Dry run, nothing written; the import would give: {counts}").format(counts=self.counts())
        if self.written:
            if self.bad_rows:
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


def _fold(name: str) -> str:
    """A name as matched: case-insensitive, Unicode-normalised, outer spaces ignored, and
    its line breaks (U+2028, U+2029, CR/LF...) read as the spaces a saved name has in their
    place (store.parse.text with single_line), so a file holding the original still matches."""
    return unicodedata.normalize("NFC", " ".join(name.splitlines())).strip().casefold()


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


def detect_file(path: Path, encoding: str | None = None, kind: str | None = None) -> Detection:
    """The kind, source and column mapping `detect` proposes for the file at `path`."""
    return detect(read_table(Path(path), encoding).header, kind)


@dataclass
class _Columns:
    """Where each field's value is in a row: one column per field, many for the notes."""

    single: dict[str, int]
    notes: list[int]


def _map_header(kind: str, table: _Table, report: ImportReport, mapping: Mapping[str, str] | None) -> _Columns | None:
    """Field -> column index; None (and errors on the header row) when unusable."""
    detection = detect(table.header, kind)
    best = detect(table.header)
    if best.kind != kind and best.score > detection.score:
        report.looks_like = best.kind
    if mapping:
        detection = detection.remapped(mapping, set(fields(kind)))
    report.detection = detection
    report.source = detection.source
    out = _Columns({}, [])
    for col in detection.columns:
        index = col.position - 1
        if not col.field:
            if not col.known and (
                col.column or any(index < len(cells) and cells[index].strip() for _row, cells in table.rows)
            ):
                report.unknown_columns.append(UnknownColumn(col.column, col.position, col.suggestion))
            continue
        if col.field == NOTE:
            out.notes.append(index)
            continue
        if col.field in out.single:
            report.errors.append(
                RowError(
                    table.header_row,
                    col.column,
                    _("Same column as {other!r}: give it once.").format(other=table.header[out.single[col.field]]),
                )
            )
            continue
        out.single[col.field] = index
        report.columns[col.field] = col.column
    required: list[tuple[str, tuple[str, ...]]] = (
        [("name", ())]
        if kind == "accounts"
        else [("account", ("account_id", "company")), ("name", ("first_name", "last_name", "nickname"))]
    )
    for name, instead in required:
        if name not in out.single and not any(f in out.single for f in instead):
            spellings = (ACCOUNT_COLUMNS if kind == "accounts" else PERSON_COLUMNS)[name]
            examples = ", ".join(repr(s) for s in spellings[:1] + _chinese(spellings)[:2])
            report.errors.append(
                RowError(
                    table.header_row,
                    name.replace("_", " "),
                    _("Required column is missing (call it e.g. {names}).").format(names=examples),
                )
            )
    return None if report.errors else out


def _chinese(spellings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for s in spellings if not s.isascii())


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
    mapping: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import `kind` ("accounts" or "people") from the CSV file at `path` into the open database.

    New accounts without a currency column take `currency` (the `currency:` setting); their
    amounts are read exactly, in that currency's minor units. `mapping` (column as in the
    header -> field, "" to ignore) overrides what `detect` proposes for those columns.

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
    columns = _map_header(kind, table, report, mapping)
    if columns is None:
        return report
    try:
        with database.atomic("IMMEDIATE"):
            importer: _Import = (
                _AccountImport(report, columns, table.header, currency)
                if kind == "accounts"
                else _PeopleImport(report, columns, table.header, currency)
            )
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


# -- values the CRMs write differently ----------------------------------------------------------


def _is_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


def join_name(first: str, last: str) -> str:
    """ "Ann" + "Smith" -> "Ann Smith"; Chinese 名 "伟" + 姓 "张" -> "张伟" (family name first, no space)."""
    first, last = first.strip(), last.strip()
    if first and last and _is_cjk(first) and _is_cjk(last):
        return last + first
    return " ".join(p for p in (first, last) if p)


_CHINA = {"china", "cn", "chn", "prc", "中国", "中华人民共和国", "中国大陆"}


def region_of(city: str, state: str, country: str) -> str:
    """ "Ohio, US" from a state and country (the city when there is no state); Chinese parts
    run together ("上海", "广东"), China itself left out of a Chinese region."""
    place = state.strip() or city.strip()
    country = country.strip()
    if place and _is_cjk(place) and country.casefold() in _CHINA:
        country = ""
    parts = [p for p in (place, country) if p]
    if len(parts) == 2 and parts[0].casefold() == parts[1].casefold():
        parts = parts[:1]
    return ("" if all(_is_cjk(p) for p in parts) else ", ").join(parts)


_TYPES = {_key(k): v for k, v in RELATIONSHIP_TYPES.items()}
_PLAIN = {"customer", "prospect", "future"}


def relationship_of(value: str) -> tuple[str, bool]:
    """The stored relationship for a CRM's type value, and whether it was a CRM type (kept in
    the notes then); ValueError, showing the value, for one nobody has mapped."""
    plain = _relationship(value)
    if plain in _PLAIN:
        return plain, False
    mapped = _TYPES.get(_key(value))
    if mapped:
        return mapped, True
    raise ValueError(
        _("Not one of customer, prospect, future, nor a CRM type in the README's table: {value!r}.").format(
            value=value.strip()
        )
    )


_CURRENCY_MARK = re.compile(r"^(?:[A-Z]{3}\s*|[$€£¥￥])")
_EXPONENT = re.compile(r"^\d+(?:\.\d+)?[eE][+-]?\d+$")


def _revenue(value: str, currency: str) -> int | None:
    """An amount as CRMs write it: "$5,000,000", "USD 5000000.00", "5.0E7"."""
    raw = _CURRENCY_MARK.sub("", value.strip()).strip()
    if _EXPONENT.match(raw):
        raw = format(Decimal(raw), "f")
    try:
        return parse.amount(raw, currency)
    except parse.FieldError:
        raise parse.FieldError(
            _("Not an amount: {value!r} (e.g. 1200000, 1.2M, 120万).").format(value=value.strip())
        ) from None


def _whole(value: str) -> int | None:
    """A head count: "1,200", "1200.0", "1200人"; "" is none."""
    raw = re.sub(r"[\s,，人名]", "", value.strip())
    if not raw:
        return None
    if re.fullmatch(r"\d+(?:\.0+)?", raw) and int(raw.split(".")[0]) <= 100_000_000:
        return int(raw.split(".")[0])
    raise parse.FieldError(_("Not a whole number of employees: {value!r}.").format(value=value.strip()))


def _first_id(value: str) -> str:
    """HubSpot lists several associated ids as "123;456": the first is the primary one."""
    return re.split(r"[;,]", value.strip())[0].strip()


# -- the import ---------------------------------------------------------------------------------


class _Import:
    notes_field = "notes"

    def __init__(self, report: ImportReport, columns: _Columns, header: list[str]) -> None:
        self.report = report
        self.mapping = columns.single
        self.note_columns = columns.notes
        self.header = header
        self.width = len(header)  # cells in the header row
        self.source = report.source

    def values(self, number: int, cells: list[str]) -> dict[str, str] | None:
        """The row's cells by field name, names joined, fallbacks and extra columns folded in;
        None (reported) when it has more cells than the header."""
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

        def cell(index: int) -> str:
            return unescape_formula(cells[index]) if index < len(cells) else ""

        values = {name: cell(index) for name, index in self.mapping.items()}
        notes = [f"{self.header[i]}: {cell(i).strip()}" for i in self.note_columns if cell(i).strip()]
        for fallback, target in FALLBACKS.items():
            if fallback not in values:
                continue
            value = values.pop(fallback).strip()
            if not values.get(target, "").strip():
                values[target] = value
            elif value and value != values[target].strip():
                notes.append(f"{self.column(fallback)}: {value}")
        if "first_name" in values or "last_name" in values:
            first, last = values.pop("first_name", ""), values.pop("last_name", "")
            if not values.get("name", "").strip():
                values["name"] = join_name(first, last)
        self.combine(values, notes)
        if notes:
            base = values.get(self.notes_field, "").rstrip()
            values[self.notes_field] = (base + "\n\n" if base else "") + "\n".join(notes)
        return values

    def combine(self, values: dict[str, str], notes: list[str]) -> None:
        """Kind-specific folding of values into fields and notes."""

    def column(self, name: str) -> str:
        return self.report.column(name)

    def fail(self, number: int, errors: dict[str, str], name: str) -> None:
        self.report.fail(number, errors, name)

    def count(self, number: int, action: str, name: str) -> None:
        self.report.count(number, action, name)

    def row(self, number: int, cells: list[str]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        pass


def _delimiter_name(delimiter: str) -> str:
    return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(delimiter, repr(delimiter))


_ADDRESS = ("street", "postal_code", "city", "state", "country")
_ACCOUNT_EXTRAS = ("phone", "website", "annual_revenue", "employees")


class _AccountImport(_Import):
    notes_field = "profile_notes"

    def __init__(self, report: ImportReport, columns: _Columns, header: list[str], currency: str) -> None:
        super().__init__(report, columns, header)
        self.currency = currency
        self.existing: dict[str, list[int]] = {}
        for account_id, name in database.execute_sql(
            "SELECT id, name FROM account WHERE archived_at IS NULL"
        ).fetchall():
            self.existing.setdefault(_fold(name), []).append(account_id)
        self.by_source: dict[str, int] = {}
        for account_id, source_id in database.execute_sql(
            "SELECT id, source_id FROM account WHERE source = ? AND source_id <> ''", (self.source,)
        ).fetchall():
            self.by_source[source_id] = account_id
        self.seen: dict[str, int] = {}
        self.seen_ids: dict[str, int] = {}

    def combine(self, values: dict[str, str], notes: list[str]) -> None:
        """Address parts make the region (unless the file has one); the rest goes to the notes.
        A CRM's type value is kept in the notes beside the relationship it maps to."""
        parts = {k: values.pop(k).strip() for k in _ADDRESS if k in values}
        if parts:
            region = region_of(parts.get("city", ""), parts.get("state", ""), parts.get("country", ""))
            if values.get("region", "").strip():
                region = ""
            elif "region" not in values or region:
                values["region"] = region
            street_city = " ".join(p for p in (parts.get("postal_code", ""), parts.get("city", "")) if p)
            pieces = (parts.get("street", ""), street_city, parts.get("state", ""), parts.get("country", ""))
            address = [p for p in pieces if p]
            if address and (", ".join(address) != region):
                notes.insert(0, _("Address: {address}").format(address=", ".join(address)))
        relationship = values.get("relationship", "").strip()
        if relationship:
            try:
                stored, from_crm = relationship_of(relationship)
            except ValueError:
                return  # refused with its value in row()
            if from_crm:
                notes.insert(0, f"{self.column('relationship')}: {relationship}")
            values["relationship"] = stored

    def row(self, number: int, cells: list[str]) -> None:
        values = self.values(number, cells)
        if values is None:
            return
        name = values["name"].strip()
        source_id = values.pop("source_id", "").strip()
        key = _fold(name)
        if source_id and source_id in self.seen_ids:
            self.fail(
                number,
                {
                    "source_id": _("Same account as row {row}: give each account once.").format(
                        row=self.seen_ids[source_id]
                    )
                },
                name,
            )
            return
        if name and key in self.seen:
            self.fail(
                number,
                {"name": _("Same account as row {row}: give each account once.").format(row=self.seen[key])},
                name,
            )
            return
        if name:
            self.seen[key] = number
        if source_id:
            self.seen_ids[source_id] = number
        account = self.find(number, name, source_id)
        if account is False:
            return
        assert account is None or isinstance(account, Account)
        # An existing account's amounts come back exactly (minor units, as text); a new one
        # is in the settings' currency unless the file has a currency column.
        draft = AccountDraft.from_account(account) if account else AccountDraft(currency=self.currency)
        errors: dict[str, str] = {}
        raw_extras = {k: values.pop(k) for k in _ACCOUNT_EXTRAS if k in values}
        for field_name, value in values.items():
            if field_name == "relationship":
                if value.strip():
                    if value not in _PLAIN:
                        try:
                            relationship_of(value)
                        except ValueError as exc:
                            errors["relationship"] = str(exc)
                            continue
                    draft.relationship = value
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
        extras: dict[str, object] = {}
        for field_name, value in raw_extras.items():
            try:
                if field_name == "annual_revenue":
                    code = draft.currency if re.fullmatch(r"[A-Za-z]{3}", draft.currency.strip()) else self.currency
                    extras[field_name] = _revenue(value, code.strip().upper())
                elif field_name == "employees":
                    extras[field_name] = _whole(value)
                else:
                    extras[field_name] = parse.text(value, max_len=500, single_line=True)
            except parse.FieldError as exc:
                errors[field_name] = str(exc)
        if source_id:
            extras.update(source=self.source, source_id=source_id)
        elif account is None and self.source != "csv":
            extras["source"] = self.source
        account_id = account.id if account else None
        try:
            cleaned = accounts.clean(draft, account_id)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
            cleaned = {}
        if errors:
            self.fail(number, errors, name)
            return
        if account is not None and all(getattr(account, k) == v for k, v in {**cleaned, **extras}.items()):
            self.count(number, "unchanged", name)
            return
        try:
            saved = accounts.save(draft, account_id)
        except ValidationError as exc:
            self.fail(number, exc.errors, name)
            return
        if extras:
            Account.update(**extras).where(Account.id == saved.id).execute()
        self.count(number, "create" if account is None else "update", name)
        if account is None or _fold(account.name) != key:
            self.existing.setdefault(key, []).append(saved.id)
        if source_id:
            self.by_source[source_id] = saved.id

    def find(self, number: int, name: str, source_id: str) -> Account | bool | None:
        """The account this row updates (None: a new one); False when refused (reported)."""
        if source_id and source_id in self.by_source:
            account = Account.get_by_id(self.by_source[source_id])
            if account.archived_at is not None:
                self.fail(
                    number,
                    {"source_id": _("The account {name!r} is archived; restore it first.").format(name=account.name)},
                    name,
                )
                return False
            return account
        ids = self.existing.get(_fold(name), []) if name else []
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
            return False
        found: Account | None = Account.get_by_id(ids[0]) if ids else None
        if found is not None and source_id and found.source == self.source and account.source_id:
            self.fail(
                number,
                {
                    "source_id": _(
                        "{name!r} is already in saletui with another {source} id, {other!r}, not {id!r}."
                    ).format(name=name, source=source_label(self.source), other=found.source_id, id=source_id)
                },
                name,
            )
            return False
        return found


class _PeopleImport(_Import):
    """People rows, then (in `finish`) their reporting lines.

    Values are checked by `people.clean`; the rows are written directly and each
    account's warning count is refreshed once at the end (not once per row, as
    `people.save` does): 20,000 people import in seconds, not minutes.
    """

    def __init__(self, report: ImportReport, columns: _Columns, header: list[str], currency: str) -> None:
        super().__init__(report, columns, header)
        self.currency = currency
        # WeCom has no export of companies: its people bring their accounts with them.
        self.creates_accounts = self.source == "wecom"
        self.accounts: dict[str, list[tuple[int, str]]] = {}
        self.archived: set[str] = set()
        for account_id, name, archived in database.execute_sql(
            "SELECT id, name, archived_at IS NOT NULL FROM account"
        ).fetchall():
            if archived:
                self.archived.add(_fold(name))
            else:
                self.accounts.setdefault(_fold(name), []).append((account_id, name))
        self.account_ids: dict[str, int] = dict(
            database.execute_sql(
                "SELECT source_id, id FROM account WHERE source = ? AND source_id <> '' AND archived_at IS NULL",
                (self.source,),
            ).fetchall()
        )
        self.person_ids: dict[str, tuple[int, int]] = {
            sid: (pid, aid)
            for sid, pid, aid in database.execute_sql(
                "SELECT source_id, id, account_id FROM person WHERE source = ? AND source_id <> ''", (self.source,)
            ).fetchall()
        }
        self.people: dict[int, dict[str, list[int]]] = {}  # account -> folded name -> ids
        self.trees: dict[int, dict[int, int | None]] = {}  # account -> person -> manager
        self.in_file: dict[tuple[int, str], tuple[int, int]] = {}  # -> (row, person id)
        self.in_file_ids: dict[str, tuple[int, int]] = {}  # source id -> (row, person id)
        self.managers: list[tuple[int, int, int, str, str, int]] = []  # row, person, account, name, id, outcome
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

    def account(self, raw: str, source_id: str = "") -> tuple[int | None, str | None]:
        if source_id:
            found = self.account_ids.get(source_id)
            if found is not None:
                return found, None
            if not raw.strip():
                return None, _("No account with {source} id {id!r}; import the accounts first.").format(
                    source=source_label(self.source), id=source_id
                )
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
        if self.creates_accounts:
            try:
                saved = accounts.save(AccountDraft(name=name, currency=self.currency))
            except ValidationError as exc:
                return None, "; ".join(exc.errors.values())
            Account.update(source=self.source).where(Account.id == saved.id).execute()
            self.accounts[_fold(name)] = [(saved.id, name)]
            self.report.accounts_created.append(name)
            return saved.id, None
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
        name = values.get("name", "").strip()
        source_id = values.pop("source_id", "").strip()
        account_sid = _first_id(values.pop("account_id", ""))
        manager_sid = values.pop("reports_to_id", "").strip()
        account_id, problem = self.account(values.get("account", ""), account_sid)
        if account_id is None:
            self.fail(number, {"account_id" if account_sid else "account": problem or ""}, name)
            return
        key = (account_id, _fold(name))
        if source_id and source_id in self.in_file_ids:
            self.fail(
                number,
                {
                    "source_id": _("Same person as row {row}: give each person once per account.").format(
                        row=self.in_file_ids[source_id][0]
                    )
                },
                name,
            )
            return
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
        person = self.find(number, account_id, name, source_id)
        if person is False:
            return
        assert person is None or isinstance(person, Person)
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
        origin: dict[str, object] = {}
        if source_id:
            origin = {"source": self.source, "source_id": source_id}
        elif person is None and self.source != "csv":
            origin = {"source": self.source}
        if person is None:
            row_id: int = Person.insert(account=account_id, **cleaned, **origin).execute()
            self.staff(account_id).setdefault(_fold(name), []).append(row_id)
            self.trees[account_id][row_id] = cast("int | None", cleaned["reports_to"])  # clean() gives an id or None
            self.touched.add(account_id)
            action = "create"
        else:
            row_id = person.id
            changes = {**cleaned, **origin}
            if any(getattr(person, k if k != "reports_to" else "reports_to_id") != v for k, v in changes.items()):
                Person.update(**changes, updated_at=now()).where(Person.id == row_id).execute()
                self.touched.add(account_id)
                action = "update"
            else:
                action = "unchanged"
        self.in_file[key] = (number, row_id)
        if source_id:
            self.in_file_ids[source_id] = (number, row_id)
        self.count(number, action, name)
        if "reports_to" in self.mapping or "reports_to_id" in self.mapping:
            manager_name = values.get("reports_to", "").strip()
            self.managers.append((number, row_id, account_id, manager_name, manager_sid, len(self.report.rows) - 1))

    def find(self, number: int, account_id: int, name: str, source_id: str) -> Person | bool | None:
        """The person this row updates (None: a new one); False when refused (reported)."""
        if source_id and source_id in self.person_ids:
            person_id, at = self.person_ids[source_id]
            if at != account_id:
                other = Account.get_by_id(at).name
                self.fail(
                    number,
                    {
                        "source_id": _("{id!r} is someone at another account in saletui ({account!r}).").format(
                            id=source_id, account=other
                        )
                    },
                    name,
                )
                return False
            return Person.get_by_id(person_id)
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
            return False
        person = Person.get_by_id(ids[0]) if ids else None
        if person is not None and source_id and person.source == self.source and person.source_id:
            return None  # a namesake with another id: someone else
        return person

    def finish(self) -> None:
        """Reporting lines, once everyone in the file exists: a manager may come later in it."""
        for number, person_id, account_id, manager_name, manager_sid, outcome in self.managers:
            self.staff(account_id)  # loads the account's tree when no row needed it yet
            tree = self.trees[account_id]
            manager_id: int | None = None
            if manager_sid:
                found = self.in_file_ids.get(manager_sid)
                saved = self.person_ids.get(manager_sid)
                if found is not None:
                    manager_id = found[1]
                elif saved is not None and saved[1] == account_id:
                    manager_id = saved[0]
                else:
                    self.report.errors.append(
                        RowError(
                            number,
                            self.column("reports_to_id"),
                            _("No one with {source} id {id!r} at this account (in this file or already saved).").format(
                                source=source_label(self.source), id=manager_sid
                            ),
                        )
                    )
                    continue
            elif manager_name:
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
        # The person is saved; only the reporting line is not. Without --skip-bad-rows the
        # import still stops (all or nothing), so the flag matters only when it is kept.
        self.report.errors.append(
            RowError(number, self.column("reports_to"), message, row_imported=self.report.skip_bad_rows)
        )
