"""One Esc never throws away what a rep typed: every form asks first, and only when changed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.screen import Screen

from saletui.i18n import set_language
from saletui.store import accounts, deals, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Account, Deal, Milestone, Person, Visit
from saletui.store.visits import VisitPlan
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.discard_changes import DiscardChanges
from saletui.ui.screens.import_csv import ImportScreen
from saletui.ui.screens.person_form import PersonForm
from saletui.ui.screens.playbook_editor import PlaybookEditor
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.screens.visit_form import VisitForm
from tests.conftest import show_tab, until

SIZE = (100, 30)
Opener = Callable[[object, object], Awaitable[None]]


async def on_account(app, pilot, tab: str) -> None:
    await pilot.press("enter")
    await show_tab(pilot, app, tab)


async def account_form(app, pilot) -> None:
    await pilot.press("n")


async def person_form(app, pilot) -> None:
    await on_account(app, pilot, "tab-people")
    await pilot.press("A")


async def deal_form(app, pilot) -> None:
    await on_account(app, pilot, "tab-overview")
    await pilot.press("n")


async def visit_plan(app, pilot) -> None:
    await on_account(app, pilot, "tab-visits")
    await pilot.press("p")


async def visit_record(app, pilot) -> None:
    await on_account(app, pilot, "tab-visits")
    await pilot.press("r")


async def milestone_skip(app, pilot) -> None:
    await on_account(app, pilot, "tab-overview")
    await pilot.press("m")
    await until(pilot, lambda: app.screen.query("#milestones"), "the milestones")
    await pilot.press("s")


async def playbook_editor(app, pilot) -> None:
    await pilot.press("ctrl+o")
    await pilot.press("ctrl+e")


async def import_screen(app, pilot) -> None:
    await pilot.press("i")


FORMS: list[tuple[str, Opener, type[Screen], tuple[str, ...]]] = [
    ("account", account_form, AccountForm, ("A", "c", "m", "e")),
    ("person", person_form, PersonForm, ("T", "o", "m")),
    ("deal", deal_form, DealForm, ("F", "l", "e", "e", "t")),
    ("visit plan", visit_plan, VisitForm, ("backspace", "5")),
    ("visit record", visit_record, DebriefForm, ("space",)),  # ticks the first checklist item
    ("milestone skip", milestone_skip, TextPrompt, ("N", "o")),
    ("playbook editor", playbook_editor, PlaybookEditor, ("#",)),
    ("import", import_screen, ImportScreen, ("/", "t")),
]


def a_planned_visit_with_a_checklist(app) -> None:
    account = accounts.save(AccountDraft(name="Northwind"))
    deal = deals.save(account.id, DealDraft(title="Fleet"), process=app.process)
    first = Milestone.select().where(Milestone.deal == deal.id).order_by(Milestone.stage, Milestone.position).get()
    visits.plan_visit(
        account.id,
        VisitPlan(planned_at="2026-11-20 09:00", deal_id=deal.id, purposes=["care"], milestone_ids=[first.id]),
    )


def stored() -> tuple[int, ...]:
    return (
        Account.select().count(),
        Person.select().count(),
        Deal.select().count(),
        Visit.select().where(Visit.status == "done").count(),
        Milestone.select().where(Milestone.status == "skipped").count(),
    )


@pytest.mark.parametrize(("name", "open_form", "form_type", "keys"), FORMS, ids=[f[0] for f in FORMS])
async def test_esc_on_a_changed_form_asks_and_keep_editing_keeps_the_typing(make_app, name, open_form, form_type, keys):
    app = make_app()
    a_planned_visit_with_a_checklist(app)
    before = stored()
    async with app.run_test(size=SIZE) as pilot:
        await open_form(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, form_type), f"the {name} form open")
        form = app.screen
        await pilot.pause()
        await pilot.press(*keys)
        await until(pilot, form.has_changes, "the typing seen as a change")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DiscardChanges), "asked before discarding")
        await pilot.press("k")  # keep editing
        await until(pilot, lambda: app.screen is form, "back in the form")
        assert form.has_changes()  # nothing typed was lost
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DiscardChanges), "asked again")
        await pilot.press("escape")  # Esc twice still keeps editing
        await until(pilot, lambda: app.screen is form, "back in the form again")
        await pilot.press("escape", "d")
        await until(pilot, lambda: not form.is_attached or app.screen is not form, "discarded and closed")
        assert not isinstance(app.screen, DiscardChanges)
    assert stored() == before


@pytest.mark.parametrize(("name", "open_form", "form_type", "keys"), FORMS, ids=[f[0] for f in FORMS])
async def test_esc_on_an_unchanged_form_closes_at_once(make_app, name, open_form, form_type, keys):
    app = make_app()
    a_planned_visit_with_a_checklist(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_form(app, pilot)
        await until(pilot, lambda: isinstance(app.screen, form_type), f"the {name} form open")
        form = app.screen
        await pilot.pause()
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not form, "closed without a question")
        assert not isinstance(app.screen, DiscardChanges)


async def test_typing_and_then_undoing_it_counts_as_unchanged(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the account form open")
        form = app.screen
        await pilot.press("A", "c", "backspace", "backspace")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is not form, "closed without a question")
        assert not isinstance(app.screen, DiscardChanges)


async def test_the_question_speaks_chinese(make_app):
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the account form open")
        await pilot.press("A", "escape")
        await until(pilot, lambda: isinstance(app.screen, DiscardChanges), "asked")
        assert "放弃" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("d")
        await until(pilot, lambda: not isinstance(app.screen, (DiscardChanges, AccountForm)), "discarded")
    assert Account.select().count() == 0


async def test_a_language_switch_neither_loses_nor_invents_a_change(make_app):
    from tests.test_ui_language import choose_language

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the account form open")
        form = app.screen
        await choose_language(app, pilot, "language")  # the form is composed again, in Chinese
        assert app.screen is form and not form.has_changes()
        await pilot.press("A")
        await choose_language(app, pilot, "语言")  # and back
        assert app.screen is form and form.has_changes()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DiscardChanges), "still asked")
