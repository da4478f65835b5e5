"""The agenda: what is due today and this week across the book, in one list a rep reads on
Monday morning. Planned visits in time order, overdue next steps, contact and purchase
reminders of the 5+5+5 focus accounts, follow-ups after signing, plan actions due and the
deals at risk; each item says where Enter takes the rep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from saletui.account_listing import AccountListing, purchases_of
from saletui.i18n import _
from saletui.method.attention import Reason, Thresholds, reason_texts
from saletui.method.deal_risk import Finding, decode, risk_text
from saletui.method.implementation import Cadence
from saletui.method.milestones import kind_label
from saletui.store import accounts, derived
from saletui.store.models import database
from saletui.store.parse import stored_date


class Kind(StrEnum):
    VISIT = "visit"
    NEXT_STEP = "next-step"
    REMINDER = "reminder"
    ACTION = "action"
    DEAL = "deal"


@dataclass(frozen=True, slots=True)
class AgendaItem:
    kind: Kind
    day: dt.date | None  # when it is due (None: now, e.g. a reminder)
    time: str  # "09:30" for a visit, else ""
    account_id: int
    account: str
    text: str
    target_id: int | None = None  # the visit or deal Enter opens (None: the account)
    overdue: bool = False


@dataclass(frozen=True)
class Agenda:
    today: dt.date
    week_end: dt.date  # the Sunday of this week
    items: tuple[AgendaItem, ...]

    def today_items(self) -> list[AgendaItem]:
        """Overdue, due today, and the reminders and risks of now."""
        return [i for i in self.items if i.day is None or i.day <= self.today]

    def week_items(self) -> list[AgendaItem]:
        return [i for i in self.items if i.day is not None and i.day > self.today]


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


_VISITS = """
SELECT v.id, v.account_id, a.name, v.planned_at, v.kind, v.objective
FROM visit v JOIN account a ON a.id = v.account_id
WHERE v.status = 'planned' AND a.archived_at IS NULL AND date(v.planned_at) <= ?
ORDER BY v.planned_at, v.id
"""
_NEXT_STEPS = """
SELECT id, name, next_step, next_step_date FROM account
WHERE archived_at IS NULL AND next_step_date IS NOT NULL AND next_step_date <= ?
ORDER BY next_step_date, name
"""
_ACTIONS = """
SELECT p.account_id, a.name, x.what, x.owner, x.due_on
FROM plan_action x JOIN account_plan p ON p.id = x.plan_id JOIN account a ON a.id = p.account_id
WHERE x.status = 'open' AND a.archived_at IS NULL AND x.due_on <= ?
ORDER BY x.due_on, a.name, x.id
"""
_DEALS = """
SELECT d.id, d.account_id, a.name, d.title, d.risks
FROM deal d JOIN account a ON a.id = d.account_id
WHERE d.status = 'open' AND a.archived_at IS NULL AND d.risks != ''
ORDER BY a.name, d.id
"""
# The focus accounts (the 5+5+5 tiers) and those implementing a won deal: the reminders.
_REMINDED = """
SELECT id FROM account WHERE archived_at IS NULL AND tier != ''
UNION SELECT account_id FROM deal WHERE status = 'won' AND phase != 'done'
"""
_OWN_REASONS = {Reason.NEXT_STEP_OVERDUE, Reason.ACTION_DUE, Reason.DEAL_AT_RISK}  # listed as items of their own


def build(
    today: dt.date,
    thresholds: Thresholds,
    cadence: Cadence,
    risks: dict[int, tuple[Finding, ...]] | None = None,
) -> Agenda:
    """The agenda as of `today`. The deals' risks are those stored with them (the app keeps
    them current), or `risks` (deal id -> findings) worked out by the caller."""
    end = week_end(today)
    items: list[AgendaItem] = []
    for visit_id, account_id, name, planned_at, kind, objective in database.execute_sql(_VISITS, (end.isoformat(),)):
        when = planned_at if isinstance(planned_at, dt.datetime) else dt.datetime.fromisoformat(str(planned_at))
        text = kind_label(kind) + (f": {objective}" if objective else "")
        if when.date() < today:
            text += " · " + _("not recorded yet")
        items.append(
            AgendaItem(
                Kind.VISIT, when.date(), when.strftime("%H:%M"), account_id, name, text, visit_id, when.date() < today
            )
        )
    for account_id, name, step, due in database.execute_sql(_NEXT_STEPS, (end.isoformat(),)):
        day = stored_date(due)
        text = _("next step: {step}").format(step=step) if step else _("next step due")
        items.append(AgendaItem(Kind.NEXT_STEP, day, "", account_id, name, text, None, bool(day and day < today)))
    for account_id, name, what, owner, due in database.execute_sql(_ACTIONS, (end.isoformat(),)):
        day = stored_date(due)
        text = _("plan action: {what}").format(what=what) + (f" ({owner})" if owner else "")
        items.append(AgendaItem(Kind.ACTION, day, "", account_id, name, text, None, bool(day and day < today)))
    reminded = [r[0] for r in database.execute_sql(_REMINDED)]
    if reminded:
        listing = AccountListing(
            today=today,
            thresholds=thresholds,
            rows=accounts.rows_of(reminded),
            trading=derived.trading(),
            cadence=cadence,
        )
        for row, reasons in zip(listing.rows, listing.reasons, strict=True):
            shown = tuple(r for r in reasons if r not in _OWN_REASONS)
            if not shown:
                continue
            texts = reason_texts(shown, row.last_contact, purchases_of(row, listing.trading), today)
            items.append(AgendaItem(Kind.REMINDER, None, "", row.id, row.name, "; ".join(texts)))
    if risks is None:
        found = {r[0]: (r[1], r[2], r[3], decode(r[4])) for r in database.execute_sql(_DEALS)}
    else:
        titles = {
            r[0]: (r[1], r[2], r[3])
            for r in database.execute_sql(_DEALS.replace("AND d.risks != ''", ""))
            if risks.get(r[0])
        }
        found = {k: (*v, risks[k]) for k, v in titles.items()}
    for deal_id, (account_id, name, title, findings) in found.items():
        if findings:
            text = _("deal {title} at risk: {risks}").format(
                title=title, risks=" · ".join(risk_text(f) for f in findings)
            )
            items.append(AgendaItem(Kind.DEAL, None, "", account_id, name, text, deal_id))
    order = {Kind.VISIT: 0, Kind.NEXT_STEP: 1, Kind.ACTION: 2, Kind.REMINDER: 3, Kind.DEAL: 4}
    items.sort(key=lambda i: (i.day or today, i.day is None, i.time, order[i.kind], i.account.casefold()))
    return Agenda(today, end, tuple(items))


def when_text(item: AgendaItem, today: dt.date) -> str:
    """ "09:30" today, "2026-11-27 14:00" later in the week, the day of what is overdue."""
    day = "" if item.day is None or item.day == today else item.day.isoformat()
    return " ".join(filter(None, [day, item.time]))


def render_markdown(agenda: Agenda) -> str:
    """The agenda as Markdown: today (with what is overdue), then the rest of the week."""
    from saletui.services.brief import md

    lines = ["# " + _("Agenda · {date}").format(date=agenda.today.isoformat()), ""]
    for title, items in (
        (_("Today"), agenda.today_items()),
        (_("This week, to {date}").format(date=agenda.week_end.isoformat()), agenda.week_items()),
    ):
        lines += [f"## {title}", ""]
        if not items:
            lines += ["- " + _("Nothing due."), ""]
            continue
        for i in items:
            when = when_text(i, agenda.today)
            mark = "⚠ " if i.overdue or i.kind is Kind.DEAL else ""
            lines.append(f"- {mark}{(when + ' · ') if when else ''}**{md(i.account)}** · {md(i.text)}")
        lines.append("")
    return "\n".join(lines)
