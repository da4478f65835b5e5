"""Rows brought in from another CRM remember where they came from (source system and its
id), so importing the same export again updates them instead of adding duplicates; and an
account keeps the phone, website, revenue and head count those exports carry.

`source` is a short system name ("salesforce", "hubspot", "dynamics", "wecom", "vcard",
"csv"); `source_id` is that system's own id, empty when it has none. The pair is unique per
table whenever an id is present, enforced by a partial unique index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SQL, IntegerField, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

TABLES = ("account", "person", "deal")


def _text() -> TextField:
    # A default in the schema too, so that rows inserted by other tools (or older code's
    # explicit column lists) still satisfy NOT NULL.
    return TextField(default="", constraints=[SQL("DEFAULT ''")])


def up(migrator: SchemaMigrator, db: Database) -> None:
    operations = []
    for table in TABLES:
        operations += [
            migrator.add_column(table, "source", _text()),
            migrator.add_column(table, "source_id", _text()),
        ]
    operations += [
        migrator.add_column("account", "phone", _text()),
        migrator.add_column("account", "website", _text()),
        # Minor units of the account's currency, like every other amount (saletui.money).
        migrator.add_column("account", "annual_revenue", IntegerField(null=True)),
        migrator.add_column("account", "employees", IntegerField(null=True)),
    ]
    migrator.migrate(*operations)
    for table in TABLES:
        db.execute_sql(f"CREATE UNIQUE INDEX {table}_source_id ON {table} (source, source_id) WHERE source_id <> ''")


def down(migrator: SchemaMigrator, db: Database) -> None:
    for table in TABLES:
        db.execute_sql(f"DROP INDEX {table}_source_id")
    migrator.migrate(
        *[migrator.drop_column("account", c) for c in ("phone", "website", "annual_revenue", "employees")],
        *[migrator.drop_column(t, c) for t in TABLES for c in ("source", "source_id")],
    )
