"""What the account's Orders tab reads: its lines a page at a time, newest first, and its
totals by month (from the `sales_month` summary) and by product.

An account can hold tens of thousands of lines: the tab reads a page when the rep scrolls
near its end, never the whole history at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saletui.store.models import OrderLine, database
from saletui.store.parse import stored_date

PAGE = 200
"""Lines per read: a few screens of a tall terminal."""


@dataclass(frozen=True, slots=True)
class LineRow:
    """One order line as the tab shows it (plain values, no model instance)."""

    id: int
    ordered_on: dt.date
    order_no: str
    line_no: str
    product: str
    category: str
    quantity: float | None
    amount: int  # minor units of `currency`
    currency: str
    rep: str
    version: int


_SELECT = """
SELECT id, ordered_on, order_no, line_no, product, category, quantity, amount, currency, rep, version
FROM order_line WHERE account_id = ? {after}
ORDER BY ordered_on DESC, order_no DESC, line_no, id DESC
LIMIT ?
"""
# The lines that sort after `last` (a keyset, not an OFFSET: the 200 lines after line 40,000
# cost what the first 200 do). The leading `ordered_on <= ?` lets the index do the range.
_AFTER = """AND ordered_on <= ? AND (ordered_on < ? OR order_no < ?
    OR (order_no = ? AND (line_no > ? OR (line_no = ? AND id < ?))))"""


def page(account_id: int, after: LineRow | None = None, limit: int = PAGE) -> list[LineRow]:
    """`limit` lines newest first (the order of `orders.for_account`), those after `after`."""
    params: list[object] = [account_id]
    if after is not None:
        since = after.ordered_on.isoformat()
        params += [since, since, after.order_no, after.order_no, after.line_no, after.line_no, after.id]
    sql = _SELECT.format(after=_AFTER if after is not None else "")
    rows = database.execute_sql(sql, (*params, limit)).fetchall()
    out: list[LineRow] = []
    for r in rows:
        day = stored_date(r[1])
        assert day is not None  # NOT NULL column
        out.append(LineRow(r[0], day, r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]))
    return out


def count(account_id: int) -> int:
    """The account's lines (from `account_trade`, kept by the triggers: no scan)."""
    row = database.execute_sql("SELECT lines FROM account_trade WHERE account_id = ?", (account_id,)).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True, slots=True)
class Total:
    """A sum of lines: per month (`key` yyyymm as "2026-11") or per product."""

    key: str
    currency: str
    amount: int
    quantity: float
    lines: int


def by_month(account_id: int) -> list[Total]:
    """Newest month first; a month in two currencies has a total in each."""
    rows = database.execute_sql(
        """
        SELECT month, currency, SUM(amount), SUM(quantity), SUM(lines) FROM sales_month
        WHERE account_id = ? GROUP BY month, currency ORDER BY month DESC, currency
        """,
        (account_id,),
    ).fetchall()
    return [Total(f"{m // 100:04d}-{m % 100:02d}", c, a, q, n) for m, c, a, q, n in rows]


def by_product(account_id: int) -> list[Total]:
    """Largest amount first (per currency), from the account's lines (index on account)."""
    rows = database.execute_sql(
        """
        SELECT product, currency, SUM(amount), SUM(COALESCE(quantity, 0)), COUNT(*) FROM order_line
        WHERE account_id = ? GROUP BY product, currency ORDER BY SUM(amount) DESC, product
        """,
        (account_id,),
    ).fetchall()
    return [Total(p, c, a, q, n) for p, c, a, q, n in rows]


def get(line_id: int) -> OrderLine:
    return OrderLine.get_by_id(line_id)
