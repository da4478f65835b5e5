"""Sales reports and the win/loss review, read from the summaries (never from the lines).

Sales come from `sales_month` (account x month x rep x currency) and `product_month`
(product x category x month x currency), which triggers keep current (migration 0009):
a report over five million lines reads some hundred thousand summary rows, grouped by
SQLite, never the lines themselves. Every figure is exact minor units per currency:
yuan and dollars are never added together (saletui.money).

Periods are integers that sort in time order: a year 2025, a quarter 20251 (2025-Q1),
a month 202501. A range is two months (yyyymm), both included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from saletui.i18n import _
from saletui.method.classes import classify
from saletui.store.models import database

Grain = Literal["year", "quarter", "month"]
GRAINS: tuple[Grain, ...] = ("year", "quarter", "month")
DIMENSIONS = ("account", "region", "rep", "product", "category", "class", "tier")
"""What a report's rows can be; None is one row of totals."""
ALIASES = {"company": "account", "customer": "account", "owner": "rep"}

# A period's number from the summaries' yyyymm month, in SQL and in Python.
_PERIOD_SQL = {"year": "month / 100", "quarter": "(month / 100) * 10 + ((month % 100) + 2) / 3", "month": "month"}
# Rows grouped by the account's attribute: the key in SQL (the class is grouped by its
# inputs and named by classify, as the account list names it).
_ACCOUNT_KEYS = {
    "account": ("a.id",),
    "region": ("a.region",),
    "tier": ("a.tier",),
    "class": ("a.relationship", "a.contribution", "a.stability", "a.expected_value", "a.intent"),
    # The line's rep; a line without one counts for the account's owner.
    "rep": ("CASE WHEN s.rep <> '' THEN s.rep ELSE a.owner END",),
}
_MONTH_TEXT = re.compile(r"^\s*(\d{4})(?:\s*[-/.年]\s*(?:(\d{1,2})\s*月?|[Qq]([1-4])))?\s*$")


class RangeError(ValueError):
    """A month that cannot start or end a report ("2025-13", "next year")."""


def period_of(month: int, grain: Grain) -> int:
    """The period a yyyymm month falls in."""
    if grain == "year":
        return month // 100
    if grain == "quarter":
        return (month // 100) * 10 + (month % 100 + 2) // 3
    return month


def period_label(period: int, grain: Grain) -> str:
    """ "2025", "2025-Q1", "2025-01"."""
    if grain == "year":
        return str(period)
    if grain == "quarter":
        return f"{period // 10}-Q{period % 10}"
    return f"{period // 100}-{period % 100:02d}"


def periods_between(start: int, end: int, grain: Grain) -> list[int]:
    """Every period from the one holding month `start` to the one holding `end`."""
    out: list[int] = []
    year, month = divmod(start, 100)
    while year * 100 + month <= end:
        period = period_of(year * 100 + month, grain)
        if not out or out[-1] != period:
            out.append(period)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def parse_month(text: str, *, end: bool = False) -> int:
    """A range limit as yyyymm: "2025-03", "2025/3", "2025年3月"; a year ("2025") or a
    quarter ("2025-Q2") is its first month, or with `end` its last. RangeError otherwise."""
    match = _MONTH_TEXT.match(text)
    if not match:
        raise RangeError(_("Not a month: {value!r} (e.g. 2025-01, 2025-Q1 or 2025).").format(value=text.strip()))
    year = int(match.group(1))
    if match.group(2):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise RangeError(_("No month {month} in a year: {value!r}.").format(month=month, value=text.strip()))
    elif match.group(3):
        month = int(match.group(3)) * 3 - (0 if end else 2)
    else:
        month = 12 if end else 1
    if not 1990 <= year <= 2999:
        raise RangeError(_("Year out of range: {value!r}.").format(value=text.strip()))
    return year * 100 + month


def month_text(month: int) -> str:
    """yyyymm as typed back: "2025-01"."""
    return f"{month // 100}-{month % 100:02d}"


def shift_month(month: int, months: int) -> int:
    """yyyymm moved by a number of months."""
    index = (month // 100) * 12 + month % 100 - 1 + months
    return (index // 12) * 100 + index % 12 + 1


def month_of(day: dt.date) -> int:
    return day.year * 100 + day.month


def normalise_dimension(name: str | None) -> str | None:
    """The dimension a name means (company -> account, owner -> rep); ValueError if none."""
    if name is None:
        return None
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in DIMENSIONS:
        raise ValueError(name)
    return key


@dataclass(frozen=True)
class SalesRow:
    """One value of the dimension (an account, a region...) in one currency."""

    key: str
    label: str
    currency: str
    amounts: dict[int, int]  # period -> minor units
    lines: int
    total: int  # over every period


@dataclass(frozen=True)
class SalesReport:
    grain: Grain
    dimension: str | None
    start: int | None  # yyyymm, included
    end: int | None
    periods: list[int]
    rows: list[SalesRow]  # by currency, then the largest total first
    totals: dict[str, dict[int, int]] = field(default_factory=dict)  # currency -> period -> minor units
    folded: dict[str, int] = field(default_factory=dict)  # currency -> rows summed into its OTHERS row

    @property
    def currencies(self) -> list[str]:
        return list(self.totals)

    def total(self, currency: str) -> int:
        return sum(self.totals.get(currency, {}).values())


def _none() -> str:
    return _("(none)")


def _labels(dimension: str | None, keys: Iterable[object]) -> dict[object, str]:
    """What each key is called in the report."""
    keys = list(keys)
    if dimension is None:
        return dict.fromkeys(keys, _("Total"))
    if dimension == "account":
        names = dict(database.execute_sql("SELECT id, name FROM account").fetchall())
        return {k: names.get(k, str(k)) for k in keys}
    if dimension == "tier":
        tiers = {"top5": _("Top 5"), "middle5": _("Middle 5"), "new5": _("New 5")}
        return {k: tiers.get(str(k or ""), str(k or "")) or _("(no tier)") for k in keys}
    if dimension == "class":
        return {k: str(k or "") or _("(not rated)") for k in keys}
    return {k: str(k or "") or _none() for k in keys}


OTHERS = "\x00others"
"""The key of the row that sums what a report with `top` leaves out."""


def sales(
    grain: Grain = "month",
    dimension: str | None = None,
    start: int | None = None,
    end: int | None = None,
    top: int | None = None,
) -> SalesReport:
    """Sales per period of `grain` and value of `dimension` (None: totals only), per
    currency, over the months `start`..`end` (yyyymm, both included; None: no limit).

    With `top`, each currency keeps its `top` largest rows and one more, OTHERS, summing
    the rest (what a screen shows; a file gets every row). By company that is also faster:
    the periods are read for the top companies only, through the summary's key."""
    dimension = normalise_dimension(dimension)
    if grain not in GRAINS:
        raise ValueError(grain)
    if top is not None and dimension == "account":
        return _top_accounts(grain, start, end, top)
    report = _sales(grain, dimension, start, end)
    return _fold(report, top) if top is not None else report


def _fold(report: SalesReport, top: int) -> SalesReport:
    """`report` with the rows past the `top` largest of each currency summed into OTHERS."""
    rows: list[SalesRow] = []
    folded: dict[str, int] = {}
    for currency in report.currencies:
        mine = [r for r in report.rows if r.currency == currency]
        rows += mine[:top]
        rest = mine[top:]
        if rest:
            amounts: dict[int, int] = {}
            for row in rest:
                for p, amount in row.amounts.items():
                    amounts[p] = amounts.get(p, 0) + amount
            label = _("Others ({n})").format(n=len(rest))
            lines = sum(r.lines for r in rest)
            rows.append(SalesRow(OTHERS, label, currency, dict(sorted(amounts.items())), lines, sum(amounts.values())))
            folded[currency] = len(rest)
    return SalesReport(
        report.grain, report.dimension, report.start, report.end, report.periods, rows, report.totals, folded
    )


def _top_accounts(grain: Grain, start: int | None, end: int | None, top: int) -> SalesReport:
    """By company with `top`: totals per period, then each company's total (a few thousand
    rows), then the periods of the `top` largest only, read through the summary's key."""
    where, params = ["1"], []
    if start is not None:
        where.append("+month >= ?")
        params.append(start)
    if end is not None:
        where.append("+month <= ?")
        params.append(end)
    condition = " AND ".join(where)
    period = _PERIOD_SQL[grain]
    totals, seen = _period_totals(grain, start, end)
    order = sorted(totals, key=lambda c: -sum(totals[c].values()))
    # Each company's total per currency in one pass in the summary's key order: grouped by
    # the key's first column, SQLite streams the groups instead of sorting the rows.
    pivot = ", ".join("sum(amount) FILTER (WHERE currency = ?), sum(lines) FILTER (WHERE currency = ?)" for _c in order)
    companies: list[tuple[int, str, int, int]] = []
    if order:
        sql = f"SELECT account_id, {pivot} FROM sales_month WHERE {condition} GROUP BY account_id"
        for row in database.execute_sql(sql, [*(c for c in order for _twice in (1, 2)), *params]):
            for index, currency in enumerate(order):
                amount, count = row[1 + 2 * index], row[2 + 2 * index]
                if count:
                    companies.append((row[0], currency, amount, count))
    names = dict(database.execute_sql("SELECT id, name FROM account").fetchall())
    rows: list[SalesRow] = []
    folded: dict[str, int] = {}
    for currency in order:
        mine = sorted(
            (c for c in companies if c[1] == currency), key=lambda c: (-c[2], str(names.get(c[0], "")).casefold())
        )
        shown, rest = mine[:top], mine[top:]
        ids = [c[0] for c in shown]
        amounts: dict[int, dict[int, int]] = {i: {} for i in ids}
        for chunk_start in range(0, len(ids), 400):
            chunk = ids[chunk_start : chunk_start + 400]
            sql = (
                f"SELECT account_id, {period} AS p, sum(amount) FROM sales_month "
                f"WHERE account_id IN ({', '.join('?' * len(chunk))}) AND currency = ? AND {condition} "
                "GROUP BY account_id, p"
            )
            for account_id, p, amount in database.execute_sql(sql, [*chunk, currency, *params]):
                amounts[account_id][p] = amount
        for account_id, _c, total, lines in shown:
            rows.append(
                SalesRow(
                    str(account_id), names.get(account_id, str(account_id)), currency, amounts[account_id], lines, total
                )
            )
        if rest:
            others = dict(totals[currency])
            for row in rows:
                if row.currency == currency:
                    for p, amount in row.amounts.items():
                        others[p] -= amount
            others = {p: a for p, a in sorted(others.items()) if a}
            label = _("Others ({n})").format(n=len(rest))
            rows.append(SalesRow(OTHERS, label, currency, others, sum(c[3] for c in rest), sum(c[2] for c in rest)))
            folded[currency] = len(rest)
    periods = _periods(grain, start, end, seen)
    ordered = {c: dict(sorted(totals[c].items())) for c in order}
    return SalesReport(grain, "account", start, end, periods, rows, ordered, folded)


def _period_totals(grain: Grain, start: int | None, end: int | None) -> tuple[dict[str, dict[int, int]], set[int]]:
    """Sales per currency and period, from `product_month` (every line is in it as in
    `sales_month`, in a few thousand rows), and the periods sold in."""
    where, params = ["1"], []
    if start is not None:
        where.append("month >= ?")
        params.append(start)
    if end is not None:
        where.append("month <= ?")
        params.append(end)
    totals: dict[str, dict[int, int]] = defaultdict(dict)
    seen: set[int] = set()
    sql = (
        f"SELECT {_PERIOD_SQL[grain]} AS p, currency, sum(amount) FROM product_month "
        f"WHERE {' AND '.join(where)} GROUP BY p, currency"
    )
    for p, currency, amount in database.execute_sql(sql, params):
        totals[currency][p] = amount
        seen.add(p)
    return totals, seen


def _periods(grain: Grain, start: int | None, end: int | None, seen: set[int]) -> list[int]:
    """The report's columns: every period of the range, or from the first to the last sold in."""
    if start is not None and end is not None:
        return periods_between(start, end, grain)
    found = sorted(seen)
    if not found:
        return []
    first = start if start is not None else _first_month(found[0], grain)
    last = end if end is not None else _last_month(found[-1], grain)
    return periods_between(first, last, grain)


def _sales(grain: Grain, dimension: str | None, start: int | None, end: int | None) -> SalesReport:
    where, params = [], []
    if start is not None:
        where.append("+month >= ?")
        params.append(start)
    if end is not None:
        where.append("+month <= ?")
        params.append(end)
    # `+month`: read the summary in its key order rather than through its month index, whose
    # every entry costs a second lookup for the amount (half the time, measured on 5M lines).
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    period = _PERIOD_SQL[grain]
    if dimension in ("product", "category"):
        key_sql = "product" if dimension == "product" else "category"
        sql = (
            f"SELECT {key_sql}, {period} AS p, currency, sum(amount), sum(lines) FROM product_month {where_sql} "
            f"GROUP BY {key_sql}, p, currency"
        )
        raw = database.execute_sql(sql, params)
    elif dimension is None:  # product_month holds every line too, in a few thousand rows
        sql = (
            f"SELECT {period} AS p, currency, sum(amount), sum(lines) FROM product_month "
            f"{where_sql.replace('+month', 'month')} GROUP BY p, currency"
        )
        raw = [("", p, c, a, n) for p, c, a, n in database.execute_sql(sql, params)]
    elif dimension == "rep":
        # The rep of the line, else the account's owner: summed per account first (the
        # summary's own order), then joined to 10,000 accounts instead of every row.
        key = _ACCOUNT_KEYS["rep"][0]
        inner = (
            f"SELECT account_id, rep, {period} AS p, currency, sum(amount) AS amount, sum(lines) AS lines "
            f"FROM sales_month {where_sql} GROUP BY account_id, rep, p, currency"
        )
        sql = (
            f"SELECT {key}, s.p, s.currency, sum(s.amount), sum(s.lines) FROM ({inner}) AS s "
            f"JOIN account AS a ON a.id = s.account_id GROUP BY 1, s.p, s.currency"
        )
        raw = database.execute_sql(sql, params)
    elif dimension == "account":
        sql = (
            f"SELECT account_id, {period} AS p, currency, sum(amount), sum(lines) FROM sales_month {where_sql} "
            "GROUP BY account_id, p, currency"
        )
        raw = database.execute_sql(sql, params)
    else:
        keys = _ACCOUNT_KEYS[dimension]
        inner = (
            f"SELECT account_id, {period} AS p, currency, sum(amount) AS amount, sum(lines) AS lines "
            f"FROM sales_month {where_sql} GROUP BY account_id, p, currency"
        )
        sql = (
            f"SELECT {', '.join(keys)}, s.p, s.currency, sum(s.amount), sum(s.lines) FROM ({inner}) AS s "
            f"JOIN account AS a ON a.id = s.account_id GROUP BY {', '.join(keys)}, s.p, s.currency"
        )
        if dimension == "class":
            raw = [(classify(*r[:5]), *r[5:]) for r in database.execute_sql(sql, params)]
        else:
            raw = database.execute_sql(sql, params)
    # Sums per (key, currency) and period; one pass over what SQLite grouped.
    cells: dict[tuple[object, str], dict[int, int]] = {}
    lines: dict[tuple[object, str], int] = defaultdict(int)
    totals: dict[str, dict[int, int]] = defaultdict(dict)
    seen_periods: set[int] = set()
    for key, p, currency, amount, count in raw:
        cell = (key, currency)
        amounts = cells.get(cell)
        if amounts is None:
            amounts = cells[cell] = {}
        amounts[p] = amounts.get(p, 0) + amount
        lines[cell] += count
        by_period = totals[currency]
        by_period[p] = by_period.get(p, 0) + amount
        seen_periods.add(p)
    periods = _periods(grain, start, end, seen_periods)
    labels = _labels(dimension, {key for key, _c in cells})
    rows = [
        SalesRow(
            "" if key is None else str(key),
            labels[key],
            currency,
            dict(sorted(amounts.items())),
            lines[(key, currency)],
            sum(amounts.values()),
        )
        for (key, currency), amounts in cells.items()
    ]
    order = {c: i for i, c in enumerate(sorted(totals, key=lambda c: -sum(totals[c].values())))}
    rows.sort(key=lambda r: (order[r.currency], -r.total, r.label.casefold()))
    ordered_totals = {c: dict(sorted(totals[c].items())) for c in sorted(totals, key=order.__getitem__)}
    return SalesReport(grain, dimension, start, end, periods, rows, ordered_totals)


def _first_month(period: int, grain: Grain) -> int:
    if grain == "year":
        return period * 100 + 1
    if grain == "quarter":
        return (period // 10) * 100 + (period % 10) * 3 - 2
    return period


def _last_month(period: int, grain: Grain) -> int:
    if grain == "year":
        return period * 100 + 12
    if grain == "quarter":
        return (period // 10) * 100 + (period % 10) * 3
    return period


def sales_months() -> tuple[int, int] | None:
    """The first and last month with sales, or None when nothing was sold yet."""
    row = database.execute_sql("SELECT min(month), max(month) FROM sales_month").fetchone()
    return None if row is None or row[0] is None else (int(row[0]), int(row[1]))


# -- win/loss ------------------------------------------------------------------------------

VALUE_BANDS = (10_000, 100_000, 1_000_000)
"""Upper bounds (major units) of the value bands of the review; above the last: the top band."""


@dataclass(frozen=True)
class Tally:
    """Closed deals of one side (won or lost) in one group: how many, and their value per currency."""

    deals: int = 0
    value: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TechniqueUse:
    """A technique answered with on the visits of won (or lost) deals."""

    technique: str
    objection: str
    used: int
    worked: int
    failed: int


@dataclass(frozen=True)
class WinLoss:
    """The review: closed deals by reason, by stage reached and by value, and the
    techniques used on each side."""

    won: Tally
    lost: Tally
    reasons: dict[str, list[tuple[str, Tally]]]  # status -> (reason, tally), most deals first
    stages: dict[int, dict[str, Tally]]  # stage -> status -> tally
    bands: dict[int, dict[str, Tally]]  # band index (-1: no value) -> status -> tally
    techniques: dict[str, list[TechniqueUse]]  # status -> uses, most used first

    @property
    def closed(self) -> int:
        return self.won.deals + self.lost.deals


def value_band(value: int | None, currency: str) -> int:
    """The band of a deal's value: -1 without one, else 0..len(VALUE_BANDS)."""
    from saletui.money import minor_digits

    if value is None:
        return -1
    major = value // 10 ** minor_digits(currency)
    for index, bound in enumerate(VALUE_BANDS):
        if major < bound:
            return index
    return len(VALUE_BANDS)


def _add(tally: Tally, value: int | None, currency: str) -> Tally:
    amounts = dict(tally.value)
    if value is not None:
        amounts[currency] = amounts.get(currency, 0) + value
    return Tally(tally.deals + 1, amounts)


def winloss(start: dt.date | None = None, end: dt.date | None = None) -> WinLoss:
    """Won and lost deals (closed between `start` and `end`, both included, when given)."""
    where, params = ["d.status IN ('won', 'lost')"], []
    if start is not None:
        where.append("date(d.closed_at) >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("date(d.closed_at) <= ?")
        params.append(end.isoformat())
    condition = " AND ".join(where)
    sql = (
        "SELECT d.id, d.status, d.close_reason, d.stage, d.value, a.currency FROM deal AS d "
        f"JOIN account AS a ON a.id = d.account_id WHERE {condition}"
    )
    sides = {"won": Tally(), "lost": Tally()}
    reasons: dict[str, dict[str, Tally]] = {"won": {}, "lost": {}}
    stages: dict[int, dict[str, Tally]] = {}
    bands: dict[int, dict[str, Tally]] = {}
    for _id, status, reason, stage, value, currency in database.execute_sql(sql, params):
        sides[status] = _add(sides[status], value, currency)
        reason = (reason or "").strip()
        reasons[status][reason] = _add(reasons[status].get(reason, Tally()), value, currency)
        by_stage = stages.setdefault(stage, {})
        by_stage[status] = _add(by_stage.get(status, Tally()), value, currency)
        by_band = bands.setdefault(value_band(value, currency), {})
        by_band[status] = _add(by_band.get(status, Tally()), value, currency)
    technique_sql = (
        "SELECT d.status, CASE WHEN o.technique_name <> '' THEN o.technique_name ELSE o.technique_id END AS t, "
        "CASE WHEN o.objection_title <> '' THEN o.objection_title ELSE o.objection_id END AS ob, "
        "count(*), sum(o.worked = 1), sum(o.worked = 0) "
        "FROM visitobjection AS o JOIN visit AS v ON v.id = o.visit_id JOIN deal AS d ON d.id = v.deal_id "
        f"WHERE {condition} GROUP BY d.status, t, ob"
    )
    techniques: dict[str, list[TechniqueUse]] = {"won": [], "lost": []}
    for status, technique, objection, used, worked, failed in database.execute_sql(technique_sql, params):
        techniques[status].append(TechniqueUse(technique or "", objection or "", used, worked or 0, failed or 0))
    for uses in techniques.values():
        uses.sort(key=lambda u: (-u.used, u.technique.casefold(), u.objection.casefold()))
    return WinLoss(
        won=sides["won"],
        lost=sides["lost"],
        reasons={
            status: sorted(groups.items(), key=lambda item: (-item[1].deals, item[0].casefold()))
            for status, groups in reasons.items()
        },
        stages=dict(sorted(stages.items())),
        bands=dict(sorted(bands.items())),
        techniques=techniques,
    )
