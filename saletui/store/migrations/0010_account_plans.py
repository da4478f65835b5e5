"""The 5+5+5 one-year action plans: per account and year the objective (revenue in the
plan's currency) spread over the twelve months as expected values, the actions with an
owner on our side, a due date and a status, and what we want from each contact this year.

The monthly review compares a plan's months with `sales_month` (migration 0009); it finds
the tiered accounts through `account_tier` instead of reading all 10,000 accounts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

TABLES = """
CREATE TABLE account_plan (
    id INTEGER NOT NULL PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    currency TEXT NOT NULL,
    objective INTEGER NOT NULL,
    goal TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX account_plan_year ON account_plan (account_id, year);
CREATE TABLE plan_month (
    id INTEGER NOT NULL PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES account_plan (id) ON DELETE CASCADE,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    expected INTEGER NOT NULL
);
CREATE UNIQUE INDEX plan_month_plan ON plan_month (plan_id, month);
CREATE TABLE plan_action (
    id INTEGER NOT NULL PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES account_plan (id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_on DATE NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_action_due ON plan_action (plan_id, status, due_on);
CREATE TABLE plan_contact (
    id INTEGER NOT NULL PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES account_plan (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    objective TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX plan_contact_person ON plan_contact (plan_id, person_id);
CREATE INDEX plan_contact_person_id ON plan_contact (person_id);
CREATE INDEX account_tier ON account (tier);
"""


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in TABLES.split(";"):
        if statement.strip():
            db.execute_sql(statement)


def down(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("DROP INDEX IF EXISTS account_tier")
    for table in ("plan_contact", "plan_action", "plan_month", "account_plan"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
