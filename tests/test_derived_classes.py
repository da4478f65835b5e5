"""A rep's customers are classed by what they bought: contribution against the rep's own
portfolio, stability from how regularly they order (DOMAIN section 4). Hand-made
histories pin the rules; the purchase reminders read the same history."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.method.attention import PurchaseRules, Purchases, Reason, Thresholds, attention_reasons, purchase_reasons
from saletui.method.derivation import ClassRules, Regularity, Revenue, derive, high_contributors, window
from saletui.store import accounts, derived, orders
from saletui.store.accounts import AccountDraft
from saletui.store.models import database
from saletui.store.orders import LineValues

TODAY = dt.date(2026, 11, 25)
RULES = ClassRules()


def customer(name: str, owner: str = "Li Na", **axes: str) -> int:
    draft = AccountDraft(name=name, owner=owner, relationship="customer", **axes)
    return accounts.save(draft).id


def months_ago(n: int, day: int = 10) -> dt.date:
    index = TODAY.year * 12 + TODAY.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, day)


def bought(account_id: int, *history: tuple[dt.date, int], currency: str = "CNY") -> None:
    """Order lines of `yuan` (or dollars) on each day."""
    orders.upsert_lines(
        [LineValues(account_id, day, "Valve", yuan * 100, currency) for day, yuan in history],
    )


def class_of(account_id: int) -> str:
    derived.ensure_current(TODAY, RULES)
    row = accounts.get_row(account_id)
    assert row is not None
    return row.class_code


def test_a_big_monthly_buyer_is_EI_and_a_small_monthly_buyer_EIII(store):
    big = customer("Big Steady")
    small = customer("Small Steady")
    bought(big, *[(months_ago(n), 100_000) for n in range(12)])
    bought(small, *[(months_ago(n), 2_000) for n in range(12)])
    assert class_of(big) == "EI"
    assert class_of(small) == "EIII"
    info = derived.class_info(accounts.get(big), TODAY, RULES)
    assert info.from_orders and info.lines == 12 and info.months == 12
    assert derived.source_text(info, RULES) == "derived from 12 order lines in the last 12 months"


def test_one_big_order_contributes_but_is_not_stable(store):
    once = customer("One Big Order")
    steady = customer("Steady")
    bought(once, (months_ago(4), 500_000))
    bought(steady, *[(months_ago(n), 1_000) for n in range(12)])
    assert class_of(once) == "EII"
    assert class_of(steady) == "EIII"


def test_a_regular_buyer_whose_revenue_is_one_month_is_not_stable(store):
    """The single-order volume: eleven small months and one huge one."""
    spiky = customer("Spiky")
    bought(spiky, *[(months_ago(n), 1_000) for n in range(1, 12)], (months_ago(0), 90_000))
    assert class_of(spiky) == "EII"
    relaxed = ClassRules(max_month_share=1.0)
    derived.refresh(TODAY, relaxed)
    assert accounts.get_row(spiky).class_code == "EI"


def test_buying_every_month_of_half_a_year_is_not_enough_without_every_quarter(store):
    half = customer("First Half Only")  # Li Na's only account: all of her revenue
    bought(half, *[(months_ago(n), 5_000) for n in range(6, 12)])  # six months, two quarters
    assert class_of(half) == "EII"
    derived.refresh(TODAY, ClassRules(min_quarters=2))
    assert accounts.get_row(half).class_code == "EI"


def test_a_lapsed_customer_comes_out_EIV_and_is_reminded(store):
    lapsed = customer("Lapsed", contribution="high", stability="high")
    other = customer("Current")
    bought(lapsed, *[(months_ago(n), 50_000) for n in range(14, 24)])  # nothing in the last 12 months
    bought(other, *[(months_ago(n), 1_000) for n in range(12)])
    assert class_of(lapsed) == "EIV"
    info = derived.class_info(accounts.get(lapsed), TODAY, RULES)
    assert info.disagrees and info.hand == "EI"
    assert derived.source_text(info, RULES) == "derived: no order in the last 12 months"
    row = accounts.get_row(lapsed)
    purchases = Purchases(row.first_purchase, row.last_purchase, row.order_days)
    # Ten monthly orders, the last 14 months ago: far past its own interval of a month.
    assert purchase_reasons(purchases, TODAY, PurchaseRules()) == (Reason.RUN_OUT,)


def test_a_customer_who_never_bought_keeps_the_hand_set_class(store):
    never = customer("Never Bought", contribution="low", stability="high")
    buyer = customer("Buyer")
    bought(buyer, (months_ago(1), 1_000))
    assert class_of(never) == "EIII"
    info = derived.class_info(accounts.get(never), TODAY, RULES)
    assert not info.derived and derived.source_text(info, RULES) == "set by hand"
    assert purchase_reasons(Purchases(None, None, 0), TODAY, PurchaseRules()) == (Reason.NEVER_BOUGHT,)


def test_yuan_and_dollars_are_ranked_apart_never_added(store):
    """Li Na's yuan portfolio and her dollar portfolio each have their top accounts."""
    yuan_big = customer("Yuan Big")
    yuan_small = customer("Yuan Small")
    dollar = customer("Dollar Only")
    bought(yuan_big, *[(months_ago(n), 100_000) for n in range(12)])
    bought(yuan_small, *[(months_ago(n), 1_000) for n in range(12)])
    bought(dollar, *[(months_ago(n), 500) for n in range(12)], currency="USD")
    # 500 dollars a month is less than 1,000 yuan in figures, but it is all of the dollars.
    assert class_of(dollar) == "EI"
    assert class_of(yuan_big) == "EI"
    assert class_of(yuan_small) == "EIII"


def test_contribution_is_against_the_owner_s_portfolio_not_the_whole_book(store):
    a = customer("Wang's Only", owner="Wang Lei")
    b = customer("Li's Big", owner="Li Na")
    c = customer("Li's Small", owner="Li Na")
    bought(a, *[(months_ago(n), 1_000) for n in range(12)])
    bought(b, *[(months_ago(n), 90_000) for n in range(12)])
    bought(c, *[(months_ago(n), 5_000) for n in range(12)])
    assert (class_of(a), class_of(b), class_of(c)) == ("EI", "EI", "EIII")
    accounts.archive(b)  # Li Na's portfolio is now her small account alone
    assert class_of(c) == "EI"


def test_a_hand_set_class_overrides_the_orders_and_says_so(store):
    account = customer("Pinned", contribution="high", stability="low")
    bought(account, *[(months_ago(n), 9_000) for n in range(12)])
    assert class_of(account) == "EI"
    draft = AccountDraft.from_account(accounts.get(account))
    draft.class_source = "hand"
    accounts.save(draft, account)
    assert class_of(account) == "EII"
    row = accounts.get_row(account)
    assert row.disagrees and row.derived_class == "EI" and row.hand_class == "EII"
    info = derived.class_info(accounts.get(account), TODAY, RULES)
    assert derived.source_text(info, RULES) == "set by hand; the orders say EI"


def test_new_orders_mark_the_classes_stale_and_the_next_look_derives_them_again(store):
    account = customer("Growing")
    bought(account, (months_ago(2), 1_000))
    assert derived.ensure_current(TODAY, RULES) is True
    assert derived.ensure_current(TODAY, RULES) is False  # nothing changed: one read
    bought(account, *[(months_ago(n), 1_000) for n in range(12)])
    assert not derived.is_current(TODAY, RULES)
    assert class_of(account) == "EI"
    assert not derived.is_current(TODAY + dt.timedelta(days=10), RULES)  # a new month: a new window
    assert not derived.is_current(TODAY, ClassRules(min_months=3))  # other rules


def test_the_rules_alone_on_plain_figures():
    """The method module needs no database: figures in, classes out."""
    rules = ClassRules(contribution_rule="min_share", contribution_share=0.3)
    revenues = [Revenue(1, "Li", "CNY", 600, 100), Revenue(2, "Li", "CNY", 300, 30), Revenue(3, "Li", "CNY", 100, 10)]
    assert high_contributors(revenues, rules) == {1, 2}
    assert high_contributors(revenues, ClassRules()) == {1, 2}  # 60% + 30% crosses 80%
    assert high_contributors(revenues, ClassRules(contribution_share=0.5)) == {1}
    out = derive([1, 2, 3, 4], revenues, {1: Regularity(12, 12, 4), 2: Regularity(3, 3, 2)}, rules)
    assert (out[1].contribution, out[1].stability) == ("high", "high")
    assert (out[2].contribution, out[2].stability) == ("high", "low")
    assert (out[4].contribution, out[4].stability, out[4].lines) == ("low", "low", 0)
    assert window(202611, ClassRules()) == (202512, 202611)
    assert window(202602, ClassRules(window_months=3)) == (202512, 202602)


@pytest.mark.parametrize(
    ("days_since", "order_days", "expected"),
    [
        (20, 12, ()),  # a monthly buyer, 20 days after the last order
        (50, 12, (Reason.RUN_OUT,)),  # 50 > 1.5 x 30
        (50, 2, ()),  # two orders say little about an interval; 50 < 90 days
        (100, 2, (Reason.NO_PURCHASE,)),
    ],
)
def test_purchase_reminders_follow_the_customer_s_own_interval(days_since, order_days, expected):
    last = TODAY - dt.timedelta(days=days_since)
    first = last - dt.timedelta(days=30 * (order_days - 1))
    purchases = Purchases(first, last, order_days)
    assert purchase_reasons(purchases, TODAY, PurchaseRules()) == expected
    thresholds = Thresholds({"": 365})
    reasons = attention_reasons("EI", TODAY, None, TODAY, thresholds, purchases=purchases)
    assert reasons == expected


def test_deriving_reads_the_monthly_summary_and_the_ratings_in_three_statements(store):
    account = customer("Traced")
    bought(account, *[(months_ago(n), 1_000) for n in range(24)])
    from tests.conftest import traced_statements

    with traced_statements() as seen:
        derived.refresh(TODAY, RULES)
    reads = [s for s in seen.data if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert len(reads) == 3  # the portfolio, the window of `sales_month`, the rated prospects
    assert not any("order_line" in s for s in reads)
    assert database.execute_sql("SELECT count(*) FROM derived_class").fetchone() == (1,)


def test_a_database_locked_by_another_program_leaves_the_classes_as_they_were(store):
    import sqlite3

    account = customer("Locked Out")
    bought(account, *[(months_ago(n), 1_000) for n in range(12)])
    database.execute_sql("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(store)
    other.execute("BEGIN IMMEDIATE")  # another saletui window writing a big import
    try:
        assert derived.ensure_current(TODAY, RULES) is False
        assert accounts.get_row(account).class_code == ""  # not derived yet, but the list reads
    finally:
        other.rollback()
        other.close()
    assert derived.ensure_current(TODAY, RULES) is True
    assert accounts.get_row(account).class_code == "EI"
