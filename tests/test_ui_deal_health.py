"""A rep opens a deal at a laptop's size, sees what puts it at risk, records who takes
part in it and as what, and plans the next visit with those people already ticked."""

from __future__ import annotations

from textual.widgets import DataTable, SelectionList

from saletui.store import accounts, deal_contacts, deals, people
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.people import PersonDraft
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_contacts import DealContacts
from saletui.ui.screens.deal_roles_form import DealRolesForm
from saletui.ui.screens.person_picker import PersonPicker
from saletui.ui.screens.visit_form import VisitForm
from tests.conftest import shown_text, until
from tests.test_ui_visits import open_tab


def setup(app_process):
    account = accounts.save(AccountDraft(name="华东精密机械有限公司", relationship="customer"))
    boss = people.save(
        account.id, PersonDraft(name="王建国", title="总经理", influence="1", buying_role="decision-maker")
    )
    engineer = people.save(account.id, PersonDraft(name="李工", title="工艺部", influence="3"))
    coach = people.save(account.id, PersonDraft(name="[red]Zhao[/red]", influence="4", is_coach=True))
    deal = deals.save(account.id, DealDraft(title="MES 二期", stage=2), process=app_process)
    return account, deal, boss, engineer, coach


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def test_a_rep_adds_the_buying_centre_of_a_deal_and_its_risks_go(make_app):
    app = make_app()
    _account, deal, boss, engineer, coach = setup(app.process)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_tab(app, pilot, 0)
        # The deals table counts the risks; the highlighted deal names them.
        table = screen.query_one("#deals", DataTable)
        assert table.get_row_at(0)[2].plain.startswith("⚠")
        risks = screen.query_one("#deal-risks")
        assert risks.display and "no decision maker or economic buyer" in shown_text(risks, width=400)

        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DealContacts), "the deal's contacts")
        contacts = app.screen
        assert "no contacts in the deal" in shown_text(contacts.query_one("#contacts-risks"), width=400)

        # The general manager joins as decision maker (the org chart's buying role, pre-ticked)...
        await pilot.press("a")
        assert isinstance(app.screen, PersonPicker)
        await type_text(pilot, "王建")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DealRolesForm), "the roles")
        roles = app.screen.query_one("#roles", SelectionList)
        assert roles.selected == ["decision-maker"]
        await pilot.press("down", "space")  # ...and economic buyer
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is contacts, "back on the contacts")
        # ...then the engineer as technical buyer, and the coach (pre-ticked as coach) as a user too.
        for who, role_steps in (("李工", 2), ("Zhao", 3)):
            await pilot.press("a")
            await type_text(pilot, who)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, DealRolesForm), "the roles")
            await pilot.press(*["down"] * role_steps, "space", "ctrl+s")
            await until(pilot, lambda: app.screen is contacts, "back on the contacts")

        # Enter on a contact opens their roles too.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DealRolesForm), "the roles of the one highlighted")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is contacts, "back on the contacts, nothing changed")
        rows = deal_contacts.for_deal(deal.id)
        assert [(r.name, r.roles, r.primary) for r in rows] == [
            ("王建国", ("decision-maker", "economic-buyer"), True),
            ("李工", ("technical-buyer",), False),
            ("[red]Zhao[/red]", ("user", "coach"), False),
        ]
        table = contacts.query_one("#contacts", DataTable)
        assert table.get_row_at(2)[0].plain == "[red]Zhao[/red]"  # a name shows as typed, never as markup
        assert table.get_row_at(0)[3].plain == "decision maker, economic buyer"
        shown = shown_text(contacts.query_one("#contacts-risks"), width=400)
        assert "no decision maker" not in shown and "single-threaded" not in shown and "coach" not in shown
        assert "no L1-L2 person met" in shown  # nobody has met the general manager yet

        # The engineer becomes the primary contact; the coach leaves the deal (asked first).
        assert contacts.selected.name == "[red]Zhao[/red]"  # the one just added
        await pilot.press("up", "p")
        assert [r.name for r in deal_contacts.for_deal(deal.id) if r.primary] == ["李工"]
        assert contacts.selected.name == "李工"  # first now, the cursor with them
        await pilot.press("down", "down", "d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: len(deal_contacts.for_deal(deal.id)) == 2, "the coach out of the deal")
        assert "coach not involved" in shown_text(contacts.query_one("#contacts-risks"), width=400)
        assert people.get(coach.id).name == "[red]Zhao[/red]", "they stay on the org chart"

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "back on the account")
        assert "coach not involved" in shown_text(app.screen.query_one("#deal-risks"), width=400)
    assert engineer.id and boss.id


async def test_a_visit_for_the_deal_ticks_its_contacts_as_attendees(make_app):
    app = make_app()
    _account, deal, boss, engineer, coach = setup(app.process)
    deal_contacts.set_roles(deal.id, boss.id, ["decision-maker"])
    deal_contacts.set_roles(deal.id, engineer.id, ["technical-buyer"])
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot, 3)  # Visits
        await pilot.press("p")
        assert isinstance(app.screen, VisitForm)
        attendees = app.screen.query_one("#attendee_ids", SelectionList)
        assert sorted(attendees.selected) == sorted([boss.id, engineer.id])
        assert coach.id not in attendees.selected


async def test_the_account_list_says_which_account_has_deals_at_risk(make_app):
    app = make_app()
    setup(app.process)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert "1 deal at risk" in shown_text(app.screen.query_one("#list-status"), width=400)
