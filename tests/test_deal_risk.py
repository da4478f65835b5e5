"""Deal risk warnings: a rep's open deal is flagged when it goes quiet, stalls in its
stage, passes its close date, misses a key node, hangs on one person, has nobody who
decides or coaches, never met an L1-L2 person, or met a price objection nobody answered.
The store keeps each deal's risks with it and works them out again after every change."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.method.deal_risk import DealFacts, Finding, Risk, RiskRules, assess, decode, encode, risk_text
from saletui.method.deal_roles import ContactFacts
from saletui.store import accounts, deal_contacts, deal_health, deals, milestones, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Deal
from saletui.store.objection_log import RaisedObjection
from saletui.store.people import PersonDraft
from saletui.store.visits import Debrief, VisitPlan

TODAY = dt.date(2026, 11, 25)
RULES = RiskRules()
HEALTHY_CONTACTS = (
    ContactFacts(1, ("decision-maker",)),
    ContactFacts(2, ("technical-buyer",)),
    ContactFacts(3, ("user",), is_coach=True),
)


def healthy(**changes: object) -> DealFacts:
    values: dict[str, object] = {
        "stage": 3,
        "began_on": TODAY - dt.timedelta(days=20),
        "stage_on": TODAY - dt.timedelta(days=10),
        "expected_close": TODAY + dt.timedelta(days=30),
        "last_activity": TODAY - dt.timedelta(days=3),
        "contacts": HEALTHY_CONTACTS,
        "power_met": True,
    }
    values.update(changes)
    return DealFacts(**values)  # type: ignore[arg-type]


def risks(facts: DealFacts, rules: RiskRules = RULES) -> dict[Risk, int | None]:
    return {f.risk: f.figure for f in assess(facts, rules, TODAY)}


def test_a_well_run_deal_has_no_risk():
    assert assess(healthy(), RULES, TODAY) == ()


def test_each_risk_with_its_figure():
    # Proposal's norm is 45 days: 45 days in it is not yet over it...
    long_ago = TODAY - dt.timedelta(days=45)
    assert risks(healthy(began_on=long_ago, stage_on=long_ago, last_activity=long_ago)) == {Risk.NO_ACTIVITY: 45}
    assert risks(healthy(stage_on=TODAY - dt.timedelta(days=46)))[Risk.STALLED] == 46  # ...46 days is
    assert risks(healthy(expected_close=TODAY - dt.timedelta(days=12))) == {Risk.CLOSE_PASSED: 12}
    assert risks(healthy(key_nodes_overdue=1)) == {Risk.KEY_NODE_OVERDUE: 1}
    assert risks(healthy(power_met=False)) == {Risk.POWER_NOT_MET: None}
    assert risks(healthy(price_raised=True)) == {Risk.PRICE_UNANSWERED: None}
    assert risks(healthy(price_raised=True, price_answered=True)) == {}
    assert risks(healthy(contacts=HEALTHY_CONTACTS[:2])) == {Risk.FEW_CONTACTS: 2, Risk.NO_COACH: None}
    assert risks(healthy(contacts=HEALTHY_CONTACTS[1:2])) == {
        Risk.NO_POWER: None,
        Risk.SINGLE_THREADED: 1,
        Risk.NO_COACH: None,
    }


def test_no_activity_counts_from_the_latest_of_visit_start_and_stage():
    quiet = healthy(last_activity=None, began_on=TODAY - dt.timedelta(days=40), stage_on=TODAY - dt.timedelta(days=31))
    assert risks(quiet) == {Risk.NO_ACTIVITY: 31}


def test_the_settings_move_the_thresholds_and_switch_risks_off():
    rules = RiskRules(no_activity_days=60, min_contacts=2, stage_days={"proposal": 5}, ignore=frozenset({"no-coach"}))
    facts = healthy(last_activity=TODAY - dt.timedelta(days=45), contacts=HEALTHY_CONTACTS[:2])
    assert risks(facts, rules) == {Risk.STALLED: 10}
    assert rules.signature() != RULES.signature()


def test_the_settings_know_every_risk_by_its_key():
    from saletui.method.deal_risk import RISK_KEYS, RISKS

    assert tuple(r.value for r in RISKS) == RISK_KEYS


def test_stored_risks_read_back_and_unknown_ones_are_skipped():
    found = (Finding(Risk.NO_ACTIVITY, 45), Finding(Risk.NO_COACH))
    assert encode(found) == "no-activity:45,no-coach"
    assert decode("no-activity:45,no-coach,a-risk-of-tomorrow:3") == found
    assert risk_text(found[0]) == "no activity for 45 days"


# -- through the store ------------------------------------------------------------------


@pytest.fixture
def deal(store):
    account = accounts.save(AccountDraft(name="Acme", relationship="customer")).id
    ids = {
        "account": account,
        "ceo": people.save(account, PersonDraft(name="Wang Wei", influence="1")).id,
        "it": people.save(account, PersonDraft(name="Li Na", influence="3")).id,
        "buyer": people.save(account, PersonDraft(name="Zhao Lei", influence="4", is_coach=True)).id,
    }
    started = TODAY - dt.timedelta(days=10)
    ids["deal"] = deals.save(account, DealDraft(title="Line", stage=3), today=started).id
    Deal.update(created_at=dt.datetime.combine(started, dt.time(9))).where(Deal.id == ids["deal"]).execute()
    return ids


def stored(deal_id: int, rules: RiskRules = RULES, today: dt.date = TODAY) -> set[Risk]:
    """The deal's risks as the account list reads them (stored), checked against the ones
    its own views work out."""
    deal_health.refresh(rules, today)
    kept = {f.risk for f in decode(Deal.get_by_id(deal_id).risks)}
    assert kept == {f.risk for f in deal_health.worked_out([deal_id], rules, today)[deal_id]}
    return kept


def test_a_new_deal_lacks_people_and_each_fix_clears_its_risk_at_once(deal):
    assert stored(deal["deal"]) == {Risk.NO_POWER, Risk.SINGLE_THREADED, Risk.NO_COACH, Risk.POWER_NOT_MET}
    deal_contacts.set_roles(deal["deal"], deal["ceo"], ["decision-maker"])
    deal_contacts.set_roles(deal["deal"], deal["it"], ["technical-buyer"])
    assert stored(deal["deal"]) == {Risk.FEW_CONTACTS, Risk.NO_COACH, Risk.POWER_NOT_MET}
    deal_contacts.set_roles(deal["deal"], deal["buyer"], ["user"])  # the account's coach takes part
    assert stored(deal["deal"]) == {Risk.POWER_NOT_MET}
    # The CEO is met on a visit for the deal: the last risk goes.
    visit = visits.plan_visit(
        deal["account"],
        VisitPlan(
            planned_at="2026-11-24 10:00", deal_id=deal["deal"], purposes=["progress"], attendee_ids=[deal["ceo"]]
        ),
    )
    visits.record_outcome(visit.id, Debrief(outcome="Agreed the scope"), today=TODAY)
    assert stored(deal["deal"]) == set()


def test_a_price_objection_stays_a_risk_until_a_technique_worked(deal):
    visit = visits.plan_visit(
        deal["account"], VisitPlan(planned_at="2026-11-20 10:00", deal_id=deal["deal"], purposes=["progress"])
    )
    raised = RaisedObjection("too-expensive", "The price is too high", "break-down-price", "Break the price down")
    visits.record_outcome(visit.id, Debrief(outcome="Pushback", objections=[raised]), today=TODAY)
    assert Risk.PRICE_UNANSWERED in stored(deal["deal"])
    worked = RaisedObjection("too-expensive", "The price is too high", "break-down-price", "Break it down", True)
    visits.record_outcome(visit.id, Debrief(outcome="Pushback", objections=[worked]), today=TODAY)
    assert Risk.PRICE_UNANSWERED not in stored(deal["deal"])


def test_a_key_node_on_a_past_visit_not_reached_is_overdue(deal, store):
    from saletui.process.load import builtin_path, load_process

    milestones.ensure(deal["deal"], load_process(builtin_path("en")))
    key_node = next(m for m in milestones.for_deal(deal["deal"]) if m.key_node and m.stage == 3)
    visits.plan_visit(
        deal["account"],
        VisitPlan(
            planned_at="2026-11-20 10:00", deal_id=deal["deal"], purposes=["progress"], milestone_ids=[key_node.id]
        ),
    )
    assert Risk.KEY_NODE_OVERDUE in stored(deal["deal"])


def test_the_days_based_risks_move_with_the_calendar_without_any_write(deal):
    deals.save(deal["account"], DealDraft(title="Line", stage=3, expected_close="2026-11-30"), deal["deal"])
    assert Risk.CLOSE_PASSED not in stored(deal["deal"])
    later = stored(deal["deal"], today=TODAY + dt.timedelta(days=7))
    assert Risk.CLOSE_PASSED in later and Risk.NO_ACTIVITY not in later


def test_an_account_without_a_coach_is_told_so_once_by_its_coverage_warnings_not_per_deal(deal):
    people.toggle_coach(deal["buyer"])
    assert Risk.NO_COACH not in stored(deal["deal"])


def test_other_rules_work_every_risk_out_again(deal):
    assert Risk.NO_COACH in stored(deal["deal"])
    quiet = RiskRules(ignore=frozenset({"no-coach"}))
    assert Risk.NO_COACH not in stored(deal["deal"], quiet)


def test_the_account_list_counts_the_deals_at_risk(deal):
    deals.save(deal["account"], DealDraft(title="Spare parts", stage=2), today=TODAY)
    deal_health.refresh(RULES, TODAY)
    row = accounts.get_row(deal["account"])
    assert row is not None and row.deals_at_risk == 2
    Deal.update(status="lost", close_reason="price").where(Deal.id == deal["deal"]).execute()
    assert accounts.get_row(deal["account"]).deals_at_risk == 1  # a closed deal is not at risk


def test_an_edit_elsewhere_marks_the_stored_risks_stale(deal):
    deal_health.refresh(RULES, TODAY)
    assert Deal.get_by_id(deal["deal"]).risks_on == TODAY
    people.set_influence(deal["it"], 2)  # the account's people changed: "no L1-L2 met" may move
    assert Deal.get_by_id(deal["deal"]).risks_on is None
    version = Deal.get_by_id(deal["deal"]).version
    deal_health.refresh(RULES, TODAY)
    assert Deal.get_by_id(deal["deal"]).version == version  # a cache: forms open on the deal stay valid
