"""A rep reads a past visit, corrects its record, and never loses a typed form to one Esc."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Checkbox, Input, SelectionList, TextArea

from saletui.i18n import set_language
from saletui.store import accounts, deals, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Account, Milestone, Person, Visit, VisitAttendee, VisitItem, VisitObjection
from saletui.store.objection_log import RaisedObjection
from saletui.store.people import PersonDraft
from saletui.store.visits import Debrief, VisitPlan
from saletui.ui.compat import notifications
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.visit_record import VisitRecordScreen
from tests.conftest import TODAY, show_tab, shown_text, switch_tabs, traced_statements, until

SMALL = (80, 24)
YESTERDAY = TODAY - dt.timedelta(days=1)


def a_recorded_visit(app_process) -> tuple[Account, Person, Person, Visit, list[int]]:
    """An account whose boss was met yesterday: two checklist items (one reached, with a
    note), an objection answered with a technique that worked, a debrief of two lines."""
    account = accounts.save(AccountDraft(name="华东精密机械有限公司"))
    deal = deals.save(account.id, DealDraft(title="MES 二期 [bold]x[/]", stage=1), process=app_process)
    boss = people.save(account.id, PersonDraft(name="王建国 [red]boss[/]", title="总经理 🚀", influence="1"))
    buyer = people.save(account.id, PersonDraft(name="Li Na", title="Buyer", influence="3"))
    checklist = [
        m.id for m in Milestone.select().where(Milestone.deal == deal.id).order_by(Milestone.stage, Milestone.position)
    ][:2]
    visit = visits.plan_visit(
        account.id,
        VisitPlan(
            planned_at=f"{YESTERDAY.isoformat()} 10:00",
            deal_id=deal.id,
            purposes=["progress"],
            attendee_ids=[boss.id],
            milestone_ids=checklist,
            objective="Agree the problem",
        ),
    )
    visits.record_outcome(
        visit.id,
        Debrief(
            results={checklist[0]: (True, "停机每年损失 2M [i]"), checklist[1]: (False, "")},
            outcome="Project confirmed [green]ok[/]",
            commitment="Plant visit Friday",
            debrief="First line\nSecond line 第二行",
            next_step="Send the agenda",
            next_step_date=(TODAY + dt.timedelta(days=2)).isoformat(),
            objections=[
                RaisedObjection("too-expensive", "Too expensive", "value", "Show the value", True, "they nodded")
            ],
        ),
        TODAY,
    )
    return account, boss, buyer, Visit.get_by_id(visit.id), checklist


async def open_visits(app, pilot) -> AccountScreen:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opened")
    await show_tab(pilot, app, "tab-visits")
    return app.screen


def everything_stored() -> tuple:
    return (
        [(v.status, v.outcome, v.debrief, v.planned_at) for v in Visit.select()],
        [(i.result, i.note) for i in VisitItem.select().order_by(VisitItem.id)],
        [(o.objection_id, o.worked, o.note) for o in VisitObjection.select()],
        sorted(a.person_id for a in VisitAttendee.select()),
        [(p.name, p.last_contacted) for p in Person.select().order_by(Person.id)],
    )


async def test_enter_on_a_recorded_visit_shows_the_whole_record_read_only_at_80x24(make_app):
    app = make_app()
    *_rest, _checklist = a_recorded_visit(app.process)
    before = everything_stored()
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, VisitRecordScreen), "the record opened")
        screen = app.screen
        text = shown_text(screen.query_one("#visit-record-text"), width=70)
        for expected in (
            "王建国 [red]boss[/] · 总经理 🚀",  # user text literally, markup not read
            "[x] 1 Development",
            "停机每年损失 2M [i]",
            "[ ]",
            "Project confirmed [green]ok[/]",
            "Plant visit Friday",
            "First line",
            "Second line 第二行",
            f"Send the agenda ({(TODAY + dt.timedelta(days=2)).isoformat()})",
            "Too expensive → Show the value  worked",
            "they nodded",
            "MES 二期 [bold]x[/]",
        ):
            assert expected in text, expected
        dialog = screen.query_one("#form-dialog")
        assert dialog.region.bottom <= SMALL[1] and dialog.region.right <= SMALL[0]  # fits 80x24
        body = screen.query_one("#form-body")
        assert app.focused is body and body.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await until(pilot, lambda: body.scroll_y == body.max_scroll_y, "scrolled to the objections")
        await pilot.press("x", "r", "space", "ctrl+s")  # keys of other screens change nothing here
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "closed at once")
    assert everything_stored() == before


async def test_the_record_reads_in_chinese_too(make_app):
    set_language("zh_CN")
    app = make_app()
    a_recorded_visit(app.process)
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, VisitRecordScreen), "the record opened")
        text = shown_text(app.screen.query_one("#visit-record-text"), width=70)
        assert "检查单" in text and "状态：已完成" in text
        assert "Project confirmed [green]ok[/]" in text  # user text stays as typed
        for english in ("Who you met", "Checklist", "Outcome", "Debrief", "Next step", "Objections raised", "worked"):
            assert english not in text, english


async def test_r_on_a_recorded_visit_reads_it_and_e_corrects_it_losing_nothing(make_app):
    app = make_app()
    _account, boss, _buyer, visit, checklist = a_recorded_visit(app.process)
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("r")  # once replaced the outcome in one keystroke: now it reads
        await until(pilot, lambda: isinstance(app.screen, VisitRecordScreen), "the record opened")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the correction form")
        form = app.screen
        assert form.query_one(f"#reached-{checklist[0]}", Checkbox).value is True
        assert form.query_one(f"#note-{checklist[0]}", Input).value == "停机每年损失 2M [i]"
        assert form.query_one("#outcome", Input).value == "Project confirmed [green]ok[/]"
        assert form.query_one("#debrief", TextArea).text == "First line\nSecond line 第二行"
        assert form.query_one("#happened_at", Input).value == f"{YESTERDAY.isoformat()} 10:00"
        assert list(form.query_one("#attendee_ids", SelectionList).selected) == [boss.id]
        assert "Too expensive" in str(form.query_one("#raised-list").render())
        form.query_one("#outcome", Input).focus()
        await pilot.press("end", "!")
        with traced_statements() as seen:
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, AccountScreen), "saved")
        assert seen.transactions == 1  # checklist, objections, people met and the visit together
    saved = Visit.get_by_id(visit.id)
    assert (saved.status, saved.outcome) == ("done", "Project confirmed [green]ok[/]!")
    assert (saved.commitment, saved.debrief) == ("Plant visit Friday", "First line\nSecond line 第二行")
    assert [(i.result, i.note) for i in VisitItem.select().order_by(VisitItem.position)] == [
        ("reached", "停机每年损失 2M [i]"),
        ("not_reached", ""),
    ]
    assert Milestone.get_by_id(checklist[0]).status == "reached"
    objection = VisitObjection.get()
    assert (objection.technique_id, objection.worked, objection.note) == ("value", True, "they nodded")
    assert Person.get_by_id(boss.id).last_contacted == YESTERDAY


async def test_correcting_who_was_met_moves_their_last_contact_and_the_warnings(make_app):
    app = make_app()
    account, boss, buyer, visit, _checklist = a_recorded_visit(app.process)
    older = visits.plan_visit(
        account.id, VisitPlan(planned_at="2026-01-05 09:00", purposes=["care"], attendee_ids=[boss.id])
    )
    visits.record_outcome(older.id, Debrief(outcome="Coffee"), TODAY)
    assert Person.get_by_id(boss.id).last_contacted == YESTERDAY
    async with app.run_test(size=(120, 36)) as pilot:
        await open_visits(app, pilot)  # the newest visit is highlighted
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the correction form")
        app.screen.query_one("#attendee_ids", SelectionList).focus()
        await pilot.press("space", "down", "space")  # the boss was not there after all; Li Na was
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "saved")
        await switch_tabs(pilot, app, -1)  # the power map
        power = shown_text(app.screen.query_one("#power-map"))
        assert "has never been contacted" not in power
    # The boss's last contact falls back to the older visit they did attend; Li Na was met yesterday.
    assert Person.get_by_id(boss.id).last_contacted == dt.date(2026, 1, 5)
    assert Person.get_by_id(buyer.id).last_contacted == YESTERDAY
    assert sorted(a.person_id for a in VisitAttendee.select().where(VisitAttendee.visit == visit.id)) == [buyer.id]
    assert Account.get_by_id(account.id).warning_count == len(people.warnings_for(account.id))


async def test_meeting_someone_on_a_recorded_visit_ends_never_contacted(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    boss = people.save(account.id, PersonDraft(name="Tom Becker", influence="1"))
    visits.plan_visit(account.id, VisitPlan(planned_at=f"{TODAY.isoformat()} 08:00", purposes=["care"]))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_visits(app, pilot)
        await switch_tabs(pilot, app, -1)
        assert "Tom Becker (L1) has never been contacted" in shown_text(screen.query_one("#power-map"))
        await switch_tabs(pilot, app, 1)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the record form")
        app.screen.query_one("#attendee_ids", SelectionList).focus()
        await pilot.press("space", "ctrl+s")  # met Tom today
        await until(pilot, lambda: app.screen is screen, "recorded")
        await switch_tabs(pilot, app, -1)
        assert "never been contacted" not in shown_text(screen.query_one("#power-map"))
    assert Person.get_by_id(boss.id).last_contacted == TODAY
    assert Account.get_by_id(account.id).warning_count == len(people.warnings_for(account.id))


async def test_recording_a_visit_dated_in_the_future_asks_first(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    visit = visits.plan_visit(
        account.id, VisitPlan(planned_at=f"{(TODAY + dt.timedelta(days=3)).isoformat()} 09:00", purposes=["care"])
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the record form")
        form = app.screen
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked about the future date")
        assert "in the future" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")
        await until(pilot, lambda: app.screen is form, "back in the form")
        assert Visit.get_by_id(visit.id).status == "planned"
        form.query_one("#happened_at", Input).value = f"{TODAY.isoformat()} 09:00"  # it was today after all
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "recorded without asking")
    saved = Visit.get_by_id(visit.id)
    assert (saved.status, saved.planned_at) == ("done", dt.datetime.combine(TODAY, dt.time(9)))


async def test_a_future_date_is_recorded_once_the_rep_confirms(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    visit = visits.plan_visit(
        account.id, VisitPlan(planned_at=f"{(TODAY + dt.timedelta(days=3)).isoformat()} 09:00", purposes=["care"])
    )
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DebriefForm), "the record form")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "recorded")
    assert Visit.get_by_id(visit.id).status == "done"


async def test_keys_that_do_not_fit_a_visit_say_which_key_does(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    visits.plan_visit(account.id, VisitPlan(planned_at="2026-01-05 09:00", purposes=["care"]))
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("e")
        await until(pilot, lambda: notifications(app), "a message")
        assert "r records it, Enter re-plans it" in notifications(app)[-1].message
        assert isinstance(app.screen, AccountScreen)
        messages = [n.message for n in notifications(app)]
        assert not any("Only planned visits can be re-planned" in m for m in messages)


async def test_cancelling_a_recorded_visit_says_why_not_and_changes_nothing(make_app):
    app = make_app()
    *_rest, visit, _checklist = a_recorded_visit(app.process)
    async with app.run_test(size=SMALL) as pilot:
        await open_visits(app, pilot)
        await pilot.press("x")
        await until(pilot, lambda: notifications(app), "a message")
        assert "Only a planned visit can be cancelled; this one is done." in notifications(app)[-1].message
        assert isinstance(app.screen, AccountScreen)
    assert Visit.get_by_id(visit.id).status == "done"
