"""Rows edited in forms get a `version`, one more on every UPDATE of the row, so that a form
saved in one window cannot silently undo what another window saved after the form was
opened (the save says which version it was typed over; see models.VersionedModel).

`updated_at` has one-second resolution, so two saves within a second would look alike;
an integer counter does not. Existing rows start at 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SQL, IntegerField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

TABLES = ("account", "person", "deal", "visit", "milestone")


def _version() -> IntegerField:
    # A default in the schema too, so that rows inserted by other tools (or older code's
    # explicit column lists) still satisfy NOT NULL.
    return IntegerField(default=0, constraints=[SQL("DEFAULT 0")])


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(*[migrator.add_column(table, "version", _version()) for table in TABLES])


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(*[migrator.drop_column(table, "version") for table in TABLES])
