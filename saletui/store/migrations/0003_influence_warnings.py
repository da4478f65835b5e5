"""Informal influence links between people (kept apart from reporting lines), and each
account's count of coverage warnings, kept current on every change to its people."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from peewee import DateTimeField, ForeignKeyField, IntegerField, Model, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class BaseModel(Model):
        class Meta:
            database = db

    class Account(BaseModel):
        class Meta:
            table_name = "account"

    class Person(BaseModel):
        class Meta:
            table_name = "person"

    class InfluenceLink(BaseModel):
        account = ForeignKeyField(Account, on_delete="CASCADE", index=True)
        source = ForeignKeyField(Person, on_delete="CASCADE", index=True)
        target = ForeignKeyField(Person, on_delete="CASCADE", index=True)
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("source", "target"), True),)

    db.create_tables([InfluenceLink])
    # NULL = not computed yet; saletui fills it in right after upgrading.
    migrator.migrate(migrator.add_column("account", "warning_count", IntegerField(null=True)))


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(migrator.drop_column("account", "warning_count"))
    db.execute_sql("DROP TABLE influencelink")
