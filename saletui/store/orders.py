"""Trading history: order lines written in batches (imports) or one at a time (the form),
and the per-account facts the method derives classes and reminders from.

The monthly summaries and `account_trade` follow every write by themselves (triggers of
migration 0009), except inside a `SummaryBatch`: an import's many lines, summed in memory
and written in a few upserts within its transaction instead of line by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, NamedTuple

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.store import parse
from saletui.store.models import Account, OrderLine, database, now
from saletui.store.parse import FieldError

EARLIEST = dt.date(1990, 1, 1)
"""Orders before this are taken for a typo (or a spreadsheet's zero date, 1899/1900)."""

_CHUNK = 400  # ids or keys per statement: under SQLite's oldest limit of 999 variables


class LineValues(NamedTuple):
    """One order line as typed values (what a parser produced and the store writes).

    A named tuple rather than a frozen dataclass: an import builds a million of them, and
    a frozen dataclass takes four times as long to make (each field set through
    object.__setattr__)."""

    account_id: int
    ordered_on: dt.date
    product: str
    amount: int  # minor units of `currency`
    currency: str
    category: str = ""
    quantity: float | None = None
    order_no: str = ""
    line_no: str = ""
    rep: str = ""
    source: str = ""
    note: str = ""


_COLUMNS = LineValues._fields
_EDITED = tuple(c for c in _COLUMNS if c not in ("order_no", "line_no"))


@dataclass(frozen=True)
class WriteCount:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def order_date(value: str, today: dt.date | None = None) -> dt.date:
    """An order date: not empty, not in the future, not before 1990."""
    day = parse.date(value)
    if day is None:
        raise FieldError(_("An order date is required."))
    today = today or dt.date.today()
    if day > today:
        raise FieldError(
            _("In the future: {value!r} (an order that was placed, on or before today).").format(value=value.strip())
        )
    if day < EARLIEST:
        raise FieldError(_("Before 1990: {value!r}; check the year.").format(value=value.strip()))
    return day


def order_amount(value: str, currency: str) -> int:
    """The line's amount in minor units of `currency`: required, not negative."""
    if value.strip().startswith(("-", "−", "(")):
        raise FieldError(
            _("Negative amount: {value!r} (returns and credit notes are not orders; leave them out).").format(
                value=value.strip()
            )
        )
    minor = parse.amount(value, currency)
    if minor is None:
        raise FieldError(_("An amount is required."))
    return minor


def quantity(value: str) -> float | None:
    """A quantity (pieces, kilograms): "" is none; not negative."""
    raw = value.strip().replace(",", "").replace("，", "")
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        raise FieldError(_("Not a quantity: {value!r} (e.g. 12 or 2.5).").format(value=value.strip())) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise FieldError(_("Not a quantity: {value!r} (e.g. 12 or 2.5).").format(value=value.strip()))
    if number < 0:
        raise FieldError(_("Negative quantity: {value!r}.").format(value=value.strip()))
    return number


@dataclass
class LineDraft:
    """An order line as typed in the form (text fields)."""

    ordered_on: str = ""
    product: str = ""
    category: str = ""
    quantity: str = ""
    amount: str = ""
    currency: str = ""
    order_no: str = ""
    line_no: str = ""
    rep: str = ""
    note: str = ""

    @classmethod
    def from_line(cls, line: OrderLine) -> LineDraft:
        return cls(
            ordered_on=line.ordered_on.isoformat() if line.ordered_on else "",
            product=line.product,
            category=line.category,
            quantity="" if line.quantity is None else f"{line.quantity:g}",
            amount=parse.format_amount(line.amount, line.currency),
            currency=line.currency,
            order_no=line.order_no,
            line_no=line.line_no,
            rep=line.rep,
            note=line.note,
        )


def clean(draft: LineDraft, account_id: int) -> LineValues:
    """Typed values for `draft`, or ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}

    def take(name: str, fn: object) -> None:
        try:
            out[name] = fn(getattr(draft, name))  # type: ignore[operator]
        except FieldError as exc:
            errors[name] = str(exc)

    take("ordered_on", order_date)
    for name in ("product", "category", "order_no", "line_no", "rep"):
        take(name, lambda v: parse.text(v, max_len=200, single_line=True))
    take("note", parse.text)
    account = Account.get_by_id(account_id)
    take("currency", lambda v: parse.currency(v) if v.strip() else account.currency)
    code = str(out.get("currency", account.currency))
    take("amount", lambda v: order_amount(v, code))
    take("quantity", quantity)
    if "product" in out and not out["product"]:
        errors["product"] = _("A product is required.")
    if out.get("line_no") and not out.get("order_no") and "order_no" not in errors:
        errors["order_no"] = _("A line number belongs to an order: give the order number too.")
    if errors:
        raise ValidationError(errors)
    return LineValues(account_id=account_id, **out)  # type: ignore[arg-type]


def _taken(values: LineValues, line_id: int | None) -> bool:
    if not values.order_no:
        return False
    query = OrderLine.select().where((OrderLine.order_no == values.order_no) & (OrderLine.line_no == values.line_no))
    if line_id is not None:
        query = query.where(OrderLine.id != line_id)
    return query.exists()


def add(account_id: int, draft: LineDraft) -> OrderLine:
    """A line typed in by the rep, in one transaction; ValidationError writes nothing."""
    with database.atomic():
        values = clean(draft, account_id)
        if _taken(values, None):
            raise ValidationError(
                {
                    "line_no": _("Order {order} already has a line {line}.").format(
                        order=values.order_no, line=values.line_no or "-"
                    )
                }
            )
        return OrderLine.create(**{c: getattr(values, c) for c in _COLUMNS})


def save(line_id: int, draft: LineDraft, expected_version: int | None = None) -> OrderLine:
    """A correction of a line; StaleEditError when another window saved it meanwhile."""
    with database.atomic():
        line = OrderLine.get_by_id(line_id)
        values = clean(draft, line.account_id)
        if _taken(values, line_id):
            raise ValidationError(
                {
                    "line_no": _("Order {order} already has a line {line}.").format(
                        order=values.order_no, line=values.line_no or "-"
                    )
                }
            )
        for column in _COLUMNS:
            if column != "source":
                setattr(line, column, getattr(values, column))
        line.updated_at = now()
        line.save(expected_version=expected_version)
        return line


def delete(line_id: int) -> None:
    OrderLine.delete().where(OrderLine.id == line_id).execute()


# Migration 0009's summaries and 0012's "the derived classes are out of date" mark.
_SUMMARY_TRIGGERS = (
    "order_line_added",
    "order_line_removed",
    "order_line_changed",
    "order_line_moved",
    "derived_class_lines_added",
    "derived_class_lines_removed",
    "derived_class_lines_changed",
)
_SUMMED = ("account_id", "ordered_on", "product", "category", "quantity", "amount", "currency", "rep")
_SUMMED_AT = tuple(_EDITED.index(c) for c in _SUMMED)
_summed = attrgetter(*_SUMMED)


class SummaryBatch:
    """Many lines written in one transaction with the summary triggers off, the summaries
    kept by the writer instead: summed in memory, written as one upsert per summary row.

    Line by line the triggers cost about 70 us a line (12 of them only to mark the derived
    classes stale again and again), more than the rest of an import together. The
    triggers are dropped and created again (from the very SQL they were stored with)
    inside the caller's transaction: SQLite's DDL is transactional, so a kill or a
    rollback at any point leaves the triggers, the lines and the summaries as they were,
    and no other connection can write lines meanwhile (the transaction holds the write
    lock). `add` takes what each write did, as the triggers would have: a new line's
    values with +1, an updated line's old values with -1 and its new ones with +1. The
    sums are written when they hold SPILL_KEYS keys (memory stays bounded) and at the
    end; `account_trade` is counted again at the end for the accounts touched. `finish`
    (also run by `close` if the caller did not) must come before the commit.
    """

    SPILL_KEYS = 50_000

    def __init__(self) -> None:
        conn = database.connection()
        if not conn.in_transaction:
            raise RuntimeError("SummaryBatch needs the caller's transaction")
        placeholders = ", ".join("?" * len(_SUMMARY_TRIGGERS))
        self.triggers = [
            sql
            for (sql,) in conn.execute(
                f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({placeholders})",
                _SUMMARY_TRIGGERS,
            )
        ]
        for name in _SUMMARY_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        self.sales: dict[tuple[object, ...], list[Any]] = {}
        self.products: dict[tuple[object, ...], list[Any]] = {}
        self.touched: set[int] = set()
        self.done = False

    def add(self, rows: Iterable[tuple[Sequence[object], int]]) -> None:
        """Lines written: (values in `_SUMMED` order, +1 for new values or -1 for old)."""
        sales, products = self.sales, self.products
        for (account_id, day, product, category, quantity, amount, currency, rep), sign in rows:
            month = _month(day)
            signed_amount = amount * sign  # type: ignore[operator]
            signed_quantity = (quantity or 0) * sign  # type: ignore[operator]
            for table, key in (
                (sales, (account_id, month, rep, currency)),
                (products, (product, category, month, currency)),
            ):
                total = table.get(key)
                if total is None:
                    table[key] = [signed_amount, signed_quantity, sign]
                else:
                    total[0] += signed_amount
                    total[1] += signed_quantity
                    total[2] += sign
            self.touched.add(account_id)  # type: ignore[arg-type]
        if len(sales) + len(products) > self.SPILL_KEYS:
            self._spill()

    def _spill(self) -> None:
        conn = database.connection()
        add = (
            "amount = amount + excluded.amount, quantity = quantity + excluded.quantity, lines = lines + excluded.lines"
        )
        for table, keys, totals in (
            ("sales_month", _SALES_KEY, self.sales),
            ("product_month", _PRODUCT_KEY, self.products),
        ):
            if not totals:
                continue
            columns = ", ".join(keys)
            conn.executemany(
                f"INSERT INTO {table} ({columns}, amount, quantity, lines) VALUES (?, ?, ?, ?, ?, ?, ?) "
                f"ON CONFLICT ({columns}) DO UPDATE SET {add}",
                [(*key, *total) for key, total in totals.items()],
            )
            gone = [key for key, total in totals.items() if total[2] <= 0]
            if gone:
                match = " AND ".join(f"{k} = ?" for k in keys)
                conn.executemany(f"DELETE FROM {table} WHERE {match} AND lines <= 0", gone)
            totals.clear()

    def finish(self) -> None:
        """The last sums written, `account_trade` counted again, the triggers back."""
        if self.done:
            return
        self.done = True
        self._spill()
        conn = database.connection()
        touched = [(a,) for a in sorted(self.touched)]
        conn.executemany("DELETE FROM account_trade WHERE account_id = ?", touched)
        conn.executemany(
            "INSERT INTO account_trade (account_id, first_on, last_on, order_days, lines) "
            "SELECT account_id, min(ordered_on), max(ordered_on), count(DISTINCT ordered_on), count(*) "
            "FROM order_line WHERE account_id = ? GROUP BY account_id",
            touched,
        )
        if touched:
            conn.execute("UPDATE class_derivation SET stale = 1 WHERE stale = 0")  # as 0012's triggers do
        for sql in self.triggers:
            conn.execute(sql)

    def close(self) -> None:
        self.finish()


_SALES_KEY = ("account_id", "month", "rep", "currency")
_PRODUCT_KEY = ("product", "category", "month", "currency")


def _month(day: object) -> int:
    """yyyymm of a date or an ISO date text, as the triggers' strftime('%Y%m') gives it."""
    if isinstance(day, dt.date):
        return day.year * 100 + day.month
    text = str(day)
    return int(text[:4]) * 100 + int(text[5:7])


def stored_lines(order_nos: Iterable[str]) -> dict[tuple[str, str], tuple[object, ...]]:
    """(order no, line no) -> (id, *edited columns) of the stored lines of these orders.

    `order_no <> ''` lets SQLite use the partial unique index (without it every batch of
    an import would scan the whole table).
    """
    existing: dict[tuple[str, str], tuple[object, ...]] = {}
    wanted = sorted(set(order_nos) - {""})
    select = ", ".join(["id", *_EDITED, "order_no", "line_no"])
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        cursor = database.execute_sql(
            f"SELECT {select} FROM order_line WHERE order_no <> '' AND order_no IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for row in cursor:
            existing[(row[-2], row[-1])] = tuple(row[:-2])
    return existing


_edited = attrgetter(*_EDITED)
_DAY = _EDITED.index("ordered_on")
_DAY_IN_ROW = _COLUMNS.index("ordered_on")


def edited_values(line: LineValues) -> tuple[object, ...]:
    """The line's edited columns as SQLite returns them, to compare with a stored row."""
    values = list(_edited(line))
    values[_DAY] = values[_DAY].isoformat()
    return tuple(values)


def action(line: LineValues, stored: tuple[object, ...] | None) -> str:
    """What writing `line` over its `stored` row (from `stored_lines`) does: "create",
    "update" or "unchanged"."""
    if stored is None:
        return "create"
    return "unchanged" if stored[1:] == edited_values(line) else "update"


def upsert_lines(
    lines: Sequence[LineValues],
    batch: SummaryBatch | None = None,
    stored: dict[tuple[str, str], tuple[object, ...]] | None = None,
) -> WriteCount:
    """Write a batch of lines (an import's chunk) in the caller's transaction.

    A line with an order number replaces the stored line of the same order and line
    number (a re-import updates, never doubles); a line without one is always added.
    Within the batch the last of two equal keys wins. Rows that would not change are
    not written (so a re-import of the same file leaves versions and summaries alone).
    Executemany on the connection: an import writes a million lines, and peewee's
    per-row query building would cost more than SQLite does. With `batch` the summaries
    are left to it (the triggers are off); `stored` is what `stored_lines` returned for
    these lines' orders, when the caller has read it already.
    """
    keyed: dict[tuple[str, str], LineValues] = {}
    loose: list[LineValues] = []
    for line in lines:
        if line.order_no:
            keyed[(line.order_no, line.line_no)] = line
        else:
            loose.append(line)
    existing = stored_lines(key[0] for key in keyed) if stored is None else stored
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    unchanged = 0
    stamp = str(now())
    written: list[tuple[Sequence[object], int]] = []
    for key, line in keyed.items():
        old = existing.get(key)
        if old is None:
            inserts.append(_insert_row(line, stamp))
            if batch is not None:
                written.append((_summed(line), 1))
            continue
        new = edited_values(line)
        if old[1:] == new:
            unchanged += 1
            continue
        updates.append((*new, stamp, old[0]))
        if batch is not None:
            written.append(([old[1 + i] for i in _SUMMED_AT], -1))
            written.append(([new[i] for i in _SUMMED_AT], 1))
    inserts.extend(_insert_row(line, stamp) for line in loose)
    with database.atomic():
        conn = database.connection()
        if inserts:
            names = ", ".join([*_COLUMNS, "created_at", "updated_at"])
            conn.executemany(
                f"INSERT INTO order_line ({names}) VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})", inserts
            )
        if updates:
            assignments = ", ".join(f"{c} = ?" for c in _EDITED)
            conn.executemany(
                f"UPDATE order_line SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?", updates
            )
        if batch is not None:
            written.extend((_summed(line), 1) for line in loose)
            batch.add(written)
    return WriteCount(inserted=len(inserts), updated=len(updates), unchanged=unchanged)


def _insert_row(line: LineValues, stamp: str) -> tuple[object, ...]:
    values: list[Any] = list(line)
    values[_DAY_IN_ROW] = values[_DAY_IN_ROW].isoformat()
    return (*values, stamp, stamp)


@dataclass(frozen=True)
class Trade:
    """What an account's order history says at a glance."""

    first_on: dt.date
    last_on: dt.date
    order_days: int
    lines: int

    @property
    def reorder_days(self) -> float | None:
        """The account's own mean interval between order days (None with one order day)."""
        if self.order_days < 2:
            return None
        return (self.last_on - self.first_on).days / (self.order_days - 1)


def trade(account_ids: Iterable[int] | None = None) -> dict[int, Trade]:
    """Per account that has bought: first and last order day, order days, lines."""
    sql = "SELECT account_id, first_on, last_on, order_days, lines FROM account_trade"
    params: list[int] = []
    if account_ids is not None:
        params = list(account_ids)
        if not params:
            return {}
    out: dict[int, Trade] = {}
    for start in range(0, max(1, len(params)), _CHUNK):
        chunk = params[start : start + _CHUNK]
        where = f" WHERE account_id IN ({', '.join('?' * len(chunk))})" if account_ids is not None else ""
        for account_id, first_on, last_on, order_days, lines in database.execute_sql(sql + where, chunk):
            first, last = parse.stored_date(first_on), parse.stored_date(last_on)
            assert first is not None and last is not None  # NOT NULL columns
            out[account_id] = Trade(first, last, order_days, lines)
    return out


def for_account(account_id: int, limit: int | None = None) -> list[OrderLine]:
    """The account's lines, newest first."""
    query = (
        OrderLine.select()
        .where(OrderLine.account == account_id)
        .order_by(OrderLine.ordered_on.desc(), OrderLine.order_no.desc(), OrderLine.line_no, OrderLine.id.desc())
    )
    if limit is not None:
        query = query.limit(limit)
    return list(query)
