"""Writing many rows at once, for the imports: multi-row INSERTs per batch instead of one
ORM statement per row (peewee builds each INSERT's SQL anew: 2 ms a row, a million rows
would take half an hour), and temporary key tables that let an import remember a million
names without holding them in Python (a dict of a million strings is 150 MB).

Callers run inside their own transaction (`database.atomic()`); nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from peewee import BooleanField, DateField, DateTimeField, ForeignKeyField, Model

from saletui.store.models import database

BATCH = 500  # bound variables per IN (...): well below SQLite's limit
# Bound variables per multi-row INSERT (SQLite allows 32,766 since 3.32). Many rows per
# statement rather than an executemany of one-row statements: the search index's triggers
# (migration 0016) write FTS5 tables, and FTS5 flushes its pending terms at every
# statement, so one row per statement made an import four times slower.
MAX_VARIABLES = 30_000


def _converter(field: Any) -> Callable[[Any], Any]:
    """How a Python value of `field` is stored, as peewee would store it."""
    if isinstance(field, BooleanField):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(field, DateTimeField):
        return lambda v: None if v is None else (v.isoformat(" ") if isinstance(v, dt.datetime) else str(v))
    if isinstance(field, DateField):
        return lambda v: None if v is None else (v.isoformat() if isinstance(v, dt.date) else str(v))
    if isinstance(field, ForeignKeyField):
        return lambda v: v if v is None or isinstance(v, int) else v.id
    return lambda v: v


def insert_rows(model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT `rows` (field name -> Python value; a foreign key by its field name, the id as
    value) into `model`'s table, as many rows per statement as SQLite takes. Every row gives the same keys; a field
    not given takes its default (a callable default, such as `now`, is called once)."""
    if not rows:
        return
    meta = model._meta
    given = list(rows[0])
    fields = [meta.fields[name] for name in given]
    defaults: list[tuple[str, Any]] = []
    for field in meta.sorted_fields:
        if field.name in rows[0] or field.name == "id" or field.default is None:
            continue
        value = field.default() if callable(field.default) else field.default
        defaults.append((field.column_name, _converter(field)(value)))
    columns = [f.column_name for f in fields] + [c for c, _v in defaults]
    fixed = tuple(v for _c, v in defaults)
    # Only dates, times, flags and foreign keys need converting; the rest go as they are.
    special = [
        (i, _converter(f))
        for i, f in enumerate(fields)
        if isinstance(f, BooleanField | DateTimeField | DateField | ForeignKeyField)
    ]
    quoted = ", ".join(f'"{c}"' for c in columns)
    one = f"({', '.join('?' * len(columns))})"
    limit = min(MAX_VARIABLES, database.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    per_statement = max(1, limit // len(columns))
    params: list[Any] = []
    cursor = database.cursor()
    for n, row in enumerate(rows, 1):
        values = [row[name] for name in given]
        for i, conv in special:
            values[i] = conv(values[i])
        params += values
        params += fixed
        if n % per_statement == 0 or n == len(rows):
            count = len(params) // len(columns)
            cursor.execute(f'INSERT INTO "{meta.table_name}" ({quoted}) VALUES {", ".join([one] * count)}', params)
            params = []


class KeyTable:
    """A temporary table of (key, a, b) rows on the import's own connection, indexed by key:
    what an import has seen, for a file of any length in bounded memory. Dropped by `drop`
    (and gone anyway with a rollback of the transaction that created it)."""

    def __init__(self, name: str) -> None:
        self.name = name
        database.execute_sql(f"DROP TABLE IF EXISTS temp.{name}")
        database.execute_sql(f"CREATE TEMP TABLE {name} (k TEXT NOT NULL, a INTEGER, b INTEGER)")
        database.execute_sql(f"CREATE INDEX temp.{name}_k ON {name} (k)")

    def add(self, items: Iterable[tuple[str, int | None, int | None]]) -> None:
        database.cursor().executemany(f"INSERT INTO temp.{self.name} (k, a, b) VALUES (?, ?, ?)", list(items))

    def lookup(self, keys: Iterable[str]) -> dict[str, list[tuple[int | None, int | None]]]:
        """key -> its (a, b) pairs in the order added, for the keys that are in the table."""
        wanted = list(dict.fromkeys(keys))
        out: dict[str, list[tuple[int | None, int | None]]] = {}
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            cursor = database.execute_sql(
                f"SELECT k, a, b FROM temp.{self.name} WHERE k IN ({', '.join('?' * len(chunk))}) ORDER BY rowid",
                chunk,
            )
            for k, a, b in cursor.fetchall():
                out.setdefault(k, []).append((a, b))
        return out

    def prefixed(self, prefix: str) -> list[tuple[str, int | None, int | None]]:
        """Every row whose key starts with `prefix` (keys such as "account id" + U+001F + name)."""
        cursor = database.execute_sql(
            f"SELECT k, a, b FROM temp.{self.name} WHERE k >= ? AND k < ? ORDER BY rowid",
            (prefix, prefix + "\U0010ffff"),
        )
        return [(k, a, b) for k, a, b in cursor.fetchall()]

    def drop(self) -> None:
        database.execute_sql(f"DROP TABLE IF EXISTS temp.{self.name}")


def select_in(sql: str, values: Sequence[Any], before: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql`, whose one "{in}" is filled with placeholders for `values`, in chunks."""
    out: list[tuple[Any, ...]] = []
    for start in range(0, len(values), BATCH):
        chunk = list(values[start : start + BATCH])
        cursor = database.execute_sql(sql.format(in_=", ".join("?" * len(chunk))), [*before, *chunk])
        out.extend(cursor.fetchall())
    return out
