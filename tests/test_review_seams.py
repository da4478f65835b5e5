"""Found in review of issue 13: the seams between the parts built in parallel.

Each test is a story a rep lives through; a known bug not yet fixed is marked xfail(strict).
"""

from __future__ import annotations

import pytest

from saletui.i18n import current_language
from saletui.ui.screens.account import AccountScreen
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import until
from tests.test_ui_language import choose_language


def _list_text(table: AccountTable) -> str:
    return "\n".join(table.render_line(y).text for y in range(table.size.height))


async def test_switching_language_on_the_list_shows_every_row_in_the_new_language(make_app, demo_store):
    """The tier column is a translated word: after switching to Chinese, no row keeps "Top 5"."""
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        table = app.screen.query_one(AccountTable)
        await until(pilot, lambda: "Top 5" in _list_text(table), "the demo list shows a Top 5 tier")

        await choose_language(app, pilot, "language")

        assert current_language() == "zh_CN"
        await pilot.pause()
        shown = _list_text(table)
        assert "重点5家" in shown
        assert "Top 5" not in shown


async def test_switching_language_inside_an_account_leaves_no_english_row_on_the_list(make_app, demo_store):
    """A rep opens an account, switches to Chinese there, and goes back: the list (whose
    one opened row is rebuilt on return) shows every row in Chinese, not a mix."""
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        table = app.screen.query_one(AccountTable)
        await until(pilot, lambda: "Top 5" in _list_text(table), "the demo list shows a Top 5 tier")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")

        await choose_language(app, pilot, "language")
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AccountScreen), "back on the list")
        await pilot.pause()

        shown = _list_text(app.screen.query_one(AccountTable))
        assert "重点5家" in shown
        assert "Top 5" not in shown


async def test_a_currency_changed_inside_the_account_relabels_its_deals(make_app):
    """In the account, E, currency CNY -> USD, save: the deals below the profile are in
    USD now, and the Overview must not show them as CNY."""
    from textual.widgets import Input

    from saletui.store import accounts
    from saletui.store.accounts import AccountDraft
    from saletui.store.models import Deal
    from saletui.ui.screens.account_form import AccountForm
    from saletui.ui.widgets.deal_table import DealTable

    account = accounts.save(AccountDraft(name="Fabrikam", market_capacity="1.2M"))
    Deal.create(account=account, title="Robots", value=150_000_000)  # CNY 1,500,000
    app = make_app()
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")
        table = app.screen.query_one(DealTable)
        assert "CNY 1,500,000" in " ".join(str(c) for c in table.get_row_at(0))

        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the account form opens")
        currency = app.screen.query_one("#currency", Input)
        currency.value = "USD"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "back in the account")

        shown = " ".join(str(c) for c in app.screen.query_one(DealTable).get_row_at(0))
        assert "USD 1,500,000" in shown


@pytest.mark.xfail(
    strict=True,
    reason="a file with any problem is left out of the layering, so every later file that builds on it is blamed too",
)
def test_a_mistake_in_the_team_playbook_is_not_blamed_on_the_personal_one(tmp_path):
    """The team file adds an objection with one bad technique; the rep's own file gives it
    a stance. `saletui playbook check team.yaml mine.yaml` names the team file's mistake,
    and nothing in mine.yaml, which is correct."""
    from saletui.playbook.load import check_paths

    team = tmp_path / "team.yaml"
    team.write_text(
        "objections:\n"
        "  - id: vendor-lock-in\n"
        "    title: We fear being locked in\n"
        "    techniques:\n"
        "      - name: Open formats\n"
        "        remove: perhaps\n",
        encoding="utf-8",
    )
    mine = tmp_path / "mine.yaml"
    mine.write_text("objections:\n  - id: vendor-lock-in\n    stance: Take the fear seriously.\n", encoding="utf-8")

    _files, errors, _warnings = check_paths([team, mine])

    assert [(e.path.name, e.line) for e in errors] == [("team.yaml", 6)]


async def test_rating_a_person_deleted_in_another_window_explains_it_and_keeps_the_app(make_app):
    """Two windows on one book: the rep's colleague deleted Ben Buyer a moment ago; the
    rep, whose chart still shows Ben, presses c. The app says so and stays open."""
    from saletui.store import people
    from tests.test_ui_one_action import SIZE, northwind, open_chart_on

    account_id, buyer = northwind()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart_on(app, pilot, "Ben Buyer")
        people.delete_person(account_id, buyer)  # the other window's write

        await pilot.press("c")
        await pilot.pause()

        assert app.is_running
        assert isinstance(app.screen, AccountScreen)
        assert buyer not in chart.rows  # the chart shows the book as it is now
        assert any("deleted meanwhile" in n.message for n in app._notifications)


def test_a_process_stage_that_is_not_a_mapping_is_named_without_a_dangling_dot(tmp_path):
    """`- development` instead of `- key: development`: the message names `stages[0]`."""
    from saletui.config_check import all_problems
    from saletui.config_error import ConfigError
    from saletui.process.load import load_process

    path = tmp_path / "process.yaml"
    path.write_text("stages:\n  - development\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_process(path)
    keyed = [(p.line, p.column, p.key) for p in all_problems(caught.value) if p.line == 2]
    assert keyed == [(2, 5, "stages[0]")]


async def test_a_reopened_deal_keeps_the_cursor_when_it_moves_up_the_table(make_app):
    """Beta, lost in negotiation, sits below the open Alpha. The rep presses o on Beta: it is
    open again and, being further along, moves above Alpha; the cursor moves with it, so
    the next key (c to close, m for milestones) acts on Beta, not on Alpha."""
    import datetime as dt

    from saletui.store import accounts
    from saletui.store.accounts import AccountDraft
    from saletui.store.models import Deal
    from saletui.ui.widgets.deal_table import DealTable

    account = accounts.save(AccountDraft(name="Fabrikam"))
    Deal.create(account=account, title="Alpha", stage=1)
    Deal.create(account=account, title="Beta", stage=5, status="lost", closed_at=dt.datetime(2026, 11, 1, 9, 0))
    app = make_app()
    async with app.run_test(size=(130, 36)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")
        table = app.screen.query_one(DealTable)
        await pilot.press("down")
        assert table.selected is not None and table.selected.title == "Beta"

        await pilot.press("o")
        await pilot.pause()

        assert [d.title for d in table.records] == ["Beta", "Alpha"]  # open, most advanced first
        assert table.selected is not None and table.selected.title == "Beta"
