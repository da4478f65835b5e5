"""After signing: a won deal's implementation phase (new toy, learning, effectiveness,
done; saletui.method.implementation) and the day it began. The phase moves on by the clock
from that day, or when the rep sets it; nothing writes it as days pass.

Deals won before this version start their implementation on the day they were closed,
so an old win reads as implemented and a recent one as in its first phases.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import SQL, DateField, TextField

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def up(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(
        migrator.add_column("deal", "phase", TextField(default="", constraints=[SQL("DEFAULT ''")])),
        migrator.add_column("deal", "phase_on", DateField(null=True)),
    )
    db.execute_sql(
        "UPDATE deal SET phase = 'new_toy', phase_on = COALESCE(date(closed_at), date(updated_at)) WHERE status = 'won'"
    )


def down(migrator: SchemaMigrator, db: Database) -> None:
    migrator.migrate(migrator.drop_column("deal", "phase"), migrator.drop_column("deal", "phase_on"))
