"""A full backup of the database as one JSON file, and its exact restore.

The backup (`backup_json`) holds every row and column of every table in
`saletui.store.models.ALL_MODELS`, the applied schema migrations and the saletui version.
Dates and times are ISO strings. Amounts are integers of minor units (cents, 分) beside
the account's `currency` column (format version 2). `restore_json` puts a backup into an
empty database exactly: same ids, same values. A backup written before amounts were exact
(format version 1, schema before 0006) holds floats of major units: they are converted
as the 0006 upgrade converts a database (half-even from the digits typed), so restoring an
old backup gives what upgrading the old database would have given.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from peewee import (
    BooleanField,
    DateField,
    DateTimeField,
    DecimalField,
    Field,
    FloatField,
    IntegerField,
    IntegrityError,
)
from peewee import sort_models as _untyped_sort_models  # type: ignore[attr-defined]  # peewee: public, missing from stubs

from saletui import __version__, money
from saletui.atomic_file import open_atomic
from saletui.i18n import _
from saletui.store.db import HISTORY_TABLE, known_migrations
from saletui.store.models import ALL_MODELS, BaseModel, TolerantSqliteDatabase, database

BACKUP_FORMAT = "saletui-backup"
BACKUP_FORMAT_VERSION = 2
"""1: amounts as floats of major units; 2: amounts as integer minor units + currency."""
EXACT_MONEY_MIGRATION = "0006_money_minor_units"
# Columns that hold money, and the table whose currency they are in.
MONEY_COLUMNS = {"account": ("market_capacity", "excluded_capacity"), "deal": ("value",)}

# One table of a backup: {"columns": [name, ...], "rows": [[value, ...], ...]} (JSON values).
_Table = dict[str, list[Any]]


def _sort_models(models: Iterable[type[BaseModel]]) -> list[type[BaseModel]]:
    """peewee's `sort_models` (parents before children), typed."""
    return cast("list[type[BaseModel]]", _untyped_sort_models(models))


def _primary_key(model: type[BaseModel]) -> Field[Any]:
    """The model's primary-key field (every saletui model has its `id`)."""
    key = model._meta.primary_key
    assert isinstance(key, Field), model
    return key


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


def _from_json(field: Field[Any], value: object) -> object:
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
    if isinstance(value, int) and not -(2**63) <= value < 2**63:  # SQLite's INTEGER is 64-bit
        raise ValueError(_("number too large to store: {value}").format(value=value))
    return value


def applied_migrations() -> list[str]:
    return [r[0] for r in database.execute_sql(f"SELECT name FROM {HISTORY_TABLE} ORDER BY name").fetchall()]


@dataclass
class BackupSummary:
    """What a backup wrote: rows per table, and the cells whose text was not UTF-8 in the
    database (backed up with U+FFFD in place of the bad bytes: "account 2: name")."""

    counts: dict[str, int]
    damaged: list[str]


def write_backup(path: Path, progress: Callable[[int], None] | None = None) -> BackupSummary:
    """Write the full database to one JSON file, replaced atomically, owner-only if new,
    from one consistent snapshot. Rows are streamed, one JSON line each, so memory stays
    flat however big the database is; `progress` is told the rows written every 10,000."""
    head = {
        "format": BACKUP_FORMAT,
        "format_version": BACKUP_FORMAT_VERSION,
        "saletui_version": __version__,
        "created_at": dt.datetime.now().replace(microsecond=0).isoformat(),
    }
    summary = BackupSummary({}, [])
    written = 0
    with open_atomic(Path(path)) as file, database.atomic():
        file.write("{\n")
        for key, value in {**head, "schema": applied_migrations()}.items():
            file.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        file.write('  "tables": {\n')
        for t, model in enumerate(ALL_MODELS):
            fields = model._meta.sorted_fields
            columns = [f.column_name for f in fields]
            name = model._meta.table_name
            file.write(f"    {json.dumps(name)}: {{\n")
            file.write(f'      "columns": {json.dumps(columns, ensure_ascii=False)},\n')
            query = model.select(*fields).order_by(_primary_key(model)).tuples()
            count = 0
            undecodable = TolerantSqliteDatabase.undecodable
            # peewee's stubs type `.tuples()` as yielding models; it yields one tuple per row.
            for row in cast("Iterable[tuple[object, ...]]", query.iterator()):
                file.write('      "rows": [\n        ' if count == 0 else ",\n        ")
                file.write(json.dumps([_to_json(value) for value in row], ensure_ascii=False))
                count += 1
                written += 1
                if TolerantSqliteDatabase.undecodable != undecodable:  # this row held bad bytes
                    undecodable = TolerantSqliteDatabase.undecodable
                    summary.damaged += [
                        f"{name} {row[0]}: {column}"
                        for column, value in zip(columns, row, strict=True)
                        if isinstance(value, str) and "\ufffd" in value
                    ]
                if progress is not None and written % 10_000 == 0:
                    progress(written)
            file.write("\n      ]\n" if count else '      "rows": []\n')
            file.write("    }" + ("," if t < len(ALL_MODELS) - 1 else "") + "\n")
            summary.counts[name] = count
        file.write("  }\n}\n")
    return summary


def backup_json(path: Path) -> dict[str, int]:
    """Write the full database to one JSON file (see `write_backup`); rows per table."""
    return write_backup(path).counts


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
    if (version >= 2) != (EXACT_MONEY_MIGRATION in schema):
        # Version 2 is exactly "amounts are minor units": a mismatch means a damaged file.
        raise RestoreError(
            _("{path}: backup format {version} does not match its schema list").format(path=path, version=version)
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
            if not isinstance(column, str) or column not in known:
                raise RestoreError(
                    _("{path}: unknown column {column!r} in table {table!r}").format(
                        path=path, column=column, table=name
                    )
                )
        pk = _primary_key(models[name]).column_name
        if pk not in table["columns"]:
            raise RestoreError(_("{path}: table {table!r} has no {pk!r} column").format(path=path, table=name, pk=pk))
    return data


def non_empty_tables() -> list[str]:
    return [m._meta.table_name for m in ALL_MODELS if m.select().exists()]


def _legacy_amount(value: object, currency: str) -> int | None:
    """An amount from a format-1 backup (a float of major units) as exact minor units."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(_("not a number: {value!r}").format(value=value))
    try:
        return money.minor_from_float(float(value), currency)
    except money.AmountError:
        raise ValueError(
            _("the amount {value!r} cannot be stored exactly (a number up to {max} is needed)").format(
                value=value, max=f"{money.MAX_MAJOR:,}"
            )
        ) from None


def restore_json(path: Path | dict[str, object], *, currency: str = money.DEFAULT_CURRENCY) -> dict[str, int]:
    """Put a backup (file path, or data from `read_backup`) into the open, EMPTY database.

    A format-1 backup's amounts (floats) are converted to minor units of `currency` (the
    `currency:` setting), which its accounts are given, as the 0006 upgrade does.

    Same ids and values, in one transaction, parents before children (a person's manager
    may come later: foreign keys are checked at commit). Refused with RestoreError when
    the database has any data or the backup comes from a newer schema. A backup from an
    older schema is accepted: the columns added since take their defaults, as the upgrade
    of an old database would give them. Returns the rows restored per table.
    """
    data = path if isinstance(path, dict) else read_backup(Path(path))
    # Shapes that read_backup has checked.
    tables = cast("dict[str, _Table]", data["tables"])
    legacy_money = EXACT_MONEY_MIGRATION not in cast("list[str]", data["schema"])
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
        for model in _sort_models(ALL_MODELS):
            table = tables.get(model._meta.table_name, {"columns": [], "rows": []})
            fields = [model._meta.columns[c] for c in table["columns"]]
            name = model._meta.table_name
            amounts = {i for i, c in enumerate(table["columns"]) if legacy_money and c in MONEY_COLUMNS.get(name, ())}
            add_currency = legacy_money and name == "account" and "currency" not in table["columns"]
            if add_currency:
                fields.append(model._meta.columns["currency"])
            rows: list[Sequence[object]] = []
            for number, raw in enumerate(table["rows"], start=1):
                if not isinstance(raw, list) or len(raw) != len(fields) - add_currency:
                    raise RestoreError(
                        _("table {table!r}, row {row}: expected {n} values").format(
                            table=model._meta.table_name, row=number, n=len(fields) - add_currency
                        )
                    )
                try:
                    values = [
                        _legacy_amount(v, currency) if i in amounts else _from_json(f, v)
                        for i, (f, v) in enumerate(zip(fields, raw, strict=False))
                    ]
                    rows.append(tuple([*values, currency] if add_currency else values))
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
