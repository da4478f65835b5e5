"""A deal's milestone list as the store reads it: which visit is planned to answer each one."""

from __future__ import annotations

import pytest

from saletui.process.load import builtin_path, load_process
from saletui.store import accounts, deals, milestones, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.visits import VisitPlan


@pytest.fixture
def deal(store) -> int:
    account = accounts.save(AccountDraft(name="Acme Steel", owner="Sarah")).id
    return deals.save(account, DealDraft(title="MES upgrade", stage=1), process=load_process(builtin_path("en"))).id


def plan(deal_id: int, when: str, milestone_ids: list[int]) -> int:
    account = deals.get(deal_id).account_id
    return visits.plan_visit(
        account, VisitPlan(planned_at=when, deal_id=deal_id, purposes=["progress"], milestone_ids=milestone_ids)
    ).id


def test_a_milestone_on_two_planned_visits_shows_the_earlier_one(deal):
    first, second = (m.id for m in milestones.for_deal(deal)[:2])
    later = plan(deal, "2026-12-20 10:00", [first, second])  # planned first, for later
    sooner = plan(deal, "2026-12-05 09:00", [first])  # planned second, for sooner

    rows = {m.id: m for m in milestones.for_deal(deal)}
    assert (rows[first].planned_visit_id, str(rows[first].planned_on)) == (sooner, "2026-12-05")
    assert (rows[second].planned_visit_id, str(rows[second].planned_on)) == (later, "2026-12-20")
    assert milestones.get_row(first).planned_visit_id == sooner


def test_a_cancelled_visit_no_longer_plans_its_milestones(deal):
    first = milestones.for_deal(deal)[0].id
    visit = plan(deal, "2026-12-05 09:00", [first])
    visits.cancel(visit)
    row = milestones.get_row(first)
    assert (row.planned_visit_id, row.planned_on) == (None, None)
