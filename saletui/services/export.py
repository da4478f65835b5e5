"""Data out of saletui: CSV for spreadsheets, and a full backup as one JSON file.

CSV (`export_csv`) is written for Excel and WPS as reps have them:

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
- Active accounts only, with their people and visits: archived accounts are in the backup.

The backup (`backup_json`) holds every row and column of every table in
`saletui.store.models.ALL_MODELS`, the applied schema migrations and the saletui version.
Dates and times are ISO strings; floats are written as Python's shortest exact repr, so
they come back bit for bit; Decimals (none today) as strings. `restore_json` puts a
backup into an empty database exactly: same ids, same values.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import decimal
import io
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from peewee import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    IntegerField,
    IntegrityError,
    sort_models,
)

from saletui import __version__
from saletui.atomic_file import write_text_atomic
from saletui.i18n import _
from saletui.store.db import HISTORY_TABLE, known_migrations
from saletui.store.models import ALL_MODELS, database

CSV_KINDS = ("accounts", "people", "visits")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BACKUP_FORMAT = "saletui-backup"
BACKUP_FORMAT_VERSION = 1


# -- CSV ----------------------------------------------------------------------------------------


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
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if not value.second else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text for Excel: BOM, CRLF, every cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(_cell(value)) for value in row])
    return "\ufeff" + out.getvalue()


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


def _accounts() -> tuple[list[str], list[list[object]]]:
    from saletui.method.classes import classify
    from saletui.store.models import Account

    rows = []
    query = Account.select().where(Account.archived_at.is_null()).order_by(Account.name, Account.id)
    for account in query:
        row: list[object] = []
        for header, name in _ACCOUNT_COLUMNS:
            if header == "class":
                row.append(
                    classify(
                        account.relationship,
                        account.contribution,
                        account.stability,
                        account.expected_value,
                        account.intent,
                    )
                )
            else:
                row.append(getattr(account, name))
        rows.append(row)
    return [h for h, _n in _ACCOUNT_COLUMNS], rows


def _people() -> tuple[list[str], list[list[object]]]:
    from saletui.store.models import Account, Person

    names = dict(database.execute_sql("SELECT id, name FROM person").fetchall())
    rows = []
    query = (
        Person.select(Person, Account.name.alias("account_name"))
        .join(Account)
        .where(Account.archived_at.is_null())
        .order_by(Account.name, Account.id, Person.influence.is_null(), Person.influence, Person.name, Person.id)
    )
    for person in query.objects():
        row: list[object] = []
        for header, name in _PERSON_COLUMNS:
            if header == "account":
                row.append(person.account_name)
            elif header == "reports to":
                row.append(names.get(person.reports_to_id, ""))
            else:
                row.append(getattr(person, name))
        rows.append(row)
    return [h for h, _n in _PERSON_COLUMNS], rows


def _visits() -> tuple[list[str], list[list[object]]]:
    from saletui.store.models import Account, Visit

    attendees: dict[int, list[str]] = {}
    for visit_id, name in database.execute_sql(
        "SELECT a.visit_id, p.name FROM visitattendee a JOIN person p ON p.id = a.person_id "
        "ORDER BY a.visit_id, (p.influence IS NULL), p.influence, p.name, p.id"
    ).fetchall():
        attendees.setdefault(visit_id, []).append(name)
    deals = dict(database.execute_sql("SELECT id, title FROM deal").fetchall())
    rows = []
    query = (
        Visit.select(Visit, Account.name.alias("account_name"))
        .join(Account)
        .where(Account.archived_at.is_null())
        .order_by(Visit.planned_at, Visit.id)
    )
    for visit in query.objects():
        row: list[object] = []
        for header, name in _VISIT_COLUMNS:
            if header == "account":
                row.append(visit.account_name)
            elif header == "deal":
                row.append(deals.get(visit.deal_id, ""))
            elif header == "attendees":
                row.append("; ".join(attendees.get(visit.id, [])))
            else:
                row.append(getattr(visit, name))
        rows.append(row)
    return [h for h, _n in _VISIT_COLUMNS], rows


_TABLES: dict[str, Callable[[], tuple[list[str], list[list[object]]]]] = {
    "accounts": _accounts,
    "people": _people,
    "visits": _visits,
}


def csv_text(kind: str) -> tuple[str, int]:
    """The CSV text for `kind` and how many data rows it has."""
    if kind not in _TABLES:
        raise ValueError(kind)
    with database.atomic():  # one consistent snapshot
        header, rows = _TABLES[kind]()
    return to_csv(header, rows), len(rows)


def export_csv(kind: str, path: Path) -> int:
    """Write accounts, people or visits as CSV to `path` (replaced atomically); return the row count.

    UTF-8 with BOM and CRLF for Excel; every cell beginning with `=`, `+`, `-`, `@`, tab or
    CR is prefixed with `'` so that spreadsheet programs do not run it as a formula.
    """
    text, count = csv_text(kind)
    write_text_atomic(Path(path), text)
    return count


def default_file_name(kind: str, today: dt.date | None = None) -> str:
    """`saletui-accounts-2026-11-25.csv`, `saletui-backup-2026-11-25.json`."""
    day = (today or dt.date.today()).isoformat()
    return f"saletui-{kind}-{day}.json" if kind == "backup" else f"saletui-{kind}-{day}.csv"


# -- backup and restore -------------------------------------------------------------------------


class RestoreError(Exception):
    """A backup that cannot be restored here; the message is one line for the user."""


def _to_json(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot back up a {type(value).__name__}")


def _from_json(field, value: object) -> object:
    """A JSON value as the field's Python value (what peewee writes exactly as before)."""
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(field, DateField):
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(field, DecimalField):
        return decimal.Decimal(str(value))
    if isinstance(field, FloatField):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(_("not a number: {value!r}").format(value=value))
        return float(value)
    if isinstance(field, BooleanField):
        if not isinstance(value, bool):
            raise ValueError(_("not true/false: {value!r}").format(value=value))
        return value
    if isinstance(field, IntegerField) and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(_("not a whole number: {value!r}").format(value=value))
    return value


def applied_migrations() -> list[str]:
    return [r[0] for r in database.execute_sql(f"SELECT name FROM {HISTORY_TABLE} ORDER BY name").fetchall()]


def backup_data() -> dict[str, object]:
    """The whole database as plain JSON-ready data, read in one consistent snapshot."""
    tables: dict[str, object] = {}
    with database.atomic():
        schema = applied_migrations()
        for model in ALL_MODELS:
            fields = model._meta.sorted_fields
            query = model.select(*fields).order_by(model._meta.primary_key).tuples()
            tables[model._meta.table_name] = {
                "columns": [f.column_name for f in fields],
                "rows": [[_to_json(value) for value in row] for row in query],
            }
    return {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "saletui_version": __version__,
        "created_at": dt.datetime.now().replace(microsecond=0).isoformat(),
        "schema": schema,
        "tables": tables,
    }


def _dumps(data: dict[str, object]) -> str:
    """Readable JSON that stays compact: one line per row."""
    head = {k: v for k, v in data.items() if k != "tables"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "tables": {')
    tables = list(data["tables"].items())  # type: ignore[union-attr]
    for t, (name, table) in enumerate(tables):
        lines.append(f"    {json.dumps(name)}: {{")
        lines.append(f'      "columns": {json.dumps(table["columns"], ensure_ascii=False)},')
        rows = table["rows"]
        if not rows:
            lines.append('      "rows": []')
        else:
            lines.append('      "rows": [')
            lines.extend(
                f"        {json.dumps(row, ensure_ascii=False)}{',' if i < len(rows) - 1 else ''}"
                for i, row in enumerate(rows)
            )
            lines.append("      ]")
        lines.append("    }" + ("," if t < len(tables) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def backup_json(path: Path) -> dict[str, int]:
    """Write the full database to one JSON file (replaced atomically, owner-only if new).

    Returns the number of rows per table.
    """
    data = backup_data()
    write_text_atomic(Path(path), _dumps(data))
    return {name: len(table["rows"]) for name, table in data["tables"].items()}  # type: ignore[union-attr]


def read_backup(path: Path) -> dict[str, object]:
    """Load and check a backup file without touching any database; RestoreError if unusable."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RestoreError(_("no such file: {path}").format(path=path)) from None
    except OSError as exc:
        raise RestoreError(_("cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)) from None
    except UnicodeDecodeError:
        raise RestoreError(_("{path} is not a saletui backup (not UTF-8 text)").format(path=path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RestoreError(
            _("{path} is not a saletui backup (invalid JSON at line {line})").format(path=path, line=exc.lineno)
        ) from None
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise RestoreError(_("{path} is not a saletui backup").format(path=path))
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise RestoreError(_("{path} is not a saletui backup (no format version)").format(path=path))
    if version > BACKUP_FORMAT_VERSION:
        raise RestoreError(
            _("{path} was written by a newer saletui (backup format {version}); upgrade saletui to restore it").format(
                path=path, version=version
            )
        )
    schema = data.get("schema")
    if not isinstance(schema, list) or not all(isinstance(s, str) for s in schema):
        raise RestoreError(_("{path} is not a saletui backup (no schema list)").format(path=path))
    unknown = sorted(set(schema) - set(known_migrations()))
    if unknown:
        raise RestoreError(
            _("{path} was written by a newer saletui (schema {schema}); upgrade saletui to restore it").format(
                path=path, schema=unknown[-1]
            )
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise RestoreError(_("{path} is not a saletui backup (no tables)").format(path=path))
    models = {m._meta.table_name: m for m in ALL_MODELS}
    for name, table in tables.items():
        if name not in models:
            raise RestoreError(_("{path}: unknown table {table!r}").format(path=path, table=name))
        if (
            not isinstance(table, dict)
            or not isinstance(table.get("columns"), list)
            or not isinstance(table.get("rows"), list)
        ):
            raise RestoreError(_("{path}: table {table!r} is damaged").format(path=path, table=name))
        known = models[name]._meta.columns
        for column in table["columns"]:
            if column not in known:
                raise RestoreError(
                    _("{path}: unknown column {column!r} in table {table!r}").format(
                        path=path, column=column, table=name
                    )
                )
        pk = models[name]._meta.primary_key.column_name
        if pk not in table["columns"]:
            raise RestoreError(_("{path}: table {table!r} has no {pk!r} column").format(path=path, table=name, pk=pk))
    return data


def non_empty_tables() -> list[str]:
    return [m._meta.table_name for m in ALL_MODELS if m.select().exists()]


def restore_json(path: Path | dict) -> dict[str, int]:
    """Put a backup (file path, or data from `read_backup`) into the open, EMPTY database.

    Same ids and values, in one transaction, parents before children (a person's manager
    may come later: foreign keys are checked at commit). Refused with RestoreError when
    the database has any data or the backup comes from a newer schema. A backup from an
    older schema is accepted: the columns added since take their defaults, as the upgrade
    of an old database would give them. Returns the rows restored per table.
    """
    data = path if isinstance(path, dict) else read_backup(Path(path))
    tables: dict[str, dict] = data["tables"]  # type: ignore[assignment]
    counts: dict[str, int] = {}
    with database.atomic("IMMEDIATE"):
        occupied = non_empty_tables()
        if occupied:
            raise RestoreError(
                _(
                    "the database is not empty (it has {tables}); restore only into a new, empty "
                    "database, e.g. saletui --db restored.sqlite3 restore FILE"
                ).format(tables=", ".join(occupied))
            )
        database.execute_sql("PRAGMA defer_foreign_keys = ON")
        for model in sort_models(ALL_MODELS):
            table = tables.get(model._meta.table_name, {"columns": [], "rows": []})
            fields = [model._meta.columns[c] for c in table["columns"]]
            rows = []
            for number, raw in enumerate(table["rows"], start=1):
                if not isinstance(raw, list) or len(raw) != len(fields):
                    raise RestoreError(
                        _("table {table!r}, row {row}: expected {n} values").format(
                            table=model._meta.table_name, row=number, n=len(fields)
                        )
                    )
                try:
                    rows.append(tuple(_from_json(f, v) for f, v in zip(fields, raw, strict=False)))
                except (TypeError, ValueError) as exc:
                    raise RestoreError(
                        _("table {table!r}, row {row}: {reason}").format(
                            table=model._meta.table_name, row=number, reason=exc
                        )
                    ) from None
            batch = max(1, 900 // max(1, len(fields)))  # under SQLite's oldest limit on variables
            try:
                for start in range(0, len(rows), batch):
                    model.insert_many(rows[start : start + batch], fields=fields).execute()
            except IntegrityError as exc:
                raise RestoreError(
                    _("the backup is inconsistent: table {table!r}: {reason}; nothing was restored").format(
                        table=model._meta.table_name, reason=exc
                    )
                ) from None
            counts[model._meta.table_name] = len(rows)
        broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _fk = broken[0]
            raise RestoreError(
                _(
                    "the backup is inconsistent: {table} row {row} refers to a missing {parent} "
                    "({n} such problems); nothing was restored"
                ).format(table=table, row=rowid, parent=parent, n=len(broken))
            )
        from saletui.store.people import refresh_missing_warning_counts

        refresh_missing_warning_counts()  # only fills counts an older backup did not have
    return counts


def remove_database_files(path: Path) -> None:
    """Delete a database file we created and its WAL companions (after a failed restore)."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
