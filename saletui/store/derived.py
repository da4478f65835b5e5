"""Derived classes: worked out from `sales_month` for every account at once, and kept.

The list of 10,000 accounts must paint and filter as fast as before, so the derived axes
are not computed while reading it: `refresh` writes them to `derived_class` (aggregates in
SQL, the rules in saletui.method.derivation), and `ensure_current` does that again only
when the orders changed (triggers of migration 0012 mark the table stale), the month moved
on, or the rules in the settings changed. Reading the list then joins one row per account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import OperationalError

from saletui.i18n import _, ngettext
from saletui.method import prospect_score
from saletui.method.classes import classify
from saletui.method.derivation import (
    ClassRules,
    Derived,
    Regularity,
    Revenue,
    derive,
    derived_code,
    effective,
    month_index,
    window,
)
from saletui.method.prospect_score import FACTORS
from saletui.store.models import Account, DerivedClass, database


def current_month(today: dt.date) -> int:
    return today.year * 100 + today.month


# One pass over the window's monthly rows, summed over reps. `+month` keeps SQLite from
# the month index: walking the table in key order is faster than an index lookup per row
# when a good part of all rows is in the window (measured on 280,000 rows: -30%).
_WINDOW_SQL = """
SELECT account_id, currency, month, SUM(amount), SUM(lines)
FROM sales_month WHERE +month BETWEEN ? AND ?
GROUP BY account_id, currency, month
"""
_ACTIVE_SQL = """
SELECT a.id, a.owner, t.account_id IS NOT NULL
FROM account a LEFT JOIN account_trade t ON t.account_id = a.id
WHERE a.archived_at IS NULL
"""


def compute(today: dt.date, rules: ClassRules) -> dict[int, Derived]:
    """Every active account's derived axes, from the monthly summary (not the lines)."""
    first, last = window(current_month(today), rules)
    end = month_index(last)
    owners: dict[int, str] = {}
    traded: list[int] = []
    for account_id, owner, has_traded in database.execute_sql(_ACTIVE_SQL):
        owners[account_id] = owner
        if has_traded:
            traded.append(account_id)
    months: dict[int, set[int]] = {}
    lines: dict[int, int] = {}
    money: dict[tuple[int, str], list[int]] = {}  # (account, currency) -> [amount, largest month]
    for account_id, currency, month, amount, count in database.execute_sql(_WINDOW_SQL, (first, last)):
        if account_id not in owners:
            continue  # archived
        months.setdefault(account_id, set()).add(month_index(month))
        lines[account_id] = lines.get(account_id, 0) + count
        total = money.setdefault((account_id, currency), [0, 0])
        total[0] += amount
        total[1] = max(total[1], amount)
    regularity = {
        account_id: Regularity(lines[account_id], len(seen), len({(end - m) // 3 for m in seen}))
        for account_id, seen in months.items()
    }
    revenues = [
        Revenue(account_id, owners[account_id], currency, amount, peak)
        for (account_id, currency), (amount, peak) in money.items()
    ]
    return derive(traded, revenues, regularity, rules)


_RATED_SQL = f"""
SELECT id, {", ".join(f"rating_{f}" for f in FACTORS)} FROM account
WHERE archived_at IS NULL AND relationship = 'prospect'
  AND ({" OR ".join(f"rating_{f} IS NOT NULL" for f in FACTORS)})
"""


def prospect_scores(rules: ClassRules) -> dict[int, tuple[float, str]]:
    """Every active prospect with a score: (score, the expected contribution it gives)."""
    weights = dict(rules.prospect_weights)
    out: dict[int, tuple[float, str]] = {}
    for account_id, *ratings in database.execute_sql(_RATED_SQL):
        scored = prospect_score.assess(
            dict(zip(FACTORS, ratings, strict=True)), weights, rules.prospect_min_rated, rules.prospect_high_from
        )
        if scored is not None:
            out[account_id] = scored
    return out


def refresh(today: dt.date, rules: ClassRules) -> int:
    """Work out every account's derived class again, in one transaction; how many."""
    with database.atomic():
        # The write comes first: it takes the write lock before anything is read, so that no
        # other connection can add lines between what is read and the table being current.
        database.execute_sql(
            "UPDATE class_derivation SET window_end = ?, rules = ?, stale = 0, generation = generation + 1 WHERE id = 1",
            (current_month(today), rules.key()),
        )
        derived = compute(today, rules)
        scored = prospect_scores(rules)
        conn = database.connection()
        conn.execute("DELETE FROM derived_class")
        conn.executemany(
            "INSERT INTO derived_class (account_id, contribution, stability, lines, months, quarters, "
            "expected_value, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (i, d.contribution, d.stability, d.lines, d.months, d.quarters, *scored.get(i, (None, None))[::-1])
                for i, d in derived.items()
            ]
            + [(i, "", "", 0, 0, 0, level, value) for i, (value, level) in scored.items() if i not in derived],
        )
    return len(derived.keys() | scored.keys())


def is_current(today: dt.date, rules: ClassRules) -> bool:
    row = database.execute_sql("SELECT window_end, rules, stale FROM class_derivation WHERE id = 1").fetchone()
    return row is not None and row == (current_month(today), rules.key(), 0)


def ensure_current(today: dt.date, rules: ClassRules) -> bool:
    """Refresh when the orders, the month or the rules changed since; True if it did.

    One indexed read when nothing changed, so it is called wherever classes are shown.
    When another program holds the database's write lock (busy_timeout spent), the classes
    stay as they were last worked out and the next look tries again: a cache must not
    keep the rep from their list."""
    if is_current(today, rules):
        return False
    try:
        refresh(today, rules)
    except OperationalError:
        return False
    return True


def generation() -> int:
    """How many times the classes were worked out: a list that read them at another
    generation shows classes that may have moved (any account of the owner, not only the
    one whose orders changed)."""
    row = database.execute_sql("SELECT generation FROM class_derivation WHERE id = 1").fetchone()
    return int(row[0]) if row else 0


def trading() -> bool:
    """Whether the book holds any order at all: without, nobody "never bought"."""
    return bool(database.execute_sql("SELECT EXISTS (SELECT 1 FROM account_trade)").fetchone()[0])


@dataclass(frozen=True)
class ClassInfo:
    """Where an account's class comes from, for the account screen and the brief."""

    code: str  # the class shown
    hand: str  # the class of the hand-set axes ("" if not rated)
    derived: str  # the class its orders give ("" without orders, or not a customer)
    source: str  # "derived" or "hand" (the account's class_source)
    lines: int  # order lines in the window
    months: int
    relationship: str = "customer"
    score: float | None = None  # a rated prospect's (saletui.method.prospect_score)
    score_level: str | None = None  # the expected contribution the score gives
    rated: int = 0  # factors rated

    @property
    def from_orders(self) -> bool:
        return (
            self.relationship == "customer"
            and bool(self.derived)
            and self.code == self.derived
            and self.source != "hand"
        )

    @property
    def disagrees(self) -> bool:
        return bool(self.derived and self.hand and self.derived != self.hand)


def class_info(account: Account, today: dt.date, rules: ClassRules) -> ClassInfo:
    ensure_current(today, rules)
    hand = classify(
        account.relationship, account.contribution, account.stability, account.expected_value, account.intent
    )
    row = DerivedClass.get_or_none(DerivedClass.account == account.id)
    derived = (
        derived_code(account.relationship, row.contribution, row.stability, row.expected_value, account.intent)
        if row
        else ""
    )
    return ClassInfo(
        code=effective(account.relationship, hand, derived, account.class_source),
        hand=hand,
        derived=derived,
        source=account.class_source,
        lines=row.lines if row and derived and account.relationship == "customer" else 0,
        months=row.months if row and derived and account.relationship == "customer" else 0,
        relationship=account.relationship,
        score=row.score if row and account.relationship == "prospect" else None,
        score_level=row.expected_value if row and account.relationship == "prospect" else None,
        rated=sum(getattr(account, f"rating_{f}") is not None for f in FACTORS),
    )


def source_text(info: ClassInfo, rules: ClassRules) -> str:
    """Where the class comes from, in words: "derived from 37 order lines in the last 12
    months", "expected contribution high from the score 3.8 of 5", or "set by hand" (with
    what the orders or the score say when they disagree)."""
    if info.relationship == "prospect" and info.score is not None:
        level = _("high") if info.score_level == "high" else _("low")
        if info.source != "hand":
            return ngettext(
                "expected contribution {level} from the score {score} of 5 ({n} factor rated)",
                "expected contribution {level} from the score {score} of 5 ({n} factors rated)",
                info.rated,
            ).format(level=level, score=f"{info.score:.1f}", n=info.rated)
        if info.derived and info.disagrees:
            return _("set by hand; the score says {derived}").format(derived=info.derived)
        return _("set by hand; the score {score} of 5 agrees").format(score=f"{info.score:.1f}")
    if info.from_orders:
        if not info.lines:
            return _("derived: no order in the last {months} months").format(months=rules.window_months)
        return ngettext(
            "derived from {n} order line in the last {months} months",
            "derived from {n} order lines in the last {months} months",
            info.lines,
        ).format(n=info.lines, months=rules.window_months)
    if info.source == "hand" and info.derived and info.disagrees:
        return _("set by hand; the orders say {derived}").format(derived=info.derived)
    if info.source == "hand" and info.derived:
        return _("set by hand; the orders agree")
    return _("set by hand")
