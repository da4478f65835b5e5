"""The 5+5+5 plan's arithmetic (DOMAIN section 4): a year's objective spread over twelve
months, and when an account counts as behind its plan. Plain functions on exact integers
of minor units (saletui.money): no rounding, no mixing of currencies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from saletui.money import minor_digits

MONTHS = 12

DEFAULT_BEHIND_PERCENT = 10
"""Our choice, not the article's: an account is behind when its sales to date are more
than 10% below what its plan expected to date. Monthly sales are lumpy (one order lands
in March instead of February), so the year to date is judged, not the month alone, and a
small shortfall is not yet a problem to discuss at the team meeting."""

ACTION_NOTICE_DAYS = 7
"""An open action needs attention from a week before its due date (and while overdue)."""

ACTION_STATUSES = ("open", "done", "dropped")


def even_split(objective: int, currency: str) -> list[int]:
    """`objective` spread over the twelve months as evenly as exact amounts allow.

    When the objective is in whole units of the currency (yuan, dollars), so is every
    month; the remainder goes one unit each to the first months. Always adds up."""
    unit = 10 ** minor_digits(currency)
    if objective % unit:
        unit = 1
    units, rest = divmod(objective // unit, MONTHS)
    return [(units + (1 if m < rest else 0)) * unit for m in range(MONTHS)]


def split_difference(objective: int, months: Sequence[int]) -> int:
    """How much the months add up to more (positive) or less (negative) than the year."""
    return sum(months) - objective


def is_behind(expected: int, actual: int, behind_percent: int = DEFAULT_BEHIND_PERCENT) -> bool:
    """Actual more than `behind_percent`% below expected (nothing expected: never behind)."""
    if expected <= 0:
        return False
    return actual * 100 < expected * (100 - behind_percent)


def achieved_percent(expected: int, actual: int) -> int | None:
    """Actual as a whole percentage of expected, rounded down; None when nothing expected."""
    if expected <= 0:
        return None
    return actual * 100 // expected


def action_due(due_on: dt.date | None, today: dt.date, notice_days: int = ACTION_NOTICE_DAYS) -> bool:
    """An open action's due date is near (within `notice_days`) or has passed."""
    return due_on is not None and (due_on - today).days <= notice_days


def month_key(year: int, month: int) -> int:
    """The yyyymm key of `sales_month`."""
    return year * 100 + month


def shift_month(year: int, month: int, step: int) -> tuple[int, int]:
    """The month `step` months after (or before) year-month."""
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1
