"""The pre-call brief: ten minutes before walking in, everything the rep needs on one page.

Built from the store, the process and the playbook as plain data, then rendered as
Markdown (for the app, a printer or a phone). User text is escaped so that a name like
`*VIP* [x](y)` prints as written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from saletui import money
from saletui.i18n import _, labelled
from saletui.method.attention import (
    PurchaseRules,
    Purchases,
    action_due_text,
    days_ago_text,
    purchase_reasons,
    reason_texts,
)
from saletui.method.classes import strategy_for
from saletui.method.deal_risk import Finding, RiskRules, risk_text
from saletui.method.deal_roles import roles_text
from saletui.method.derivation import ClassRules
from saletui.method.implementation import Cadence, PhaseState, follow_up_due, phase_hint, phase_label
from saletui.method.milestones import kind_label, progress
from saletui.method.org import CoverageWarning, attitude_label, coverage_warnings, role_label
from saletui.method.plan import ACTION_NOTICE_DAYS
from saletui.method.qualification import KeyState
from saletui.method.qualification import line as qualification_line
from saletui.method.relationship import Relationship, level_label
from saletui.method.stages import STAGES, stage_label
from saletui.playbook.schema import Objection, Technique
from saletui.process.schema import Process
from saletui.store import (
    accounts,
    deal_contacts,
    deal_health,
    deals,
    derived,
    milestones,
    people,
    plans,
    relationships,
    visits,
)
from saletui.store.models import Account, Deal, Person, VisitAttendee
from saletui.store.objection_log import TechniqueStats, technique_stats
from saletui.text import display_text

# Enough to stop emphasis, links, code, HTML and tables; user text never starts a line here,
# so list and heading markers (- + . #) at a line start cannot arise.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~&])")
_STAGE_KEY = {s.number: s.key for s in STAGES}
BEST_TECHNIQUES = 2


def md(text: str) -> str:
    """User text as literal Markdown: special characters escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", display_text(" ".join(str(text).split())))


@dataclass
class Brief:
    account: Account
    today: dt.date
    class_code: str
    deals: list[Deal]
    deal_progress: dict[int, str]
    key_people: list[people.PersonRow]
    person_details: dict[int, Person]
    warnings: list[CoverageWarning]
    last_visits: list[visits.VisitRow]
    next_visit: visits.VisitRow | None
    next_checklist: list[str]
    objections: list[tuple[Objection, list[tuple[Technique, TechniqueStats | None]]]]
    overdue: list[str] = field(default_factory=list)
    plan: plans.PlanView | None = None  # this year's 5+5+5 plan, if the account has one
    due_actions: list[plans.DueAction] = field(default_factory=list)
    class_from: str = ""  # "derived from 37 order lines in the last 12 months" / "set by hand"
    purchases: Purchases | None = None  # a customer's buying, when the book holds orders
    purchase_notes: list[str] = field(default_factory=list)  # the purchase reminders, in words
    # Won deals still being implemented: the deal, its phase today, the next follow-up.
    implementing: list[tuple[Deal, PhaseState, dt.date | None]] = field(default_factory=list)
    # Per open deal: who takes part and as what, and what puts it at risk.
    deal_contacts: dict[int, list[deal_contacts.DealContactRow]] = field(default_factory=dict)
    deal_risks: dict[int, tuple[Finding, ...]] = field(default_factory=dict)
    qualification: dict[int, tuple[KeyState, ...]] = field(default_factory=dict)
    relationships: dict[int, list[Relationship]] = field(default_factory=dict)  # per key person


def build(
    account_id: int,
    today: dt.date,
    playbook_objections: list[Objection],
    deal_id: int | None = None,
    action_notice_days: int = ACTION_NOTICE_DAYS,
    *,
    rules: ClassRules | None = None,
    purchase_rules: PurchaseRules | None = None,
    cadence: Cadence | None = None,
    risk_rules: RiskRules | None = None,
    process: Process | None = None,
) -> Brief:
    """Everything the brief shows; `rules` and `purchase_rules` are the settings' (the
    defaults when not given)."""
    rules = rules or ClassRules()
    account = accounts.get(account_id)
    info = derived.class_info(account, today, rules)
    purchases = None
    notes: list[str] = []
    if account.relationship == "customer" and derived.trading():
        row = accounts.get_row(account_id)
        assert row is not None
        purchases = Purchases(row.first_purchase, row.last_purchase, row.order_days)
        notes = reason_texts(
            purchase_reasons(purchases, today, purchase_rules or PurchaseRules()), None, purchases, today
        )
    cadence = cadence or Cadence()
    every_deal = deals.for_account(account_id)
    open_deals = [d for d in every_deal if d.status == "open"]
    if deal_id is not None:
        open_deals = [d for d in open_deals if d.id == deal_id] or [deals.get(deal_id)]
    deal_progress = {}
    for d in open_deals:
        p = progress(m.state() for m in milestones.for_deal(d.id)).get(d.stage)
        deal_progress[d.id] = str(p) if p else ""

    everyone = people.for_account(account_id)
    history = visits.for_account(account_id)
    planned = sorted((v for v in history if v.status == "planned"), key=lambda v: v.planned_at)
    next_visit = planned[0] if planned else None
    attendees: set[int] = set()
    checklist: list[str] = []
    if next_visit is not None:
        attendees = {a.person_id for a in VisitAttendee.select().where(VisitAttendee.visit == next_visit.id)}
        checklist = [f"{stage_label(m.stage)}: {m.question}" for _item, m in visits.checklist(next_visit.id)]
    key_people = [
        p for p in everyone if p.influence in (1, 2) or p.is_coach or p.attitude == "opponent" or p.id in attendees
    ]
    details = (
        {p.id: p for p in Person.select().where(Person.id.in_([k.id for k in key_people]))} if key_people else {}
    )  # one query, not one per person

    stage_keys = {_STAGE_KEY[d.stage] for d in open_deals}
    stats = technique_stats()
    likely = []
    for objection in playbook_objections:
        if stage_keys and objection.stages and not stage_keys & set(objection.stages):
            continue
        ranked = sorted(objection.techniques, key=lambda t: _rank(stats.get((objection.id, t.id))), reverse=True)
        likely.append((objection, [(t, stats.get((objection.id, t.id))) for t in ranked[:BEST_TECHNIQUES]]))

    overdue = []
    if account.next_step_date and account.next_step_date < today:
        overdue.append((account.next_step or _("Next step")) + f" ({account.next_step_date.isoformat()})")
    for v in history:
        if v.status == "done" and v.next_step_date and v.next_step_date < today and v.next_step:
            label = f"{v.next_step} ({v.next_step_date.isoformat()})"
            if label not in overdue and (account.next_step_date is None or v.next_step_date > account.next_step_date):
                overdue.append(label)
    last_contact = next((v.planned_at.date() for v in history if v.status == "done"), None)
    implementing = []
    for d in every_deal:
        state = deals.phase_of(d, today, cadence)
        if state is not None and state.until is not None:
            implementing.append((d, state, follow_up_due(state, last_contact, cadence)))
    open_ids = [d.id for d in open_deals if d.status == "open"]
    return Brief(
        implementing=implementing,
        deal_contacts=deal_contacts.for_deals(open_ids),
        deal_risks=deal_health.worked_out(open_ids, risk_rules or RiskRules(), today),
        qualification=milestones.qualification(open_ids, process) if process is not None else {},
        account=account,
        today=today,
        class_code=info.code,
        class_from=derived.source_text(info, rules) if info.code or info.derived or info.score is not None else "",
        purchases=purchases,
        purchase_notes=notes,
        deals=open_deals,
        deal_progress=deal_progress,
        key_people=key_people,
        relationships=relationships.for_people([k.id for k in key_people]),
        person_details=details,
        warnings=coverage_warnings([p.facts() for p in everyone]),
        last_visits=[v for v in history if v.status == "done"][:3],
        next_visit=next_visit,
        next_checklist=checklist,
        objections=likely,
        overdue=overdue,
        plan=plans.load(account_id, today.year),
        due_actions=plans.due_actions(account_id, today, action_notice_days),
    )


def _rank(stats: TechniqueStats | None) -> tuple[float, int]:
    """Best-working first: share of successes, then how often it was tried."""
    if stats is None or not stats.used:
        return (0.0, 0)
    return (stats.worked / stats.used, stats.used)


def render_markdown(brief: Brief) -> str:
    a = brief.account
    lines = [
        "# " + labelled(_("Pre-call brief"), md(a.name)),
        "",
        "*" + _("Prepared {date}").format(date=brief.today.isoformat()) + "*",
        "",
    ]
    code = brief.class_code
    lines += ["## " + _("Account"), ""]
    lines.append(
        "- "
        + labelled("**" + _("Class") + "**", code or _("not rated"))
        + (f" — {md(strategy_for(code))}" if code else "")
        + (f" ({brief.class_from})" if brief.class_from else "")
    )
    tiers = {"top5": _("Top 5"), "middle5": _("Middle 5"), "new5": _("New 5")}
    if a.tier:
        lines.append("- " + labelled("**" + _("Tier") + "**", tiers.get(a.tier) or md(a.tier)))
    if a.owner:
        lines.append("- " + labelled("**" + _("Owner") + "**", md(a.owner)))
    if a.next_step:
        when = f" ({a.next_step_date.isoformat()})" if a.next_step_date else ""
        lines.append("- " + labelled("**" + _("Next step") + "**", md(a.next_step) + when))
    bought_so_far = brief.purchases
    if bought_so_far is not None:
        last_on, every = bought_so_far.last_on, bought_so_far.reorder_days
        if last_on is None:
            bought = _("never")
        else:
            bought = last_on.isoformat() + " (" + days_ago_text(last_on, brief.today) + ")"
            if every:
                bought += " · " + _("usually every {days} days").format(days=round(every))
        lines.append("- " + labelled("**" + _("Last purchase") + "**", bought))
    lines.append("")
    if brief.purchase_notes:
        lines += ["## " + _("Purchases"), ""] + [f"- ⚠ {note}" for note in brief.purchase_notes] + [""]
    if brief.overdue:
        lines += ["## " + _("Overdue"), ""] + [f"- ⚠ {md(item)}" for item in brief.overdue] + [""]

    lines += _plan_section(brief)

    lines += ["## " + _("Open deals"), ""]
    if brief.deals:
        for d in brief.deals:
            value = f" · {money.format_money(d.value, a.currency)}" if d.value else ""
            progress = brief.deal_progress.get(d.id)
            progress_text = " · " + _("milestones {progress}").format(progress=progress) if progress else ""
            lines.append(f"- **{md(d.title)}** — {stage_label(d.stage)}{progress_text}{value}")
            taking_part = brief.deal_contacts.get(d.id, [])
            if taking_part:
                who = ", ".join(
                    md(c.name) + (" ★" if c.primary else "") + (f" ({roles_text(c.roles)})" if c.roles else "")
                    for c in taking_part
                )
                lines.append("  - " + labelled(_("Contacts"), who))
            states = brief.qualification.get(d.id, ())
            if states:
                lines.append("  - " + labelled(_("Qualified"), md(qualification_line(states))))
            found = brief.deal_risks.get(d.id, ())
            if found:
                lines.append("  - ⚠ " + labelled(_("At risk"), " · ".join(risk_text(f) for f in found)))
        valued = [d for d in brief.deals if d.value]
        if len(valued) > 1:  # exact, and per currency (an account's deals share its currency)
            total = money.format_totals(money.totals((d.value, a.currency) for d in valued))
            lines.append("- " + labelled("**" + _("Total") + "**", total))
    else:
        lines.append("- " + _("No open deal."))
    lines.append("")

    if brief.implementing:
        lines += ["## " + _("After signing"), ""]
        for d, state, due in brief.implementing:
            since = _("since {date}").format(date=state.since.isoformat())
            lines.append(f"- **{md(d.title)}** — {phase_label(state.phase)} ({since}): {phase_hint(state.phase)}")
            if due is not None:
                text = _("next follow-up by {date}").format(date=due.isoformat())
                lines.append("  - " + (f"⚠ {text}" if due <= brief.today else text))
        lines.append("")

    lines += ["## " + _("People who matter"), ""]
    wanted = {c.person_id: c.objective for c in brief.plan.contacts} if brief.plan else {}
    if brief.key_people:
        for p in brief.key_people:
            marks = [f"L{p.influence}" if p.influence else "L?"]
            if p.is_coach:
                marks.append(_("coach"))
            marks.append(attitude_label(p.attitude))
            if p.buying_role:
                marks.append(role_label(p.buying_role))
            title = f", {md(p.title)}" if p.title else ""
            lines.append(f"- **{md(p.name)}**{title} — {', '.join(marks)}")
            detail = brief.person_details[p.id]
            for label, value in (
                (_("Pains"), detail.pains),
                (_("Interests"), detail.interests),
                (_("Our owner"), detail.owner or _("nobody yet")),
                (_("Last contact"), days_ago_text(detail.last_contacted, brief.today)),
                (_("This year we want"), wanted.get(p.id, "")),
            ):
                if value:
                    lines.append("  - " + labelled(label, md(value)))
            ours = brief.relationships.get(p.id, [])
            if ours:
                levels = "; ".join(
                    f"{md(r.staff)}: {level_label(r.level)} → {level_label(r.target)}"
                    + (" " + _("(gap {n})").format(n=r.gap) if r.gap else "")
                    for r in ours
                )
                lines.append("  - " + labelled(_("Our relationships"), levels))
    else:
        lines.append("- " + _("Nobody mapped at L1-L2, no coach, no opponent yet."))
    lines.append("")

    if brief.warnings:
        lines += ["## " + _("Coverage warnings"), ""] + [f"- ⚠ {md(w.text)}" for w in brief.warnings] + [""]

    lines += ["## " + _("Next visit"), ""]
    if brief.next_visit:
        v = brief.next_visit
        lines.append(
            f"- {v.planned_at:%Y-%m-%d %H:%M} · {kind_label(v.kind)}"
            + (f" · {md(v.deal_title)}" if v.deal_title else "")
        )
        if v.objective:
            lines.append("- " + labelled(_("Objective"), md(v.objective)))
        if brief.next_checklist:
            lines.append("- " + _("Milestones to settle:"))
            lines += [f"  - [ ] {md(item)}" for item in brief.next_checklist]
    else:
        lines.append("- " + _("No visit planned."))
    lines.append("")

    lines += ["## " + _("Last visits"), ""]
    if brief.last_visits:
        for v in brief.last_visits:
            nxt = f" → {md(v.next_step)}" if v.next_step else ""
            lines.append(
                "- " + labelled(f"{v.planned_at:%Y-%m-%d} · {kind_label(v.kind)}", md(v.outcome or v.objective)) + nxt
            )
    else:
        lines.append("- " + _("Never contacted."))
    lines.append("")

    if brief.objections:
        lines += ["## " + _("Objections likely at this stage"), ""]
        for objection, ranked in brief.objections:
            lines.append(f"- **{md(objection.title)}**")
            for technique, stats in ranked:
                evidence = (
                    " (" + _("worked {worked}/{used}").format(worked=stats.worked, used=stats.used) + ")"
                    if stats and stats.used
                    else ""
                )
                lines.append("  - " + labelled(md(technique.name) + evidence, md(technique.script)))
        lines.append("")
    return "\n".join(lines)


def _plan_section(brief: Brief) -> list[str]:
    """This year's 5+5+5 plan: the objective, how far the orders are against it to date,
    and the actions due (within a week, or overdue)."""
    view = brief.plan
    if view is None and not brief.due_actions:
        return []
    lines = ["## " + _("Plan {year}").format(year=brief.today.year), ""]
    if view is not None:
        plan, c = view.plan, view.plan.currency
        objective = money.format_money(plan.objective, c) + (f" — {md(plan.goal)}" if plan.goal else "")
        lines.append("- " + labelled("**" + _("Objective") + "**", objective))
        month = brief.today.month
        expected, actual = sum(view.months[:month]), sum(view.actual[:month])
        percent = f" ({actual * 100 // expected}%)" if expected else ""
        lines.append(
            "- "
            + labelled(
                "**" + _("To date") + "**",
                _("{actual} of {expected} expected").format(
                    actual=money.format_money(actual, c), expected=money.format_money(expected, c)
                )
                + percent,
            )
        )
    for action in brief.due_actions:
        owner = f", {md(action.owner)}" if action.owner else ""
        lines.append(
            f"- ⚠ {md(action.what)} ({action.due_on.isoformat()}{owner}) — {action_due_text(action.due_on, brief.today)}"
        )
    lines.append("")
    return lines
