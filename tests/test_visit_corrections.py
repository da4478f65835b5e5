"""Correcting a recorded visit: who was met decides last contacts, nothing else is undone."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.errors import ValidationError
from saletui.store import accounts, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, Visit, VisitAttendee
from saletui.store.people import PersonDraft
from saletui.store.visits import Debrief, VisitPlan
from tests.conftest import TODAY, traced_statements


def met_on(account_id: int, day: dt.date, who: list[int]) -> Visit:
    visit = visits.plan_visit(account_id, VisitPlan(planned_at=f"{day} 10:00", purposes=["care"], attendee_ids=who))
    visits.record_outcome(visit.id, Debrief(outcome="met"), TODAY)
    return visit


@pytest.fixture
def northwind(store) -> tuple[int, int, int]:
    account = accounts.save(AccountDraft(name="Northwind"))
    anna = people.save(account.id, PersonDraft(name="Anna", influence="1"))
    ben = people.save(account.id, PersonDraft(name="Ben", influence="2"))
    return account.id, anna.id, ben.id


def last_contact(person_id: int) -> dt.date | None:
    return Person.get_by_id(person_id).last_contacted


def test_someone_removed_from_their_only_visit_is_never_contacted_again(northwind):
    account_id, anna, ben = northwind
    visit = met_on(account_id, TODAY, [anna])
    assert last_contact(anna) == TODAY
    visits.record_outcome(visit.id, Debrief(outcome="met", attendee_ids=[ben]), TODAY)
    assert (last_contact(anna), last_contact(ben)) == (None, TODAY)
    assert Account.get_by_id(account_id).warning_count == len(people.warnings_for(account_id))


def test_a_later_contact_typed_elsewhere_survives_a_correction(northwind):
    account_id, anna, _ben = northwind
    visit = met_on(account_id, TODAY - dt.timedelta(days=10), [anna])
    Person.update(last_contacted=TODAY - dt.timedelta(days=2)).where(Person.id == anna).execute()  # a call, typed in
    visits.record_outcome(visit.id, Debrief(outcome="met", attendee_ids=[]), TODAY)
    assert last_contact(anna) == TODAY - dt.timedelta(days=2)


def test_moving_a_visit_to_another_day_moves_the_contact_with_it(northwind):
    account_id, anna, _ben = northwind
    visit = met_on(account_id, TODAY - dt.timedelta(days=1), [anna])
    visits.record_outcome(visit.id, Debrief(outcome="met", happened_at=f"{TODAY - dt.timedelta(days=4)} 15:00"), TODAY)
    assert Visit.get_by_id(visit.id).planned_at == dt.datetime.combine(TODAY - dt.timedelta(days=4), dt.time(15))
    assert last_contact(anna) == TODAY - dt.timedelta(days=4)


def test_a_correction_that_keeps_the_next_step_does_not_undo_a_later_visits(northwind):
    account_id, _anna, _ben = northwind
    first = visits.plan_visit(account_id, VisitPlan(planned_at=f"{TODAY} 09:00", purposes=["care"]))
    visits.record_outcome(first.id, Debrief(outcome="ok", next_step="Send the offer"), TODAY)
    later = visits.plan_visit(account_id, VisitPlan(planned_at=f"{TODAY} 16:00", purposes=["care"]))
    visits.record_outcome(later.id, Debrief(outcome="ok", next_step="Book the demo"), TODAY)
    visits.record_outcome(first.id, Debrief(outcome="ok, typo fixed", next_step="Send the offer"), TODAY)
    assert Account.get_by_id(account_id).next_step == "Book the demo"
    visits.record_outcome(first.id, Debrief(outcome="ok", next_step="Send the revised offer"), TODAY)
    assert Account.get_by_id(account_id).next_step == "Send the revised offer"


def test_a_stranger_or_a_bad_date_is_refused_and_nothing_changes(northwind):
    account_id, anna, _ben = northwind
    other = accounts.save(AccountDraft(name="Elsewhere"))
    stranger = people.save(other.id, PersonDraft(name="Zed"))
    visit = met_on(account_id, TODAY, [anna])
    with pytest.raises(ValidationError) as refused:
        visits.record_outcome(visit.id, Debrief(outcome="changed", attendee_ids=[stranger.id]), TODAY)
    assert "attendee_ids" in refused.value.errors
    with pytest.raises(ValidationError) as refused:
        visits.record_outcome(visit.id, Debrief(outcome="changed", happened_at="last friday"), TODAY)
    assert "happened_at" in refused.value.errors
    assert Visit.get_by_id(visit.id).outcome == "met"
    assert [a.person_id for a in VisitAttendee.select()] == [anna]


def test_a_correction_is_one_transaction(northwind):
    account_id, anna, ben = northwind
    visit = met_on(account_id, TODAY, [anna])
    with traced_statements() as seen:
        visits.record_outcome(visit.id, Debrief(outcome="met", attendee_ids=[anna, ben]), TODAY)
    assert seen.transactions == 1


def test_objections_kept_through_a_correction_keep_when_they_were_recorded(northwind):
    from saletui.store.models import VisitObjection
    from saletui.store.objection_log import RaisedObjection

    account_id, _anna, _ben = northwind
    visit = visits.plan_visit(account_id, VisitPlan(planned_at=f"{TODAY} 09:00", purposes=["care"]))
    raised = [RaisedObjection("too-expensive", "Too expensive", "value", "Show the value", True, "nodded")]
    visits.record_outcome(visit.id, Debrief(outcome="ok", objections=raised), TODAY)
    first = dt.datetime(2026, 11, 25, 11, 0)
    VisitObjection.update(created_at=first).execute()
    visits.record_outcome(visit.id, Debrief(outcome="ok, corrected", objections=raised), TODAY)
    kept = VisitObjection.get()
    assert (kept.created_at, kept.note, kept.worked) == (first, "nodded", True)
