"""Accounts and their deals (the first released schema).

Models here are frozen copies: they describe the schema as it was at this version and
must never follow later changes to saletui/store/models.py.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from peewee import DateField, DateTimeField, FloatField, ForeignKeyField, IntegerField, Model, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    class BaseModel(Model):
        class Meta:
            database = db

    class Account(BaseModel):
        name = TextField()
        industry = TextField(default="")
        region = TextField(default="")
        owner = TextField(default="")
        relationship = TextField(default="prospect")
        contribution = TextField(null=True)
        stability = TextField(null=True)
        expected_value = TextField(null=True)
        intent = TextField(null=True)
        tier = TextField(default="")
        market_capacity = FloatField(null=True)
        excluded_capacity = FloatField(null=True)
        excluded_channels = TextField(default="")
        credit_terms = TextField(default="")
        payment_terms = TextField(default="")
        rules_of_engagement = TextField(default="")
        profile_notes = TextField(default="")
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)
        archived_at = DateTimeField(null=True)

    class Deal(BaseModel):
        account = ForeignKeyField(Account, backref="deals", on_delete="CASCADE", index=True)
        title = TextField()
        value = FloatField(null=True)
        expected_close = DateField(null=True)
        stage = IntegerField(default=1)
        status = TextField(default="open")
        close_reason = TextField(default="")
        closed_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

    db.create_tables([Account, Deal])
    # No two active accounts may share a name (case-insensitive for Latin letters).
    db.execute_sql("CREATE UNIQUE INDEX account_active_name ON account (name COLLATE NOCASE) WHERE archived_at IS NULL")
    db.execute_sql("CREATE INDEX deal_account_status ON deal (account_id, status, stage)")


def down(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("DROP TABLE deal")
    db.execute_sql("DROP TABLE account")
