"""Derived classes (DOMAIN section 4): contribution and stability worked out from the
trading history, kept beside the hand-set ones.

- `account.class_source`: "derived" (the default: the class comes from the orders when the
  account has any, else from the hand-set axes) or "hand" (the rep's override: the hand-set
  axes win even when the orders say otherwise).
- `derived_class`: per account that has bought, the axes its last months of orders give and
  the figures behind them. Rewritten as a whole by `store.derived.refresh`, never edited.
- `class_derivation`: one row saying for which window and rules `derived_class` was worked
  out, whether order lines (or owners, or archiving) changed since, and a generation that
  counts the refreshes (a screen that read the classes knows whether they moved since). The triggers below
  only set `stale`: one tiny write per changed row, so an import of a million lines barely
  notices, and whoever writes orders (the app, an import, another tool) needs to know nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SQL, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

_STALE = "UPDATE class_derivation SET stale = 1 WHERE stale = 0;"

TRIGGERS = {
    "derived_class_lines_added": f"AFTER INSERT ON order_line BEGIN {_STALE} END",
    "derived_class_lines_removed": f"AFTER DELETE ON order_line BEGIN {_STALE} END",
    "derived_class_lines_changed": (
        "AFTER UPDATE OF account_id, ordered_on, amount, currency ON order_line "
        f"WHEN OLD.account_id IS NOT NEW.account_id OR OLD.ordered_on IS NOT NEW.ordered_on "
        f"OR OLD.amount IS NOT NEW.amount OR OLD.currency IS NOT NEW.currency BEGIN {_STALE} END"
    ),
    # The portfolio an account is ranked in: its owner's active accounts.
    "derived_class_portfolio_changed": (
        "AFTER UPDATE OF owner, archived_at, relationship ON account "
        "WHEN OLD.owner IS NOT NEW.owner OR OLD.archived_at IS NOT NEW.archived_at "
        f"OR OLD.relationship IS NOT NEW.relationship BEGIN {_STALE} END"
    ),
}

TABLES = """
CREATE TABLE derived_class (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    contribution TEXT NOT NULL,
    stability TEXT NOT NULL,
    lines INTEGER NOT NULL,
    months INTEGER NOT NULL,
    quarters INTEGER NOT NULL
);
CREATE TABLE class_derivation (
    id INTEGER NOT NULL PRIMARY KEY,
    window_end INTEGER NOT NULL,
    rules TEXT NOT NULL,
    stale INTEGER NOT NULL,
    generation INTEGER NOT NULL
);
INSERT INTO class_derivation (id, window_end, rules, stale, generation) VALUES (1, 0, '', 1, 0)
"""


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column(
            "account", "class_source", TextField(default="derived", constraints=[SQL("DEFAULT 'derived'")])
        )
    )
    for statement in TABLES.split(";"):
        if statement.strip():
            db.execute_sql(statement)
    for name, body in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {body}")


def down(migrator: SchemaMigrator, db: Database) -> None:
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("class_derivation", "derived_class"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
    migrator.migrate(migrator.drop_column("account", "class_source"))
