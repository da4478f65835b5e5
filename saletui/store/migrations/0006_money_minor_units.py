"""Money is exact: amounts become integers of minor units (cents, 分) and every account
gets a currency (ISO 4217 code).

Until now amounts were floats of major units. Each one is read as its shortest decimal
spelling (the digits the rep typed) and rounded half-even to the currency's minor unit;
NULL stays NULL. Existing accounts take the currency of the `currency:` setting at the
time of the upgrade. A value that cannot be held exactly (NaN, infinity, text, or more
than saletui.money.MAX_MAJOR) stops the upgrade, which then changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peewee import FloatField, IntegerField, TextField

from saletui import money
from saletui.i18n import _

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator


def _convert(value: float | str | bytes | None, currency: str, where: str) -> int | None:
    """`value` is what SQLite holds in a REAL column: usually a float, but any storage class."""
    if value is None:
        return None
    try:
        if isinstance(value, (str, bytes, bool)):
            raise money.AmountError(repr(value))
        return money.minor_from_float(value, currency)
    except money.AmountError:
        raise ValueError(
            _(
                "{where}: the amount {value!r} cannot be stored exactly (a number up to {max} is needed); "
                "correct it with the previous saletui version, then upgrade again"
            ).format(where=where, value=value, max=f"{money.MAX_MAJOR:,}")
        ) from None


def up(migrator: SchemaMigrator, db: Database) -> None:
    from saletui.store.db import upgrade_currency

    currency = upgrade_currency()
    accounts = []
    for account_id, name, total, excluded in db.execute_sql(
        "SELECT id, name, market_capacity, excluded_capacity FROM account ORDER BY id"
    ).fetchall():
        where = _("account {id} {name!r}").format(id=account_id, name=name)
        accounts.append((_convert(total, currency, where), _convert(excluded, currency, where), account_id))
    deals = []
    for deal_id, title, value in db.execute_sql("SELECT id, title, value FROM deal ORDER BY id").fetchall():
        deals.append((_convert(value, currency, _("deal {id} {title!r}").format(id=deal_id, title=title)), deal_id))
    migrator.migrate(
        migrator.alter_column_type("account", "market_capacity", IntegerField(null=True)),
        migrator.alter_column_type("account", "excluded_capacity", IntegerField(null=True)),
        migrator.alter_column_type("deal", "value", IntegerField(null=True)),
        migrator.add_column("account", "currency", TextField(default=currency)),
    )
    cursor = db.cursor()
    cursor.executemany("UPDATE account SET market_capacity = ?, excluded_capacity = ? WHERE id = ?", accounts)
    cursor.executemany("UPDATE deal SET value = ? WHERE id = ?", deals)


def down(migrator: SchemaMigrator, db: Database) -> None:
    """Back to floats of major units (exact for every amount below 2^53 minor units)."""
    digits: dict[int, int] = {}
    for account_id, currency in db.execute_sql("SELECT id, currency FROM account").fetchall():
        digits[account_id] = 10 ** money.minor_digits(currency)

    def major(minor: int | None, account_id: int) -> float | None:
        return None if minor is None else minor / digits[account_id]

    accounts = [
        (major(total, i), major(excluded, i), i)
        for i, total, excluded in db.execute_sql("SELECT id, market_capacity, excluded_capacity FROM account")
    ]
    deals = [(major(value, a), i) for i, a, value in db.execute_sql("SELECT id, account_id, value FROM deal")]
    migrator.migrate(
        migrator.drop_column("account", "currency"),
        migrator.alter_column_type("account", "market_capacity", FloatField(null=True)),
        migrator.alter_column_type("account", "excluded_capacity", FloatField(null=True)),
        migrator.alter_column_type("deal", "value", FloatField(null=True)),
    )
    cursor = db.cursor()
    cursor.executemany("UPDATE account SET market_capacity = ?, excluded_capacity = ? WHERE id = ?", accounts)
    cursor.executemany("UPDATE deal SET value = ? WHERE id = ?", deals)
