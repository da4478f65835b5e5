"""A rep writes the year's action plan of a 5+5+5 account from the keyboard: the objective
spread over the months (a split that misses the year is refused with the difference), an
action that then shows on the timeline in its month, and what we want from a contact."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, Label, Select

from saletui.store import accounts, people, plans
from saletui.store.accounts import AccountDraft
from saletui.store.models import PlanAction
from saletui.store.people import PersonDraft
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.plan_forms import ActionForm, ContactObjectiveForm, PlanForm
from saletui.ui.widgets.plan_timeline import PlanTimeline
from tests.conftest import TODAY, show_tab, until

SIZE = (100, 32)


def timeline_lines(screen: AccountScreen) -> list[str]:
    table = screen.query_one(PlanTimeline)
    return ["".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def test_rep_plans_the_year_with_its_split_and_an_action_shown_on_the_timeline(make_app):
    acme = accounts.save(AccountDraft(name="Acme Steel", relationship="customer", tier="top5", owner="Li")).id
    people.save_person(acme, PersonDraft(name="Wang Lei", title="Plant manager", influence="1"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await show_tab(pilot, app, "tab-plan")
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        assert "No plan for 2026 yet" in str(screen.query_one("#plan-summary", Label).render())

        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, PlanForm), "the plan form")
        form = app.screen
        await type_text(pilot, "1.2M")
        await until(pilot, lambda: form.query_one("#month-12", Input).value == "100,000", "the even split")
        assert "add up to the year's objective" in str(form.query_one("#split-sum", Label).render())
        # The rep moves 50,000 from December to January, but mistypes January first.
        form.query_one("#month-12", Input).value = "50,000"
        form.query_one("#month-1", Input).value = "140,000"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#field-months").has_class("-invalid"), "the refusal")
        message = str(form.query_one("#field-months .form-field--error", Label).render())
        assert "CNY 1,190,000" in message and "CNY 10,000 less" in message
        assert plans.get(acme, 2026) is None
        assert app.focused is form.query_one("#month-1", Input)
        form.query_one("#month-1", Input).value = "150,000"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the plan saved")
        plan = plans.get(acme, 2026)
        assert plan is not None and plan.objective == 120_000_000
        assert plans.months_of(plan.id)[0] == 15_000_000 and plans.months_of(plan.id)[11] == 5_000_000
        assert "Plan 2026: CNY 1,200,000" in str(screen.query_one("#plan-summary", Label).render())

        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ActionForm), "the action form")
        action_form = app.screen
        assert action_form.query_one("#owner", Input).value == "Li"  # the account's owner
        await type_text(pilot, "Plant visit with QA")
        action_form.query_one("#due_on", Input).value = "2026-12-03"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the action saved")
        action = PlanAction.get()
        assert (action.what, action.owner, action.due_on, action.status) == (
            "Plant visit with QA",
            "Li",
            dt.date(2026, 12, 3),
            "open",
        )
        lines = timeline_lines(screen)
        assert lines[0].startswith(" Expected") and lines[1].startswith(" Actual")
        assert lines[2].startswith(" ○ Plant visit with QA")
        assert lines[2].rstrip().endswith("○ 3")  # its mark in December, the last column
        assert screen.query_one(PlanTimeline).selected.id == action.id
        assert "Due: 2026-12-03" in str(screen.query_one("#plan-detail", Label).render())

        await pilot.press("s")
        await until(pilot, lambda: PlanAction.get().status == "done", "the action done")
        await until(pilot, lambda: timeline_lines(screen)[2].startswith(" ✓"), "the timeline shows it done")

        await pilot.press("tab")
        await until(pilot, lambda: app.focused is screen.query_one("#plan-contacts"), "the contacts table")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ContactObjectiveForm), "the contact objective form")
        contact_form = app.screen
        select = contact_form.query_one("#person_id", Select)
        select.value = people.for_account(acme)[0].id
        contact_form.query_one("#objective", Input).focus()
        await type_text(pilot, "Sponsor the trial")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the objective saved")
        assert [(c.name, c.objective) for c in plans.contacts(plan.id)] == [("Wang Lei", "Sponsor the trial")]
        table = screen.query_one("#plan-contacts")
        assert [str(c) for c in table.get_row_at(0)] == ["Wang Lei", "Plant manager", "Sponsor the trial"]


async def test_an_action_due_this_week_shows_on_the_list_as_needing_attention(make_app):
    acme = accounts.save(AccountDraft(name="Acme Steel", relationship="customer", tier="top5")).id
    months = [plans.parse.format_amount(m, "CNY") for m in plans.method.even_split(120_000_000, "CNY")]
    plan = plans.save_plan(acme, TODAY.year, plans.PlanDraft(objective="1.2M", months=months))
    plans.save_action(
        plan.id, plans.ActionDraft(what="Renew the contract", due_on=(TODAY + dt.timedelta(days=2)).isoformat())
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        status = app.screen.query_one("#list-status", Label)
        await until(pilot, lambda: "plan action due in 2 days" in str(status.render()), "the reason in the status")
