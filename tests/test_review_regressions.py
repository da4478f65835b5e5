"""Bugs found in review, each with the test that would have caught it."""

from __future__ import annotations

import datetime as dt

from textual.widgets import SelectionList

from saletui.store import accounts, deals, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Milestone, Person, Visit, VisitItem
from saletui.store.people import PersonDraft
from saletui.store.visits import Debrief, VisitPlan
from saletui.ui.compat import notifications
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.screens.visit_form import VisitForm
from tests.conftest import TODAY, switch_tabs

SIZE = (130, 40)


def planned_visit(app, checklist_index: int = 2):
    account = accounts.save(AccountDraft(name="Northwind"))
    deal = deals.save(account.id, DealDraft(title="Fleet"), process=app.process)
    boss = people.save(account.id, PersonDraft(name="Anna"))
    ids = [
        m.id for m in Milestone.select().where(Milestone.deal == deal.id).order_by(Milestone.stage, Milestone.position)
    ]
    visit = visits.plan_visit(
        account.id,
        VisitPlan(
            planned_at=f"{TODAY} 10:00",
            deal_id=deal.id,
            purposes=["progress"],
            attendee_ids=[boss.id],
            milestone_ids=[ids[checklist_index]],
        ),
    )
    return account, deal, boss, visit, ids


async def test_re_planning_a_visit_keeps_its_own_checklist(make_app):
    app = make_app()
    _account, _deal, _boss, visit, ids = planned_visit(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await switch_tabs(pilot, app, 3)
        await pilot.press("enter")  # re-plan
        assert isinstance(app.screen, VisitForm)
        await pilot.pause()
        assert list(app.screen.query_one("#milestone_ids", SelectionList).selected) == [ids[2]]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert [i.milestone_id for i in VisitItem.select().where(VisitItem.visit == visit.id)] == [ids[2]]


def test_unticking_on_a_second_recording_reopens_the_milestone(make_app):
    app = make_app()
    _account, _deal, _boss, visit, ids = planned_visit(app)
    visits.record_outcome(visit.id, Debrief(results={ids[2]: (True, "")}), TODAY)
    assert Milestone.get_by_id(ids[2]).status == "reached"
    visits.record_outcome(visit.id, Debrief(results={ids[2]: (False, "")}), TODAY)
    assert (Milestone.get_by_id(ids[2]).status, Milestone.get_by_id(ids[2]).reached_visit_id) == ("open", None)


def test_recording_ahead_of_the_planned_day_dates_the_contact_today(make_app):
    app = make_app()
    _account, _deal, boss, visit, ids = planned_visit(app)
    Visit.update(planned_at=dt.datetime.combine(TODAY + dt.timedelta(days=7), dt.time(10))).where(
        Visit.id == visit.id
    ).execute()
    visits.record_outcome(visit.id, Debrief(results={ids[2]: (True, "")}), TODAY)
    assert Person.get_by_id(boss.id).last_contacted == TODAY
    assert Milestone.get_by_id(ids[2]).reached_on == TODAY


async def test_saving_the_brief_where_it_cannot_be_written_says_so(make_app, tmp_path):
    accounts.save(AccountDraft(name="[red]x[/] & Co"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BriefScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TextPrompt)
        suggested = app.screen.query_one("#prompt-text").value
        assert suggested.endswith("/brief-red-x-Co.md")  # a brief's name, by the same rule as the org chart's
        app.screen.query_one("#prompt-text").value = str(tmp_path / "no" / "such" / "dir" / "b.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # still open, with the reason beside the field
        assert app.screen.query_one("#field-path").has_class("-invalid")
        assert app.is_running


async def test_a_missing_external_editor_is_reported_not_fatal(make_app, monkeypatch):
    monkeypatch.setenv("VISUAL", "no-such-editor-here")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, PlaybookScreen)
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert app.is_running
        assert any("Cannot start the editor" in n.message for n in notifications(app))
