"""Visits (and calls, e-mails, meetings): the plan with its checklist, then the debrief
that records which milestones were reached and updates last-contact dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.milestones import KINDS, PURPOSES, REACHED, MilestoneState, advance_to, next_open
from saletui.store import parse
from saletui.store.milestones import MilestoneRow, for_deal
from saletui.store.models import Account, Deal, Milestone, Person, Visit, VisitAttendee, VisitItem, database, now
from saletui.store.objection_log import RaisedObjection, save_for_visit
from saletui.store.objection_log import for_visit as objections_for_visit
from saletui.store.parse import FieldError, stored_date
from saletui.store.people import refresh_warning_count

# The plan's free-text fields: what the objective says (for what, who, how, when, why),
# what we give and learn, and the commitment asked for. The visit form reads the same list.
PLAN_TEXT = (
    "objective",
    "objective_who",
    "objective_how",
    "objective_when",
    "objective_why",
    "give",
    "learn",
    "ask_best",
    "ask_minimum",
)


@dataclass
class VisitPlan:
    """A visit as planned in the form."""

    planned_at: str = ""
    kind: str = "visit"
    deal_id: int | None = None
    purposes: list[str] = field(default_factory=list)
    attendee_ids: list[int] = field(default_factory=list)
    milestone_ids: list[int] = field(default_factory=list)  # the checklist, in order
    objective: str = ""
    objective_who: str = ""
    objective_how: str = ""
    objective_when: str = ""
    objective_why: str = ""
    give: str = ""
    learn: str = ""
    ask_best: str = ""
    ask_minimum: str = ""

    @classmethod
    def from_visit(cls, visit: Visit) -> VisitPlan:
        return cls(
            planned_at=visit.planned_at.strftime("%Y-%m-%d %H:%M"),
            kind=visit.kind,
            deal_id=visit.deal_id,
            purposes=[p for p in visit.purposes.split(",") if p],
            attendee_ids=[a.person_id for a in VisitAttendee.select().where(VisitAttendee.visit == visit.id)],
            milestone_ids=[
                i.milestone_id
                for i in VisitItem.select().where(VisitItem.visit == visit.id).order_by(VisitItem.position)
            ],
            **{name: getattr(visit, name) for name in PLAN_TEXT},
        )


@dataclass
class Debrief:
    """What the rep records after the visit."""

    results: dict[int, tuple[bool, str]] = field(default_factory=dict)  # milestone id -> (reached, note)
    outcome: str = ""
    commitment: str = ""
    debrief: str = ""
    next_step: str = ""
    next_step_date: str = ""
    objections: list[RaisedObjection] = field(default_factory=list)  # raised on the visit
    attendee_ids: list[int] | None = None  # who was met; None keeps the planned attendees
    happened_at: str = ""  # when it took place; "" keeps the planned time


@dataclass(slots=True)
class VisitRow:
    id: int
    planned_at: dt.datetime
    kind: str
    status: str
    deal_title: str
    purposes: str
    objective: str
    outcome: str
    next_step: str
    next_step_date: dt.date | None
    reached: int
    checklist: int


def _clean_plan(account_id: int, plan: VisitPlan) -> dict[str, object]:
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    try:
        out["planned_at"] = parse.moment(plan.planned_at)
        if out["planned_at"] is None:
            errors["planned_at"] = _("When? Give a date (and a time).")
    except FieldError as exc:
        errors["planned_at"] = str(exc)
    if plan.kind not in KINDS:
        errors["kind"] = _("Choose visit, call, e-mail or meeting.")
    out["kind"] = plan.kind
    bad = [p for p in plan.purposes if p not in PURPOSES]
    if bad or not plan.purposes:
        errors["purposes"] = _("Choose at least one purpose: care, information, deal progress, service, intelligence.")
    out["purposes"] = ",".join(p for p in PURPOSES if p in plan.purposes)
    for name in PLAN_TEXT:
        try:
            out[name] = parse.text(getattr(plan, name), max_len=5_000)
        except FieldError as exc:
            errors[name] = str(exc)
    if plan.deal_id is not None:
        deal = Deal.get_or_none(Deal.id == plan.deal_id)
        if deal is None or deal.account_id != account_id:
            errors["deal_id"] = _("The deal must belong to this account.")
    out["deal"] = plan.deal_id
    people = {p.id for p in Person.select(Person.id).where(Person.account == account_id)}
    if any(pid not in people for pid in plan.attendee_ids):
        errors["attendee_ids"] = _("Attendees must be people of this account.")
    if plan.milestone_ids:
        owned = (
            {m.id for m in Milestone.select(Milestone.id).where(Milestone.deal == plan.deal_id)}
            if plan.deal_id is not None
            else set()
        )
        if any(mid not in owned for mid in plan.milestone_ids):
            errors["milestone_ids"] = _("Checklist items must be milestones of the chosen deal.")
    if errors:
        raise ValidationError(errors)
    return out


def plan_visit(
    account_id: int, plan: VisitPlan, visit_id: int | None = None, expected_version: int | None = None
) -> Visit:
    """Create or re-plan a visit with its attendees and checklist, in one transaction.

    With `expected_version` (the version the form read) a re-plan is refused with
    StaleEditError when someone saved the visit meanwhile; nothing is written then."""
    with database.atomic():
        values = _clean_plan(account_id, plan)
        if visit_id is None:
            visit = Visit.create(account=account_id, status="planned", **values)
        else:
            visit = Visit.get_by_id(visit_id)
            if visit.status != "planned":
                raise ValidationError({"planned_at": _("This visit is already recorded; its plan is closed.")})
            for key, value in values.items():
                setattr(visit, key, value)
            visit.updated_at = now()
            visit.save(expected_version=expected_version)
            VisitAttendee.delete().where(VisitAttendee.visit == visit.id).execute()
            VisitItem.delete().where(VisitItem.visit == visit.id).execute()
        if plan.attendee_ids:
            VisitAttendee.insert_many(
                [{"visit": visit.id, "person": pid} for pid in dict.fromkeys(plan.attendee_ids)]
            ).execute()
        if plan.milestone_ids:
            VisitItem.insert_many(
                [
                    {"visit": visit.id, "milestone": mid, "position": i}
                    for i, mid in enumerate(dict.fromkeys(plan.milestone_ids))
                ]
            ).execute()
        return visit


@dataclass(frozen=True)
class Completion:
    """What recording a visit changed, for the UI to follow up on."""

    reached: list[MilestoneRow]
    offer_stage: int | None  # a key node was reached: offer to advance the deal to this stage


def contact_day(planned_at: dt.datetime, today: dt.date) -> dt.date:
    """The day a done visit counts as a contact: recorded ahead of its planned day, the
    contact happened today, not in the future."""
    return min(planned_at.date(), today)


def _settle_contacts(person_ids: set[int], old_day: dt.date | None, today: dt.date) -> None:
    """Each person's last contact follows the done visits they attended, after a visit was
    recorded or corrected (inside its transaction). A date that this visit had set before
    (`old_day`) is recomputed from the person's latest done visit (None if there is none
    left); a later date from elsewhere (typed, imported) is kept."""
    if not person_ids:
        return
    ids = sorted(person_ids)
    cursor = database.execute_sql(
        "SELECT a.person_id, MAX(v.planned_at) FROM visitattendee a JOIN visit v ON v.id = a.visit_id "
        f"WHERE v.status = 'done' AND a.person_id IN ({', '.join('?' * len(ids))}) GROUP BY a.person_id",
        ids,
    )
    latest: dict[int, object] = {row[0]: row[1] for row in cursor.fetchall()}
    for person in Person.select(Person.id, Person.last_contacted).where(Person.id.in_(list(person_ids))):
        seen = stored_date(latest.get(person.id))  # MAX() may come back as text
        met = min(seen, today) if seen is not None else None
        current = person.last_contacted
        follows = current is None or current == old_day or (met is not None and met > current)
        if follows and met != current:
            Person.update(last_contacted=met).where(Person.id == person.id).execute()


def record_outcome(
    visit_id: int, debrief: Debrief, today: dt.date | None = None, expected_version: int | None = None
) -> Completion:
    """Record a visit, or correct its record: tick its checklist, store the debrief, who was
    met and when, move last-contact dates and the account's next step, all in one transaction.

    With `expected_version` (the version the form read) it is refused with StaleEditError
    when someone saved the visit meanwhile (recorded or corrected it); nothing is written."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    try:
        happened = parse.moment(debrief.happened_at)
        if happened is not None:
            values["planned_at"] = happened
    except FieldError as exc:
        errors["happened_at"] = str(exc)
    for name in ("outcome", "commitment", "debrief"):
        try:
            values[name] = parse.text(getattr(debrief, name), max_len=20_000)
        except FieldError as exc:
            errors[name] = str(exc)
    next_step = ""  # typed copies of two values: the account takes them too
    next_step_date: dt.date | None = None
    try:
        values["next_step"] = next_step = parse.text(debrief.next_step, max_len=1_000, single_line=True)
    except FieldError as exc:
        errors["next_step"] = str(exc)
    try:
        values["next_step_date"] = next_step_date = parse.date(debrief.next_step_date)
    except FieldError as exc:
        errors["next_step_date"] = str(exc)
    notes: dict[int, str] = {}
    for mid, (_reached, note) in debrief.results.items():
        try:
            notes[mid] = parse.text(note, max_len=2_000, single_line=True)
        except FieldError as exc:
            errors[f"note-{mid}"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        visit = Visit.get_by_id(visit_id)
        if visit.status == "cancelled":
            raise ValidationError({"outcome": _("This visit was cancelled.")})
        if debrief.attendee_ids is not None:
            own = {p.id for p in Person.select(Person.id).where(Person.account == visit.account_id)}
            if any(pid not in own for pid in debrief.attendee_ids):
                raise ValidationError({"attendee_ids": _("Attendees must be people of this account.")})
        correcting = visit.status == "done"
        old_day = contact_day(visit.planned_at, today) if correcting else None
        old_next = (visit.next_step, visit.next_step_date)
        old_attendees = {a.person_id for a in VisitAttendee.select().where(VisitAttendee.visit == visit_id)}
        day = contact_day(values.get("planned_at", visit.planned_at), today)  # type: ignore[arg-type]
        reached_ids = []
        for item in VisitItem.select().where(VisitItem.visit == visit_id):
            reached, _note = debrief.results.get(item.milestone_id, (False, ""))
            item.result = "reached" if reached else "not_reached"
            item.note = notes.get(item.milestone_id, "")
            item.save()
            if not reached:  # unticked when re-recording: undo what this visit had reached
                Milestone.update(status="open", reached_visit=None, reached_on=None, updated_at=now()).where(
                    (Milestone.id == item.milestone_id) & (Milestone.reached_visit == visit_id)
                ).execute()
            if reached:
                reached_ids.append(item.milestone_id)
                Milestone.update(status=REACHED, reached_visit=visit_id, reached_on=day, updated_at=now()).where(
                    Milestone.id == item.milestone_id
                ).execute()
        for key, value in values.items():
            setattr(visit, key, value)
        visit.status, visit.updated_at = "done", now()
        visit.save(expected_version=expected_version)
        save_for_visit(visit_id, debrief.objections)
        account = Account.get_by_id(visit.account_id)
        # A correction that leaves the next step as it was does not undo a later visit's.
        if (next_step or next_step_date) and (not correcting or (next_step, next_step_date) != old_next):
            account.next_step, account.next_step_date = next_step, next_step_date
            account.updated_at = now()
            account.save()
        attendees = old_attendees
        if debrief.attendee_ids is not None:
            attendees = set(debrief.attendee_ids)
            VisitAttendee.delete().where(VisitAttendee.visit == visit_id).execute()
            if attendees:
                VisitAttendee.insert_many(
                    [{"visit": visit_id, "person": pid} for pid in dict.fromkeys(debrief.attendee_ids)]
                ).execute()
        if attendees | old_attendees:
            _settle_contacts(attendees | old_attendees, old_day, today)
            refresh_warning_count(visit.account_id)
        reached_rows = [r for r in for_deal(visit.deal_id) if r.id in reached_ids] if visit.deal_id else []
        offer = None
        if visit.deal_id is not None:
            deal = Deal.get_by_id(visit.deal_id)
            if deal.status == "open":
                offer = advance_to(deal.stage, [r.state() for r in reached_rows])
        return Completion(reached_rows, offer)


def cancel(visit_id: int) -> None:
    with database.atomic():
        Visit.update(status="cancelled", updated_at=now()).where(
            (Visit.id == visit_id) & (Visit.status == "planned")
        ).execute()


def for_account(account_id: int) -> list[VisitRow]:
    """Visit history, newest first, with how much of each checklist was reached."""
    cursor = database.execute_sql(
        """
        SELECT v.id, v.planned_at, v.kind, v.status, COALESCE(d.title, ''), v.purposes, v.objective,
               v.outcome, v.next_step, v.next_step_date,
               (SELECT COUNT(*) FROM visititem i WHERE i.visit_id = v.id AND i.result = 'reached'),
               (SELECT COUNT(*) FROM visititem i WHERE i.visit_id = v.id)
        FROM visit v LEFT JOIN deal d ON d.id = v.deal_id
        WHERE v.account_id = ? ORDER BY v.planned_at DESC, v.id DESC
        """,
        (account_id,),
    )
    rows = []
    for r in cursor.fetchall():
        planned = r[1] if isinstance(r[1], dt.datetime) else dt.datetime.fromisoformat(str(r[1]))
        nsd = r[9] if isinstance(r[9], dt.date) or r[9] is None else dt.date.fromisoformat(str(r[9])[:10])
        rows.append(VisitRow(r[0], planned, r[2], r[3], r[4], r[5], r[6], r[7], r[8], nsd, r[10], r[11]))
    return rows


def get(visit_id: int) -> Visit:
    return Visit.get_by_id(visit_id)


def attendee_ids(visit_id: int) -> list[int]:
    return [a.person_id for a in VisitAttendee.select().where(VisitAttendee.visit == visit_id)]


@dataclass(frozen=True)
class VisitRecord:
    """Everything known of one visit, for reading it back."""

    visit: Visit
    deal_title: str
    attendees: list[tuple[str, str]]  # (name, title), as the org chart orders them
    checklist: list[tuple[VisitItem, Milestone]]
    objections: list[RaisedObjection]


def record(visit_id: int) -> VisitRecord:
    visit = Visit.get_by_id(visit_id)
    deal = Deal.get_or_none(Deal.id == visit.deal_id) if visit.deal_id is not None else None
    met = (
        Person.select(Person.name, Person.title)
        .join(VisitAttendee, on=VisitAttendee.person == Person.id)
        .where(VisitAttendee.visit == visit_id)
        .order_by(Person.influence.is_null(), Person.influence, Person.name)
    )
    return VisitRecord(
        visit,
        deal.title if deal else "",
        [(p.name, p.title) for p in met],
        checklist(visit_id),
        objections_for_visit(visit_id),
    )


def checklist(visit_id: int) -> list[tuple[VisitItem, Milestone]]:
    query = (
        VisitItem.select(VisitItem, Milestone)
        .join(Milestone)
        .where(VisitItem.visit == visit_id)
        .order_by(VisitItem.position)
    )
    return [(item, item.milestone) for item in query]


def proposed_checklist(deal_id: int, visit_id: int | None = None, count: int = 3) -> list[int]:
    """The next open milestones in order, for a new plan's pre-selection."""
    states: list[MilestoneState] = [r.state() for r in for_deal(deal_id)]
    return [m.id for m in next_open(states, count, for_visit=visit_id)]


def set_deal_stage(deal_id: int, stage: int, today: dt.date | None = None) -> None:
    """Advance a deal to `stage`, reached on `today`."""
    with database.atomic():
        Deal.update(stage=stage, stage_on=today or dt.date.today(), updated_at=now()).where(
            (Deal.id == deal_id) & (Deal.stage != stage)
        ).execute()
