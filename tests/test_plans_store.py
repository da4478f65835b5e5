"""The 5+5+5 plans: a year's objective spread over the months (refused, with the
difference, when the months do not add up), actions and contact objectives, and the
monthly review of the 15 that sets each plan's months against the orders placed."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.errors import StaleEditError, ValidationError
from saletui.method import plan as method
from saletui.store import accounts, orders, people, plans
from saletui.store.accounts import AccountDraft
from saletui.store.orders import LineValues
from saletui.store.people import PersonDraft
from saletui.store.plans import ActionDraft, ContactDraft, PlanDraft


def tiered(name: str, tier: str, currency: str = "CNY") -> int:
    return accounts.save(AccountDraft(name=name, relationship="customer", tier=tier, currency=currency)).id


def sell(account_id: int, day: str, amount: int, currency: str = "CNY") -> None:
    orders.upsert_lines(
        [LineValues(account_id, dt.date.fromisoformat(day), "Bearings", amount=amount, currency=currency)]
    )


def even(objective: str, currency: str = "CNY") -> PlanDraft:
    minor = plans.parse.amount(objective, currency)
    assert minor is not None
    months = [plans.parse.format_amount(m, currency) for m in method.even_split(minor, currency)]
    return PlanDraft(objective=objective, months=months)


def test_the_even_split_keeps_whole_yuan_and_adds_up_exactly():
    months = method.even_split(100_000_000, "CNY")  # CNY 1,000,000
    assert sum(months) == 100_000_000
    assert months[:4] == [8_333_400] * 4 and months[4:] == [8_333_300] * 8  # 83,334 then 83,333 yuan
    assert method.even_split(1_000_001, "CNY") == [83_334] * 5 + [83_333] * 7  # cents when the year has cents
    assert method.even_split(1_200_000, "JPY") == [100_000] * 12


def test_a_plan_is_saved_with_its_twelve_months(store):
    acme = tiered("Acme", "top5")
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    assert (plan.objective, plan.currency) == (120_000_000, "CNY")
    assert plans.months_of(plan.id) == [10_000_000] * 12


def test_a_split_that_does_not_add_up_is_refused_with_the_difference_and_nothing_is_written(store):
    acme = tiered("Acme", "top5")
    draft = even("1,200,000")
    draft.months[0] = "99,999"  # one yuan short in January
    with pytest.raises(ValidationError) as refused:
        plans.save_plan(acme, 2026, draft)
    message = refused.value.errors["months"]
    assert "CNY 1,199,999" in message and "CNY 1 less" in message and "CNY 1,200,000" in message
    assert plans.get(acme, 2026) is None
    draft.months[0] = "100,002"
    with pytest.raises(ValidationError) as refused:
        plans.save_plan(acme, 2026, draft)
    assert "CNY 2 more" in refused.value.errors["months"]


def test_the_refusal_is_in_chinese_too(store, monkeypatch):
    from saletui import i18n

    acme = tiered("Acme", "top5")
    i18n.set_language("zh_CN")
    try:
        draft = even("1,200,000")
        draft.months[11] = "0"
        with pytest.raises(ValidationError) as refused:
            plans.save_plan(acme, 2026, draft)
    finally:
        i18n.set_language("en")
    assert "少" in refused.value.errors["months"] and "CNY 100,000" in refused.value.errors["months"]


def test_a_plan_changed_meanwhile_is_not_overwritten(store):
    acme = tiered("Acme", "top5")
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    opened = plan.version
    plans.save_plan(acme, 2026, even("2.4M"), expected_version=opened)
    with pytest.raises(StaleEditError):
        plans.save_plan(acme, 2026, even("3.6M"), expected_version=opened)
    assert plans.get(acme, 2026).objective == 240_000_000
    assert sum(plans.months_of(plan.id)) == 240_000_000


def test_a_plan_made_in_another_window_meanwhile_is_not_overwritten_by_a_new_one(store):
    acme = tiered("Acme", "top5")
    plans.save_plan(acme, 2026, even("1.2M"))  # window B, while A's form was open on no plan
    with pytest.raises(StaleEditError) as stale:
        plans.save_plan(acme, 2026, even("2.4M"), expect_new=True)
    assert stale.value.current.objective == 120_000_000


def test_actions_are_dated_in_the_plans_year_and_cycle_through_their_statuses(store):
    acme = tiered("Acme", "top5")
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    with pytest.raises(ValidationError) as refused:
        plans.save_action(plan.id, ActionDraft(what="Plant visit", due_on="2027-01-10"))
    assert "2026" in refused.value.errors["due_on"]
    with pytest.raises(ValidationError) as refused:
        plans.save_action(plan.id, ActionDraft(what="", due_on=""))
    assert set(refused.value.errors) == {"what", "due_on"}
    visit = plans.save_action(plan.id, ActionDraft(what="Plant visit", owner="Li", due_on="2026-03-10"))
    plans.save_action(plan.id, ActionDraft(what="Quality audit", due_on="2026-02-01"))
    assert [a.what for a in plans.actions(plan.id)] == ["Quality audit", "Plant visit"]
    status = visit.status
    for expected in ("done", "dropped", "open"):
        status = plans.set_action_status(visit.id, plans.next_status(status)).status
        assert status == expected


def test_due_actions_are_those_open_within_a_week_or_overdue(store):
    acme = tiered("Acme", "top5")
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    for what, day, status in (
        ("overdue", "2026-11-20", "open"),
        ("in a week", "2026-12-08", "open"),
        ("in two weeks", "2026-12-15", "open"),
        ("done already", "2026-11-25", "done"),
    ):
        plans.save_action(plan.id, ActionDraft(what=what, due_on=day, status=status))
    due = plans.due_actions(acme, dt.date(2026, 12, 1))
    assert [d.what for d in due] == ["overdue", "in a week"]


def test_one_objective_per_contact_and_only_for_people_of_the_account(store):
    acme = tiered("Acme", "top5")
    other = tiered("Other", "new5")
    wang = people.save_person(acme, PersonDraft(name="Wang Lei")).person
    stranger = people.save_person(other, PersonDraft(name="Stranger")).person
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    plans.save_contact(plan.id, ContactDraft(wang.id, "Sponsor the pilot line"))
    with pytest.raises(ValidationError) as refused:
        plans.save_contact(plan.id, ContactDraft(wang.id, "Again"))
    assert "Wang Lei" in refused.value.errors["person_id"]
    with pytest.raises(ValidationError):
        plans.save_contact(plan.id, ContactDraft(stranger.id, "Not ours"))
    assert [(c.name, c.objective) for c in plans.contacts(plan.id)] == [("Wang Lei", "Sponsor the pilot line")]


def test_the_review_sets_expected_against_actual_from_the_order_lines(store):
    steady = tiered("Steady Ltd", "top5")
    lagging = tiered("华东精密", "middle5")
    dollars = tiered("Acme Inc", "new5", currency="USD")
    tiered("No Plan Co", "new5")
    accounts.save(AccountDraft(name="Not tiered", relationship="customer"))
    plans.save_plan(steady, 2026, even("1.2M"))  # 100,000 a month
    plans.save_plan(lagging, 2026, even("600,000"))  # 50,000 a month
    plans.save_plan(dollars, 2026, even("120,000", "USD"))  # 10,000 a month
    for month in range(1, 12):
        sell(steady, f"2026-{month:02}-15", 10_000_000)
    sell(lagging, "2026-03-01", 20_000_000)  # 200,000 by November: 550,000 expected
    sell(lagging, "2026-11-02", 1_000_000)
    sell(lagging, "2025-12-30", 50_000_000)  # last year: not this year's plan
    sell(dollars, "2026-11-20", 105_000_000, "USD")  # one big order catches up the year
    sell(dollars, "2026-10-20", 99_000_000)  # in CNY: not in the USD plan's actual

    review = plans.review(2026, 11)
    by_name = {line.name: line for line in review.lines}
    assert [line.name for line in review.lines] == ["Steady Ltd", "华东精密", "Acme Inc", "No Plan Co"]
    s, lag, usd, none = (by_name[n] for n in ("Steady Ltd", "华东精密", "Acme Inc", "No Plan Co"))
    assert (s.expected_month, s.actual_month, s.expected_ytd, s.actual_ytd) == (
        10_000_000,
        10_000_000,
        110_000_000,
        110_000_000,
    )
    assert not s.behind and s.percent_ytd == 100
    assert (lag.expected_ytd, lag.actual_ytd, lag.gap_ytd) == (55_000_000, 21_000_000, -34_000_000)
    assert lag.behind and lag.percent_ytd == 38
    assert (usd.currency, usd.expected_ytd, usd.actual_ytd) == ("USD", 11_000_000, 105_000_000)
    assert not usd.behind
    assert not none.has_plan and not none.behind and none.expected_ytd == 0
    assert review.behind == [lag]
    totals = {t.currency: t for t in review.totals()}
    assert set(totals) == {"CNY", "USD"}  # never added across currencies
    assert (totals["CNY"].expected_ytd, totals["CNY"].actual_ytd) == (165_000_000, 131_000_000)
    assert totals["CNY"].behind  # 79% of the expected to date


def test_how_far_behind_counts_is_a_threshold(store):
    acme = tiered("Acme", "top5")
    plans.save_plan(acme, 2026, even("1.2M"))
    sell(acme, "2026-01-10", 9_100_000)  # 91% of January's 100,000
    assert not plans.review(2026, 1).lines[0].behind  # within the default 10%
    assert plans.review(2026, 1, behind_percent=5).lines[0].behind
    assert method.is_behind(100, 89) and not method.is_behind(100, 90)


def test_an_action_due_puts_the_account_on_the_needs_attention_list_and_in_the_brief(store):
    from saletui.account_listing import AccountListing
    from saletui.method.attention import Reason, Thresholds, action_due_text
    from saletui.services import brief

    today = dt.date(2026, 12, 1)
    acme = tiered("Acme", "top5")
    wang = people.save_person(acme, PersonDraft(name="Wang Lei", influence="1")).person
    plan = plans.save_plan(acme, 2026, even("1.2M"))
    plans.save_contact(plan.id, ContactDraft(wang.id, "Sponsor the pilot line"))
    plans.save_action(plan.id, ActionDraft(what="Year-end review", owner="Li", due_on="2026-12-20"))

    def reasons() -> tuple[Reason, ...]:
        listing = AccountListing(today, Thresholds({"": 365}), accounts.list_rows())
        return listing.reasons[0]

    assert Reason.ACTION_DUE not in reasons()
    plans.save_action(plan.id, ActionDraft(what="Contract renewal", owner="Li", due_on="2026-12-04"))
    assert Reason.ACTION_DUE in reasons()
    assert accounts.get_row(acme).next_action_due == dt.date(2026, 12, 4)
    assert action_due_text(dt.date(2026, 12, 4), today) == "plan action due in 3 days"
    assert action_due_text(dt.date(2026, 11, 29), today) == "plan action overdue by 2 days"

    page = brief.render_markdown(brief.build(acme, today, []))
    assert "## Plan 2026" in page
    assert "Contract renewal (2026-12-04, Li) — plan action due in 3 days" in page
    assert "Year-end review" not in page
    assert "This year we want: Sponsor the pilot line" in page
    assert "CNY 1,200,000" in page


def test_a_team_database_reviews_one_reps_fifteen_at_a_time(store):
    for name, owner in (("Acme", "Li"), ("Globex", "Wang"), ("Initech", "Li")):
        account = accounts.save(AccountDraft(name=name, relationship="customer", tier="top5", owner=owner)).id
        plans.save_plan(account, 2026, even("1.2M"))
    assert plans.review_owners() == ["Li", "Wang"]
    assert [line.name for line in plans.review(2026, 11, owner="Li").lines] == ["Acme", "Initech"]
    assert len(plans.review(2026, 11).lines) == 3
