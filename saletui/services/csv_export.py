"""CSV export of accounts, people and visits, written for Excel and WPS as reps have them:

- UTF-8 **with a BOM**, so Excel opens Chinese text correctly instead of guessing the
  system code page; CRLF line ends; an English header row whose names the import
  (`saletui.services.csv_import`) reads back, so export -> edit -> import works.
- **Formula guard**: a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage
  return would be run as a formula by spreadsheet programs (CSV injection: a contact
  called `=HYPERLINK(...)` could exfiltrate data). Such a cell is written with a leading
  single quote `'` (so a phone number `+49 40 ...` appears as `'+49 40 ...`). The import
  removes that quote again (see `csv_import.unescape_formula`); a value that itself begins
  with `'` followed by one of those characters or another `'` gets one more quote, so the
  round trip is exact.
- **Amounts** are exact decimals in the account's currency ("1200000", "1234.50"), with the
  currency in its own column, so the import reads back the very same minor units.
- Active accounts only, with their people and visits: archived accounts are in the backup
  (`saletui.services.backup`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from saletui import money
from saletui.atomic_file import open_atomic
from saletui.store.models import database

CSV_KINDS = ("accounts", "people", "visits")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_AMOUNTS = ("market_capacity", "excluded_capacity")
PROGRESS_EVERY = 10_000
Progress = Callable[[int], None]  # told how many rows are written so far


def neutralise(cell: str) -> str:
    """A cell made safe for spreadsheets: a formula-looking value gets a leading `'`.

    Cells beginning with `=`, `+`, `-`, `@`, tab or CR are prefixed with a single quote so
    that Excel, WPS and LibreOffice show them as text instead of running them. A cell
    that already begins with `'` before one of those (or before another `'`) is quoted
    once more, so that the import can strip exactly one quote and get the value back.
    """
    if cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    if len(cell) > 1 and cell[0] == "'" and (cell[1] == "'" or cell[1:].startswith(FORMULA_PREFIXES)):
        return "'" + cell
    return cell


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if not value.second else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_rows(
    file: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], progress: Progress | None = None
) -> int:
    """CSV for Excel into `file`, a row at a time: BOM, CRLF, every cell neutralised. Returns
    the number of data rows; `progress` is told the count every PROGRESS_EVERY rows."""
    file.write("\ufeff")
    writer = csv.writer(file, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow([neutralise(_cell(value)) for value in row])
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count)
    return count


_ACCOUNT_COLUMNS = (
    ("name", "name"),
    ("industry", "industry"),
    ("region", "region"),
    ("owner", "owner"),
    ("relationship", "relationship"),
    ("class", None),
    ("contribution", "contribution"),
    ("stability", "stability"),
    ("expected value", "expected_value"),
    ("intent", "intent"),
    ("tier", "tier"),
    ("currency", "currency"),
    ("market capacity", "market_capacity"),
    ("excluded capacity", "excluded_capacity"),
    ("excluded channels", "excluded_channels"),
    ("credit terms", "credit_terms"),
    ("payment terms", "payment_terms"),
    ("next step", "next_step"),
    ("next step date", "next_step_date"),
    ("rules of engagement", "rules_of_engagement"),
    ("notes", "profile_notes"),
    ("created at", "created_at"),
    ("updated at", "updated_at"),
)

_PERSON_COLUMNS = (
    ("account", None),
    ("name", "name"),
    ("title", "title"),
    ("department", "department"),
    ("reports to", None),
    ("influence", "influence"),
    ("coach", "is_coach"),
    ("attitude", "attitude"),
    ("coverage", "coverage"),
    ("buying role", "buying_role"),
    ("owner", "owner"),
    ("phone", "phone"),
    ("fax", "fax"),
    ("email", "email"),
    ("interests", "interests"),
    ("pains", "pains"),
    ("good supplier", "good_supplier"),
    ("responsibility", "responsibility"),
    ("notes", "notes"),
    ("last contacted", "last_contacted"),
)

_VISIT_COLUMNS = (
    ("account", None),
    ("planned at", "planned_at"),
    ("kind", "kind"),
    ("status", "status"),
    ("deal", None),
    ("attendees", None),
    ("purposes", "purposes"),
    ("objective", "objective"),
    ("objective who", "objective_who"),
    ("objective how", "objective_how"),
    ("objective when", "objective_when"),
    ("objective why", "objective_why"),
    ("give", "give"),
    ("learn", "learn"),
    ("ask best", "ask_best"),
    ("ask minimum", "ask_minimum"),
    ("commitment", "commitment"),
    ("outcome", "outcome"),
    ("debrief", "debrief"),
    ("next step", "next_step"),
    ("next step date", "next_step_date"),
)


def _accounts() -> Iterator[list[object]]:
    from saletui.method.classes import classify
    from saletui.store.models import Account

    query = Account.select().where(Account.archived_at.is_null()).order_by(Account.name, Account.id)
    # Plain dicts, streamed: a million rows are never all in memory, nor built as models.
    for account in cast("Iterable[dict[str, Any]]", query.dicts().iterator()):
        row: list[object] = []
        for header, name in _ACCOUNT_COLUMNS:
            if header == "class":
                row.append(
                    classify(
                        account["relationship"],
                        account["contribution"],
                        account["stability"],
                        account["expected_value"],
                        account["intent"],
                    )
                )
            elif name in _AMOUNTS:
                row.append(money.plain_number(account[name], account["currency"]))
            else:
                assert name is not None  # only the computed columns have no attribute
                row.append(account[name])
        yield row


def _people() -> Iterator[list[object]]:
    from saletui.store.models import Account, Person

    names = dict(database.execute_sql("SELECT id, name FROM person").fetchall())
    query = (
        Person.select(Person, Account.name.alias("account_name"))
        .join(Account)
        .where(Account.archived_at.is_null())
        .order_by(Account.name, Account.id, Person.influence.is_null(), Person.influence, Person.name, Person.id)
    )
    for person in query.objects().iterator():
        row: list[object] = []
        for header, name in _PERSON_COLUMNS:
            if header == "account":
                row.append(person.account_name)  # peewee: the alias selected above
            elif header == "reports to":
                row.append(names.get(person.reports_to_id, ""))
            else:
                assert name is not None  # only the computed columns have no attribute
                row.append(getattr(person, name))
        yield row


def _visits() -> Iterator[list[object]]:
    from saletui.store.models import Account, Visit

    attendees: dict[int, list[str]] = {}
    for visit_id, name in database.execute_sql(
        "SELECT a.visit_id, p.name FROM visitattendee a JOIN person p ON p.id = a.person_id "
        "ORDER BY a.visit_id, (p.influence IS NULL), p.influence, p.name, p.id"
    ).fetchall():
        attendees.setdefault(visit_id, []).append(name)
    deals = dict(database.execute_sql("SELECT id, title FROM deal").fetchall())
    query = (
        Visit.select(Visit, Account.name.alias("account_name"))
        .join(Account)
        .where(Account.archived_at.is_null())
        .order_by(Visit.planned_at, Visit.id)
    )
    for visit in query.objects().iterator():
        row: list[object] = []
        for header, name in _VISIT_COLUMNS:
            if header == "account":
                row.append(visit.account_name)  # peewee: the alias selected above
            elif header == "deal":
                row.append(deals.get(visit.deal_id, ""))
            elif header == "attendees":
                row.append("; ".join(attendees.get(visit.id, [])))
            else:
                assert name is not None  # only the computed columns have no attribute
                row.append(getattr(visit, name))
        yield row


_TABLES: dict[str, tuple[Sequence[tuple[str, str | None]], Callable[[], Iterator[list[object]]]]] = {
    "accounts": (_ACCOUNT_COLUMNS, _accounts),
    "people": (_PERSON_COLUMNS, _people),
    "visits": (_VISIT_COLUMNS, _visits),
}


def write_csv(kind: str, file: TextIO, progress: Progress | None = None) -> int:
    """Accounts, people or visits as CSV into `file`, from one consistent snapshot of the
    database; the number of rows."""
    if kind not in _TABLES:
        raise ValueError(kind)
    columns, rows = _TABLES[kind]
    with database.atomic():  # one consistent snapshot
        return write_rows(file, [h for h, _n in columns], rows(), progress)


def csv_text(kind: str) -> tuple[str, int]:
    """The CSV text for `kind` and how many data rows it has."""
    out = io.StringIO(newline="")
    count = write_csv(kind, out)
    return out.getvalue(), count


def export_csv(kind: str, path: Path, progress: Progress | None = None) -> int:
    """Write accounts, people or visits as CSV to `path` (replaced atomically); return the row count.

    UTF-8 with BOM and CRLF for Excel; every cell beginning with `=`, `+`, `-`, `@`, tab or
    CR is prefixed with `'` so that spreadsheet programs do not run it as a formula. Rows
    are streamed to the file: memory stays flat however many there are.
    """
    with open_atomic(Path(path)) as file:
        return write_csv(kind, file, progress)


def default_file_name(kind: str, today: dt.date | None = None) -> str:
    """`saletui-accounts-2026-11-25.csv`; for kind "backup", `saletui-backup-2026-11-25.json`."""
    day = (today or dt.date.today()).isoformat()
    return f"saletui-{kind}-{day}.json" if kind == "backup" else f"saletui-{kind}-{day}.csv"
