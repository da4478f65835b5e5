"""The numbers a team lead reads in the Reports screen, pinned on hand-made histories:
sums per month, quarter and year are exact, per currency (yuan and dollars never added),
the range limits include both ends and nothing outside, and the class and tier rows
follow the accounts as the list classifies them. The win/loss review counts closed deals
by reason, stage and value, and the techniques used on each side."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.i18n import set_language
from saletui.store import accounts, orders, reports
from saletui.store.accounts import AccountDraft
from saletui.store.models import Deal, Visit, VisitObjection, database
from saletui.store.orders import LineValues
from saletui.store.reports import RangeError


def line(account_id: int, day: str, product: str, amount: int, **kw) -> LineValues:
    return LineValues(account_id, dt.date.fromisoformat(day), product, amount, kw.pop("currency", "CNY"), **kw)


@pytest.fixture
def book(store):
    """Three customers: a steady EI in the east (top 5), an EIV in the south, a USD buyer."""
    east = accounts.save(
        AccountDraft(
            name="华东精密",
            region="华东",
            owner="张伟",
            relationship="customer",
            contribution="high",
            stability="high",
            tier="top5",
        )
    ).id
    south = accounts.save(
        AccountDraft(
            name="Pearl Tools",
            region="South",
            owner="Li Na",
            relationship="customer",
            contribution="low",
            stability="low",
        )
    ).id
    usd = accounts.save(
        AccountDraft(name="Acme Corp", region="US", owner="Tom", relationship="prospect", currency="USD", tier="new5")
    ).id
    lines = [
        line(east, "2025-01-10", "主轴", 100_00, category="机床", rep="张伟"),
        line(east, "2025-02-11", "主轴", 200_00, category="机床", rep="张伟"),
        line(east, "2025-04-01", "服务", 50_00, category="服务"),  # no rep: the owner's
        line(east, "2026-03-31", "主轴", 1_000_00, category="机床", rep="王磊"),
        line(south, "2025-03-31", "Chuck", 7_00, category="Parts"),
        line(south, "2025-12-31", "Chuck", 3_00, category="Parts"),
        line(south, "2026-01-01", "Chuck", 11_00, category="Parts"),
        line(usd, "2025-02-01", "Chuck", 9_99, currency="USD", category="Parts"),
        line(usd, "2026-01-15", "Chuck", 1_01, currency="USD", category="Parts"),
    ]
    with database.atomic():
        orders.upsert_lines(lines)
    return {"east": east, "south": south, "usd": usd}


def cells(report: reports.SalesReport) -> dict[tuple[str, str], dict[int, int]]:
    return {(row.label, row.currency): row.amounts for row in report.rows}


def test_totals_per_month_quarter_and_year_are_exact_and_per_currency(book):
    by_month = reports.sales("month")
    assert by_month.totals == {
        "CNY": {
            202501: 100_00,
            202502: 200_00,
            202503: 7_00,
            202504: 50_00,
            202512: 3_00,
            202601: 11_00,
            202603: 1_000_00,
        },
        "USD": {202502: 9_99, 202601: 1_01},
    }
    # Every month between the first and the last sale is a column, sold in or not.
    assert by_month.periods[0] == 202501 and by_month.periods[-1] == 202603 and len(by_month.periods) == 15
    by_quarter = reports.sales("quarter")
    assert by_quarter.totals == {
        "CNY": {20251: 307_00, 20252: 50_00, 20254: 3_00, 20261: 1_011_00},
        "USD": {20251: 9_99, 20261: 1_01},
    }
    assert [reports.period_label(p, "quarter") for p in by_quarter.periods] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
    ]
    by_year = reports.sales("year")
    assert by_year.totals == {"CNY": {2025: 360_00, 2026: 1_011_00}, "USD": {2025: 9_99, 2026: 1_01}}
    assert by_year.total("CNY") == 1_371_00 and by_year.total("USD") == 11_00
    assert by_year.currencies == ["CNY", "USD"]  # the larger book first, never added together


def test_a_range_includes_both_end_months_and_nothing_outside(book):
    report = reports.sales("month", start=202503, end=202512)
    assert report.totals == {"CNY": {202503: 7_00, 202504: 50_00, 202512: 3_00}}  # not Jan, Feb, nor 2026
    assert report.periods == list(range(202503, 202513))
    quarter = reports.sales("quarter", "region", start=202512, end=202601)
    assert cells(quarter) == {("South", "CNY"): {20254: 3_00, 20261: 11_00}, ("US", "USD"): {20261: 1_01}}
    assert quarter.periods == [20254, 20261]
    assert reports.sales("year", start=202701).rows == []


def test_by_company_region_and_rep(book):
    assert cells(reports.sales("year", "company")) == {
        ("华东精密", "CNY"): {2025: 350_00, 2026: 1_000_00},
        ("Pearl Tools", "CNY"): {2025: 10_00, 2026: 11_00},
        ("Acme Corp", "USD"): {2025: 9_99, 2026: 1_01},
    }
    by_rep = reports.sales("year", "owner")  # the line's rep, else the account's owner
    assert cells(by_rep) == {
        ("王磊", "CNY"): {2026: 1_000_00},
        ("张伟", "CNY"): {2025: 350_00},
        ("Li Na", "CNY"): {2025: 10_00, 2026: 11_00},
        ("Tom", "USD"): {2025: 9_99, 2026: 1_01},
    }
    assert [row.label for row in by_rep.rows] == ["王磊", "张伟", "Li Na", "Tom"]  # largest first, per currency
    assert [r.lines for r in by_rep.rows] == [1, 3, 3, 2]


def test_by_product_and_category(book):
    assert cells(reports.sales("year", "product", start=202501, end=202512)) == {
        ("主轴", "CNY"): {2025: 300_00},
        ("服务", "CNY"): {2025: 50_00},
        ("Chuck", "CNY"): {2025: 10_00},
        ("Chuck", "USD"): {2025: 9_99},
    }
    assert cells(reports.sales("quarter", "category", start=202601)) == {
        ("机床", "CNY"): {20261: 1_000_00},
        ("Parts", "CNY"): {20261: 11_00},
        ("Parts", "USD"): {20261: 1_01},
    }


def test_class_and_tier_rows_follow_the_accounts_as_the_list_classifies_them(book):
    assert cells(reports.sales("year", "class")) == {
        ("EI", "CNY"): {2025: 350_00, 2026: 1_000_00},
        ("EIV", "CNY"): {2025: 10_00, 2026: 11_00},
        ("(not rated)", "USD"): {2025: 9_99, 2026: 1_01},  # a prospect without its two ratings
    }
    assert cells(reports.sales("year", "tier")) == {
        ("Top 5", "CNY"): {2025: 350_00, 2026: 1_000_00},
        ("(no tier)", "CNY"): {2025: 10_00, 2026: 11_00},
        ("New 5", "USD"): {2025: 9_99, 2026: 1_01},
    }
    # Re-rating an account moves its whole history to the new class at once.
    draft = AccountDraft.from_account(accounts.get(book["south"]))
    draft.contribution = "high"
    accounts.save(draft, book["south"])
    assert ("EII", "CNY") in cells(reports.sales("year", "class"))


@pytest.mark.parametrize("dimension", ["company", "region"])
def test_a_screen_s_top_rows_keep_every_total_in_the_others_row(book, dimension):
    full = reports.sales("quarter", dimension, start=202501, end=202612)
    top = reports.sales("quarter", dimension, start=202501, end=202612, top=1)
    assert top.totals == full.totals
    cny = [r for r in top.rows if r.currency == "CNY"]
    assert [r.label for r in cny] == [full.rows[0].label, "Others (1)"]
    assert cny[0] == full.rows[0]  # the largest row as it is
    others = cny[1]
    assert others.key == reports.OTHERS and others.amounts == full.rows[1].amounts
    assert (others.total, others.lines) == (full.rows[1].total, full.rows[1].lines)
    assert top.folded == {"CNY": 1}  # the one USD row is shown as it is
    assert [r.label for r in top.rows if r.currency == "USD"] == ["Acme Corp" if dimension == "company" else "US"]


def test_labels_follow_the_interface_language(book):
    set_language("zh_CN")
    labels = {row.label for row in reports.sales("year", "tier").rows}
    assert "重点5家" in labels and "Top 5" not in labels
    assert reports.sales("year").rows[0].label == "合计"


def test_an_empty_book_gives_an_empty_report(store):
    report = reports.sales("month", "region")
    assert report.rows == [] and report.periods == [] and report.totals == {}
    assert reports.sales_months() is None


@pytest.mark.parametrize(
    ("text", "end", "month"),
    [
        ("2025-01", False, 202501),
        ("2025/3", False, 202503),
        ("2025年3月", False, 202503),
        ("2025", False, 202501),
        ("2025", True, 202512),
        ("2025-Q2", False, 202504),
        ("2025-q2", True, 202506),
    ],
)
def test_range_limits_as_reps_type_them(text, end, month):
    assert reports.parse_month(text, end=end) == month


@pytest.mark.parametrize("text", ["2025-13", "next year", "25-01", "2025-Q5", "1899"])
def test_a_bad_range_limit_is_refused_with_the_value(text):
    with pytest.raises(RangeError, match=r"2025-13|next year|25-01|2025-Q5|1899"):
        reports.parse_month(text)


def test_the_report_reads_the_summaries_through_their_keys_not_the_lines(book):
    """The query plans: no scan of order_line, and the range uses the month index."""
    from tests.conftest import traced_statements

    with traced_statements() as seen:
        for dimension in (None, *reports.DIMENSIONS):
            reports.sales("quarter", dimension, start=202501, end=202612)
    assert seen.data and not [s for s in seen.data if "order_line" in s]
    on_summary = [s for s in seen.data if "FROM sales_month" in s]
    assert len(on_summary) == 5  # company, region, rep, class, tier (the totals: from product_month)
    for statement in on_summary:
        plan = " ".join(str(row[-1]) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {statement}"))
        # In the summary's own key order: not row by row through its month index.
        assert "SCAN sales_month" in plan and "USING INDEX sales_month_month" not in plan, plan
    with traced_statements() as seen:
        reports.sales("quarter", "company", start=202501, end=202612, top=100)  # what the screen asks
    scan, *periods = [s for s in seen.data if "FROM sales_month" in s]
    plan = " ".join(str(row[-1]) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {scan}"))
    assert plan == "SCAN sales_month", plan  # every company's total: streamed, no sorting
    assert len(periods) == 2  # per currency, the top companies' periods...
    for statement in periods:
        plan = " ".join(str(row[-1]) for row in database.execute_sql(f"EXPLAIN QUERY PLAN {statement}"))
        assert "SEARCH sales_month USING PRIMARY KEY (account_id=?)" in plan, plan  # ...through the key


# -- win/loss ------------------------------------------------------------------------------


def close(account_id: int, title: str, status: str, reason: str, stage: int, value: int | None) -> int:
    deal = Deal.create(
        account=account_id,
        title=title,
        status=status,
        close_reason=reason,
        stage=stage,
        value=value,
        closed_at=dt.datetime(2026, 6, 1),
    )
    return deal.id


def objection(deal_id: int, account_id: int, technique: str, worked: bool | None, title: str = "Too expensive") -> None:
    visit = Visit.create(account=account_id, deal=deal_id, planned_at=dt.datetime(2026, 5, 1), status="done")
    VisitObjection.create(
        visit=visit,
        objection_id="too-expensive",
        objection_title=title,
        technique_id=technique.lower(),
        technique_name=technique,
        worked=worked,
    )


def test_the_win_loss_review_counts_deals_by_reason_stage_and_value(book):
    east, usd = book["east"], book["usd"]
    won1 = close(east, "Line 1", "won", "Best service", 6, 2_000_000_00)
    won2 = close(east, "Line 2", "won", "Best service", 5, 50_000_00)
    lost = close(east, "Line 3", "lost", "Price", 4, 500_000_00)
    close(usd, "Pilot", "lost", "Price", 2, 9_000_00)
    close(usd, "Spare", "lost", "", 1, None)
    Deal.create(account=east, title="Open one", stage=3, value=1_00)  # still open: not in the review
    objection(won1, east, "Value over price", True)
    objection(won2, east, "Value over price", True)
    objection(won2, east, "Split the order", False)
    objection(lost, east, "Value over price", False)
    objection(lost, east, "Value over price", None)

    review = reports.winloss()
    assert (review.won.deals, review.lost.deals, review.closed) == (2, 3, 5)
    assert review.won.value == {"CNY": 2_050_000_00}
    assert review.lost.value == {"CNY": 500_000_00, "USD": 9_000_00}  # per currency
    assert [(r, t.deals) for r, t in review.reasons["lost"]] == [("Price", 2), ("", 1)]
    assert review.reasons["won"][0][1].value == {"CNY": 2_050_000_00}
    assert {stage: {s: t.deals for s, t in sides.items()} for stage, sides in review.stages.items()} == {
        1: {"lost": 1},
        2: {"lost": 1},
        4: {"lost": 1},
        5: {"won": 1},
        6: {"won": 1},
    }
    assert {band: {s: t.deals for s, t in sides.items()} for band, sides in review.bands.items()} == {
        -1: {"lost": 1},  # no value
        0: {"lost": 1},  # USD 9,000
        1: {"won": 1},  # CNY 50,000
        2: {"lost": 1},  # CNY 500,000
        3: {"won": 1},  # CNY 2,000,000
    }
    won_uses = [(u.technique, u.used, u.worked, u.failed) for u in review.techniques["won"]]
    assert won_uses == [("Value over price", 2, 2, 0), ("Split the order", 1, 0, 1)]
    assert [(u.technique, u.used, u.worked, u.failed) for u in review.techniques["lost"]] == [
        ("Value over price", 2, 0, 1)  # one not known to have worked or failed
    ]


def test_the_review_can_be_limited_to_deals_closed_in_a_period(book):
    close(book["east"], "Old", "won", "Fit", 6, 1_00)
    assert reports.winloss(start=dt.date(2026, 6, 1), end=dt.date(2026, 6, 1)).won.deals == 1
    assert reports.winloss(start=dt.date(2026, 6, 2)).closed == 0
