"""Two windows on one database: a form saved over a row that another window saved after the
form was opened is refused (StaleEditError, carrying the row as stored now) instead of
silently undoing the other window's change; nothing is written on refusal. Every store write
that changes an edited row moves its version on, so the check cannot miss one."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from peewee import DoesNotExist

from saletui.errors import StaleEditError
from saletui.process.load import builtin_path, load_process
from saletui.store import accounts, deals, milestones, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Account, Deal, Milestone, Person, Visit, VisitAttendee
from saletui.store.people import PersonDraft
from saletui.store.visits import Debrief, VisitPlan


@dataclasses.dataclass
class Book:
    account: int
    deal: int
    person: int
    visit: int
    milestone: int


@pytest.fixture
def book(store) -> Book:
    account = accounts.save(AccountDraft(name="Acme Steel", industry="Steel", region="Ohio")).id
    deal = deals.save(account, DealDraft(title="MES upgrade", stage=1), process=load_process(builtin_path("en"))).id
    person = people.save(account, PersonDraft(name="Li Wei", title="Buyer")).id
    first = milestones.for_deal(deal)[0].id
    visit = visits.plan_visit(
        account,
        # The day before the tests' today: recording it asks nothing about a future date.
        VisitPlan(planned_at="2026-11-24 09:00", deal_id=deal, purposes=["progress"], milestone_ids=[first]),
    ).id
    return Book(account, deal, person, visit, first)


def _account(b: Book, v: int | None, **change: str) -> Any:
    draft = dataclasses.replace(AccountDraft.from_account(accounts.get(b.account)), **change)
    return accounts.save(draft, b.account, expected_version=v)


def _person(b: Book, v: int | None, **change: str) -> Any:
    draft = dataclasses.replace(PersonDraft.from_person(people.get(b.person)), **change)
    return people.save(b.account, draft, b.person, expected_version=v)


def _deal(b: Book, v: int | None, **change: str) -> Any:
    draft = dataclasses.replace(DealDraft.from_deal(deals.get(b.deal)), **change)
    return deals.save(b.account, draft, b.deal, expected_version=v)


def _plan(b: Book, v: int | None, **change: str) -> Any:
    plan = dataclasses.replace(VisitPlan.from_visit(visits.get(b.visit)), **change)
    return visits.plan_visit(b.account, plan, b.visit, expected_version=v)


def _record(b: Book, v: int | None, **change: str) -> Any:
    stored = visits.get(b.visit)
    debrief = Debrief(outcome=stored.outcome, commitment=stored.commitment, next_step=stored.next_step)
    return visits.record_outcome(b.visit, dataclasses.replace(debrief, **change), expected_version=v)


def _skip(b: Book, v: int | None, **change: str) -> Any:
    return milestones.skip(b.milestone, change["skip_reason"], expected_version=v)


def _note(b: Book, v: int | None, **change: str) -> Any:
    return milestones.edit(b.milestone, "Do we know their buying criteria?", change["note"], expected_version=v)


# what the form edits: its model, the row's id, the save, window B's change, window A's change
KINDS: dict[str, tuple[Any, Callable[[Book], int], Callable[..., Any], dict[str, str], dict[str, str]]] = {
    "account": (Account, lambda b: b.account, _account, {"industry": "Metals"}, {"region": "Texas"}),
    "person": (Person, lambda b: b.person, _person, {"title": "Head of purchasing"}, {"department": "Purchasing"}),
    "deal": (Deal, lambda b: b.deal, _deal, {"title": "MES upgrade, phase 2"}, {"expected_close": "2027-03-31"}),
    "visit plan": (Visit, lambda b: b.visit, _plan, {"objective": "Agree the criteria"}, {"give": "A reference"}),
    "visit record": (Visit, lambda b: b.visit, _record, {"outcome": "Criteria agreed"}, {"commitment": "Trial"}),
    "milestone skip": (Milestone, lambda b: b.milestone, _skip, {"skip_reason": "Framework"}, {"skip_reason": "No"}),
    "milestone note": (Milestone, lambda b: b.milestone, _note, {"note": "Signed off"}, {"note": "Mine"}),
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_form_saved_after_another_window_saved_is_refused_with_what_is_stored(book, kind):
    model, row_id, save, theirs, mine = KINDS[kind]
    opened_at = model.get_by_id(row_id(book)).version  # window A opens the form
    save(book, model.get_by_id(row_id(book)).version, **theirs)  # window B saves first
    stored = model.get_by_id(row_id(book))
    assert stored.version == opened_at + 1

    with pytest.raises(StaleEditError) as refused:
        save(book, opened_at, **mine)  # A saves over what it read

    assert refused.value.current.version == stored.version
    assert model.get_by_id(row_id(book)).__data__ == stored.__data__, "nothing written on refusal"
    for column, value in theirs.items():
        assert str(getattr(refused.value.current, column)) == value, "the refusal carries B's change"


@pytest.mark.parametrize("kind", list(KINDS))
def test_overwriting_with_the_stored_version_saves_mine_and_moves_the_version_on(book, kind):
    model, row_id, save, theirs, mine = KINDS[kind]
    opened_at = model.get_by_id(row_id(book)).version
    save(book, opened_at, **theirs)
    with pytest.raises(StaleEditError) as refused:
        save(book, opened_at, **mine)

    save(book, refused.value.current.version, **mine)

    row = model.get_by_id(row_id(book))
    assert row.version == opened_at + 2
    for column, value in mine.items():
        got = getattr(row, column)
        assert (got.isoformat() if hasattr(got, "isoformat") else got) == value


@pytest.mark.parametrize("kind", list(KINDS))
def test_saving_a_row_deleted_meanwhile_says_it_is_gone(book, kind):
    model, row_id, save, theirs, _mine = KINDS[kind]
    opened_at = model.get_by_id(row_id(book)).version
    model.delete().where(model.id == row_id(book)).execute()
    with pytest.raises(DoesNotExist):
        save(book, opened_at, **theirs)


def test_a_refused_account_save_rolls_back_the_deals_it_had_rescaled(book):
    deals.save(book.account, DealDraft(title="Spare parts", value="1,500.50", stage=2))
    opened_at = accounts.get(book.account).version
    _account(book, opened_at, industry="Metals")
    with pytest.raises(StaleEditError):
        _account(book, opened_at, currency="KWD")  # would rescale the deals to fils
    assert accounts.get(book.account).currency == "CNY"
    assert sorted(d.value for d in Deal.select() if d.value is not None) == [150050]


def test_a_refused_re_plan_keeps_the_attendees_the_other_window_saved(book):
    opened_at = visits.get(book.visit).version
    _plan(book, opened_at, attendee_ids=[book.person])
    with pytest.raises(StaleEditError):
        _plan(book, opened_at, attendee_ids=[], objective="Mine")
    assert [a.person_id for a in VisitAttendee.select()] == [book.person]


def test_every_write_to_an_edited_row_moves_its_version_on(book):
    """So that no write slips past an open form: the quick edits, archive, close, cancel,
    reorder, stage changes and the debrief's effects on other rows too."""

    def bumps(model: Any, row_id: int, write: Callable[[], object]) -> None:
        before = model.get_by_id(row_id).version
        write()
        assert model.get_by_id(row_id).version == before + 1, write

    other = people.save(book.account, PersonDraft(name="Wang Fang")).id
    bumps(Person, book.person, lambda: people.toggle_coach(book.person))
    bumps(Person, book.person, lambda: people.shift_influence(book.person, 1))
    bumps(Person, book.person, lambda: people.cycle_attitude(book.person))
    bumps(Person, book.person, lambda: people.move(book.person, other))
    bumps(Person, book.person, lambda: people.delete(other))  # their report moves up
    bumps(Account, book.account, lambda: accounts.archive(book.account))
    bumps(Account, book.account, lambda: accounts.restore(book.account))
    bumps(Deal, book.deal, lambda: visits.set_deal_stage(book.deal, 2))
    bumps(Deal, book.deal, lambda: deals.close(book.deal, "won", "Best offer"))
    bumps(Deal, book.deal, lambda: deals.reopen(book.deal))
    second = milestones.for_deal(book.deal)[1].id
    bumps(Milestone, book.milestone, lambda: milestones.move(second, -1))
    bumps(Milestone, book.milestone, lambda: milestones.reopen(book.milestone))
    visits.plan_visit(book.account, VisitPlan.from_visit(visits.get(book.visit)), book.visit)
    VisitAttendee.create(visit=book.visit, person=book.person)
    debrief = Debrief(results={book.milestone: (True, "")}, outcome="Done", next_step="Send the quote")
    before = {m: m.get_by_id(i).version for m, i in ((Person, book.person), (Milestone, book.milestone))}
    bumps(Account, book.account, lambda: visits.record_outcome(book.visit, debrief))  # its next step
    assert Person.get_by_id(book.person).version == before[Person] + 1  # last contacted
    assert Milestone.get_by_id(book.milestone).version == before[Milestone] + 1  # reached
    cancelled = visits.plan_visit(book.account, VisitPlan(planned_at="2026-12-09 09:00", purposes=["care"])).id
    bumps(Visit, cancelled, lambda: visits.cancel(cancelled))


def test_the_warning_count_alone_does_not_make_an_open_account_form_stale(book):
    """It is a cache the store keeps, not an edit: a person saved elsewhere recounts it."""
    opened_at = accounts.get(book.account).version
    people.save(book.account, PersonDraft(name="Wang Fang", influence="1"))
    assert accounts.get(book.account).version == opened_at
    _account(book, opened_at, region="Texas")  # saves without a question
    assert accounts.get(book.account).region == "Texas"


# -- through the app: window A's form, window B's save in between -------------------------------

SIZE = (120, 40)


@dataclasses.dataclass
class FormCase:
    """A form in window A, opened on `book`; window B saves `theirs` then `again`; A types
    `mine` in field `mine_id`; `shown_id` shows B's change; `stored` reads (B's column, A's)."""

    open: Callable[[Any, Book], Any]
    theirs: Callable[[Book, str], object]
    shown_id: str
    mine_id: str
    stored: Callable[[Book], tuple[str, str]]
    values: tuple[str, str, str] = ("Metals", "Mining", "Texas")  # B's, B's again, mine
    start: str = ""  # what the form shows in B's field when opened


def _push(make_screen: Callable[[Book], Any]) -> Callable[[Any, Book], Any]:
    def open_(pilot: Any, b: Book) -> Any:
        return pilot.app.push_screen(make_screen(b))

    return open_


async def _e_on_the_account_list(pilot: Any, b: Book) -> None:
    from tests.conftest import until

    await until(pilot, lambda: pilot.app.query("AccountTable"), "the list is shown")
    await pilot.press("e")  # the only account is highlighted


def _milestones_then(key: str) -> Callable[[Any, Book], Any]:
    async def open_(pilot: Any, b: Book) -> None:
        from saletui.ui.screens.deal_milestones import DealMilestones

        await pilot.app.push_screen(DealMilestones(b.deal))
        await pilot.press(key)

    return open_


def _b_saves(kind: str, column: str) -> Callable[[Book, str], object]:
    """Window B: reads the row and saves one change to it, as its own form would."""
    model, row_id, save, _theirs, _mine = KINDS[kind]

    def theirs(b: Book, value: str) -> object:
        return save(b, model.get_by_id(row_id(b)).version, **{column: value})

    return theirs


def _stored(kind: str, b_col: str, a_col: str) -> Callable[[Book], tuple[str, str]]:
    model, row_id, _save, _theirs, _mine = KINDS[kind]
    return lambda b: (str(getattr(model.get_by_id(row_id(b)), b_col)), str(getattr(model.get_by_id(row_id(b)), a_col)))


def _forms() -> dict[str, FormCase]:
    from saletui.ui.screens.deal_form import DealForm
    from saletui.ui.screens.debrief_form import DebriefForm
    from saletui.ui.screens.person_form import PersonForm
    from saletui.ui.screens.visit_form import VisitForm

    return {
        "account": FormCase(
            _e_on_the_account_list,
            _b_saves("account", "industry"),
            "industry",
            "region",
            _stored("account", "industry", "region"),
            start="Steel",
        ),
        "person": FormCase(
            _push(lambda b: PersonForm(b.account, b.person)),
            _b_saves("person", "title"),
            "title",
            "department",
            _stored("person", "title", "department"),
            start="Buyer",
        ),
        "deal": FormCase(
            _push(lambda b: DealForm(b.account, b.deal)),
            _b_saves("deal", "title"),
            "title",
            "expected_close",
            _stored("deal", "title", "expected_close"),
            values=("MES phase 2", "MES phase 3", "2027-03-31"),
            start="MES upgrade",
        ),
        "visit plan": FormCase(
            _push(lambda b: VisitForm(b.account, b.visit)),
            _b_saves("visit plan", "objective"),
            "objective",
            "give",
            _stored("visit plan", "objective", "give"),
        ),
        "visit record": FormCase(
            _push(lambda b: DebriefForm(b.visit)),
            _b_saves("visit record", "outcome"),
            "outcome",
            "commitment",
            _stored("visit record", "outcome", "commitment"),
        ),
        "milestone skip": FormCase(
            _milestones_then("s"),
            _b_saves("milestone skip", "skip_reason"),
            "prompt-text",
            "prompt-text",
            _stored("milestone skip", "skip_reason", "skip_reason"),
        ),
        "milestone question": FormCase(
            _milestones_then("e"),
            lambda b, q: milestones.edit(b.milestone, q, expected_version=Milestone.get_by_id(b.milestone).version),
            "prompt-text",
            "prompt-text",
            _stored("milestone note", "question", "question"),
            values=("Who decides?", "Who signs?", "Who pays?"),
        ),
    }


@pytest.mark.parametrize("kind", list(_forms()))
async def test_saving_over_another_windows_change_asks_reload_overwrite_or_keep_editing(book, make_app, kind):
    from textual.widgets import Input

    from saletui.ui.screens.stale_edit import StaleEditForm, StaleEditScreen
    from tests.conftest import until

    case = _forms()[kind]
    theirs, again, mine = case.values
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await case.open(pilot, book)
        await until(pilot, lambda: app.screen.query(f"#{case.mine_id}"), "the form is open")
        form = app.screen
        if case.start:  # the question's prompt: its first value is the stored question
            assert form.query_one(f"#{case.shown_id}", Input).value == case.start

        async def type_mine() -> None:
            field = form.query_one(f"#{case.mine_id}", Input)
            field.value = ""
            field.focus()
            for ch in mine:
                await pilot.press(ch if ch != " " else "space")

        async def save_and_get_asked() -> None:
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, StaleEditScreen), "asked what to do")

        case.theirs(book, theirs)  # window B saves while A's form is open
        await type_mine()
        await save_and_get_asked()
        assert case.stored(book)[0] == theirs, "nothing of A's written yet"

        await pilot.press("k")  # keep editing: back to the form, what A typed still there
        await until(pilot, lambda: app.screen is form, "back to the form")
        assert form.query_one(f"#{case.mine_id}", Input).value == mine
        await save_and_get_asked()  # still stale: asked again

        await pilot.press("r")  # reload: the form shows B's change, A's typing discarded
        await until(pilot, lambda: form.query_one(f"#{case.shown_id}", Input).value == theirs, "B's value shown")
        assert app.screen is form
        if case.mine_id != case.shown_id:
            assert form.query_one(f"#{case.mine_id}", Input).value != mine

        await type_mine()  # typed over the reloaded form, and B saves once more meanwhile
        case.theirs(book, again)
        await save_and_get_asked()
        await pilot.press("o")  # overwrite: A's form as it stands is saved over B's second change
        await until(pilot, lambda: not isinstance(app.screen, StaleEditForm | StaleEditScreen), "saved and closed")
        stored_theirs, stored_mine = case.stored(book)
        assert stored_mine.replace("00", "").startswith(mine.replace("00", "")[:2])
        if case.mine_id != case.shown_id:
            assert stored_theirs == theirs, "B's second change is overwritten by the form's (reloaded) value"


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_the_question_fits_a_small_terminal_and_names_its_keys_in_both_languages(book, make_app, language):
    from textual.widgets import Button

    from saletui.i18n import set_language
    from saletui.ui.screens.account_form import AccountForm
    from saletui.ui.screens.stale_edit import StaleEditScreen
    from tests.conftest import shown_text, until

    set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AccountForm(book.account))
        _account(book, accounts.get(book.account).version, industry="Metals")  # window B
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StaleEditScreen), "asked")
        await pilot.pause()
        screen = app.screen
        for button in screen.query(Button):
            assert screen.region.contains_region(button.region), f"{button.id} is cut off"
            assert button.region.width >= len(str(button.label)), f"{button.id} label is cut"
        question = shown_text(screen.query_one("#stale-question"), width=80)
        assert ("期间已更改" if language == "zh_CN" else "Changed meanwhile") in question
        label, dialog = screen.query_one("#stale-question"), screen.query_one("#form-dialog")
        assert label.region.height >= 4 and dialog.max_scroll_x == 0, "the question wraps inside the dialog"
        assert screen.region.contains_region(dialog.region)
        keys = {b.binding.id: b.binding.description for b in screen.active_bindings.values() if b.binding.id}
        described = {"stale.reload": "Reload", "stale.overwrite": "Overwrite", "stale.keep": "Keep editing"}
        if language == "zh_CN":
            described = {"stale.reload": "重新加载", "stale.overwrite": "覆盖", "stale.keep": "继续编辑"}
        assert {k: keys.get(k) for k in described} == described, "the keys, described in the language shown"
