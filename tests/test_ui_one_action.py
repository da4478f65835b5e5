"""One key, one transaction, one redraw: a rep rates the chart, and the app neither reads
more than it needs, nor loses the screen when the database refuses a write, nor rebuilds
the whole list on the way back."""

from __future__ import annotations

import sqlite3

from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person, database
from saletui.store.people import PersonDraft
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.widgets.account_table import AccountTable
from saletui.ui.widgets.org_chart import OrgChart
from tests.conftest import shown_text, switch_tabs, traced_statements

SIZE = (140, 40)


def northwind() -> tuple[int, int]:
    """Three accounts; Northwind, the second by name, has a CEO and a buyer."""
    accounts.save(AccountDraft(name="Acme"))
    account = accounts.save(AccountDraft(name="Northwind"))
    accounts.save(AccountDraft(name="Zenith"))
    ceo = people.save(account.id, PersonDraft(name="Anna CEO", influence="1", buying_role="decision-maker"))
    buyer = people.save(account.id, PersonDraft(name="Ben Buyer", reports_to=ceo.id))
    return account.id, buyer.id


async def open_chart_on(app, pilot, name: str) -> OrgChart:
    await pilot.press("down", "enter")  # Northwind, the second by name
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)
    await switch_tabs(pilot, app, 1)  # People
    chart = app.screen.query_one(OrgChart)
    assert chart.jump_to(name)
    await pilot.pause()
    return chart


def line_of(chart: OrgChart, name: str) -> str:
    lines = (chart.render_line(y).text for y in range(chart.size.height))
    return next(line for line in lines if name in line)


async def test_marking_a_coach_is_one_transaction_of_three_statements(make_app):
    _account_id, buyer = northwind()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart_on(app, pilot, "Ben Buyer")
        with traced_statements() as log:
            await pilot.press("c")
            await pilot.pause()
        assert "★" in line_of(chart, "Ben Buyer")
        assert "our insider guide" in shown_text(app.screen.query_one("#person-detail"))  # the card follows
    assert Person.get_by_id(buyer).is_coach
    assert log.transactions == 1
    assert len(log.data) <= 3, log.data  # the people, UPDATE ... RETURNING, the warning count


async def test_a_locked_database_refuses_the_coach_key_with_a_message_and_nothing_changes(make_app, store):
    account_id, buyer = northwind()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart_on(app, pilot, "Ben Buyer")
        before_line = line_of(chart, "Ben Buyer")
        before_warnings = str(app.screen.query_one("#org-warnings").render())
        database.execute_sql("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(store)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await pilot.press("c")
            await pilot.pause()
        finally:
            other.rollback()
            other.close()
        messages = [n.message for n in app._notifications]
        assert any("Not saved" in m and "another program is writing to the database" in m for m in messages)
        assert line_of(chart, "Ben Buyer") == before_line
        assert str(app.screen.query_one("#org-warnings").render()) == before_warnings
        assert chart.rows[buyer].is_coach is False
    assert not Person.get_by_id(buyer).is_coach
    assert Account.get_by_id(account_id).warning_count == len(people.warnings_for(account_id))


async def test_a_refused_delete_keeps_the_person_on_the_chart(make_app):
    _account_id, buyer = northwind()
    database.execute_sql(
        "CREATE TRIGGER refuse BEFORE DELETE ON person BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart_on(app, pilot, "Ben Buyer")
        await pilot.press("d", "y")
        await pilot.pause()
        assert any("Not saved" in n.message and "the disk is full" in n.message for n in app._notifications)
        assert buyer in chart.rows and "Ben Buyer" in line_of(chart, "Ben Buyer")
    assert Person.get_by_id(buyer).name == "Ben Buyer"


async def test_back_on_the_list_only_the_changed_account_is_drawn_again(make_app):
    account_id, _buyer = northwind()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.screen.query_one(AccountTable).listing
        cells_before = {r.id: c for r, c in zip(listing.rows, listing.cells, strict=True)}
        await open_chart_on(app, pilot, "Anna CEO")
        await pilot.press("c")  # Anna is our coach now: the "No coach" warning goes
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        cells_after = {r.id: c for r, c in zip(listing.rows, listing.cells, strict=True)}
    assert cells_after.keys() == cells_before.keys()
    for other, cells in cells_before.items():
        if other != account_id:
            assert cells_after[other] is cells  # not built again
    assert cells_after[account_id] is not cells_before[account_id]
    stored = Account.get_by_id(account_id).warning_count
    assert cells_after[account_id][5] == (str(stored) if stored else "")
    assert cells_after[account_id] != cells_before[account_id]
