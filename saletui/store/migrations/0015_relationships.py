"""Our team's relationship with each key person: per person and staff member the level now
and the target, 1 vendor, 2 credible source, 3 problem solver, 4 trusted advisor
(saletui.method.relationship). One row per person and staff member."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

TABLES = """
CREATE TABLE person_relationship (
    id INTEGER NOT NULL PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    staff TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    target INTEGER NOT NULL CHECK (target BETWEEN 1 AND 4),
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX person_relationship_staff ON person_relationship (person_id, staff)
"""


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in TABLES.split(";"):
        if statement.strip():
            db.execute_sql(statement)


def down(migrator: SchemaMigrator, db: Database) -> None:
    db.execute_sql("DROP TABLE IF EXISTS person_relationship")
