"""Trading history: order lines written in batches (imports) or one at a time (the form),
and the per-account facts the method derives classes and reminders from.

The monthly summaries and `account_trade` follow every write by themselves (triggers of
migration 0009); this module never writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields

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


def upsert_lines(lines: Sequence[LineValues]) -> WriteCount:
    """Write a batch of lines (an import's chunk) in the caller's transaction.

    A line with an order number replaces the stored line of the same order and line
    number (a re-import updates, never doubles); a line without one is always added.
    Within the batch the last of two equal keys wins. Rows that would not change are
    not written (so a re-import of the same file leaves versions and summaries alone).
    Executemany on the connection: an import writes a million lines, and peewee's
    per-row query building would cost more than SQLite does.
    """
    keyed: dict[tuple[str, str], LineValues] = {}
    loose: list[LineValues] = []
    for line in lines:
        if line.order_no:
            keyed[(line.order_no, line.line_no)] = line
        else:
            loose.append(line)
    existing: dict[tuple[str, str], tuple[object, ...]] = {}
    order_nos = sorted({key[0] for key in keyed})
    select = ", ".join(["id", *_EDITED, "order_no", "line_no"])
    for start in range(0, len(order_nos), _CHUNK):
        chunk = order_nos[start : start + _CHUNK]
        cursor = database.execute_sql(
            f"SELECT {select} FROM order_line WHERE order_no IN ({', '.join('?' * len(chunk))})", chunk
        )
        for row in cursor:
            existing[(row[-2], row[-1])] = row
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    unchanged = 0
    stamp = now()
    for key, line in keyed.items():
        old = existing.get(key)
        new = tuple(_stored(getattr(line, c)) for c in _EDITED)
        if old is None:
            inserts.append(_insert_row(line, stamp))
        elif tuple(old[1 : 1 + len(_EDITED)]) == new:
            unchanged += 1
        else:
            updates.append((*new, stamp, old[0]))
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
    return WriteCount(inserted=len(inserts), updated=len(updates), unchanged=unchanged)


def _stored(value: object) -> object:
    """A value as SQLite returns it, so that stored and new rows compare equal."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _insert_row(line: LineValues, stamp: dt.datetime) -> tuple[object, ...]:
    return (*(_stored(getattr(line, c)) for c in _COLUMNS), str(stamp), str(stamp))


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
