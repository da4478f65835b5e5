"""Indexes for the agenda (saletui.services.agenda): the planned visits in time order and
the accounts' next steps by due date, so opening it reads those rows and not every visit
and account of a large book."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

INDEXES = (
    "CREATE INDEX visit_planned_at ON visit (planned_at) WHERE status = 'planned'",
    "CREATE INDEX account_next_step_due ON account (next_step_date) "
    "WHERE archived_at IS NULL AND next_step_date IS NOT NULL",
)


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in INDEXES:
        db.execute_sql(statement)


def down(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("DROP INDEX IF EXISTS visit_planned_at")
    db.execute_sql("DROP INDEX IF EXISTS account_next_step_due")
