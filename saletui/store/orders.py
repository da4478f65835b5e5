"""Trading history: order lines written in batches (imports) or one at a time (the form),
and the per-account facts the method derives classes and reminders from.

The monthly summaries and `account_trade` follow every write by themselves (triggers of
migration 0009), except inside a `SummaryBatch`: an import's many lines, summed once at
the end of its transaction instead of line by line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.store import parse
from saletui.store.models import Account, OrderLine, database, now
from saletui.store.parse import FieldError

EARLIEST = dt.date(1990, 1, 1)
"""Orders before this are taken for a typo (or a spreadsheet's zero date, 1899/1900)."""

_CHUNK = 400  # ids or keys per statement: under SQLite's oldest limit of 999 variables


@dataclass(frozen=True)
class LineValues:
    """One order line as typed values (what a parser produced and the store writes)."""

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


_COLUMNS = tuple(f.name for f in fields(LineValues))
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
_MONTH = "CAST(strftime('%Y%m', ordered_on) AS INTEGER)"  # as the triggers compute it
_SUMMED = ("account_id", "ordered_on", "product", "category", "quantity", "amount", "currency", "rep")
_SUMMED_AT = tuple(_EDITED.index(c) for c in _SUMMED)


class SummaryBatch:
    """Many lines written in one transaction with the summary triggers off, the summaries
    then brought up to date in a few set-wise statements before the commit.

    Line by line the triggers cost about 70 us a line (12 of them only to mark the derived
    classes stale again and again), more than the rest of an import together; here a line
    costs a row in a temporary delta table, and the mark is set once. The triggers are dropped
    and created again (from the very SQL they were stored with) inside the caller's
    transaction: SQLite's DDL is transactional, so a kill or a rollback at any point
    leaves the triggers, the lines and the summaries as they were, and no other
    connection can write lines meanwhile (the transaction holds the write lock).
    Lines added are found at the end by id (above the largest id at the start); a line
    updated that was there before adds its old values with sign -1 and its new ones with
    +1 as it is written.
    `finish` (also run by `close` if the caller did not) must come before the commit.
    """

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
        self.max_id = conn.execute("SELECT coalesce(max(id), 0) FROM order_line").fetchone()[0]
        conn.execute("DROP TABLE IF EXISTS temp.order_delta")
        conn.execute(f"CREATE TEMP TABLE order_delta ({', '.join(_SUMMED)}, sign INTEGER NOT NULL)")
        self.done = False

    def changed(self, lines: Iterable[tuple[int, Sequence[object], Sequence[object]]]) -> None:
        """Lines about to be updated: (id, stored values, new values), in `_SUMMED` order.
        A line added in this batch is left out: `finish` finds it by its id anyway."""
        rows: list[tuple[object, ...]] = []
        for line_id, old, new in lines:
            if line_id <= self.max_id:
                rows += [(*old, -1), (*new, 1)]
        if rows:
            marks = ", ".join("?" * (len(_SUMMED) + 1))
            database.connection().executemany(f"INSERT INTO temp.order_delta VALUES ({marks})", rows)

    def finish(self) -> None:
        """Sum the delta into the summaries and create the triggers again."""
        if self.done:
            return
        self.done = True
        conn = database.connection()
        summed = ", ".join(_SUMMED)
        conn.execute(f"INSERT INTO temp.order_delta SELECT {summed}, 1 FROM order_line WHERE id > ?", (self.max_id,))
        sums = "sum(sign * amount), sum(sign * COALESCE(quantity, 0)), sum(sign)"
        add = "amount = amount + excluded.amount, quantity = quantity + excluded.quantity, lines = lines + excluded.lines"
        # "WHERE true": SQLite's documented way to tell an upsert's ON from a join's.
        conn.execute(
            "INSERT INTO sales_month (account_id, month, rep, currency, amount, quantity, lines) "
            f"SELECT account_id, {_MONTH}, rep, currency, {sums} FROM temp.order_delta WHERE true "
            f"GROUP BY 1, 2, 3, 4 ON CONFLICT (account_id, month, rep, currency) DO UPDATE SET {add}"
        )
        conn.execute(
            "INSERT INTO product_month (product, category, month, currency, amount, quantity, lines) "
            f"SELECT product, category, {_MONTH}, currency, {sums} FROM temp.order_delta WHERE true "
            f"GROUP BY 1, 2, 3, 4 ON CONFLICT (product, category, month, currency) DO UPDATE SET {add}"
        )
        conn.execute(
            "DELETE FROM sales_month WHERE lines <= 0 AND account_id IN (SELECT account_id FROM temp.order_delta)"
        )
        conn.execute(
            "DELETE FROM product_month WHERE lines <= 0 AND product IN (SELECT product FROM temp.order_delta)"
        )
        # An account's first and last day and distinct days: counted again for the accounts
        # touched, from the (account, day) index.
        touched = "SELECT DISTINCT account_id FROM temp.order_delta"
        conn.execute(f"DELETE FROM account_trade WHERE account_id IN ({touched})")
        conn.execute(
            "INSERT INTO account_trade (account_id, first_on, last_on, order_days, lines) "
            "SELECT account_id, min(ordered_on), max(ordered_on), count(DISTINCT ordered_on), count(*) "
            f"FROM order_line WHERE account_id IN ({touched}) GROUP BY account_id"
        )
        if conn.execute("SELECT 1 FROM temp.order_delta LIMIT 1").fetchone():
            conn.execute("UPDATE class_derivation SET stale = 1 WHERE stale = 0")  # as 0012's triggers do
        for sql in self.triggers:
            conn.execute(sql)
        conn.execute("DROP TABLE temp.order_delta")

    def close(self) -> None:
        self.finish()


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
_all_columns = attrgetter(*_COLUMNS)
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
    changed: list[tuple[int, Sequence[object], Sequence[object]]] = []
    for key, line in keyed.items():
        old = existing.get(key)
        if old is None:
            inserts.append(_insert_row(line, stamp))
            continue
        new = edited_values(line)
        if old[1:] == new:
            unchanged += 1
            continue
        updates.append((*new, stamp, old[0]))
        if batch is not None:
            changed.append((int(old[0]), [old[1 + i] for i in _SUMMED_AT], [new[i] for i in _SUMMED_AT]))  # type: ignore[call-overload]
    inserts.extend(_insert_row(line, stamp) for line in loose)
    with database.atomic():
        conn = database.connection()
        if inserts:
            names = ", ".join([*_COLUMNS, "created_at", "updated_at"])
            conn.executemany(
                f"INSERT INTO order_line ({names}) VALUES ({', '.join('?' * (len(_COLUMNS) + 2))})", inserts
            )
        if updates:
            if batch is not None:
                batch.changed(changed)
            assignments = ", ".join(f"{c} = ?" for c in _EDITED)
            conn.executemany(
                f"UPDATE order_line SET {assignments}, updated_at = ?, version = version + 1 WHERE id = ?", updates
            )
    return WriteCount(inserted=len(inserts), updated=len(updates), unchanged=unchanged)


def _insert_row(line: LineValues, stamp: str) -> tuple[object, ...]:
    values = list(_all_columns(line))
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
