"""Stakeholders (the buying organisation), visits with attendees, and each account's
next step."""

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

    class Account(BaseModel):
        class Meta:
            table_name = "account"

    class Deal(BaseModel):
        class Meta:
            table_name = "deal"

    class Person(BaseModel):
        account = ForeignKeyField(Account, backref="people", on_delete="CASCADE", index=True)
        reports_to = ForeignKeyField("self", null=True, on_delete="SET NULL", index=True)
        name = TextField()
        title = TextField(default="")
        department = TextField(default="")
        influence = IntegerField(null=True)
        is_coach = BooleanField(default=False)
        attitude = TextField(default="")
        coverage = TextField(default="unknown")
        buying_role = TextField(default="")
        owner = TextField(default="")
        phone = TextField(default="")
        fax = TextField(default="")
        email = TextField(default="")
        interests = TextField(default="")
        pains = TextField(default="")
        good_supplier = TextField(default="")
        responsibility = TextField(default="")
        notes = TextField(default="")
        last_contacted = DateField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

    class Visit(BaseModel):
        account = ForeignKeyField(Account, backref="visits", on_delete="CASCADE")
        deal = ForeignKeyField(Deal, null=True, on_delete="SET NULL", index=True)
        planned_at = DateTimeField()
        kind = TextField(default="visit")
        status = TextField(default="planned")
        purposes = TextField(default="")
        objective = TextField(default="")
        outcome = TextField(default="")
        debrief = TextField(default="")
        next_step = TextField(default="")
        next_step_date = DateField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

    class VisitAttendee(BaseModel):
        visit = ForeignKeyField(Visit, backref="attendees", on_delete="CASCADE")
        person = ForeignKeyField(Person, on_delete="CASCADE", index=True)

        class Meta:
            indexes = ((("visit", "person"), True),)

    db.create_tables([Person, Visit, VisitAttendee])
    db.execute_sql("CREATE INDEX visit_account_status_date ON visit (account_id, status, planned_at)")
    migrator.migrate(
        migrator.add_column("account", "next_step", TextField(default="")),
        migrator.add_column("account", "next_step_date", DateField(null=True)),
    )


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.drop_column("account", "next_step_date"),
        migrator.drop_column("account", "next_step"),
    )
    for table in ("visitattendee", "visit", "person"):
        db.execute_sql(f"DROP TABLE {table}")
