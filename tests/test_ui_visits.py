"""A rep plans a visit with its checklist, records it afterwards, and works the milestones."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Checkbox, DataTable, SelectionList

from saletui.store import accounts, deals, people
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Account, Deal, Milestone, Person, Visit, VisitItem
from saletui.store.people import PersonDraft
from saletui.ui.compat import notifications
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_milestones import DealMilestones
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.screens.visit_form import VisitForm
from tests.conftest import TODAY, switch_tabs

SIZE = (140, 45)


def setup_account(app_process) -> tuple[Account, Deal, Person]:
    account = accounts.save(AccountDraft(name="华东精密机械有限公司"))
    deal = deals.save(account.id, DealDraft(title="MES 二期", stage=1), process=app_process)
    boss = people.save(account.id, PersonDraft(name="王建国", influence="1"))
    return account, deal, boss


async def open_tab(app, pilot, tab_steps: int) -> AccountScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)
    await switch_tabs(pilot, app, tab_steps)
    return app.screen


def milestone_ids(deal: Deal) -> list[int]:
    return [
        m.id for m in Milestone.select().where(Milestone.deal == deal.id).order_by(Milestone.stage, Milestone.position)
    ]


async def test_planning_a_visit_pre_selects_the_next_open_milestones(make_app):
    app = make_app()
    _account, deal, boss = setup_account(app.process)
    first_three = milestone_ids(deal)[:3]
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, 3)  # Visits
        await pilot.press("p")
        assert isinstance(app.screen, VisitForm)
        form = app.screen
        assert list(form.query_one("#milestone_ids", SelectionList).selected) == first_three
        form.query_one("#planned_at").value = "2026-11-27 14:30"
        form.query_one("#attendee_ids", SelectionList).select(boss.id)
        form.query_one("#objective").value = "Agree what problem the project solves"
        form.query_one("#ask_best").value = "Site visit with the plant manager"
        form.query_one("#ask_minimum").value = "Name of the project owner"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        table = app.screen.query_one("#visits", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][:3] == ["2026-11-27 14:30", "visit", "planned"]
    visit = Visit.get()
    assert (visit.status, visit.deal_id, visit.ask_minimum) == ("planned", deal.id, "Name of the project owner")
    assert [i.milestone_id for i in VisitItem.select().order_by(VisitItem.position)] == first_three


async def test_a_plan_without_purpose_or_with_a_bad_date_is_refused(make_app):
    app = make_app()
    setup_account(app.process)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, 3)
        await pilot.press("p")
        form = app.screen
        form.query_one("#planned_at").value = "next tuesday"
        form.query_one("#purposes", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert {f.field for f in form.query("FormField") if f.has_class("-invalid")} == {"planned_at", "purposes"}
        await pilot.press("escape")
    assert Visit.select().count() == 0


async def test_recording_a_visit_ticks_milestones_moves_contacts_and_offers_the_next_stage(make_app):
    app = make_app()
    account, deal, boss = setup_account(app.process)
    stage_one = list(
        Milestone.select().where((Milestone.deal == deal.id) & (Milestone.stage == 1)).order_by(Milestone.position)
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, 3)
        await pilot.press("p")
        form = app.screen
        checklist = form.query_one("#milestone_ids", SelectionList)
        checklist.deselect_all()
        for m in stage_one:  # the whole first stage, key node included
            checklist.select(m.id)
        form.query_one("#planned_at").value = (TODAY - dt.timedelta(days=1)).isoformat() + " 10:00"
        form.query_one("#attendee_ids", SelectionList).select(boss.id)
        await pilot.press("ctrl+s")
        await pilot.pause()

        await pilot.press("r")  # record it
        assert isinstance(app.screen, DebriefForm)
        debrief = app.screen
        for m in stage_one:
            debrief.query_one(f"#reached-{m.id}", Checkbox).value = True
        debrief.query_one(f"#note-{stage_one[0].id}").value = "Downtime costs them 2M a year"
        debrief.query_one("#outcome").value = "Project confirmed, owner named"
        debrief.query_one("#commitment").value = "Plant visit on Friday"
        debrief.query_one("#next_step").value = "Send the site visit agenda"
        debrief.query_one("#next_step_date").value = (TODAY + dt.timedelta(days=2)).isoformat()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # key node reached: advance?
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        deal_row = [str(c) for c in app.screen.query_one("#deals", DataTable).get_row_at(0)]
        assert deal_row[1] == "2 Entry" and deal_row[4] == "0/5"
        await pilot.press("escape")
        await pilot.pause()
        line = app.screen.query_one("AccountTable").render_line(1).text
        assert "1 d ago" in line
    assert Deal.get_by_id(deal.id).stage == 2
    assert all(m.status == "reached" for m in Milestone.select().where(Milestone.id.in_([m.id for m in stage_one])))
    assert Person.get_by_id(boss.id).last_contacted == TODAY - dt.timedelta(days=1)
    saved = Account.get_by_id(account.id)
    assert (saved.next_step, saved.next_step_date) == ("Send the site visit agenda", TODAY + dt.timedelta(days=2))
    assert VisitItem.get(VisitItem.milestone == stage_one[0].id).note == "Downtime costs them 2M a year"


async def test_milestones_can_be_reordered_skipped_with_a_reason_and_reopened(make_app):
    app = make_app()
    _account, deal, _boss = setup_account(app.process)
    ids = milestone_ids(deal)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, 0)
        await pilot.press("m")
        assert isinstance(app.screen, DealMilestones)
        screen = app.screen
        assert "1 Development 0/7" in str(screen.query_one("#milestones-progress").render())
        await pilot.press("shift+down")  # the first question moves below the second
        await pilot.pause()
        order = [
            m.id
            for m in Milestone.select().where(Milestone.deal == deal.id).order_by(Milestone.stage, Milestone.position)
        ]
        assert order[:2] == [ids[1], ids[0]]
        await pilot.press("s")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+s")  # no reason: refused
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        for ch in "They have no supplier yet":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert "1 Development 0/6" in str(screen.query_one("#milestones-progress").render())
        skipped = Milestone.get_by_id(ids[0])
        assert (skipped.status, skipped.skip_reason) == ("skipped", "They have no supplier yet")
        await pilot.press("o")
        await pilot.pause()
        assert Milestone.get_by_id(ids[0]).status == "open"
        await pilot.press("a")
        for ch in "Who pays?":
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
    added = Milestone.get(Milestone.question == "Who pays?")
    assert added.stage == 1 and added.deal_id == deal.id


async def test_milestone_text_shows_literally(make_app):
    app = make_app()
    _account, deal, _boss = setup_account(app.process)
    Milestone.update(question="[red]Budget[/] 预算？").where(Milestone.id == milestone_ids(deal)[0]).execute()
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(app, pilot, 0)
        await pilot.press("m")
        await pilot.pause()
        table = app.screen.query_one("#milestones", DataTable)
        assert str(table.get_row_at(0)[1]).startswith("[red]Budget[/] 预算？")


async def test_a_broken_process_file_is_reported_and_the_built_in_one_used(store, tmp_path):
    from saletui.process.load import builtin_path, load_with_fallback
    from saletui.settings import load_settings
    from saletui.ui.app import SaletuiApp

    broken = tmp_path / "process.yaml"  # a team lead's copy of the built-in file, with a typo
    lines = builtin_path("en").read_text(encoding="utf-8").splitlines()
    typo_line = lines.index("    name: Development") + 1
    lines[typo_line - 1] = "    nmae: Development"
    broken.write_text("\n".join(lines), encoding="utf-8")
    process, error = load_with_fallback(broken, "en")
    assert error is not None and error.line == typo_line and "did you mean `name`" in str(error)
    assert process.source.name == "process.yaml" and process.source != broken  # the built-in one
    account = accounts.save(AccountDraft(name="Northwind"))
    app = SaletuiApp(load_settings(None), store, today=lambda: TODAY, process=process, process_error=str(error))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in notifications(app)]
        assert any("process file has an error" in m and f"{broken}:{typo_line}" in m for m in messages)
        # ...and the app keeps working on the built-in milestones.
        deal = deals.save(account.id, DealDraft(title="Fleet"), process=app.process)
        assert Milestone.select().where(Milestone.deal == deal.id).count() == sum(
            len(s.milestones) for s in process.stages
        )
