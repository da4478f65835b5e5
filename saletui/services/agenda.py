"""The agenda: what is due today and this week across the book, in one list a rep reads on
Monday morning. Planned visits in time order, overdue next steps, contact and purchase
reminders of the 5+5+5 focus accounts, follow-ups after signing, plan actions due and the
deals at risk; each item says where Enter takes the rep."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from saletui.account_listing import AccountListing, purchases_of
from saletui.i18n import _
from saletui.method.attention import Reason, Thresholds, reason_texts
from saletui.method.deal_risk import Finding, decode, encode, risk_text
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
    what: str  # the line's text; a deal at risk: its title
    target_id: int | None = None  # the visit or deal Enter opens (None: the account)
    overdue: bool = False
    risks: str = ""  # a deal at risk: its risks as stored (deal_risk.encode)

    @property
    def text(self) -> str:
        """What the line says. A deal's is put into words when shown: a large book has
        thousands at risk, and the screen shows a few of them."""
        if not self.risks:
            return self.what
        findings = decode(self.risks)
        return _("deal {title} at risk: {risks}").format(
            title=self.what, risks=" · ".join(risk_text(f) for f in findings)
        )


@dataclass(frozen=True)
class Agenda:
    today: dt.date
    week_end: dt.date  # the Sunday of this week
    items: tuple[AgendaItem, ...]
    hidden: dict[tuple[bool, Kind], int] = field(default_factory=dict)  # (today?, kind) -> items left out

    def hidden_in(self, in_today: bool) -> dict[Kind, int]:
        return {kind: n for (today, kind), n in self.hidden.items() if today == in_today}

    def today_items(self) -> list[AgendaItem]:
        """Overdue, due today, and the reminders and risks of now."""
        return [i for i in self.items if i.day is None or i.day <= self.today]

    def week_items(self) -> list[AgendaItem]:
        return [i for i in self.items if i.day is not None and i.day > self.today]


def capped(items: list[AgendaItem], cap: int) -> tuple[list[AgendaItem], dict[Kind, int]]:
    """The first `cap` items of each kind, in their order, and how many of each were left out."""
    seen: dict[Kind, int] = {}
    shown: list[AgendaItem] = []
    hidden: dict[Kind, int] = {}
    for item in items:
        seen[item.kind] = seen.get(item.kind, 0) + 1
        if seen[item.kind] <= cap:
            shown.append(item)
        else:
            hidden[item.kind] = hidden.get(item.kind, 0) + 1
    return shown, hidden


def more_text(kind: Kind, n: int) -> str:
    """The line standing for the `n` items of `kind` left out by `capped`."""
    what = {
        Kind.VISIT: _("planned visits"),
        Kind.NEXT_STEP: _("next steps"),
        Kind.REMINDER: _("reminders"),
        Kind.ACTION: _("plan actions"),
        Kind.DEAL: _("deals at risk (the pipeline, p on the list, shows them all)"),
    }[kind]
    return _("… and {n} more {what}").format(n=f"{n:,}", what=what)


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


_VISITS = """
SELECT v.id, v.account_id, a.name, v.planned_at, v.kind, v.objective
FROM visit v JOIN account a ON a.id = v.account_id
WHERE v.status = 'planned' AND a.archived_at IS NULL AND v.planned_at < ?
ORDER BY v.planned_at, v.id
"""
_NEXT_STEPS = """
SELECT id, name, next_step, next_step_date FROM account
WHERE archived_at IS NULL AND next_step_date IS NOT NULL AND next_step_date > ? AND next_step_date <= ?
ORDER BY next_step_date, name COLLATE NOCASE
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
ORDER BY a.name COLLATE NOCASE, d.id
"""
# The focus accounts (the 5+5+5 tiers) and those implementing a won deal: the reminders.
_REMINDED = """
SELECT id FROM account WHERE archived_at IS NULL AND tier != ''
UNION SELECT d.account_id FROM deal d JOIN account a ON a.id = d.account_id
WHERE d.status = 'won' AND d.phase != 'done' AND a.archived_at IS NULL
"""
_OWN_REASONS = {Reason.NEXT_STEP_OVERDUE, Reason.ACTION_DUE, Reason.DEAL_AT_RISK}  # listed as items of their own


def build(
    today: dt.date,
    thresholds: Thresholds,
    cadence: Cadence,
    risks: dict[int, tuple[Finding, ...]] | None = None,
    cap: int | None = None,
    listing: AccountListing | None = None,
) -> Agenda:
    """The agenda as of `today`. The deals' risks are those stored with them (the app keeps
    them current), or `risks` (deal id -> findings) worked out by the caller. With `cap`,
    each section holds at most that many items of each kind, and `hidden` counts the rest
    (a book of thousands of accounts can have a thousand overdue next steps, which no one
    reads on one screen; the list's needs-attention view and the pipeline hold them).
    `listing`: the account list's rows, whose reminders are then not worked out again."""
    end = week_end(today)
    items: list[AgendaItem] = []
    hidden: dict[tuple[bool, Kind], int] = {}
    after = (end + dt.timedelta(days=1)).isoformat()  # planned before the Monday after (index visit_planned_at)
    for visit_id, account_id, name, planned_at, kind, objective in database.execute_sql(_VISITS, (after,)):
        when = planned_at if isinstance(planned_at, dt.datetime) else dt.datetime.fromisoformat(str(planned_at))
        text = kind_label(kind) + (f": {objective}" if objective else "")
        if when.date() < today:
            text += " · " + _("not recorded yet")
        items.append(
            AgendaItem(
                Kind.VISIT, when.date(), when.strftime("%H:%M"), account_id, name, text, visit_id, when.date() < today
            )
        )
    # Today's (with the overdue ones) and the rest of the week's, each up to `cap`.
    for after_day, to_day in (("", today.isoformat()), (today.isoformat(), end.isoformat())):
        sql, params = _NEXT_STEPS, list[object]([after_day, to_day])
        if cap is not None:
            (n,) = database.execute_sql(f"SELECT count(*) FROM ({sql})", params).fetchone()
            if n > cap:
                hidden[(after_day == "", Kind.NEXT_STEP)] = n - cap
            sql, params = f"{sql} LIMIT ?", [*params, cap]
        for account_id, name, step, due in database.execute_sql(sql, params):
            day = stored_date(due)
            text = _("next step: {step}").format(step=step) if step else _("next step due")
            items.append(AgendaItem(Kind.NEXT_STEP, day, "", account_id, name, text, None, bool(day and day < today)))
    for account_id, name, what, owner, due in database.execute_sql(_ACTIONS, (end.isoformat(),)):
        day = stored_date(due)
        text = _("plan action: {what}").format(what=what) + (f" ({owner})" if owner else "")
        items.append(AgendaItem(Kind.ACTION, day, "", account_id, name, text, None, bool(day and day < today)))
    reminded = [r[0] for r in database.execute_sql(_REMINDED)]
    # The list's own rows when it has them (its reasons are worked out already), else read.
    known: dict[int, int] = {}
    if listing is not None and listing.today == today:
        at = {row.id: n for n, row in enumerate(listing.rows)}
        known = {i: at[i] for i in reminded if i in at and not listing.rows[at[i]].archived}
    sources: list[tuple[AccountListing, list[int]]] = []
    if known:
        sources.append((listing, list(known.values())))  # type: ignore[arg-type]
    missing = [i for i in reminded if i not in known]
    if missing:
        read = AccountListing(
            today=today,
            thresholds=thresholds,
            rows=accounts.rows_of(missing),
            trading=derived.trading(),
            cadence=cadence,
        )
        sources.append((read, list(range(len(read.rows)))))
    for source, indices in sources:
        for n in indices:
            row, reasons = source.rows[n], source.reasons[n]
            shown = tuple(r for r in reasons if r not in _OWN_REASONS)
            if not shown:
                continue
            texts = reason_texts(shown, row.last_contact, purchases_of(row, source.trading), today)
            items.append(AgendaItem(Kind.REMINDER, None, "", row.id, row.name, "; ".join(texts)))
    if risks is None:
        sql, params = _DEALS, list[object]()
        if cap is not None:
            (n,) = database.execute_sql(f"SELECT count(*) FROM ({sql})").fetchone()
            if n > cap:
                hidden[(True, Kind.DEAL)] = n - cap
            sql, params = f"{sql} LIMIT ?", [cap]
        found = {r[0]: (r[1], r[2], r[3], r[4]) for r in database.execute_sql(sql, params)}
    else:
        titles = {
            r[0]: (r[1], r[2], r[3])
            for r in database.execute_sql(_DEALS.replace("AND d.risks != ''", ""))
            if risks.get(r[0])
        }
        found = {k: (*v, encode(risks[k])) for k, v in titles.items()}
    for deal_id, (account_id, name, title, stored) in found.items():
        if decode(stored):  # (a risk this version does not know is no risk)
            items.append(AgendaItem(Kind.DEAL, None, "", account_id, name, title, deal_id, risks=stored))
    order = {Kind.VISIT: 0, Kind.NEXT_STEP: 1, Kind.ACTION: 2, Kind.REMINDER: 3, Kind.DEAL: 4}
    items.sort(key=lambda i: (i.day or today, i.day is None, i.time, order[i.kind], i.account.casefold()))
    if cap is not None:
        kept: list[AgendaItem] = []
        for in_today in (True, False):
            section, left_out = capped([i for i in items if (i.day is None or i.day <= today) == in_today], cap)
            kept += section
            for kind, count in left_out.items():
                hidden[(in_today, kind)] = hidden.get((in_today, kind), 0) + count
        items = kept
    return Agenda(today, end, tuple(items), hidden)


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
