"""Accounts and deals in a real SQLite file: what a rep saves is what they get back,
mistakes are refused with a message per field, and nothing half-saved is left behind."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.errors import ValidationError
from saletui.store import accounts, deals
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Account, Deal, Visit, database


def _count(table: str) -> int:
    return database.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _row(account_id: int):
    rows = {r.id: r for r in accounts.list_rows()}
    return rows[account_id]


# -- creating and editing accounts --------------------------------------------------


def test_a_rep_creates_an_account_and_finds_it_in_the_list(store):
    account = accounts.save(AccountDraft(name="Acme Steel", industry="Steel", region="East", owner="Li"))
    [row] = accounts.list_rows()
    assert (row.id, row.name, row.industry, row.region, row.owner) == (account.id, "Acme Steel", "Steel", "East", "Li")
    assert row.relationship == "prospect"
    assert row.archived is False
    assert row.stage is None and row.last_contact is None


def test_an_account_needs_a_name(store):
    with pytest.raises(ValidationError) as exc:
        accounts.save(AccountDraft(name="   ", industry="Steel"))
    assert set(exc.value.errors) == {"name"}
    assert _count("account") == 0


def test_two_active_accounts_cannot_share_a_name_whatever_the_case(store):
    accounts.save(AccountDraft(name="Acme Steel"))
    with pytest.raises(ValidationError) as exc:
        accounts.save(AccountDraft(name="ACME steel"))
    assert "name" in exc.value.errors
    assert _count("account") == 1


def test_renaming_an_account_to_its_own_name_in_another_case_is_fine(store):
    account = accounts.save(AccountDraft(name="Acme Steel"))
    accounts.save(AccountDraft(name="ACME Steel"), account_id=account.id)
    assert accounts.get(account.id).name == "ACME Steel"


def test_renaming_onto_another_active_account_is_refused(store):
    accounts.save(AccountDraft(name="Acme"))
    other = accounts.save(AccountDraft(name="Globex"))
    with pytest.raises(ValidationError) as exc:
        accounts.save(AccountDraft(name="acme"), account_id=other.id)
    assert "name" in exc.value.errors
    assert accounts.get(other.id).name == "Globex"


def test_an_archived_account_frees_its_name_for_a_new_one(store):
    old = accounts.save(AccountDraft(name="Acme"))
    accounts.archive(old.id)
    new = accounts.save(AccountDraft(name="acme"))
    assert new.id != old.id
    assert [r.id for r in accounts.list_rows()] == [new.id]


def test_restoring_an_archived_account_is_refused_when_its_name_was_taken_meanwhile(store):
    old = accounts.save(AccountDraft(name="Acme"))
    accounts.archive(old.id)
    accounts.save(AccountDraft(name="ACME"))
    with pytest.raises(ValidationError) as exc:
        accounts.restore(old.id)
    assert "name" in exc.value.errors
    assert accounts.get(old.id).archived_at is not None


def test_restoring_brings_an_archived_account_back_to_the_list(store):
    account = accounts.save(AccountDraft(name="Acme"))
    accounts.archive(account.id)
    accounts.restore(account.id)
    assert [r.id for r in accounts.list_rows()] == [account.id]
    assert accounts.list_rows(archived=True) == []


@pytest.mark.parametrize(
    "name", ["华为技术有限公司", "株式会社トヨタ", "Café 🚀 Rockets", "[bold]x[/]", "50% off [link=x]"]
)
def test_names_are_stored_exactly_as_typed(store, name):
    """CJK, emoji and text that looks like console markup come back verbatim."""
    account = accounts.save(AccountDraft(name=name, owner=name))
    assert accounts.get(account.id).name == name
    assert _row(account.id).name == name
    assert _row(account.id).owner == name


def test_a_ten_thousand_character_profile_note_round_trips(store):
    note = ("Ownership: state-owned since 1998.\n" + "市场增长，竞争激烈。" * 1_000)[:10_000]
    assert len(note) == 10_000
    account = accounts.save(AccountDraft(name="Acme", profile_notes=note))
    assert accounts.get(account.id).profile_notes == note
    assert AccountDraft.from_account(accounts.get(account.id)).profile_notes == note


def test_amounts_and_dates_typed_in_the_form_are_stored_typed(store):
    account = accounts.save(
        AccountDraft(name="Acme", market_capacity="3亿", excluded_capacity="1.2M", next_step_date="2026/3/1")
    )
    stored = accounts.get(account.id)
    assert stored.market_capacity == 300_000_000.0
    assert stored.excluded_capacity == 1_200_000.0
    assert stored.next_step_date == dt.date(2026, 3, 1)
    draft = AccountDraft.from_account(stored)
    assert (draft.market_capacity, draft.excluded_capacity, draft.next_step_date) == (
        "300,000,000",
        "1,200,000",
        "2026-03-01",
    )


def test_the_excluded_channels_cannot_exceed_the_total_market(store):
    with pytest.raises(ValidationError) as exc:
        accounts.save(AccountDraft(name="Acme", market_capacity="1M", excluded_capacity="2M"))
    assert "excluded_capacity" in exc.value.errors
    assert _count("account") == 0


def test_the_excluded_part_needs_a_total(store):
    with pytest.raises(ValidationError) as exc:
        accounts.save(AccountDraft(name="Acme", excluded_capacity="2M"))
    assert "market_capacity" in exc.value.errors


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(store):
    with pytest.raises(ValidationError) as exc:
        accounts.save(
            AccountDraft(
                name="Acme\x1b[2J",
                market_capacity="lots",
                next_step_date="2026-02-30",
                relationship="partner",
                tier="top10",
            )
        )
    assert set(exc.value.errors) == {"name", "market_capacity", "next_step_date", "relationship", "tier"}
    assert _count("account") == 0


def test_a_refused_edit_leaves_the_account_as_it_was(store):
    account = accounts.save(AccountDraft(name="Acme", industry="Steel"))
    with pytest.raises(ValidationError):
        accounts.save(AccountDraft(name="Acme", industry="Mining", market_capacity="lots"), account_id=account.id)
    assert accounts.get(account.id).industry == "Steel"


# -- the account list ----------------------------------------------------------------


def test_the_list_shows_each_accounts_class(store):
    customer = accounts.save(AccountDraft(name="A", relationship="customer", contribution="high", stability="low"))
    prospect = accounts.save(AccountDraft(name="B", relationship="prospect", expected_value="low", intent="high"))
    future = accounts.save(AccountDraft(name="C", relationship="future"))
    unrated = accounts.save(AccountDraft(name="D", relationship="customer", contribution="high"))
    assert _row(customer.id).class_code == "EII"
    assert _row(prospect.id).class_code == "PIII"
    assert _row(future.id).class_code == "F"
    assert _row(unrated.id).class_code == ""


def test_ratings_from_a_former_relationship_do_not_leak_into_the_class(store):
    """A prospect rated high/high that becomes a customer is not silently PI-as-customer."""
    account = accounts.save(AccountDraft(name="A", relationship="prospect", expected_value="high", intent="high"))
    accounts.save(
        AccountDraft(name="A", relationship="customer", expected_value="high", intent="high"), account_id=account.id
    )
    stored = accounts.get(account.id)
    assert (stored.expected_value, stored.intent) == (None, None)
    assert _row(account.id).class_code == ""


def test_the_stage_shown_is_the_most_advanced_open_deal(store):
    account = accounts.save(AccountDraft(name="Acme"))
    deals.save(account.id, DealDraft(title="Boilers", stage=2))
    deals.save(account.id, DealDraft(title="Pumps", stage=4))
    won = deals.save(account.id, DealDraft(title="Valves", stage=6))
    lost = deals.save(account.id, DealDraft(title="Pipes", stage=5))
    deals.close(won.id, "won", "Best price")
    deals.close(lost.id, "lost", "Competitor had local service")
    assert _row(account.id).stage == 4


def test_an_account_with_only_closed_deals_shows_no_stage(store):
    account = accounts.save(AccountDraft(name="Acme"))
    deal = deals.save(account.id, DealDraft(title="Boilers", stage=3))
    deals.close(deal.id, "won", "Signed")
    assert _row(account.id).stage is None


def test_last_contact_is_the_latest_visit_that_took_place(store):
    """Planned (future) and cancelled visits are not contacts."""
    account = accounts.save(AccountDraft(name="Acme"))
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 9, 1, 10, 0), status="done")
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 10, 15, 14, 30), status="done")
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 12, 1, 9, 0), status="planned")
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 11, 20, 9, 0), status="cancelled")
    assert _row(account.id).last_contact == dt.date(2026, 10, 15)


def test_an_account_with_only_planned_visits_was_never_contacted(store):
    account = accounts.save(AccountDraft(name="Acme"))
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 12, 1, 9, 0), status="planned")
    assert _row(account.id).last_contact is None


def test_the_next_step_shows_in_the_list(store):
    account = accounts.save(AccountDraft(name="Acme", next_step="Send the quote", next_step_date="2026-12-01"))
    row = _row(account.id)
    assert (row.next_step, row.next_step_date) == ("Send the quote", dt.date(2026, 12, 1))
    assert accounts.get_row(account.id) == row
    assert accounts.get_row(9999) is None


def test_archived_accounts_are_listed_only_when_asked_for(store):
    kept = accounts.save(AccountDraft(name="Kept"))
    gone = accounts.save(AccountDraft(name="Gone"))
    accounts.archive(gone.id)
    assert [r.id for r in accounts.list_rows()] == [kept.id]
    archived = accounts.list_rows(archived=True)
    assert [r.id for r in archived] == [gone.id]
    assert archived[0].archived is True


def test_archiving_keeps_the_accounts_deals_and_visits(store):
    account = accounts.save(AccountDraft(name="Acme"))
    deals.save(account.id, DealDraft(title="Boilers"))
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 9, 1), status="done")
    accounts.archive(account.id)
    assert _count("deal") == 1 and _count("visit") == 1


def test_owner_filter_offers_each_active_owner_once(store):
    accounts.save(AccountDraft(name="A", owner="Zhang"))
    accounts.save(AccountDraft(name="B", owner="Li"))
    accounts.save(AccountDraft(name="C", owner="Li"))
    accounts.save(AccountDraft(name="D", owner=""))
    gone = accounts.save(AccountDraft(name="E", owner="Wang"))
    accounts.archive(gone.id)
    assert accounts.owners() == ["Li", "Zhang"]


# -- deals ---------------------------------------------------------------------------


@pytest.fixture
def account_id(store) -> int:
    return accounts.save(AccountDraft(name="Acme")).id


def test_a_rep_adds_a_deal_and_moves_it_forward(account_id):
    deal = deals.save(account_id, DealDraft(title="Boiler retrofit", value="120万", expected_close="2027-03-31"))
    assert (deal.stage, deal.status, deal.value) == (1, "open", 1_200_000.0)
    deals.save(account_id, DealDraft(title="Boiler retrofit", value="1.5M", stage=3), deal_id=deal.id)
    stored = Deal.get_by_id(deal.id)
    assert (stored.stage, stored.value, stored.expected_close) == (3, 1_500_000.0, None)
    assert DealDraft.from_deal(stored) == DealDraft(title="Boiler retrofit", value="1,500,000", stage=3)


def test_a_deal_needs_a_title_and_a_real_stage(account_id):
    with pytest.raises(ValidationError) as exc:
        deals.save(account_id, DealDraft(title=" ", value="lots", stage=7))
    assert set(exc.value.errors) == {"title", "value", "stage"}
    assert _count("deal") == 0


def test_closing_a_deal_records_won_or_lost_and_why(account_id):
    deal = deals.save(account_id, DealDraft(title="Boilers"))
    closed = deals.close(deal.id, "lost", "  Competitor offered 90-day credit  ")
    stored = Deal.get_by_id(deal.id)
    assert (stored.status, stored.close_reason) == ("lost", "Competitor offered 90-day credit")
    assert stored.closed_at is not None
    assert closed.id == deal.id


def test_a_deal_cannot_be_closed_without_a_reason(account_id):
    """The win/loss review depends on the reason."""
    deal = deals.save(account_id, DealDraft(title="Boilers"))
    with pytest.raises(ValidationError) as exc:
        deals.close(deal.id, "won", "   ")
    assert set(exc.value.errors) == {"reason"}
    assert Deal.get_by_id(deal.id).status == "open"


def test_a_deal_is_closed_only_as_won_or_lost(account_id):
    deal = deals.save(account_id, DealDraft(title="Boilers"))
    with pytest.raises(ValidationError) as exc:
        deals.close(deal.id, "open", "changed my mind")
    assert set(exc.value.errors) == {"status"}
    with pytest.raises(ValidationError) as exc:
        deals.close(deal.id, "abandoned", "")
    assert set(exc.value.errors) == {"status", "reason"}
    assert Deal.get_by_id(deal.id).status == "open"


def test_reopening_a_deal_brings_it_back_to_its_stage(account_id):
    deal = deals.save(account_id, DealDraft(title="Boilers", stage=4))
    deals.close(deal.id, "lost", "Budget frozen")
    deals.reopen(deal.id)
    stored = Deal.get_by_id(deal.id)
    assert (stored.status, stored.closed_at, stored.stage) == ("open", None, 4)
    assert _row(account_id).stage == 4


def test_a_closed_deal_keeps_its_result_until_reopened(account_id):
    """Closing twice would overwrite the win/loss reason; reopening keeps it (one key must
    not lose the review's evidence) until the deal is closed again."""
    deal = deals.save(account_id, DealDraft(title="Boilers"))
    deals.close(deal.id, "won", "Coach backed us")
    with pytest.raises(ValidationError) as exc:
        deals.close(deal.id, "lost", "Changed story")
    assert set(exc.value.errors) == {"status"}
    assert Deal.get_by_id(deal.id).close_reason == "Coach backed us"
    deals.reopen(deal.id)
    assert Deal.get_by_id(deal.id).close_reason == "Coach backed us"
    deals.close(deal.id, "lost", "Budget moved to 2028")
    assert Deal.get_by_id(deal.id).close_reason == "Budget moved to 2028"


def test_deals_are_listed_open_first_most_advanced_first_then_closed_newest_first(account_id):
    early = deals.save(account_id, DealDraft(title="early", stage=1))
    late = deals.save(account_id, DealDraft(title="late", stage=5))
    lost_long_ago = deals.save(account_id, DealDraft(title="lost long ago", stage=5))
    won_last_week = deals.save(account_id, DealDraft(title="won last week", stage=2))
    deals.close(lost_long_ago.id, "lost", "Price")
    deals.close(won_last_week.id, "won", "Coach backed us")
    Deal.update(closed_at=dt.datetime(2025, 1, 10, 9, 0)).where(Deal.id == lost_long_ago.id).execute()
    Deal.update(closed_at=dt.datetime(2026, 11, 18, 9, 0)).where(Deal.id == won_last_week.id).execute()
    order = [d.title for d in deals.for_account(account_id)]
    assert order == ["late", "early", "won last week", "lost long ago"]
    assert {early.id, late.id} == {d.id for d in deals.for_account(account_id)[:2]}


def test_deals_of_other_accounts_are_not_listed(account_id):
    other = accounts.save(AccountDraft(name="Globex"))
    deals.save(other.id, DealDraft(title="theirs"))
    deals.save(account_id, DealDraft(title="ours"))
    assert [d.title for d in deals.for_account(account_id)] == ["ours"]
    assert Account.select().count() == 2
