"""Objections raised on a visit, the playbook technique used, and whether it worked:
the team lead's evidence for editing the playbook."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from peewee import BooleanField, DateTimeField, ForeignKeyField, Model, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class BaseModel(Model):
        class Meta:
            database = db

    class Visit(BaseModel):
        class Meta:
            table_name = "visit"

    class VisitObjection(BaseModel):
        visit = ForeignKeyField(Visit, on_delete="CASCADE", index=True)
        objection_id = TextField()
        objection_title = TextField(default="")
        technique_id = TextField(default="")
        technique_name = TextField(default="")
        worked = BooleanField(null=True)
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)

    db.create_tables([VisitObjection])
    db.execute_sql("CREATE INDEX visitobjection_technique ON visitobjection (objection_id, technique_id)")


def down(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("DROP TABLE visitobjection")
