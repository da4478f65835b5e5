"""Trading history: the order lines an account placed with us, and the summaries that the
derived classes, purchase reminders and reports read instead of millions of lines.

The summaries are kept current by SQLite triggers, so every write (the app, an import, a
restore, a cascade from a deleted account, another tool) updates them in its own
transaction, and a kill at any moment leaves lines and summaries agreeing:
- `sales_month`: amount, quantity and line count per account, month (yyyymm), rep, currency;
- `product_month`: the same per product, category, month, currency;
- `account_trade`: per account the first and last order date, the number of distinct order
  days (the reorder interval is their spread) and of lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

_MONTH = "CAST(strftime('%Y%m', {row}.ordered_on) AS INTEGER)"

# Adding and removing a line's share of the two monthly summaries; {row} is NEW or OLD.
_ADD = """
INSERT INTO sales_month (account_id, month, rep, currency, amount, quantity, lines)
VALUES ({row}.account_id, {month}, {row}.rep, {row}.currency, {row}.amount, COALESCE({row}.quantity, 0), 1)
ON CONFLICT (account_id, month, rep, currency) DO UPDATE SET
    amount = amount + excluded.amount, quantity = quantity + excluded.quantity, lines = lines + 1;
INSERT INTO product_month (product, category, month, currency, amount, quantity, lines)
VALUES ({row}.product, {row}.category, {month}, {row}.currency, {row}.amount, COALESCE({row}.quantity, 0), 1)
ON CONFLICT (product, category, month, currency) DO UPDATE SET
    amount = amount + excluded.amount, quantity = quantity + excluded.quantity, lines = lines + 1;
"""
_REMOVE = """
UPDATE sales_month SET amount = amount - {row}.amount, quantity = quantity - COALESCE({row}.quantity, 0),
    lines = lines - 1
WHERE account_id = {row}.account_id AND month = {month} AND rep = {row}.rep AND currency = {row}.currency;
DELETE FROM sales_month
WHERE account_id = {row}.account_id AND month = {month} AND rep = {row}.rep AND currency = {row}.currency
    AND lines <= 0;
UPDATE product_month SET amount = amount - {row}.amount, quantity = quantity - COALESCE({row}.quantity, 0),
    lines = lines - 1
WHERE product = {row}.product AND category = {row}.category AND month = {month} AND currency = {row}.currency;
DELETE FROM product_month
WHERE product = {row}.product AND category = {row}.category AND month = {month} AND currency = {row}.currency
    AND lines <= 0;
"""
# An account's first/last order date and distinct order days: adding NEW, and removing OLD
# (after the row left that account or date, so "any line left on that day" is exact). An
# account left with no line loses its row first: its dates cannot be NULL.
_TRADE_ADD = """
INSERT INTO account_trade (account_id, first_on, last_on, order_days, lines)
VALUES (NEW.account_id, NEW.ordered_on, NEW.ordered_on, 1, 1)
ON CONFLICT (account_id) DO UPDATE SET
    first_on = min(first_on, excluded.first_on),
    last_on = max(last_on, excluded.last_on),
    order_days = order_days + NOT EXISTS (
        SELECT 1 FROM order_line
        WHERE account_id = NEW.account_id AND ordered_on = NEW.ordered_on AND id <> NEW.id),
    lines = lines + 1;
"""
_TRADE_REMOVE = """
DELETE FROM account_trade WHERE account_id = OLD.account_id
    AND NOT EXISTS (SELECT 1 FROM order_line WHERE account_id = OLD.account_id);
UPDATE account_trade SET
    lines = lines - 1,
    order_days = order_days - NOT EXISTS (
        SELECT 1 FROM order_line WHERE account_id = OLD.account_id AND ordered_on = OLD.ordered_on),
    first_on = (SELECT min(ordered_on) FROM order_line WHERE account_id = OLD.account_id),
    last_on = (SELECT max(ordered_on) FROM order_line WHERE account_id = OLD.account_id)
WHERE account_id = OLD.account_id;
"""

_SUMMED = ("account_id", "ordered_on", "product", "category", "quantity", "amount", "currency", "rep")


def _sql(template: str, row: str) -> str:
    return template.format(row=row, month=_MONTH.format(row=row))


TRIGGERS = {
    "order_line_added": f"AFTER INSERT ON order_line BEGIN {_sql(_ADD, 'NEW')} {_TRADE_ADD} END",
    "order_line_removed": f"AFTER DELETE ON order_line BEGIN {_sql(_REMOVE, 'OLD')} {_TRADE_REMOVE} END",
    "order_line_changed": (
        f"AFTER UPDATE OF {', '.join(_SUMMED)} ON order_line "
        f"WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in _SUMMED)} "
        f"BEGIN {_sql(_REMOVE, 'OLD')} {_sql(_ADD, 'NEW')} END"
    ),
    "order_line_moved": (
        "AFTER UPDATE OF account_id, ordered_on ON order_line "
        "WHEN OLD.account_id IS NOT NEW.account_id OR OLD.ordered_on IS NOT NEW.ordered_on "
        f"BEGIN {_TRADE_REMOVE} {_TRADE_ADD} END"
    ),
}

TABLES = """
CREATE TABLE order_line (
    id INTEGER NOT NULL PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    ordered_on DATE NOT NULL,
    product TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    quantity REAL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    order_no TEXT NOT NULL DEFAULT '',
    line_no TEXT NOT NULL DEFAULT '',
    rep TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_line_account_day ON order_line (account_id, ordered_on);
CREATE INDEX order_line_day ON order_line (ordered_on);
CREATE UNIQUE INDEX order_line_number ON order_line (order_no, line_no) WHERE order_no <> '';
CREATE TABLE sales_month (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    month INTEGER NOT NULL,
    rep TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,
    quantity REAL NOT NULL,
    lines INTEGER NOT NULL,
    PRIMARY KEY (account_id, month, rep, currency)
) WITHOUT ROWID;
CREATE INDEX sales_month_month ON sales_month (month);
CREATE TABLE product_month (
    product TEXT NOT NULL,
    category TEXT NOT NULL,
    month INTEGER NOT NULL,
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,
    quantity REAL NOT NULL,
    lines INTEGER NOT NULL,
    PRIMARY KEY (product, category, month, currency)
) WITHOUT ROWID;
CREATE INDEX product_month_month ON product_month (month);
CREATE TABLE account_trade (
    account_id INTEGER NOT NULL PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    first_on DATE NOT NULL,
    last_on DATE NOT NULL,
    order_days INTEGER NOT NULL,
    lines INTEGER NOT NULL
);
"""


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in TABLES.split(";"):
        if statement.strip():
            db.execute_sql(statement)
    for name, body in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {body}")


def down(migrator: SchemaMigrator, db: Database) -> None:
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("account_trade", "product_month", "sales_month", "order_line"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
