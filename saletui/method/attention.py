"""Who needs attention (DOMAIN section 5): contact every account at least once a year,
more often the more it matters; never-contacted accounts and overdue next steps too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from saletui.i18n import _

# Our choice, not the article's: days without contact before an account is flagged.
# The method's floor is one contact a year; important classes get closer follow-up.
DEFAULT_CONTACT_DAYS: dict[str, int] = {
    "EI": 30,
    "EII": 14,
    "EIII": 45,
    "EIV": 180,
    "PI": 14,
    "PII": 30,
    "PIII": 60,
    "PIV": 180,
    "F": 365,
    "": 365,
}


class Reason(StrEnum):
    NEVER_CONTACTED = "never"
    CONTACT_OVERDUE = "stale"
    NEXT_STEP_OVERDUE = "overdue"
    FOLLOW_UP_DUE = "follow_up"  # a won deal's implementation needs a follow-up (method.implementation)


def reason_text(reason: Reason, days: int | None = None) -> str:
    if reason is Reason.NEVER_CONTACTED:
        return _("never contacted")
    if reason is Reason.CONTACT_OVERDUE:
        return _("no contact for {days} days").format(days=days)
    if reason is Reason.FOLLOW_UP_DUE:
        return _("follow-up after signing due")
    return _("next step overdue")


@dataclass(frozen=True)
class Thresholds:
    """Days without contact allowed per class code."""

    days: dict[str, int]

    def for_class(self, code: str) -> int:
        return self.days.get(code, self.days.get("", 365))


def attention_reasons(
    class_code: str,
    last_contact: dt.date | None,
    next_step_date: dt.date | None,
    today: dt.date,
    thresholds: Thresholds,
) -> tuple[Reason, ...]:
    """Every reason this account needs attention today (empty if none)."""
    reasons: list[Reason] = []
    if last_contact is None:
        reasons.append(Reason.NEVER_CONTACTED)
    elif (today - last_contact).days > thresholds.for_class(class_code):
        reasons.append(Reason.CONTACT_OVERDUE)
    if next_step_date is not None and next_step_date < today:
        reasons.append(Reason.NEXT_STEP_OVERDUE)
    return tuple(reasons)


def days_ago_text(last_contact: dt.date | None, today: dt.date) -> str:
    """ "12 d ago", "today", or "never"."""
    if last_contact is None:
        return _("never")
    days = (today - last_contact).days
    if days <= 0:
        return _("today")
    return _("{days} d ago").format(days=days)


class VisitReminder(StrEnum):
    TODAY = "today"
    TOMORROW = "tomorrow"
    UNRECORDED = "unrecorded"  # planned for a day that has passed, never recorded


def visit_reminder(next_planned: dt.datetime | None, today: dt.date) -> VisitReminder | None:
    """A reminder for the account's earliest planned visit, if it is due or overdue."""
    if next_planned is None:
        return None
    day = next_planned.date()
    if day < today:
        return VisitReminder.UNRECORDED
    if day == today:
        return VisitReminder.TODAY
    if day == today + dt.timedelta(days=1):
        return VisitReminder.TOMORROW
    return None


def reminder_text(reminder: VisitReminder, when: dt.datetime) -> str:
    if reminder is VisitReminder.TODAY:
        return _("visit today at {time}").format(time=when.strftime("%H:%M"))
    if reminder is VisitReminder.TOMORROW:
        return _("visit tomorrow at {time}").format(time=when.strftime("%H:%M"))
    return _("visit of {date} not recorded yet").format(date=when.date().isoformat())
