"""The milestone method: each deal's milestone list, each visit's checklist, and the
per-call plan (objective, what we give and learn, the commitment we ask for)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from peewee import BooleanField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class BaseModel(Model):
        class Meta:
            database = db

    class Deal(BaseModel):
        class Meta:
            table_name = "deal"

    class Visit(BaseModel):
        class Meta:
            table_name = "visit"

    class Milestone(BaseModel):
        deal = ForeignKeyField(Deal, on_delete="CASCADE")
        stage = IntegerField()
        position = IntegerField()
        template_id = TextField(default="")
        question = TextField()
        key_node = BooleanField(default=False)
        status = TextField(default="open")
        skip_reason = TextField(default="")
        reached_visit = ForeignKeyField(Visit, null=True, on_delete="SET NULL", index=True)
        reached_on = DateField(null=True)
        note = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("deal", "stage", "position"), False),)

    class VisitItem(BaseModel):
        visit = ForeignKeyField(Visit, on_delete="CASCADE")
        milestone = ForeignKeyField(Milestone, on_delete="CASCADE", index=True)
        position = IntegerField(default=0)
        result = TextField(default="pending")
        note = TextField(default="")

        class Meta:
            indexes = ((("visit", "milestone"), True),)

    db.create_tables([Milestone, VisitItem])
    migrator.migrate(
        *(
            migrator.add_column("visit", column, TextField(default=""))
            for column in (
                "objective_who",
                "objective_how",
                "objective_when",
                "objective_why",
                "give",
                "learn",
                "ask_best",
                "ask_minimum",
                "commitment",
            )
        )
    )


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        *(
            migrator.drop_column("visit", column)
            for column in (
                "objective_who",
                "objective_how",
                "objective_when",
                "objective_why",
                "give",
                "learn",
                "ask_best",
                "ask_minimum",
                "commitment",
            )
        )
    )
    db.execute_sql("DROP TABLE visititem")
    db.execute_sql("DROP TABLE milestone")
