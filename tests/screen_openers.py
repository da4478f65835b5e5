"""How a rep reaches each of saletui's screens and modals from the account list, with real
keys on the demo book: one table that the snapshot matrix and the form tests share.

Adding a screen: write (or reuse) the steps that open it and add a row to `OPENERS` with
the screen class it must end on; tests/test_snapshots.py then photographs it at every size
in both languages, and a form (a FormScreen) is also Tabbed through field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import ContentSwitcher, TabbedContent

from saletui.ui.screens.account import TABS, AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.agenda import AgendaScreen
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.choice_picker import ChoicePicker
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_contacts import DealContacts
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.screens.deal_milestones import DealMilestones
from saletui.ui.screens.deal_roles_form import DealRolesForm
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.discard_changes import DiscardChanges
from saletui.ui.screens.import_csv import ImportScreen
from saletui.ui.screens.order_form import OrderLineForm
from saletui.ui.screens.orgchart_export import OrgChartExport
from saletui.ui.screens.person_form import PersonForm
from saletui.ui.screens.person_picker import PersonPicker
from saletui.ui.screens.pipeline import PipelineScreen
from saletui.ui.screens.plan_forms import ActionForm, ContactObjectiveForm, PlanForm
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.screens.playbook_editor import PlaybookEditor
from saletui.ui.screens.relationship_form import RelationshipForm
from saletui.ui.screens.reports import ReportsScreen
from saletui.ui.screens.review import ReviewScreen
from saletui.ui.screens.search import SearchScreen
from saletui.ui.screens.stale_edit import StaleEditScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.screens.visit_form import VisitForm
from saletui.ui.screens.visit_record import VisitRecordScreen
from saletui.ui.widgets.account_table import AccountTable
from saletui.ui.widgets.deal_table import DealTable
from saletui.ui.widgets.order_table import OrderTable
from saletui.ui.widgets.record_table import RecordTable
from saletui.ui.widgets.technique_list import TechniqueList
from saletui.ui.widgets.visit_table import VisitTable
from tests.conftest import switch_tabs, until

# An account with deals, an org chart and visits in the demo, in the interface's language.
ACCOUNT = {"en": "Northwind Logistics", "zh_CN": "华东精密"}
# Demo accounts with a won deal being implemented (the phase on the deals table).
IMPLEMENTING = {"en": "Meridian Auto Parts", "zh_CN": "深圳海川"}
# Demo accounts with a visit still planned (the record form of a planned visit).
PLANNING = {"en": "Vantage Robotics", "zh_CN": "长沙湘江"}
SEARCH = {"en": "expensive", "zh_CN": "太贵"}
# The one search: words that find accounts, people, deals and visits of the demo.
FIND = {"en": "north", "zh_CN": "华东"}

Steps = Callable[[Pilot[Any], str], Awaitable[None]]


@dataclass(frozen=True)
class Opener:
    """The steps from the account list to a screen, and the screen they must end on."""

    steps: Steps
    screen: type[Screen[Any]]


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def settled(pilot: Pilot[Any]) -> None:
    """Workers done and the frames they caused drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def account_list(pilot: Pilot[Any], language: str) -> None:
    """The list as it opens: every demo account, sorted, the first one highlighted."""
    await until(pilot, lambda: len(pilot.app.screen.query_one(AccountTable).listing.view) > 0, "the list is filled")


async def highlight_account(pilot: Pilot[Any], language: str, names: dict[str, str] = ACCOUNT) -> None:
    """Put the list's cursor on the demo account (typing a filter would cost a redraw per
    key; the filter has its own tests), ready for the key that opens something on it."""
    await account_list(pilot, language)
    table = pilot.app.screen.query_one(AccountTable)
    wanted = next(row.id for row in table.listing.rows if row.name.startswith(names[language]))
    position = table.listing.index_of(wanted)
    assert position is not None
    table.cursor = position
    await until(pilot, lambda: table.selected is not None and table.selected.id == wanted, "on the account's row")


def press_for(before: Steps, keys: tuple[str, ...], screen: type[Screen[Any]], what: str) -> Steps:
    """`before`, then `keys`, then wait until `screen` is on top."""

    async def steps(pilot: Pilot[Any], language: str) -> None:
        await before(pilot, language)
        for key in keys:
            await pilot.press(key)
        # A screen that reads the store while other tests load the machine: up to 15 s.
        await until(pilot, lambda: isinstance(pilot.app.screen, screen), what, frames=900)
        await settled(pilot)

    return steps


def account_tab(index: int, names: dict[str, str] = ACCOUNT) -> Steps:
    async def steps(pilot: Pilot[Any], language: str) -> None:
        await highlight_account(pilot, language, names)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, AccountScreen), "the account opens")
        # The shorter way round, one tab at a time: a second key pressed while the first
        # tab is still being filled can leave the focus on the tab passed through.
        steps_right = index if index <= len(TABS) // 2 else index - len(TABS)
        for _ in range(abs(steps_right)):
            await switch_tabs(pilot, pilot.app, 1 if steps_right > 0 else -1)
        tabs = pilot.app.screen.query_one(TabbedContent)
        switcher = tabs.query_one(ContentSwitcher)
        await until(pilot, lambda: tabs.active == switcher.current == TABS[index], f"{TABS[index]} on show")
        await settled(pilot)

    return steps


async def playbook_search(pilot: Pilot[Any], language: str) -> None:
    """The playbook with a search typed and the first result's techniques shown."""
    await account_list(pilot, language)
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, PlaybookScreen), "the playbook opens")
    await type_text(pilot, SEARCH[language])
    screen = pilot.app.screen
    assert isinstance(screen, PlaybookScreen)
    techniques = screen.query_one(TechniqueList)
    await until(
        pilot,
        lambda: techniques.objection is not None and techniques.objection.id == "too-expensive",
        "the first result's techniques follow the search",
    )


async def one_search(pilot: Pilot[Any], language: str) -> None:
    """Ctrl+F on the list, a word typed, its results shown by kind."""
    await account_list(pilot, language)
    await pilot.press("ctrl+f")
    await until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen), "the search opens")
    await type_text(pilot, FIND[language])
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await until(pilot, lambda: screen.found.text == FIND[language] and screen.hits, "its results")
    await settled(pilot)


def with_a_row(tab: Steps, table: type[RecordTable[Any]]) -> Steps:
    """`tab`, then wait until its table holds its records and has one under the cursor."""

    async def steps(pilot: Pilot[Any], language: str) -> None:
        await tab(pilot, language)
        records = pilot.app.screen.query_one(table)
        await until(pilot, lambda: records.selected is not None, f"a row under the cursor of {table.__name__}")

    return steps


overview = with_a_row(account_tab(0), DealTable)
people, power_map = account_tab(1), account_tab(2)
visits = with_a_row(account_tab(3), VisitTable)
account_plan = account_tab(TABS.index("tab-plan"))
deal_milestones = press_for(overview, ("m",), DealMilestones, "the deal's milestones open")
deal_contacts = press_for(overview, ("r",), DealContacts, "the deal's contacts open")


async def deal_roles(pilot: Pilot[Any], language: str) -> None:
    """The roles of the deal's first contact (of a person added, for a deal without any)."""
    await deal_contacts(pilot, language)
    screen = pilot.app.screen
    assert isinstance(screen, DealContacts)
    await pilot.press("enter" if screen.rows else "a")
    if not screen.rows:
        await until(pilot, lambda: isinstance(pilot.app.screen, PersonPicker), "the person picker", frames=900)
        await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, DealRolesForm), "the roles form opens", frames=900)
    await settled(pilot)


def on_visit(status: str, names: dict[str, str] = ACCOUNT) -> Steps:
    """The Visits tab with the cursor moved down to the first visit of `status`."""
    tab = with_a_row(account_tab(3, names), VisitTable)

    async def steps(pilot: Pilot[Any], language: str) -> None:
        await tab(pilot, language)
        table = pilot.app.screen.query_one(VisitTable)
        for _ in range(table.row_count):
            if table.selected is not None and table.selected.status == status:
                break
            await pilot.press("down")
        assert table.selected is not None and table.selected.status == status, f"no {status} visit in the demo"
        await settled(pilot)

    return steps


async def help_panel(pilot: Pilot[Any], language: str) -> None:
    """Textual's key panel beside the list, the screen's help on top, its keys below."""
    from textual.widgets import HelpPanel, Markdown

    await account_list(pilot, language)
    await pilot.press("question_mark")
    await until(pilot, lambda: bool(pilot.app.screen.query(HelpPanel)), "the help panel opens")
    panel = pilot.app.screen.query_one(HelpPanel)
    await until(pilot, lambda: bool(panel.query_one(Markdown).source), "the screen's help is shown")
    await settled(pilot)


async def command_palette(pilot: Pilot[Any], language: str) -> None:
    """Textual's command palette over the list, every command listed with its key."""
    from textual.command import CommandList

    await account_list(pilot, language)
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette opens")
    commands = pilot.app.screen.query_one(CommandList)
    await until(
        pilot, lambda: commands.option_count > 0 and not commands.has_class("--populating"), "the commands are listed"
    )
    await settled(pilot)


def with_orders(tab: Steps) -> Steps:
    """`tab` on an account that has a few order lines: typed in first when the demo has none
    for it (the same lines, relative to the app's today, on every run)."""

    async def steps(pilot: Pilot[Any], language: str) -> None:
        from saletui.store import order_history, orders
        from saletui.store.accounts import find
        from saletui.store.orders import LineValues

        account = find(ACCOUNT[language])[0]
        if not order_history.count(account.id):
            today = pilot.app.today()
            products = (("伺服电机", "电机"), ("Spindle 40k", "主轴"), ("年度维保", "服务"))
            orders.upsert_lines(
                [
                    LineValues(
                        account.id,
                        today.replace(day=1) - dt.timedelta(days=30 * (n // 3)) + dt.timedelta(days=3 * (n % 3)),
                        products[n % 3][0],
                        (n + 2) * 1_250_000,
                        "CNY",
                        category=products[n % 3][1],
                        quantity=float(n % 4 + 1),
                        order_no=f"SO-{2600 + n // 2}",
                        line_no=str(n % 2 + 1),
                        rep=account.owner,
                    )
                    for n in range(8)
                ]
            )
        await tab(pilot, language)

    return steps


def on_won_deal(names: dict[str, str] = IMPLEMENTING) -> Steps:
    """The overview of an account with a won deal in implementation, the cursor on it."""
    tab = with_a_row(account_tab(0, names), DealTable)

    async def steps(pilot: Pilot[Any], language: str) -> None:
        await tab(pilot, language)
        table = pilot.app.screen.query_one(DealTable)
        for _ in range(table.row_count):
            if table.selected is not None and table.selected.status == "won" and table.selected.phase != "done":
                break
            await pilot.press("down")
        assert table.selected is not None and table.selected.status == "won", "no won deal in the demo account"
        await settled(pilot)

    return steps


orders_tab = with_orders(with_a_row(account_tab(TABS.index("tab-orders")), OrderTable))
deal_phases = on_won_deal()
debrief = press_for(on_visit("planned", PLANNING), ("r",), DebriefForm, "the record form opens")
visit_record = press_for(on_visit("done"), ("enter",), VisitRecordScreen, "the record opens")
new_account = press_for(account_list, ("n",), AccountForm, "the new account form opens")
account_form = press_for(highlight_account, ("e",), AccountForm, "the form opens")


async def stale_edit(pilot: Pilot[Any], language: str) -> None:
    """Asked what to do: the account form saved after another window saved the account."""
    from saletui.store import accounts
    from saletui.store.accounts import AccountDraft

    await account_form(pilot, language)
    screen = pilot.app.screen
    assert isinstance(screen, AccountForm)
    stored = accounts.get(screen.account_id)
    accounts.save(AccountDraft.from_account(stored), stored.id, expected_version=stored.version)  # window B
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, StaleEditScreen), "asked what to do")
    await settled(pilot)


async def with_orders(pilot: Pilot[Any], language: str) -> None:
    """The list, with a year of orders for four demo accounts when the demo has none: the
    report's table and chart have rows to show (two currencies, Chinese and Latin names)."""
    import datetime as dt

    from saletui.store import orders
    from saletui.store.models import Account, OrderLine, database
    from saletui.store.orders import LineValues

    await account_list(pilot, language)
    if OrderLine.select().exists():
        return
    customers = list(Account.select().where(Account.relationship == "customer").order_by(Account.name))
    chinese = [a for a in customers if "\u4e00" <= a.name[0] <= "\u9fff"]
    buyers = chinese[:2] + [a for a in customers if a not in chinese][:2]
    lines = []
    for n, account in enumerate(buyers):
        for month in range(23):  # 2025-01 .. 2026-11
            amount = (n + 1) * 37_000_00 + month * 1_000_00
            day = dt.date(2025 + month // 12, month % 12 + 1, 10 + n)
            lines.append(
                LineValues(account.id, day, f"P{n}", amount, account.currency, category="C", rep=account.owner)
            )
    with database.atomic():
        orders.upsert_lines(lines)


reports = press_for(with_orders, ("r",), ReportsScreen, "the reports open")


OPENERS: dict[str, Opener] = {
    "account_list": Opener(account_list, AccountsScreen),
    "help_panel": Opener(help_panel, AccountsScreen),
    "command_palette": Opener(command_palette, CommandPalette),
    "import": Opener(press_for(account_list, ("i",), ImportScreen, "the import opens"), ImportScreen),
    "account_form": Opener(account_form, AccountForm),
    # A new account is a prospect: its axes, "Class from" and the seven ratings.
    "new_account_form": Opener(new_account, AccountForm),
    "stale_edit": Opener(stale_edit, StaleEditScreen),
    "brief": Opener(press_for(highlight_account, ("b",), BriefScreen, "the brief opens"), BriefScreen),
    "playbook_search": Opener(playbook_search, PlaybookScreen),
    "playbook_editor": Opener(
        press_for(playbook_search, ("ctrl+e",), PlaybookEditor, "the editor opens"), PlaybookEditor
    ),
    "account_overview": Opener(overview, AccountScreen),
    "deal_form": Opener(press_for(overview, ("enter",), DealForm, "the deal form opens"), DealForm),
    "close_deal_form": Opener(press_for(overview, ("c",), CloseDealForm, "the close form opens"), CloseDealForm),
    "deal_milestones": Opener(deal_milestones, DealMilestones),
    "milestone_prompt": Opener(press_for(deal_milestones, ("a",), TextPrompt, "the prompt opens"), TextPrompt),
    "milestone_delete": Opener(press_for(deal_milestones, ("d",), ConfirmScreen, "the question"), ConfirmScreen),
    "deal_contacts": Opener(deal_contacts, DealContacts),
    "agenda": Opener(press_for(account_list, ("w",), AgendaScreen, "the agenda opens"), AgendaScreen),
    "search": Opener(one_search, SearchScreen),
    "pipeline": Opener(press_for(account_list, ("p",), PipelineScreen, "the pipeline opens"), PipelineScreen),
    "deal_roles": Opener(deal_roles, DealRolesForm),
    "account_people": Opener(people, AccountScreen),
    "person_form": Opener(press_for(people, ("e",), PersonForm, "the person form opens"), PersonForm),
    "relationship_form": Opener(
        press_for(people, ("R",), RelationshipForm, "the relationship form opens"), RelationshipForm
    ),
    "person_picker": Opener(press_for(people, ("m",), PersonPicker, "the manager picker"), PersonPicker),
    "orgchart_export": Opener(press_for(people, ("x",), OrgChartExport, "the export opens"), OrgChartExport),
    "account_power_map": Opener(power_map, AccountScreen),
    "account_visits": Opener(visits, AccountScreen),
    "visit_form": Opener(press_for(visits, ("p",), VisitForm, "the plan form opens"), VisitForm),
    "debrief_form": Opener(debrief, DebriefForm),
    "visit_record": Opener(visit_record, VisitRecordScreen),
    "visit_correction": Opener(press_for(visit_record, ("e",), DebriefForm, "the correction opens"), DebriefForm),
    "discard_changes": Opener(
        press_for(new_account, ("A", "c", "m", "e", "escape"), DiscardChanges, "the question"), DiscardChanges
    ),
    "reports": Opener(reports, ReportsScreen),
    "reports_winloss": Opener(press_for(reports, ("w",), ReportsScreen, "the win/loss review"), ReportsScreen),
    "account_plan": Opener(account_plan, AccountScreen),
    "plan_form": Opener(press_for(account_plan, ("e",), PlanForm, "the plan form opens"), PlanForm),
    "action_form": Opener(press_for(account_plan, ("a",), ActionForm, "the action form opens"), ActionForm),
    "contact_objective_form": Opener(
        press_for(account_plan, ("tab", "a"), ContactObjectiveForm, "the contact objective form opens"),
        ContactObjectiveForm,
    ),
    "review": Opener(press_for(account_list, ("m",), ReviewScreen, "the review opens"), ReviewScreen),
    "account_orders": Opener(orders_tab, AccountScreen),
    "order_form": Opener(press_for(orders_tab, ("enter",), OrderLineForm, "the correction opens"), OrderLineForm),
    "deal_phases": Opener(deal_phases, AccountScreen),
    "phase_picker": Opener(press_for(deal_phases, ("i",), ChoicePicker, "the phases offered"), ChoicePicker),
    "objection_picker": Opener(press_for(debrief, ("ctrl+r",), ChoicePicker, "the objection list"), ChoicePicker),
}
