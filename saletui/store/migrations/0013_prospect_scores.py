"""Prospect scores (DOMAIN section 4): a prospect's expected contribution as a weighted
score of the method's factors, beside the one typed by hand.

- `account.rating_<factor>`: the rep's rating, 1 (poor) to 5 (excellent), of size,
  management level, network, buying power, marketing level, growth and our relative
  advantage (saletui.method.prospect_score); NULL when not rated.
- `derived_class.expected_value` and `.score`: for a prospect rated on enough factors, the
  expected contribution its score gives and the score (`store.derived.refresh` writes them
  with the customers' rows; a prospect's contribution and stability stay '').
- Triggers mark the derived classes stale when a rating changes or a rated account is
  added, like migration 0012's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import FloatField, IntegerField, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

FACTORS = ("size", "management", "network", "buying_power", "marketing", "growth", "advantage")
_COLUMNS = tuple(f"rating_{f}" for f in FACTORS)
_STALE = "UPDATE class_derivation SET stale = 1 WHERE stale = 0;"

TRIGGERS = {
    "derived_class_ratings_changed": (
        f"AFTER UPDATE OF {', '.join(_COLUMNS)} ON account "
        f"WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in _COLUMNS)} BEGIN {_STALE} END"
    ),
    "derived_class_rated_added": (
        f"AFTER INSERT ON account WHEN {' OR '.join(f'NEW.{c} IS NOT NULL' for c in _COLUMNS)} BEGIN {_STALE} END"
    ),
}


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        *(migrator.add_column("account", column, IntegerField(null=True)) for column in _COLUMNS),
        migrator.add_column("derived_class", "expected_value", TextField(null=True)),
        migrator.add_column("derived_class", "score", FloatField(null=True)),
    )
    for name, body in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {body}")


def down(migrator: SchemaMigrator, db: Database) -> None:
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    migrator.migrate(
        migrator.drop_column("derived_class", "score"),
        migrator.drop_column("derived_class", "expected_value"),
        *(migrator.drop_column("account", column) for column in reversed(_COLUMNS)),
    )
