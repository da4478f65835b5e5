"""The account list as data: a rep narrows thousands of accounts down by typing and by
quick filters, sorts by any column, and never sees raw terminal escapes from stored text."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.account_listing import AccountListing, Column, Filters
from saletui.method.attention import DEFAULT_CONTACT_DAYS, Reason, Thresholds
from saletui.store.accounts import AccountRow
from saletui.text import display_text

TODAY = dt.date(2026, 11, 25)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def row(id: int, name: str, **kw) -> AccountRow:
    values = {
        "id": id,
        "name": name,
        "industry": "",
        "region": "",
        "owner": "",
        "relationship": "prospect",
        "class_code": "",
        "tier": "",
        "stage": None,
        "last_contact": days_ago(1),
        "next_step": "",
        "next_step_date": None,
        "archived": False,
    }
    values.update(kw)
    return AccountRow(**values)


ROWS = [
    row(
        1,
        "Acme Steel",
        industry="Steel",
        region="East China",
        owner="Li",
        class_code="EI",
        tier="top5",
        stage=4,
        last_contact=days_ago(10),
        next_step_date=TODAY + dt.timedelta(days=3),
    ),
    row(
        2,
        "华为技术",
        industry="Telecom",
        region="深圳",
        owner="Zhang",
        class_code="PII",
        tier="new5",
        stage=2,
        last_contact=None,
    ),
    row(
        3,
        "globex mining",
        industry="Mining",
        region="North",
        owner="li",
        class_code="EIV",
        tier="middle5",
        stage=None,
        last_contact=days_ago(200),
        next_step_date=days_ago(2),
    ),
    row(
        4,
        "Initech",
        industry="Software",
        region="East China",
        owner="",
        class_code="F",
        tier="",
        stage=6,
        last_contact=days_ago(30),
    ),
    row(
        5,
        "Brightline Steel",
        industry="Steel",
        region="West",
        owner="Zhang",
        class_code="",
        tier="top5",
        stage=1,
        last_contact=days_ago(400),
    ),
]


@pytest.fixture
def listing() -> AccountListing:
    return AccountListing(today=TODAY, thresholds=Thresholds(dict(DEFAULT_CONTACT_DAYS)), rows=list(ROWS))


def ids(listing: AccountListing) -> list[int]:
    return [listing.row_at(pos).id for pos in range(len(listing.view))]


def test_the_list_starts_sorted_by_name_ignoring_case(listing):
    assert ids(listing) == [1, 5, 3, 4, 2]


# -- typing to narrow ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("steel", [1, 5]),  # name and industry
        ("STEEL", [1, 5]),
        ("mining", [3]),  # industry only
        ("east china", [1, 4]),  # region, both words must match
        ("zhang", [5, 2]),  # owner
        ("华为", [2]),  # CJK substring of a name
        ("深圳", [2]),  # CJK region
        ("steel west", [5]),  # every word must match, in any field
        ("steel north", []),
        ("  ", [1, 5, 3, 4, 2]),
    ],
)
def test_typing_narrows_the_list_on_name_industry_region_and_owner(listing, typed, expected):
    listing.set_filters(Filters(text=typed))
    assert ids(listing) == expected


def test_typing_does_not_match_across_two_fields(listing):
    """ "Steel East" should not match by gluing the end of one field to the next."""
    listing.set_filters(Filters(text="steeleast"))
    assert ids(listing) == []


# -- quick filters -------------------------------------------------------------------


def test_quick_filter_by_class(listing):
    listing.set_filters(Filters(class_code="EI"))
    assert ids(listing) == [1]


def test_quick_filter_by_tier(listing):
    listing.set_filters(Filters(tier="top5"))
    assert ids(listing) == [1, 5]


def test_quick_filter_by_stage(listing):
    listing.set_filters(Filters(stage=2))
    assert ids(listing) == [2]


def test_quick_filter_by_owner_is_exact(listing):
    listing.set_filters(Filters(owner="Li"))
    assert ids(listing) == [1]


def test_quick_filter_needs_attention(listing):
    """Never contacted (2), past its class threshold (3: EIV after 180 days; 5: unrated after
    365) or with an overdue next step (3)."""
    listing.set_filters(Filters(attention_only=True))
    assert ids(listing) == [5, 3, 2]


def test_quick_filters_and_typing_combine(listing):
    listing.set_filters(Filters(text="steel", tier="top5", owner="Zhang"))
    assert ids(listing) == [5]


def test_clearing_the_filters_shows_everything_again(listing):
    listing.set_filters(Filters(text="steel"))
    listing.set_filters(Filters())
    assert ids(listing) == [1, 5, 3, 4, 2]
    assert not Filters().active and Filters(stage=3).active


def test_filters_keep_the_current_sort(listing):
    listing.sort_by(Column.STAGE)
    listing.set_filters(Filters(text="steel"))
    assert ids(listing) == [1, 5]


# -- sorting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (Column.NAME, [1, 5, 3, 4, 2]),
        (Column.ATTENTION, [5, 3, 2, 1, 4]),  # flagged first, then by name
        (Column.CLASS, [1, 3, 2, 4, 5]),  # EI, EIV, PII, Future, unrated
        (Column.TIER, [1, 5, 3, 2, 4]),  # top 5, middle 5, new 5, none
        (Column.STAGE, [4, 1, 2, 5, 3]),  # most advanced first, no deal last
        (Column.OWNER, [1, 3, 5, 2, 4]),  # Li/li by name, Zhang, unowned last
        (Column.LAST_CONTACT, [2, 5, 3, 4, 1]),  # never first, then longest ago
        (Column.NEXT_STEP, [3, 1, 5, 4, 2]),  # soonest first, none last
    ],
)
def test_a_rep_sorts_by_any_column_and_reverses_it(listing, column, expected):
    listing.sort_by(column, reverse=False)
    assert ids(listing) == expected
    assert (listing.sort_column, listing.sort_reverse) == (column, False)
    listing.sort_by(column)  # choosing the same column again reverses it
    assert listing.sort_reverse is True
    assert ids(listing) == list(reversed(expected))


def test_choosing_another_column_sorts_it_ascending(listing):
    listing.sort_by(Column.NAME, reverse=True)
    listing.sort_by(Column.STAGE)
    assert listing.sort_reverse is False
    assert ids(listing) == [4, 1, 2, 5, 3]


def test_choosing_the_sorted_column_again_toggles_the_direction(listing):
    listing.sort_by(Column.NAME)
    assert listing.sort_reverse is True
    assert ids(listing) == [2, 4, 3, 5, 1]
    listing.sort_by(Column.NAME)
    assert ids(listing) == [1, 5, 3, 4, 2]


def test_never_contacted_accounts_come_first_when_sorting_by_last_contact(listing):
    listing.sort_by(Column.LAST_CONTACT)
    assert listing.row_at(0).last_contact is None


# -- what is shown -------------------------------------------------------------------


def test_stored_terminal_escapes_and_newlines_show_as_safe_single_line_text():
    shown = display_text("Acme\x1b[31m Red\nSecond line\r\tTab\x07\x9b")
    assert "\x1b" not in shown and "\n" not in shown and "\r" not in shown and "\x9b" not in shown
    assert shown == "Acme\ufffd[31m Red Second line  Tab\ufffd\ufffd"
    assert display_text("华为 🚀 [bold]x[/]") == "华为 🚀 [bold]x[/]"


def test_cells_use_safe_text_and_readable_values(listing):
    listing.set_rows(
        [
            row(
                9,
                "Evil\x1b[2J\nCorp",
                owner="Li\x1b[31m",
                class_code="F",
                tier="new5",
                stage=3,
                last_contact=days_ago(12),
                next_step_date=dt.date(2026, 12, 1),
                warnings=4,
                next_step="Send\tquote\x1b[1m",
                region="华东",
                industry="Steel\nworks",
            )
        ]
    )
    assert listing.cells[0] == (
        "  ",
        "Evil\ufffd[2J Corp",
        "Future",
        "New 5",
        "3 Proposal",
        "4",
        "Li\ufffd[31m",
        "12 d ago",
        "2026-12-01",
        "Send quote\ufffd[1m",  # the wide list's next action, region and industry
        "华东",
        "Steel works",
    )


def test_the_header_counts_accounts_needing_attention(listing):
    assert listing.attention_count == 3
    assert listing.reasons[1] == (Reason.NEVER_CONTACTED,)
    assert listing.reasons[2] == (Reason.CONTACT_OVERDUE, Reason.NEXT_STEP_OVERDUE)


def test_the_5_5_5_counts_show_how_full_each_tier_is(listing):
    assert listing.tier_counts() == {"top5": 2, "middle5": 1, "new5": 1}


def test_an_edited_account_is_refreshed_in_place_and_an_archived_one_disappears(listing):
    listing.replace_row(row(4, "Initech Renamed", owner="Li"), 4)
    assert listing.row_at(listing.index_of(4)).name == "Initech Renamed"
    listing.replace_row(row(4, "Initech Renamed", archived=True), 4)
    assert listing.index_of(4) is None
    listing.replace_row(None, 1)
    assert listing.index_of(1) is None
    assert len(listing.rows) == 3


def test_positions_outside_the_list_have_no_row(listing):
    assert listing.row_at(-1) is None
    assert listing.row_at(5) is None


def test_bidi_overrides_cannot_reorder_a_row():
    """A name with a right-to-left override must not flip the columns after it."""
    shown = display_text("ACME\u202eLTD\u2066x\u2069")
    assert "\u202e" not in shown and "\u2066" not in shown and "\u2069" not in shown
    assert shown.startswith("ACME") and "LTD" in shown


def test_visits_due_today_or_tomorrow_and_unrecorded_ones_are_reminded(listing):
    at = lambda days, hour=10: dt.datetime.combine(TODAY + dt.timedelta(days=days), dt.time(hour))  # noqa: E731
    listing.set_rows(
        [
            row(1, "Today", next_planned=at(0, 14)),
            row(2, "Tomorrow", next_planned=at(1)),
            row(3, "Next week", next_planned=at(7)),
            row(4, "Forgotten", next_planned=at(-3)),
        ]
    )
    assert [c[0] for c in listing.cells] == [" »", " »", "  ", " »"]
    assert listing.visits_due == 2
