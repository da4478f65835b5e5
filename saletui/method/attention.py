"""Who needs attention (DOMAIN section 5): contact every account at least once a year,
more often the more it matters; never-contacted accounts and overdue next steps too; and
the purchase reminders the method asks for: customers who never bought, who have not
bought for long, and those whose product has probably run out (their own reorder interval
is well past)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from saletui.i18n import _, ngettext
from saletui.method.plan import ACTION_NOTICE_DAYS, action_due

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
    ACTION_DUE = "action"  # an open action of the 5+5+5 plan due within a week, or overdue
    NEVER_BOUGHT = "never-bought"
    NO_PURCHASE = "no-purchase"
    RUN_OUT = "run-out"
    FOLLOW_UP_DUE = "follow_up"  # a won deal's implementation needs a follow-up (method.implementation)
    DEAL_AT_RISK = "deal-risk"  # an open deal has risk warnings (method.deal_risk)


PURCHASE_REASONS = (Reason.NEVER_BOUGHT, Reason.NO_PURCHASE, Reason.RUN_OUT)


def reason_text(reason: Reason, days: int | None = None, every: float | None = None) -> str:
    """The reason in words; `days` since the last contact (or purchase, for the purchase
    reasons), `every` the customer's reorder interval in days."""
    if reason is Reason.NEVER_CONTACTED:
        return _("never contacted")
    if reason is Reason.CONTACT_OVERDUE:
        return _("no contact for {days} days").format(days=days)
    if reason is Reason.ACTION_DUE:
        return _("plan action due")
    if reason is Reason.NEVER_BOUGHT:
        return _("never bought")
    if reason is Reason.NO_PURCHASE:
        return _("no purchase for {days} days").format(days=days)
    if reason is Reason.RUN_OUT:
        return _("probably run out: {days} days since the last order, usually every {every} days").format(
            days=days, every=round(every or 0)
        )
    if reason is Reason.FOLLOW_UP_DUE:
        return _("follow-up after signing due")
    if reason is Reason.DEAL_AT_RISK:
        return ngettext("{n} deal at risk", "{n} deals at risk", days or 1).format(n=days or 1)
    return _("next step overdue")


def action_due_text(due_on: dt.date, today: dt.date) -> str:
    """ "plan action due in 3 days" / "due today" / "overdue by 2 days"."""
    days = (due_on - today).days
    if days > 0:
        return _("plan action due in {days} days").format(days=days)
    if days == 0:
        return _("plan action due today")
    return _("plan action overdue by {days} days").format(days=-days)


@dataclass(frozen=True)
class Purchases:
    """A customer's buying at a glance (from the account_trade summary)."""

    first_on: dt.date | None
    last_on: dt.date | None
    order_days: int

    @property
    def reorder_days(self) -> float | None:
        """The mean interval between order days (None with fewer than two)."""
        if self.first_on is None or self.last_on is None or self.order_days < 2:
            return None
        return (self.last_on - self.first_on).days / (self.order_days - 1)


def purchase_reasons(purchases: Purchases, today: dt.date, rules: PurchaseRules) -> tuple[Reason, ...]:
    """A customer's purchase reminder, if any: never bought; probably run out (when the
    interval is known, it says more than a fixed number of days); or no purchase for long."""
    if purchases.last_on is None:
        return (Reason.NEVER_BOUGHT,)
    days = (today - purchases.last_on).days
    every = purchases.reorder_days
    if every and purchases.order_days >= rules.run_out_min_orders and days > rules.run_out_factor * every:
        return (Reason.RUN_OUT,)
    if days > rules.no_purchase_days:
        return (Reason.NO_PURCHASE,)
    return ()


def reason_texts(
    reasons: tuple[Reason, ...],
    last_contact: dt.date | None,
    purchases: Purchases | None,
    today: dt.date,
    next_action_due: dt.date | None = None,
    deals_at_risk: int = 0,
) -> list[str]:
    """Each reason in words, with its figures."""
    out = []
    for r in reasons:
        if r is Reason.DEAL_AT_RISK:
            out.append(reason_text(r, deals_at_risk))
        elif r is Reason.ACTION_DUE and next_action_due is not None:
            out.append(action_due_text(next_action_due, today))
        elif r in PURCHASE_REASONS and purchases is not None:
            days = (today - purchases.last_on).days if purchases.last_on else None
            out.append(reason_text(r, days, purchases.reorder_days))
        else:
            out.append(reason_text(r, (today - last_contact).days if last_contact else None))
    return out


@dataclass(frozen=True)
class PurchaseRules:
    """When a customer's buying calls for attention (the `purchases:` settings)."""

    no_purchase_days: int = 90
    """Days since the last order after which a customer is flagged."""
    run_out_factor: float = 1.5
    """Flagged as probably run out when the days since the last order exceed this many
    times the customer's own reorder interval."""
    run_out_min_orders: int = 3
    """Order days needed before the reorder interval is trusted."""


@dataclass(frozen=True)
class Thresholds:
    """Days without contact allowed per class code, and the purchase reminders."""

    days: dict[str, int]
    action_notice_days: int = ACTION_NOTICE_DAYS  # plan actions: days of notice before due
    purchases: PurchaseRules = PurchaseRules()

    def for_class(self, code: str) -> int:
        return self.days.get(code, self.days.get("", 365))


def attention_reasons(
    class_code: str,
    last_contact: dt.date | None,
    next_step_date: dt.date | None,
    today: dt.date,
    thresholds: Thresholds,
    *,
    next_action_due: dt.date | None = None,
    purchases: Purchases | None = None,
    deals_at_risk: int = 0,
) -> tuple[Reason, ...]:
    """Every reason this account needs attention today (empty if none); `next_action_due`
    is the due date of the account's earliest open plan action. `purchases` is given for
    customers when the book holds orders at all (without any, nobody is reminded that
    they "never bought")."""
    reasons: list[Reason] = []
    if last_contact is None:
        reasons.append(Reason.NEVER_CONTACTED)
    elif (today - last_contact).days > thresholds.for_class(class_code):
        reasons.append(Reason.CONTACT_OVERDUE)
    if next_step_date is not None and next_step_date < today:
        reasons.append(Reason.NEXT_STEP_OVERDUE)
    if action_due(next_action_due, today, thresholds.action_notice_days):
        reasons.append(Reason.ACTION_DUE)
    if purchases is not None:
        reasons.extend(purchase_reasons(purchases, today, thresholds.purchases))
    if deals_at_risk:
        reasons.append(Reason.DEAL_AT_RISK)
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
