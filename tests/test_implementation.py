"""After signing: a won deal goes through "new toy", learning and effectiveness, each for
its days, the rep following up closest in learning; the rep can move the phase on by hand,
and the account needs attention when a follow-up is due."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.account_listing import AccountListing
from saletui.errors import ValidationError
from saletui.method.attention import DEFAULT_CONTACT_DAYS, Reason, Thresholds
from saletui.method.implementation import (
    Cadence,
    Phase,
    PhaseRule,
    account_follow_up,
    current_phase,
    follow_up_due,
    parse_implementations,
)
from saletui.store import accounts, deals
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Visit

WON = dt.date(2026, 9, 1)
CADENCE = Cadence()  # new toy 14 days (follow up every 7), learning 60 (every 3), effectiveness 90 (every 30)


def day(n: int) -> dt.date:
    return WON + dt.timedelta(days=n)


# -- the rules, on plain data ---------------------------------------------------------


@pytest.mark.parametrize(
    ("days_after_win", "phase", "since", "until"),
    [
        (0, Phase.NEW_TOY, 0, 14),
        (13, Phase.NEW_TOY, 0, 14),
        (14, Phase.LEARNING, 14, 74),
        (73, Phase.LEARNING, 14, 74),
        (74, Phase.EFFECTIVENESS, 74, 164),
        (164, Phase.DONE, 164, None),
        (900, Phase.DONE, 164, None),
    ],
)
def test_the_phase_moves_on_by_the_clock_from_the_won_date(days_after_win, phase, since, until):
    state = current_phase("new_toy", WON, day(days_after_win), CADENCE)
    assert state.phase is phase
    assert state.since == day(since)
    assert state.until == (day(until) if until is not None else None)


def test_a_phase_set_by_the_rep_counts_its_days_from_that_day():
    """Seen struggling on day 5: learning from day 5, effectiveness 60 days later."""
    assert current_phase("learning", day(5), day(30), CADENCE).phase is Phase.LEARNING
    assert current_phase("learning", day(5), day(65), CADENCE).phase is Phase.EFFECTIVENESS
    assert current_phase("effectiveness", day(20), day(21), CADENCE).phase is Phase.EFFECTIVENESS
    assert current_phase("done", day(20), day(21), CADENCE).phase is Phase.DONE


def test_the_follow_up_is_due_after_the_phases_gap_from_the_last_contact_or_the_phase_start():
    new_toy = current_phase("new_toy", WON, day(3), CADENCE)
    assert follow_up_due(new_toy, None, CADENCE) == day(7)  # nobody called since signing
    assert follow_up_due(new_toy, day(2), CADENCE) == day(9)
    assert follow_up_due(new_toy, WON - dt.timedelta(days=30), CADENCE) == day(7)  # a contact before the win
    learning = current_phase("new_toy", WON, day(20), CADENCE)
    assert follow_up_due(learning, day(16), CADENCE) == day(19)  # every 3 days in learning
    assert follow_up_due(learning, day(10), CADENCE) == day(17)  # learning began on day 14
    done = current_phase("new_toy", WON, day(200), CADENCE)
    assert follow_up_due(done, None, CADENCE) is None


def test_learning_is_followed_closer_than_the_other_phases_by_default():
    gaps = {p: CADENCE.rule(p).follow_up for p in (Phase.NEW_TOY, Phase.LEARNING, Phase.EFFECTIVENESS)}
    assert min(gaps, key=gaps.__getitem__) is Phase.LEARNING


def test_an_account_is_reminded_of_its_most_urgent_due_follow_up_only_when_due():
    today = day(20)  # learning since day 14
    assert account_follow_up([("new_toy", WON)], day(19), today, CADENCE) is None  # called yesterday
    due = account_follow_up([("new_toy", WON), ("effectiveness", day(15))], day(15), today, CADENCE)
    assert due is not None and due.phase is Phase.LEARNING and due.due == day(18)
    custom = Cadence(learning=PhaseRule(lasts=60, follow_up=1))
    assert account_follow_up([("new_toy", WON)], day(19), today, custom) is not None


def test_the_list_query_packing_is_read_back_and_a_broken_item_skipped():
    assert parse_implementations("learning@2026-09-15,new_toy@2026-10-01") == [
        ("learning", dt.date(2026, 9, 15)),
        ("new_toy", dt.date(2026, 10, 1)),
    ]
    assert parse_implementations("learning@soon,") == []
    assert parse_implementations(None) == []


# -- in the store ------------------------------------------------------------------------


def won_deal(title: str = "Boilers", on: dt.date = WON) -> tuple[int, int]:
    account = accounts.save(AccountDraft(name=f"Acme {title}", relationship="customer"))
    deal = deals.save(account.id, DealDraft(title=title, stage=5))
    deals.close(deal.id, "won", "Best service", today=on)
    return account.id, deal.id


def test_winning_a_deal_starts_its_implementation_at_new_toy_on_the_won_date(store):
    _account, deal_id = won_deal()
    deal = deals.get(deal_id)
    assert (deal.phase, deal.phase_on) == ("new_toy", WON)
    state = deals.phase_of(deal, day(20), CADENCE)
    assert state is not None and state.phase is Phase.LEARNING


def test_a_lost_or_reopened_deal_has_no_phase(store):
    account = accounts.save(AccountDraft(name="Acme"))
    lost = deals.save(account.id, DealDraft(title="Pipes", stage=3))
    deals.close(lost.id, "lost", "Price", today=WON)
    assert deals.get(lost.id).phase == ""
    assert deals.phase_of(deals.get(lost.id), WON, CADENCE) is None
    _account, deal_id = won_deal("Valves")
    deals.reopen(deal_id)
    reopened = deals.get(deal_id)
    assert (reopened.phase, reopened.phase_on) == ("", None)
    assert deals.phase_of(reopened, WON, CADENCE) is None


def test_the_rep_sets_the_phase_and_the_clock_counts_from_that_day(store):
    _account, deal_id = won_deal()
    version = deals.get(deal_id).version
    deals.set_phase(deal_id, "effectiveness", day(30))
    deal = deals.get(deal_id)
    assert (deal.phase, deal.phase_on, deal.version) == ("effectiveness", day(30), version + 1)
    state = deals.phase_of(deal, day(40), CADENCE)
    assert state is not None and state.phase is Phase.EFFECTIVENESS and state.since == day(30)


def test_a_phase_is_refused_for_an_open_deal_and_an_unknown_phase_writes_nothing(store):
    account = accounts.save(AccountDraft(name="Acme"))
    open_deal = deals.save(account.id, DealDraft(title="Pumps", stage=2))
    with pytest.raises(ValidationError) as refused:
        deals.set_phase(open_deal.id, "learning", WON)
    assert "won" in refused.value.errors["phase"]
    _account, deal_id = won_deal()
    with pytest.raises(ValidationError):
        deals.set_phase(deal_id, "honeymoon", WON)
    assert deals.get(deal_id).phase == "new_toy"


def listing_for(today: dt.date) -> AccountListing:
    return AccountListing(today=today, thresholds=Thresholds(dict(DEFAULT_CONTACT_DAYS)), rows=accounts.list_rows())


def test_the_account_list_asks_for_a_follow_up_when_one_is_due_and_not_after_the_call(store):
    account_id, _deal = won_deal()
    listing = listing_for(day(8))  # new toy: a follow-up a week after signing, nobody called
    index = next(i for i, r in enumerate(listing.rows) if r.id == account_id)
    assert Reason.FOLLOW_UP_DUE in listing.reasons[index]
    Visit.create(account=account_id, planned_at=dt.datetime.combine(day(8), dt.time(10)), status="done")
    listing = listing_for(day(8))
    index = next(i for i, r in enumerate(listing.rows) if r.id == account_id)
    assert Reason.FOLLOW_UP_DUE not in listing.reasons[index]
    # Implemented: no more follow-ups of the implementation.
    deals.set_phase(_deal, "done", day(9))
    assert accounts.get_row(account_id).implementing == ""
