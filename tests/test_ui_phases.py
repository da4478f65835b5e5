"""After signing, in the app: a rep closes a deal as won and sees it at "new toy"; a week
on the account list asks for a follow-up; the rep sets the phase from the keyboard, and
the deal, the deal form and the brief show where the implementation stands."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Select, TextArea

from saletui.i18n import set_language
from saletui.store import accounts, deals
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Deal, Visit
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.choice_picker import ChoicePicker
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import TODAY, until

SIZE = (130, 36)


def stage_cells(screen: AccountScreen) -> list[str]:
    """The deals' stage column: a won deal's shows its implementation phase."""
    table = screen.query_one("#deals", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def list_status(app) -> str:
    return str(app.screen.query_one("#list-status").render())


async def test_a_won_deal_starts_at_new_toy_and_the_rep_moves_it_to_learning(make_app):
    account = accounts.save(AccountDraft(name="Acme Steel", relationship="customer"))
    deals.save(account.id, DealDraft(title="Boilers", stage=5))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")
        screen = app.screen
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, CloseDealForm), "the close form")
        form = app.screen
        form.query_one("#status", Select).value = "won"
        form.query_one("#reason", TextArea).text = "Coach backed us"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "closed")
        assert stage_cells(screen) == ['6 "New toy"']
        deal = Deal.get()
        assert (deal.phase, deal.phase_on) == ("new_toy", TODAY)

        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the phases offered")
        for key in "learn":
            await pilot.press(key)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "chosen")
        assert stage_cells(screen) == ["6 Learning"]
        assert Deal.get().phase == "learning"

        await pilot.press("enter")  # the deal form says where it stands
        await until(pilot, lambda: isinstance(app.screen, DealForm), "the deal form")
        note = str(app.screen.query_one("#deal-phase").render())
        assert "After signing: Learning since 2026-11-25" in note and "next phase on 2027-01-24" in note
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back")

        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BriefScreen), "the brief")
        text = app.screen.text
        assert "## After signing" in text and "Learning (since 2026-11-25)" in text
        assert "next follow-up by 2026-11-28" in text  # every 3 days in learning


async def test_an_open_deal_has_no_phase_to_set(make_app):
    account = accounts.save(AccountDraft(name="Acme Steel", relationship="customer"))
    deals.save(account.id, DealDraft(title="Boilers", stage=3))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")
        await pilot.press("i")
        await until(pilot, lambda: any("Only a won deal" in n.message for n in app._notifications), "told why")
        assert isinstance(app.screen, AccountScreen)
    assert Deal.get().phase == ""


def won_a_week_ago(name: str = "Acme Steel") -> int:
    account = accounts.save(AccountDraft(name=name, relationship="customer", contribution="high", stability="high"))
    deal = deals.save(account.id, DealDraft(title="Boilers", stage=6))
    deals.close(deal.id, "won", "Best service", today=TODAY - dt.timedelta(days=8))
    Visit.create(account=account.id, planned_at=dt.datetime(2026, 11, 20, 10), status="done")  # within 30 days
    return account.id


async def test_the_list_reminds_of_a_follow_up_due_after_signing(make_app):
    won_a_week_ago()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the list")
        table = app.screen.query_one(AccountTable)
        await until(pilot, lambda: table.selected is not None, "a row")
        # New toy: a follow-up 7 days after the last contact (5 days ago) is not due yet.
        assert "follow-up" not in list_status(app)
    # Ten days later the clock has moved the deal to learning (on day 14 after the win, three
    # days before), where a follow-up is due every 3 days.
    later = TODAY + dt.timedelta(days=10)
    app = make_app()
    app.today = lambda: later
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the list")
        await until(pilot, lambda: "follow-up after signing due" in list_status(app), "the reason shown")
        assert app.screen.query_one(AccountTable).listing.attention_count == 1


async def test_the_reminder_reads_in_chinese(make_app):
    won_a_week_ago("鞍钢")
    set_language("zh_CN")
    app = make_app()
    app.today = lambda: TODAY + dt.timedelta(days=10)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the list")
        await until(pilot, lambda: "鞍钢" in list_status(app), "the row's notes")
        assert "follow-up" not in list_status(app) and "签约后" in list_status(app)
