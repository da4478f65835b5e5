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
import datetime as dt
import difflib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, Protocol, TypeVar

from peewee import IntegrityError

from saletui.errors import ValidationError
from saletui.i18n import _, ngettext
from saletui.method.org import coverage_warnings, would_create_cycle
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
    ColumnMap,
    Detection,
    column_key,
    detect,
    fields,
    source_label,
)
from saletui.store import accounts, bulk, parse, people
from saletui.store.accounts import AccountDraft
from saletui.store.bulk import KeyTable, select_in
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


ROWS_KEPT = 1_000  # row outcomes an import keeps for a preview to show


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
    processed: int = 0  # rows looked at (`rows` keeps the first ROWS_KEPT of them)
    truncated: bool = False  # a preview that stopped before the end of the file

    def column(self, name: str) -> str:
        """The column a field came from, as the file calls it."""
        return self.columns.get(name, name.replace("_", " "))

    def fail(self, row: int, errors: dict[str, str], name: str) -> None:
        """A refused row: each field's reason, under the column the file gave it."""
        for field_name, message in errors.items():
            self.errors.append(RowError(row, self.column(field_name), message))
        self.outcome(RowOutcome(row, "error", name))

    def outcome(self, outcome: RowOutcome) -> int:
        """Note what one row did; its index in `rows`, or -1 past the first ROWS_KEPT (a
        million rows' outcomes are counted, not kept)."""
        self.processed += 1
        if len(self.rows) < ROWS_KEPT:
            self.rows.append(outcome)
            return len(self.rows) - 1
        return -1

    def done(self) -> None:
        """Errors and outcomes in the file's order (batches may note them out of order)."""
        self.errors.sort(key=lambda e: e.row)
        self.rows.sort(key=lambda o: o.row)

    def count(self, row: int, action: str, name: str) -> int:
        """A row created, updated or unchanged (every importer's bookkeeping); its index in
        `rows` (-1: not kept)."""
        if action == "create":
            self.created += 1
        elif action == "update":
            self.updated += 1
        else:
            self.unchanged += 1
        return self.outcome(RowOutcome(row, action, name))

    def promote(self, index: int, row: int, was: str) -> None:
        """A row counted as unchanged that a later pass changed after all (its reports-to)."""
        if was != "unchanged":
            return
        self.unchanged -= 1
        self.updated += 1
        if 0 <= index < len(self.rows):
            self.rows[index] = RowOutcome(row, "update", self.rows[index].name)

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
        if self.bad_rows and not self.processed:  # the header itself is unusable
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
    if name.isprintable():  # no line break in it (they are all unprintable): the same, faster
        return unicodedata.normalize("NFC", name).strip().casefold()
    return unicodedata.normalize("NFC", " ".join(name.splitlines())).strip().casefold()


fold_name = _fold  # the other importers match account names the same way


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


PREFIX_BYTES = 1 << 20  # how much of a file the encoding and the header are told from
PROGRESS_EVERY = 2_000  # rows between two calls of an import's `progress`
BATCH_ROWS = 1_000  # rows checked and written together


@dataclass
class Table:
    """A CSV file being read: its encoding, delimiter and header, known from its first
    megabyte, and its rows, read one at a time when `rows` is iterated (never the whole
    file in memory). `bytes_read` says how far the reading has got, out of `size`."""

    encoding: str
    delimiter: str
    header_row: int
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells), read lazily
    size: int = 0
    _counter: list[int] = field(default_factory=lambda: [0])

    @property
    def bytes_read(self) -> int:
        return self._counter[0]


class Redecode(Exception):
    """A file taken for UTF-8 from its first megabyte turned out not to be: the import starts
    again in GB18030, as it would have had the whole file been looked at first."""


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ImportFileError(_("unknown encoding {name!r}").format(name=encoding)) from None


def _guess(prefix: bytes, complete: bool, path: Path) -> str:
    """The encoding a file's first bytes are in (`complete`: they are the whole file)."""
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            codecs.getincrementaldecoder("utf-16")().decode(prefix, complete)
        except UnicodeDecodeError:
            raise ImportFileError(_("{path} starts like UTF-16 text but is not").format(path=path)) from None
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(prefix, complete)
        return "utf-8-sig" if prefix.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(prefix, complete)
    except UnicodeDecodeError:
        raise _not_text(path) from None
    return "gb18030"


def _not_text(path: Path) -> ImportFileError:
    return ImportFileError(_('{path} is neither UTF-8 nor GB18030/GBK text; save it as "CSV UTF-8"').format(path=path))


def _lines(path: Path, encoding: str, explicit: bool, counter: list[int], skip_bom: bool = True) -> Iterator[str]:
    """The file's text a line at a time (line ends kept, as csv wants them); `counter[0]`
    follows the bytes read. A byte that is not `encoding` is an ImportFileError naming it
    (or Redecode, for a UTF-8 guess that GB18030 may still read)."""
    with path.open("rb") as raw:
        stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
        position = 0
        try:
            for line in stream:
                if position == 0 and skip_bom:
                    line = line.removeprefix("\ufeff")
                if "\x00" in line:
                    raise ImportFileError(_("{path} contains NUL bytes: it is not a CSV text file").format(path=path))
                position += 1
                if not position % 256:
                    counter[0] = raw.tell()
                yield line
        except UnicodeDecodeError as exc:
            if not explicit and encoding in ("utf-8", "utf-8-sig"):
                raise Redecode from None
            if explicit:
                raise ImportFileError(
                    _("{path} is not {encoding} (byte {at})").format(
                        path=path, encoding=encoding, at=max(raw.tell() - len(exc.object) + exc.start + 1, 1)
                    )
                ) from None
            if encoding == "utf-16":
                raise ImportFileError(_("{path} starts like UTF-16 text but is not").format(path=path)) from None
            raise _not_text(path) from None
        counter[0] = raw.tell()


def read_table(path: Path, encoding: str | None = None) -> Table:
    """Open the CSV file at `path` for reading: its encoding (UTF-8, UTF-16 with a BOM,
    else GB18030), delimiter and header from its beginning; the rows follow lazily."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            prefix = file.read(PREFIX_BYTES)
            size = os.fstat(file.fileno()).st_size
    except OSError as exc:
        raise ImportFileError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    if prefix.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFileError(_('{path} is an Excel workbook, not CSV: save it as "CSV UTF-8" first').format(path=path))
    complete = len(prefix) < PREFIX_BYTES
    if encoding:
        used = _codec(encoding)
        try:
            text = codecs.getincrementaldecoder(used)().decode(prefix, complete)
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("{path} is not {encoding} (byte {at})").format(path=path, encoding=used, at=exc.start + 1)
            ) from None
    else:
        used = _guess(prefix, complete, path)
        text = codecs.getincrementaldecoder(used)().decode(prefix, complete)
    return _open_table(path, used, bool(encoding), text.removeprefix("\ufeff"), size)


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


def _open_table(path: Path, used: str, explicit: bool, text: str, size: int) -> Table:
    delimiter = _sniff(text)
    counter = [0]
    records = csv.reader(_lines(path, used, explicit, counter), delimiter=delimiter)
    numbered = _numbered(records, path)
    first = next(numbered, None)
    if first is None:
        raise ImportFileError(_("{path} is empty: no header row").format(path=path))
    header_row, header = first
    return Table(used, delimiter, header_row, [h.strip() for h in header], numbered, size, counter)


def _numbered(records: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[str]]]:
    """The records that have a value, numbered as a spreadsheet numbers its rows."""
    try:
        for number, cells in enumerate(records, start=1):
            for c in cells:
                if c and not c.isspace():
                    yield number, cells
                    break
    except csv.Error as exc:
        raise ImportFileError(_("{path} is not valid CSV: {reason}").format(path=path, reason=exc)) from None


def reread_table(table: Table, path: Path) -> Table:
    """The same file again from its start, in GB18030 (after a Redecode)."""
    del table
    try:
        with Path(path).open("rb") as file:
            data = file.read(PREFIX_BYTES)
    except OSError as exc:
        raise ImportFileError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    try:
        text = codecs.getincrementaldecoder("gb18030")().decode(data, False)
    except UnicodeDecodeError:
        raise _not_text(Path(path)) from None
    return _open_table(Path(path), "gb18030", False, text, Path(path).stat().st_size)


def detect_file(path: Path, encoding: str | None = None, kind: str | None = None) -> Detection:
    """The kind, source and column mapping `detect` proposes for the file at `path`."""
    return detect(read_table(Path(path), encoding).header, kind)


@dataclass
class _Columns:
    """Where each field's value is in a row: one column per field, many for the notes."""

    single: dict[str, int]
    notes: list[int]
    # Columns without a header that nobody knows: reported when a row has a value in one.
    blank: list[ColumnMap] = field(default_factory=list)


def _map_header(kind: str, table: Table, report: ImportReport, mapping: Mapping[str, str] | None) -> _Columns | None:
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
            if not col.known and col.column:
                report.unknown_columns.append(UnknownColumn(col.column, col.position, col.suggestion))
            elif not col.known:
                out.blank.append(col)
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
    if report.errors and out.blank:
        for _row in stream_rows(table, report, out.blank):
            pass
    return None if report.errors else out


def _chinese(spellings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(s for s in spellings if not s.isascii())


# -- the import ---------------------------------------------------------------------------------


class _Rollback(Exception):
    """Raised to leave the import's transaction without keeping anything."""


class RowImporter(Protocol):
    """What `import_all_or_nothing` feeds: each row, then the end of the file."""

    def row(self, number: int, cells: list[str]) -> None: ...

    def finish(self) -> None: ...

    def close(self) -> None: ...


def import_all_or_nothing(
    table: Table,
    report: ImportReport,
    blank: Sequence[ColumnMap],
    make_importer: Callable[[], RowImporter],
    *,
    dry_run: bool,
    skip_bad_rows: bool,
    progress: Progress | None,
    limit: int | None,
) -> None:
    """Every kind of import's one transaction: each row of `table` to the importer, then
    rolled back on a dry run, or on bad rows unless `skip_bad_rows`."""
    try:
        with database.atomic("IMMEDIATE"):
            importer = make_importer()
            try:
                for number, cells in stream_rows(table, report, blank, progress, limit):
                    importer.row(number, cells)
                importer.finish()
            finally:
                importer.close()
            if dry_run or (report.errors and not skip_bad_rows):
                raise _Rollback
            report.written = True
    except _Rollback:
        pass


Progress = Callable[[int, int, int], None]  # rows read, bytes read, bytes in the file


def stream_rows(
    table: Table,
    report: ImportReport,
    blank: Sequence[ColumnMap] = (),
    progress: Progress | None = None,
    limit: int | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The table's rows one at a time, for every importer: `progress` told every
    PROGRESS_EVERY rows (and at the end), at most `limit` rows (a preview; the report says
    `truncated`), and the `blank` columns (no header, unknown) reported once a row has a
    value in one."""
    watched = list(blank)
    count = 0
    for count, (number, cells) in enumerate(table.rows, start=1):
        if watched:
            for col in [c for c in watched if c.position - 1 < len(cells) and cells[c.position - 1].strip()]:
                report.unknown_columns.append(UnknownColumn(col.column, col.position, col.suggestion))
                watched.remove(col)
        if limit is not None and count > limit:
            report.truncated = True
            break
        yield number, cells
        if progress is not None and not count % PROGRESS_EVERY:
            progress(count, table.bytes_read, table.size)
    if progress is not None:
        progress(count, table.bytes_read, table.size)
    report.unknown_columns.sort(key=lambda c: c.position)


def import_csv(
    kind: str,
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    currency: str = DEFAULT_CURRENCY,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> ImportReport:
    """Import `kind` ("accounts" or "people") from the CSV file at `path` into the open database.

    New accounts without a currency column take `currency` (the `currency:` setting); their
    amounts are read exactly, in that currency's minor units. `mapping` (column as in the
    header -> field, "" to ignore) overrides what `detect` proposes for those columns.
    The file is read a row at a time and written in batches, in one transaction;
    `progress` is told how far it has got; `limit` checks only the first rows (a preview,
    which always rolls back).

    Raises ImportFileError when the file cannot be read at all; every other problem is in
    the report's `errors`, and `written` says whether anything was kept.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    options = (kind, Path(path), dry_run or limit is not None, skip_bad_rows, currency, mapping, progress, limit)
    return with_redecode(Path(path), encoding, lambda table: _import_table(table, *options))


R = TypeVar("R")


def with_redecode(path: Path, encoding: str | None, run: Callable[[Table], R]) -> R:
    """`run` on the file's table; once more from the start in GB18030 when a guess of UTF-8
    turns out wrong further into the file (Redecode). Every kind's import starts here."""
    table = read_table(path, encoding)
    try:
        return run(table)
    except Redecode:
        return run(reread_table(table, path))


def _import_table(
    table: Table,
    kind: str,
    path: Path,
    dry_run: bool,
    skip_bad_rows: bool,
    currency: str,
    mapping: Mapping[str, str] | None,
    progress: Progress | None,
    limit: int | None,
) -> ImportReport:
    report = ImportReport(
        kind,
        path,
        encoding=table.encoding,
        delimiter=table.delimiter,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
    )
    columns = _map_header(kind, table, report, mapping)
    if columns is None:
        return report

    def make_importer() -> _Import:
        if kind == "accounts":
            return _AccountImport(report, columns, table.header, currency)
        return _PeopleImport(report, columns, table.header, currency)

    import_all_or_nothing(
        table,
        report,
        columns.blank,
        make_importer,
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        progress=progress,
        limit=limit,
    )
    report.done()
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
        self.pending: list[tuple[int, dict[str, str]]] = []  # rows read, not yet checked and written
        self.tables: list[KeyTable] = []

    def keys(self, name: str) -> KeyTable:
        table = KeyTable(f"saletui_import_{name}")
        self.tables.append(table)
        return table

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
            self.report.outcome(RowOutcome(number, "error", ""))
            return None

        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        # unescape_formula only where a cell starts with its quote: a million rows' worth of calls
        values = {
            name: unescape_formula(cells[index]) if cells[index][:1] == "'" else cells[index]
            for name, index in self.mapping.items()
        }
        notes = [
            f"{self.header[i]}: {unescape_formula(cells[i]).strip()}" for i in self.note_columns if cells[i].strip()
        ]
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

    def count(self, number: int, action: str, name: str) -> int:
        return self.report.count(number, action, name)

    def row(self, number: int, cells: list[str]) -> None:
        """Read one row; it is checked and written with its batch (`flush`)."""
        values = self.values(number, cells)
        if values is not None:
            self.pending.append((number, values))
            if len(self.pending) >= BATCH_ROWS:
                self.flush()

    def flush(self) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.flush()

    def close(self) -> None:
        """Drop the import's temporary tables."""
        for table in self.tables:
            table.drop()


def _delimiter_name(delimiter: str) -> str:
    return {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}.get(delimiter, repr(delimiter))


_ADDRESS = ("street", "postal_code", "city", "state", "country")
_ACCOUNT_EXTRAS = ("phone", "website", "annual_revenue", "employees")


class _AccountImport(_Import):
    """Account rows, a batch at a time: the batch's names and ids are looked up in one query
    each (the active names are in a temporary table, folded as `_fold` folds them), its new
    accounts written with one bulk insert. What the file has had so far (names, ids) is
    kept in temporary tables too, so a million rows take a bounded amount of memory."""

    notes_field = "profile_notes"

    def __init__(self, report: ImportReport, columns: _Columns, header: list[str], currency: str) -> None:
        super().__init__(report, columns, header)
        self.currency = currency
        self.names = self.keys("account_names")  # folded name -> id, every active account
        cursor = database.execute_sql("SELECT id, name FROM account WHERE archived_at IS NULL")
        while chunk := cursor.fetchmany(5_000):
            self.names.add((_fold(name), account_id, None) for account_id, name in chunk)
        self.seen = self.keys("account_seen")  # folded name -> row, in this file
        self.seen_ids = self.keys("account_seen_ids")  # source id -> row, in this file
        self.new_warnings = len(coverage_warnings([]))  # nobody mapped at a new account yet

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

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        self.stamp = now()  # one creation time for the batch (a second's resolution anyway)
        self.stamp_text = self.stamp.isoformat(" ")  # as peewee stores it; once a batch, not once a row
        names = [_fold(values["name"].strip()) for _n, values in batch]
        ids = [values.get("source_id", "").strip() for _n, values in batch]
        self.batch_seen = {k: v[0][0] or 0 for k, v in self.seen.lookup(n for n in names if n).items()}
        self.batch_seen_ids = {k: v[0][0] or 0 for k, v in self.seen_ids.lookup(i for i in ids if i).items()}
        self.batch_names = {k: [a for a, _b in v if a is not None] for k, v in self.names.lookup(names).items()}
        self.by_source: dict[str, tuple[int, bool]] = {
            sid: (account_id, bool(archived))
            for sid, account_id, archived in select_in(
                "SELECT source_id, id, archived_at IS NOT NULL FROM account WHERE source = ? AND source_id IN ({in_})",
                [i for i in ids if i],
                (self.source,),
            )
        }
        wanted = {i for v in self.batch_names.values() for i in v} | {a for a, _x in self.by_source.values()}
        self.loaded: dict[int, Account] = {}
        wanted_ids = sorted(wanted)
        for start in range(0, len(wanted_ids), 500):
            chunk = wanted_ids[start : start + 500]
            self.loaded.update((a.id, a) for a in Account.select().where(Account.id.in_(chunk)))
        self.inserts: list[tuple[int, str, dict[str, object]]] = []
        self.new_seen: list[tuple[str, int | None, int | None]] = []
        self.new_seen_ids: list[tuple[str, int | None, int | None]] = []
        for number, values in batch:
            self.check(number, values)
        self.write_new()
        self.seen.add(self.new_seen)
        self.seen_ids.add(self.new_seen_ids)

    def write_new(self) -> None:
        """The batch's new accounts in one bulk insert; should the database refuse one (a
        name taken after all), each is written on its own and the refused row reported."""
        rows = [values for _number, _name, values in self.inserts]
        try:
            with database.atomic():
                bulk.insert_rows(Account, rows)
            return
        except IntegrityError:
            pass
        for number, name, values in self.inserts:
            try:
                with database.atomic():
                    bulk.insert_rows(Account, [values])
            except IntegrityError:
                self.report.created -= 1
                self.report.errors.append(
                    RowError(number, self.column("name"), _("Another active account has this name."))
                )
                self.report.outcome(RowOutcome(number, "error", name))

    def check(self, number: int, values: dict[str, str]) -> None:
        """One row of the batch: refused (reported), unchanged, updated, or queued for insert."""
        name = values["name"].strip()
        source_id = values.pop("source_id", "").strip()
        key = _fold(name)
        if source_id and source_id in self.batch_seen_ids:
            self.fail(
                number,
                {
                    "source_id": _("Same account as row {row}: give each account once.").format(
                        row=self.batch_seen_ids[source_id]
                    )
                },
                name,
            )
            return
        if name and key in self.batch_seen:
            self.fail(
                number,
                {"name": _("Same account as row {row}: give each account once.").format(row=self.batch_seen[key])},
                name,
            )
            return
        if name:
            self.batch_seen[key] = number
            self.new_seen.append((key, number, None))
        if source_id:
            self.batch_seen_ids[source_id] = number
            self.new_seen_ids.append((source_id, number, None))
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
            # The names were checked against every active account (batch_names): no query.
            cleaned = accounts.clean(draft, account_id, names_checked=True)
        except ValidationError as exc:
            errors = {**exc.errors, **errors}
            cleaned = {}
        if errors:
            self.fail(number, errors, name)
            return
        if account is not None and all(getattr(account, k) == v for k, v in {**cleaned, **extras}.items()):
            self.count(number, "unchanged", name)
            return
        if account is None:
            stamp = self.stamp_text
            self.inserts.append(
                (
                    number,
                    name,
                    {
                        **cleaned,
                        "warning_count": self.new_warnings,
                        "created_at": stamp,
                        "updated_at": stamp,
                        **{k: extras.get(k, _NEW_DEFAULTS[k]) for k in _NEW_DEFAULTS},
                    },
                )
            )
            self.count(number, "create", name)
            return
        try:
            saved = accounts.save(draft, account_id)
        except ValidationError as exc:
            self.fail(number, exc.errors, name)
            return
        if extras:
            Account.update(**extras).where(Account.id == saved.id).execute()
        self.count(number, "update", name)

    def find(self, number: int, name: str, source_id: str) -> Account | bool | None:
        """The account this row updates (None: a new one); False when refused (reported)."""
        if source_id and source_id in self.by_source:
            account_id, archived = self.by_source[source_id]
            account = self.loaded[account_id]
            if archived:
                self.fail(
                    number,
                    {"source_id": _("The account {name!r} is archived; restore it first.").format(name=account.name)},
                    name,
                )
                return False
            return account
        ids = self.batch_names.get(_fold(name), []) if name else []
        if len(ids) > 1:
            exact = [i for i in ids if self.loaded[i].name == name]
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
        found: Account | None = self.loaded[ids[0]] if ids else None
        if found is not None and source_id and found.source == self.source and found.source_id:
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


# Columns a new account takes from the row's extras (or these defaults): every inserted
# row gives the same columns, as one bulk insert needs.
_NEW_DEFAULTS: dict[str, object] = {
    "phone": "",
    "website": "",
    "annual_revenue": None,
    "employees": None,
    "source": "",
    "source_id": "",
}


def _person_key(account_id: int, name: str) -> str:
    """A person as matched, for the key tables: the account and the folded name."""
    return f"{account_id}\x1f{_fold(name)}"


class _PeopleImport(_Import):
    """People rows a batch at a time, then (in `finish`) their reporting lines, account by
    account in a second pass.

    Values are checked by `people.clean`; new rows are written with one bulk insert a batch
    (with ids given, so that the reporting lines can name them) and each account's warning
    count is refreshed once at the end, not once per row as `people.save` does. What the
    file has had so far (people, ids, reporting lines to set) is kept in temporary tables.
    """

    def __init__(self, report: ImportReport, columns: _Columns, header: list[str], currency: str) -> None:
        super().__init__(report, columns, header)
        self.currency = currency
        # WeCom has no export of companies: its people bring their accounts with them.
        self.creates_accounts = self.source == "wecom"
        # Every account by folded name (a = id, b = 1 when archived), looked up a batch at a time.
        self.account_names = self.keys("people_accounts")
        cursor = database.execute_sql("SELECT id, name, archived_at IS NOT NULL FROM account")
        self.account_count = 0
        while chunk := cursor.fetchmany(5_000):
            self.account_count += len(chunk)
            self.account_names.add((_fold(name), account_id, int(archived)) for account_id, name, archived in chunk)
        self.created_accounts: dict[str, int] = {}  # by a WeCom file, folded name -> id
        self.suggestions: dict[str, str] | None = None  # folded -> name, for "did you mean"
        self.batch_accounts: dict[str, list[tuple[int | None, int | None]]] = {}
        self.batch_account_ids: dict[str, int] = {}
        self.staff = self.keys("people_staff")  # account + folded name -> person id (saved before)
        self.staffed: set[int] = set()  # accounts whose people are in `staff`
        self.seen = self.keys("people_seen")  # account + folded name -> (row, person id), this file
        self.seen_ids = self.keys("people_seen_ids")  # source id -> (row, person id), this file
        self.managers = 0  # reporting lines to set, in the temporary table below
        database.execute_sql("DROP TABLE IF EXISTS temp.saletui_import_managers")
        database.execute_sql(
            "CREATE TEMP TABLE saletui_import_managers (row INTEGER, person INTEGER, account INTEGER, "
            "name TEXT, sid TEXT, was TEXT, outcome INTEGER)"
        )
        self.first_new = (database.execute_sql("SELECT MAX(id) FROM person").fetchone()[0] or 0) + 1
        self.next_id = self.first_new
        self.touched: set[int] = set()  # accounts whose warning count must be refreshed

    def close(self) -> None:
        super().close()
        database.execute_sql("DROP TABLE IF EXISTS temp.saletui_import_managers")

    def load_staff(self, account_ids: Iterable[int]) -> None:
        """The people already saved at these accounts, into `staff` (once per account)."""
        missing = sorted(set(account_ids) - self.staffed)
        if not missing:
            return
        self.staffed.update(missing)
        rows = select_in("SELECT id, account_id, name FROM person WHERE account_id IN ({in_}) ORDER BY id", missing)
        self.staff.add((_person_key(account_id, name), person_id, None) for person_id, account_id, name in rows)

    def look_up_accounts(self, batch: list[tuple[int, dict[str, str]]]) -> None:
        """The accounts the batch's rows name, by folded name and by the CRM's id."""
        names = [_fold(values.get("account", "").strip()) for _n, values in batch]
        self.batch_accounts = self.account_names.lookup(n for n in names if n)
        sids = sorted({_first_id(values.get("account_id", "")) for _n, values in batch} - {""})
        self.batch_account_ids = dict(
            select_in(
                "SELECT source_id, id FROM account WHERE source = ? AND archived_at IS NULL AND source_id IN ({in_})",
                sids,
                (self.source,),
            )
        )

    def account(self, raw: str, source_id: str = "") -> tuple[int | None, str | None]:
        if source_id:
            found = self.batch_account_ids.get(source_id)
            if found is not None:
                return found, None
            if not raw.strip():
                return None, _("No account with {source} id {id!r}; import the accounts first.").format(
                    source=source_label(self.source), id=source_id
                )
        name = raw.strip()
        if not name:
            return None, _("Which account? This cell is empty.")
        key = _fold(name)
        if key in self.created_accounts:
            return self.created_accounts[key], None
        known = self.batch_accounts.get(key, [])
        active = [i for i, archived in known if i is not None and not archived]
        if len(active) > 1:
            exact = [i for i, n in select_in("SELECT id, name FROM account WHERE id IN ({in_})", active) if n == name]
            active = exact if len(exact) == 1 else active
        if len(active) == 1:
            return active[0], None
        if len(active) > 1:
            return None, _("{n} active accounts are called {name!r}.").format(n=len(active), name=name)
        if known:
            return None, _("The account {name!r} is archived; restore it first.").format(name=name)
        if self.creates_accounts:
            try:
                saved = accounts.save(AccountDraft(name=name, currency=self.currency))
            except ValidationError as exc:
                return None, "; ".join(exc.errors.values())
            Account.update(source=self.source).where(Account.id == saved.id).execute()
            self.created_accounts[key] = saved.id
            self.report.accounts_created.append(name)
            return saved.id, None
        message = _("No active account called {name!r}; import or add it first.").format(name=name)
        if self.account_count <= 20_000:
            if self.suggestions is None:  # read once, and only when a name is not found
                self.suggestions = {}
                for (found_name,) in database.execute_sql(
                    "SELECT name FROM account WHERE archived_at IS NULL ORDER BY id"
                ).fetchall():
                    self.suggestions.setdefault(_fold(found_name), found_name)
            close = difflib.get_close_matches(key, list(self.suggestions), n=1, cutoff=0.8)
            if close:
                message += " " + _("Did you mean {name!r}?").format(name=self.suggestions[close[0]])
        return None, message

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        self.stamp = now()  # one creation time for the batch (a second's resolution anyway)
        self.stamp_text = self.stamp.isoformat(" ")  # as peewee stores it; once a batch, not once a row
        ready: list[tuple[int, dict[str, str], int, str, str, str]] = []
        self.look_up_accounts(batch)
        for number, values in batch:
            name = values.get("name", "").strip()
            source_id = values.pop("source_id", "").strip()
            account_sid = _first_id(values.pop("account_id", ""))
            manager_sid = values.pop("reports_to_id", "").strip()
            account_id, problem = self.account(values.get("account", ""), account_sid)
            if account_id is None:
                self.fail(number, {"account_id" if account_sid else "account": problem or ""}, name)
                continue
            ready.append((number, values, account_id, name, source_id, manager_sid))
        self.load_staff(r[2] for r in ready)
        keys = [_person_key(r[2], r[3]) for r in ready]
        sids = [r[4] for r in ready if r[4]]
        self.batch_seen = {k: (v[0][0] or 0, v[0][1] or 0) for k, v in self.seen.lookup(keys).items()}
        self.batch_seen_ids = {k: (v[0][0] or 0, v[0][1] or 0) for k, v in self.seen_ids.lookup(sids).items()}
        self.batch_staff = {k: [a for a, _b in v if a is not None] for k, v in self.staff.lookup(keys).items()}
        self.person_ids: dict[str, tuple[int, int]] = {
            sid: (person_id, account_id)
            for sid, person_id, account_id in select_in(
                "SELECT source_id, id, account_id FROM person WHERE source = ? AND source_id IN ({in_})",
                sids,
                (self.source,),
            )
        }
        wanted = sorted({i for v in self.batch_staff.values() for i in v} | {p for p, _a in self.person_ids.values()})
        self.loaded: dict[int, Person] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self.loaded.update((p.id, p) for p in Person.select().where(Person.id.in_(chunk)))
        self.inserts: list[dict[str, object]] = []
        self.new_seen: list[tuple[str, int | None, int | None]] = []
        self.new_seen_ids: list[tuple[str, int | None, int | None]] = []
        self.new_managers: list[tuple[int, int, int, str, str, str, int]] = []
        for entry, key in zip(ready, keys, strict=True):
            self.check(*entry, key)
        bulk.insert_rows(Person, self.inserts)
        self.seen.add(self.new_seen)
        self.seen_ids.add(self.new_seen_ids)
        if self.new_managers:
            database.cursor().executemany(
                "INSERT INTO temp.saletui_import_managers VALUES (?, ?, ?, ?, ?, ?, ?)", self.new_managers
            )
            self.managers += len(self.new_managers)

    def check(
        self,
        number: int,
        values: dict[str, str],
        account_id: int,
        name: str,
        source_id: str,
        manager_sid: str,
        key: str,
    ) -> None:
        if source_id and source_id in self.batch_seen_ids:
            self.fail(
                number,
                {
                    "source_id": _("Same person as row {row}: give each person once per account.").format(
                        row=self.batch_seen_ids[source_id][0]
                    )
                },
                name,
            )
            return
        if name and key in self.batch_seen:
            self.fail(
                number,
                {
                    "name": _("Same person as row {row}: give each person once per account.").format(
                        row=self.batch_seen[key][0]
                    )
                },
                name,
            )
            return
        person = self.find(number, account_id, name, source_id, key)
        if person is False:
            return
        assert person is None or isinstance(person, Person)
        draft = PersonDraft.from_person(person) if person else PersonDraft()
        # The reporting line is set in `finish`; the saved one is valid as it is (no query).
        draft.reports_to = None
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
        origin: dict[str, object] = {"source": "", "source_id": ""} if person is None else {}
        if source_id:
            origin = {"source": self.source, "source_id": source_id}
        elif person is None and self.source != "csv":
            origin["source"] = self.source
        if person is None:
            row_id = self.next_id
            self.next_id += 1
            stamp = self.stamp_text
            cleaned["reports_to"] = None
            self.inserts.append(
                {"id": row_id, "account": account_id, **cleaned, **origin, "created_at": stamp, "updated_at": stamp}
            )
            self.touched.add(account_id)
            action = "create"
        else:
            row_id = person.id
            cleaned["reports_to"] = person.reports_to_id
            changes = {**cleaned, **origin}
            if any(getattr(person, k if k != "reports_to" else "reports_to_id") != v for k, v in changes.items()):
                Person.update(**changes, updated_at=now()).where(Person.id == row_id).execute()
                self.touched.add(account_id)
                action = "update"
            else:
                action = "unchanged"
        self.batch_seen[key] = (number, row_id)
        self.new_seen.append((key, number, row_id))
        if source_id:
            self.batch_seen_ids[source_id] = (number, row_id)
            self.new_seen_ids.append((source_id, number, row_id))
        index = self.count(number, action, name)
        if "reports_to" in self.mapping or "reports_to_id" in self.mapping:
            manager_name = values.get("reports_to", "").strip()
            self.new_managers.append((number, row_id, account_id, manager_name, manager_sid, action, index))

    def find(self, number: int, account_id: int, name: str, source_id: str, key: str) -> Person | bool | None:
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
            return self.loaded[person_id]
        ids = self.batch_staff.get(key, []) if name else []
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
        person = self.loaded[ids[0]] if ids else None
        if person is not None and source_id and person.source == self.source and person.source_id:
            return None  # a namesake with another id: someone else
        return person

    def finish(self) -> None:
        """Reporting lines, once everyone in the file exists (a manager may come later in
        it): account by account, each account's people read once."""
        self.flush()
        if self.managers:
            cursor = database.cursor()
            cursor.execute(
                "SELECT account, row, person, name, sid, was, outcome FROM temp.saletui_import_managers "
                "ORDER BY account, row"
            )
            lines: list[tuple[int, int, str, str, str, int]] = []
            account_id = None
            while chunk := cursor.fetchmany(5_000):
                for at, *line in chunk:
                    if at != account_id and lines:
                        assert account_id is not None
                        self.link_account(account_id, lines)
                        lines = []
                    account_id = at
                    lines.append(tuple(line))
            if lines and account_id is not None:
                self.link_account(account_id, lines)
        people.refresh_warning_counts(self.touched)

    def link_account(self, account_id: int, lines: list[tuple[int, int, str, str, str, int]]) -> None:
        """The reporting lines `lines` of one account's rows (row, person, manager's name,
        manager's source id, what the row did, its outcome's index), in the file's order."""
        tree: dict[int, int | None] = {}
        names: dict[str, list[int]] = {}
        for person_id, name, manager in database.execute_sql(
            "SELECT id, name, reports_to_id FROM person WHERE account_id = ? ORDER BY id", (account_id,)
        ).fetchall():
            tree[person_id] = manager
            names.setdefault(_fold(name), []).append(person_id)
        prefix = f"{account_id}\x1f"
        in_file = {k[len(prefix) :]: b for k, _a, b in self.seen.prefixed(prefix)}
        sids = sorted({sid for *_x, sid, _w, _o in lines if sid})
        found_ids = {k: v[0] for k, v in self.seen_ids.lookup(sids).items()}
        saved_ids = {
            sid: (person_id, at)
            for sid, person_id, at in select_in(
                "SELECT source_id, id, account_id FROM person WHERE source = ? AND source_id IN ({in_})",
                sids,
                (self.source,),
            )
        }
        updates: list[tuple[int | None, dt.datetime, int, int]] = []
        stamp = now()
        for number, person_id, manager_name, manager_sid, was, outcome in lines:
            manager_id: int | None = None
            if manager_sid:
                found = found_ids.get(manager_sid)
                saved = saved_ids.get(manager_sid)
                if found is not None and found[1] is not None:
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
                folded = _fold(manager_name)
                candidates = [in_file[folded]] if in_file.get(folded) is not None else names.get(folded, [])
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
                self._write_lines(updates)  # the store checks what is saved: the lines so far first
                try:  # the store's own check and message; it refuses before writing anything
                    people.move(person_id, manager_id)
                except ValidationError as exc:
                    self._manager_failed(number, "; ".join(exc.errors.values()))
                    continue
            # A person created by this import has had no version anyone could have read.
            updates.append((manager_id, stamp, 0 if person_id >= self.first_new else 1, person_id))
            tree[person_id] = manager_id
            self.touched.add(account_id)
            self.report.promote(outcome, number, was)
        self._write_lines(updates)

    @staticmethod
    def _write_lines(updates: list[tuple[int | None, dt.datetime, int, int]]) -> None:
        database.cursor().executemany(
            "UPDATE person SET reports_to_id = ?, updated_at = ?, version = version + ? WHERE id = ?",
            [(manager, stamp.isoformat(" "), bump, person) for manager, stamp, bump, person in updates],
        )
        updates.clear()

    def _manager_failed(self, number: int, message: str) -> None:
        # The person is saved; only the reporting line is not. Without --skip-bad-rows the
        # import still stops (all or nothing), so the flag matters only when it is kept.
        self.report.errors.append(
            RowError(number, self.column("reports_to"), message, row_imported=self.report.skip_bad_rows)
        )
