"""After signing: a won deal's implementation phase (new toy, learning, effectiveness,
done; saletui.method.implementation) and the day it began. The phase moves on by the clock
from that day, or when the rep sets it; nothing writes it as days pass.

Deals won before this version start their implementation on the day they were closed,
so an old win reads as implemented and a recent one as in its first phases.

Also repairs two triggers of 0009: removing an account's last order line (deleting it, or
moving it to another account or day) set `account_trade.first_on` to NULL before the row
was dropped, which its NOT NULL refused, so the rep could not delete the only line of an
account. The first and last dates now keep their old value when no line is left (the row
is deleted in the next statement).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from peewee import SQL, DateField, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

_REPAIRED = ("order_line_removed", "order_line_moved")


def _orders_migration() -> ModuleType:
    """0009's trigger texts (a migration's module name starts with a digit: load by path)."""
    spec = importlib.util.spec_from_file_location("saletui_migration_0009", Path(__file__).with_name("0009_orders.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _triggers(repaired: bool) -> dict[str, str]:
    m = _orders_migration()
    remove = m._TRADE_REMOVE
    if repaired:
        remove = remove.replace(
            "first_on = (SELECT min(ordered_on) FROM order_line WHERE account_id = OLD.account_id)",
            "first_on = COALESCE((SELECT min(ordered_on) FROM order_line WHERE account_id = OLD.account_id), first_on)",
        ).replace(
            "last_on = (SELECT max(ordered_on) FROM order_line WHERE account_id = OLD.account_id)",
            "last_on = COALESCE((SELECT max(ordered_on) FROM order_line WHERE account_id = OLD.account_id), last_on)",
        )
        assert remove != m._TRADE_REMOVE, "0009's account_trade statement changed: update this repair"
    return {
        "order_line_removed": f"AFTER DELETE ON order_line BEGIN {m._sql(m._REMOVE, 'OLD')} {remove} END",
        "order_line_moved": (
            "AFTER UPDATE OF account_id, ordered_on ON order_line "
            "WHEN OLD.account_id IS NOT NEW.account_id OR OLD.ordered_on IS NOT NEW.ordered_on "
            f"BEGIN {remove} {m._TRADE_ADD} END"
        ),
    }


def _replace_triggers(db: Database, repaired: bool) -> None:
    for name, body in _triggers(repaired).items():
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
        db.execute_sql(f"CREATE TRIGGER {name} {body}")


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("deal", "phase", TextField(default="", constraints=[SQL("DEFAULT ''")])),
        migrator.add_column("deal", "phase_on", DateField(null=True)),
    )
    db.execute_sql(
        "UPDATE deal SET phase = 'new_toy', phase_on = COALESCE(date(closed_at), date(updated_at)) WHERE status = 'won'"
    )
    _replace_triggers(db, repaired=True)


def down(migrator: SchemaMigrator, db: Database) -> None:
    _replace_triggers(db, repaired=False)
    migrator.migrate(migrator.drop_column("deal", "phase"), migrator.drop_column("deal", "phase_on"))
