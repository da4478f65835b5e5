"""The agenda: on Monday (here a Wednesday) a rep sees what is due today and this week,
which deals are at risk and why, opens one from the list, and sends the week's visits to
their calendar as an .ics file that updates the same events when written again."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from textual.widgets import DataTable

from saletui.services import agenda, calendar
from saletui.settings import Settings
from saletui.store import accounts, deal_contacts, deals, people, plans, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.people import PersonDraft
from saletui.store.plans import ActionDraft, PlanDraft
from saletui.store.visits import VisitPlan
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.agenda import AgendaScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.widgets.deal_table import DealTable
from saletui.ui.widgets.visit_table import VisitTable
from tests.conftest import TODAY, run_cli, shown_text, stdout_of, until

assert TODAY.weekday() == 2  # a Wednesday: the week runs to Sunday 2026-11-29


@pytest.fixture
def week(store):
    east = accounts.save(AccountDraft(name="华东精密", relationship="customer", tier="top5"))  # never contacted
    west = accounts.save(
        AccountDraft(name="Westwind", next_step="Send the quote", next_step_date="2026-11-20")  # overdue
    )
    boss = people.save(east.id, PersonDraft(name="王总", influence="1"))
    today_visit = visits.plan_visit(
        east.id, VisitPlan(planned_at="2026-11-25 09:30", purposes=["care"], objective="Lunch", attendee_ids=[boss.id])
    )
    friday = visits.plan_visit(west.id, VisitPlan(planned_at="2026-11-27 14:00", kind="call", purposes=["progress"]))
    visits.plan_visit(west.id, VisitPlan(planned_at="2026-12-03 10:00", purposes=["care"]))  # next week: not shown
    plan = plans.save_plan(east.id, 2026, PlanDraft(objective="120", months=["10"] * 12))
    plans.save_action(plan.id, ActionDraft(what="Sign the frame contract", owner="Zhang", due_on="2026-11-26"))
    deal = deals.save(east.id, DealDraft(title="MES", stage=2), today=TODAY)
    deal_contacts.set_roles(deal.id, boss.id, ["decision-maker"])
    return {"east": east.id, "west": west.id, "today": today_visit.id, "friday": friday.id, "deal": deal.id}


def build() -> agenda.Agenda:
    from saletui.store import deal_health

    settings = Settings()
    deal_health.refresh(settings.deal_risks, TODAY)
    return agenda.build(TODAY, settings.thresholds(), settings.after_signing)


def test_today_then_the_rest_of_the_week_in_time_order(week):
    data = build()
    assert data.week_end == dt.date(2026, 11, 29)
    today = [(i.kind, i.account, i.time) for i in data.today_items()]
    assert today[0] == (agenda.Kind.NEXT_STEP, "Westwind", "")  # overdue since the 20th: first
    assert (agenda.Kind.VISIT, "华东精密", "09:30") in today
    reminders = [i.text for i in data.today_items() if i.kind is agenda.Kind.REMINDER]
    assert reminders == ["never contacted"]  # the focus account; Westwind is not tiered
    at_risk = [i.text for i in data.today_items() if i.kind is agenda.Kind.DEAL]
    assert at_risk and at_risk[0].startswith("deal MES at risk: single-threaded")
    assert [(i.kind, i.day) for i in data.week_items()] == [
        (agenda.Kind.ACTION, dt.date(2026, 11, 26)),
        (agenda.Kind.VISIT, dt.date(2026, 11, 27)),
    ]
    text = agenda.render_markdown(data)
    assert "## Today" in text and "- 09:30 · **华东精密** · visit: Lunch" in text
    assert "- 2026-11-27 14:00 · **Westwind** · call" in text


def test_a_long_agenda_shows_the_first_of_each_kind_and_counts_the_rest(week):
    from saletui.account_listing import AccountListing
    from saletui.store import derived

    settings = Settings()
    for n in range(40):  # forty more accounts whose next step is overdue
        accounts.save(AccountDraft(name=f"Overdue {n:02d}", next_step="Call back", next_step_date="2026-11-01"))
    everything = agenda.build(TODAY, settings.thresholds(), settings.after_signing)
    capped = agenda.build(TODAY, settings.thresholds(), settings.after_signing, cap=30)
    steps = [i for i in everything.today_items() if i.kind is agenda.Kind.NEXT_STEP]
    assert len(steps) == 41
    assert [i for i in capped.today_items() if i.kind is agenda.Kind.NEXT_STEP] == steps[:30]
    assert capped.hidden_in(True) == {agenda.Kind.NEXT_STEP: 11}
    assert agenda.more_text(agenda.Kind.NEXT_STEP, 11) == "… and 11 more next steps"
    # The list's rows, handed over, give the same reminders as reading them again.
    listing = AccountListing(
        today=TODAY, thresholds=settings.thresholds(), rows=accounts.list_rows(), trading=derived.trading()
    )
    again = agenda.build(TODAY, settings.thresholds(), settings.after_signing, listing=listing)
    assert again.items == everything.items


async def test_the_rep_opens_the_agenda_and_jumps_to_a_visit_and_to_a_deal_at_risk(make_app, week):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        screen = app.screen
        table = screen.query_one("#agenda-table", DataTable)
        rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows[0][0] == "Today" and any(r[0] == "2026-11-27 14:00" for r in rows)
        visit_row = next(n for n, item in enumerate(screen.items) if item and item.target_id == week["friday"])
        table.move_cursor(row=visit_row)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        account = app.screen
        await until(pilot, lambda: account.query(VisitTable) and account.query_one(VisitTable).selected, "its visits")
        assert account.query_one(VisitTable).selected.id == week["friday"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the agenda")
        deal_row = next(n for n, item in enumerate(screen.items) if item and item.kind is agenda.Kind.DEAL)
        assert "single-threaded" in rows[deal_row][2]
        table.move_cursor(row=deal_row)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the deal's account")
        assert app.screen.query_one(DealTable).selected.id == week["deal"]
        assert "single-threaded" in shown_text(app.screen.query_one("#deal-risks"), width=300)


async def test_back_from_the_account_the_agenda_drops_the_reminder_the_rep_dealt_with(make_app, week):
    from saletui.store.visits import Debrief

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.listing.rows, "the list loaded")
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        screen = app.screen
        row = next(n for n, item in enumerate(screen.items) if item and item.kind is agenda.Kind.REMINDER)
        assert screen.items[row].text == "never contacted"
        screen.query_one("#agenda-table", DataTable).move_cursor(row=row)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        # The rep has had today's lunch with 王总 and records it there.
        visits.record_outcome(week["today"], Debrief(outcome="Fine", happened_at="2026-11-25 09:30"), today=TODAY)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the agenda")
        await until(
            pilot,
            lambda: not any(item and item.kind is agenda.Kind.REMINDER for item in screen.items),
            "the reminder gone from the rebuilt agenda",
        )


def test_the_archive_views_rows_give_no_reminders(week):
    from saletui.account_listing import AccountListing
    from saletui.store import derived

    settings = Settings()
    accounts.archive(week["east"])
    archive = AccountListing(
        today=TODAY, thresholds=settings.thresholds(), rows=accounts.list_rows(archived=True), trading=derived.trading()
    )
    built = agenda.build(TODAY, settings.thresholds(), settings.after_signing, listing=archive)
    assert not any(i.kind is agenda.Kind.REMINDER for i in built.items)


async def test_the_weeks_visits_go_to_the_calendar_and_a_second_export_updates_them(make_app, week, tmp_path):
    app = make_app()
    path = tmp_path / "visits.ics"
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, AgendaScreen), "the agenda")
        await pilot.press("x")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("#prompt-text").value = str(path)
        await pilot.press("enter")
        await until(pilot, path.exists, "the calendar written")
    first = icalendar.Calendar.from_ical(path.read_bytes())
    events = {str(e["uid"]): e for e in first.walk("VEVENT")}
    assert len(events) == 3  # today's, Friday's and next week's planned visits
    lunch = next(e for e in events.values() if "Lunch" in str(e["summary"]))
    assert lunch.decoded("dtstart") == dt.datetime(2026, 11, 25, 9, 30)  # floating: the rep's wall-clock time
    assert lunch.decoded("dtend") == dt.datetime(2026, 11, 25, 10, 30)
    assert "王总" in str(lunch["description"])

    # Friday's call moves to 15:00; the Lunch is cancelled: the same UIDs, newer, one cancelled.
    visits.plan_visit(
        week["west"], VisitPlan(planned_at="2026-11-27 15:00", kind="call", purposes=["progress"]), week["friday"]
    )
    visits.cancel(week["today"])
    calendar.write_visits(path, TODAY)
    again = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")}
    assert set(again) == set(events)
    call = next(e for e in again.values() if str(e["summary"]).startswith("call"))
    assert call.decoded("dtstart").hour == 15 and int(call["sequence"]) > int(events[str(call["uid"])]["sequence"])
    assert str(next(e for e in again.values() if "Lunch" in str(e["summary"]))["status"]) == "CANCELLED"


def test_the_cli_prints_the_agenda_and_writes_the_calendar(week, store, tmp_path):
    from saletui.store import db

    db.close_database()
    printed = run_cli("agenda", db=store, home=tmp_path, cwd=tmp_path)
    assert printed.returncode == 0, printed.stderr
    assert stdout_of(printed).startswith("# Agenda · ")
    written = run_cli("export", "visits", "-o", str(tmp_path / "week.ics"), db=store, home=tmp_path, cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    parsed = icalendar.Calendar.from_ical((tmp_path / "week.ics").read_bytes())
    assert parsed["prodid"] == "-//saletui//visits//EN"
