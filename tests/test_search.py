"""One search: a rep types part of a name, a phone number, an e-mail address, a deal or a
word from visit notes, in Chinese or English, from anywhere (Ctrl+F); results come by
kind, names first, and Enter opens the account on that person, deal or visit. The index
is kept current by the database itself, on every write."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from textual.widgets import Input, OptionList, TabbedContent

from saletui.store import accounts, db, deals, people, search, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import database
from saletui.store.people import PersonDraft
from saletui.store.search import Kind
from saletui.store.visits import Debrief, VisitPlan
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.search import SearchScreen
from saletui.ui.widgets.deal_table import DealTable
from saletui.ui.widgets.org_chart import OrgChart
from saletui.ui.widgets.visit_table import VisitTable
from tests.conftest import TODAY, until


def names(text: str, kind: Kind) -> list[str]:
    return [h.name for h in search.find(text).hits[kind]]


@pytest.fixture
def book(store):
    east = accounts.save(AccountDraft(name="华东精密机械有限公司", industry="机械制造", region="华东"))
    north = accounts.save(AccountDraft(name="Northwind Logistics GmbH", industry="Logistics", region="Hamburg"))
    zhang = people.save(
        east.id,
        PersonDraft(
            name="张伟", title="采购总监", department="采购部", phone="138 1234 5678", email="wei.zhang@hdjm.cn"
        ),
    )
    people.save(east.id, PersonDraft(name="张伟明", title="工程师", phone="021-5063 4739"))
    people.save(north.id, PersonDraft(name="Anna Weber", title="Head of Purchasing", email="anna.weber@northwind.de"))
    people.save(
        north.id, PersonDraft(name="Jens Brandt", title="CFO", email="jens@northwind.de", notes="张伟's friend")
    )
    mes = deals.save(east.id, DealDraft(title="MES系统升级", stage=2), today=TODAY)
    visit = visits.plan_visit(
        north.id, VisitPlan(planned_at="2026-11-20 10:00", purposes=["progress"], objective="Agree the pilot")
    )
    visits.record_outcome(
        visit.id, Debrief(debrief="预算已批，最终由总经理拍板; payment terms still open"), today=TODAY
    )
    return {"east": east.id, "north": north.id, "zhang": zhang.id, "mes": mes.id, "visit": visit.id}


def test_a_two_character_chinese_name_is_found_and_the_exact_name_comes_first(book):
    assert names("张伟", Kind.PERSON) == ["张伟", "张伟明"]
    assert names("伟", Kind.PERSON) == ["张伟", "张伟明"]  # one character, inside the name
    assert names("华东", Kind.ACCOUNT) == ["华东精密机械有限公司"]  # inside a word
    assert names("精密", Kind.ACCOUNT) == ["华东精密机械有限公司"]


def test_a_person_is_found_by_any_part_of_their_phone_number_with_or_without_spaces(book):
    assert names("5678", Kind.PERSON) == ["张伟"]
    assert names("12345678", Kind.PERSON) == ["张伟"]  # typed without the spaces
    assert names("1234 5678", Kind.PERSON) == ["张伟"]
    assert names("50634739", Kind.PERSON) == ["张伟明"]  # the dash left out
    assert names("northwind.de", Kind.PERSON) == ["Anna Weber", "Jens Brandt"]  # e-mail
    assert names("purchasing", Kind.PERSON) == ["Anna Weber"]  # title, any case
    assert names("采购部", Kind.PERSON) == ["张伟"]  # department


def test_every_word_must_match_in_any_order_across_the_fields(book):
    assert names("weber head", Kind.PERSON) == ["Anna Weber"]
    assert names("head weber", Kind.PERSON) == ["Anna Weber"]
    assert names("weber cfo", Kind.PERSON) == []


def test_deals_and_visit_notes_are_found_with_the_words_around_the_match(book):
    found = search.find("预算")
    assert [h.id for h in found.hits[Kind.VISIT]] == [book["visit"]]
    visit = found.hits[Kind.VISIT][0]
    assert visit.name == "Agree the pilot" and visit.when == "2026-11-20" and "预算已批" in visit.detail
    assert visit.account == "Northwind Logistics GmbH"
    assert names("MES", Kind.DEAL) == ["MES系统升级"]
    assert names("系统", Kind.DEAL) == ["MES系统升级"]
    assert names("payment terms", Kind.VISIT) == ["Agree the pilot"]


def test_names_come_before_rows_that_match_only_elsewhere(book):
    # Jens's notes mention 张伟, but notes are not searched; his name does not hold it.
    assert "Jens Brandt" not in names("张伟", Kind.PERSON)
    accounts.save(AccountDraft(name="Weber Maschinenbau", region="Bayern"))
    people.save(book["north"], PersonDraft(name="Otto Klein", department="Weber project"))
    found = search.find("weber")
    assert [h.name for h in found.hits[Kind.PERSON]] == ["Anna Weber", "Otto Klein"]
    assert [h.name for h in found.hits[Kind.ACCOUNT]] == ["Weber Maschinenbau"]


def test_the_index_follows_every_write_and_cascade(book):
    zhang = people.get(book["zhang"])
    people.save(book["east"], replace(PersonDraft.from_person(zhang), phone="139 0000 1111"), book["zhang"])
    assert names("5678", Kind.PERSON) == []
    assert names("1111", Kind.PERSON) == ["张伟"]
    people.delete(book["zhang"])
    assert names("张伟", Kind.PERSON) == ["张伟明"]
    east = accounts.get(book["east"])
    accounts.save(replace(AccountDraft.from_account(east), name="华东精密集团"), book["east"])
    assert names("集团", Kind.ACCOUNT) == ["华东精密集团"]
    assert names("有限公司", Kind.ACCOUNT) == []
    database.execute_sql("DELETE FROM account WHERE id = ?", (book["east"],))  # its people and deals go with it
    assert names("张伟", Kind.PERSON) == [] and names("MES", Kind.DEAL) == []
    for kind in Kind:
        (rows,) = database.execute_sql(f"SELECT count(*) FROM search_{kind.value}").fetchone()
        (source,) = database.execute_sql(f"SELECT count(*) FROM {kind.value}").fetchone()
        assert rows == source, kind


def test_a_book_restored_from_a_backup_is_found_again(book, tmp_path):
    from saletui.services import backup

    backup.backup_json(tmp_path / "book.json")
    db.close_database()
    db.open_database(tmp_path / "restored.sqlite3")
    assert names("张伟", Kind.PERSON) == []
    backup.restore_json(tmp_path / "book.json")
    assert names("张伟", Kind.PERSON) == ["张伟", "张伟明"]
    assert names("拍板", Kind.VISIT) == ["Agree the pilot"]


def test_archived_accounts_are_left_out(book):
    accounts.archive(book["north"])
    assert names("weber", Kind.PERSON) == []
    assert search.find("预算").hits[Kind.VISIT] == []
    accounts.restore(book["north"])
    assert names("weber", Kind.PERSON) == ["Anna Weber"]


@pytest.mark.parametrize(
    "typed", ['"', '"张伟', "a*", "NEAR(a b)", "x OR y", "name:张", "100%", "_", "\\", "[bold]", "\x1b[31m", "😀"]
)
def test_what_the_search_syntax_would_read_is_taken_as_plain_text(book, typed):
    found = search.find(typed)  # no error
    assert all(not hits for hits in found.hits.values()) or typed in ('"张伟', "name:张")


def test_emoji_markup_and_huge_text_are_found_as_typed(book):
    people.save(book["north"], PersonDraft(name="[bold]Mallory[/] 😀"))
    assert names("[bold]", Kind.PERSON) == ["[bold]Mallory[/] 😀"]
    assert names("😀", Kind.PERSON) == ["[bold]Mallory[/] 😀"]
    visits.record_outcome(book["visit"], Debrief(debrief="很长的纪要。" * 3000 + "最后一句：交期"), today=TODAY)
    (hit,) = search.find("交期").hits[Kind.VISIT]
    assert "交期" in hit.detail and len(hit.detail) <= 82  # the words around it, not 18,000 characters


def test_results_stop_at_the_limit_and_say_there_are_more(book):
    with database.atomic():
        for n in range(30):
            people.save(book["north"], PersonDraft(name=f"Wang {n:02d}"))
    found = search.find("wang")
    assert len(found.hits[Kind.PERSON]) == search.LIMIT and found.more[Kind.PERSON]
    assert not found.more[Kind.ACCOUNT]


def test_an_older_database_gets_its_index_on_upgrade(tmp_path):
    from tests.test_migrations import build_at

    path = tmp_path / "old.sqlite3"
    build_at(path, "0015_relationships")
    db.open_database(path)
    assert names("王经理", Kind.PERSON) == ["王经理"]
    assert names("1234", Kind.PERSON) == ["Li Gong"]  # +86 755 1234
    assert names("5G core", Kind.DEAL) == ["5G core upgrade"]
    assert names("criteria", Kind.VISIT) == ["Agree the criteria"]
    assert names("Old Acme", Kind.ACCOUNT) == []  # archived


def test_a_sqlite_without_the_trigram_tokenizer_is_told_plainly(tmp_path, monkeypatch):
    assert sqlite3.sqlite_version_info >= db.MIN_SQLITE  # what the suite runs on has it
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.31.1")
    with pytest.raises(db.StoreError, match=r"needs SQLite 3\.34\.0 or newer .* this Python has SQLite 3\.31\.1"):
        db.open_database(tmp_path / "new.sqlite3")
    assert not (tmp_path / "new.sqlite3").exists()  # nothing made


def test_an_exact_name_is_found_among_hundreds_that_hold_it(book):
    with database.atomic():
        for n in range(300):
            accounts.save(AccountDraft(name=f"General Engineering {n:03d}"))
        accounts.save(AccountDraft(name="GE"))
    assert names("GE", Kind.ACCOUNT)[0] == "GE"
    assert names("general engineering 29", Kind.ACCOUNT)[:2] == ["General Engineering 290", "General Engineering 291"]


def test_case_is_ignored_beyond_ascii_a_pasted_nul_is_a_space_and_phones_match_across_separators(book):
    accounts.save(AccountDraft(name="ÖL Handelshaus"))
    people.save(book["north"], PersonDraft(name="Ilse Ärzte", phone="+86 (21) 5555-1234"))
    assert names("öl handelshaus", Kind.ACCOUNT) == ["ÖL Handelshaus"]  # a short word beside a long one
    assert names("är ilse", Kind.PERSON) == ["Ilse Ärzte"]
    assert names("İlse", Kind.PERSON) == []  # no error: İ folds to nothing indexed
    assert names("weber\x00anna", Kind.PERSON) == ["Anna Weber"]
    assert names("21-5555", Kind.PERSON) == ["Ilse Ärzte"]
    assert names("5555-1234", Kind.PERSON) == ["Ilse Ärzte"]


# -- the rep at the keyboard -------------------------------------------------------------------
async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_the_rep_finds_a_person_by_part_of_a_phone_number_and_lands_on_them(make_app, book):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        screen = app.screen
        await type_text(pilot, "5678")
        results = screen.query_one("#search-results", OptionList)
        assert results.get_option_at_index(0).disabled  # the "People · 1" heading
        assert "张伟" in str(results.get_option_at_index(1).prompt)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        account = app.screen
        assert account.account_id == book["east"]
        await until(
            pilot, lambda: account.query_one(OrgChart).selected_id == book["zhang"], "张伟 highlighted in the chart"
        )
        assert account.query_one(TabbedContent).active == "tab-people"
        assert app.focused is account.query_one(OrgChart)

        # Ctrl+F again: back to the same results, the search box ready for new words.
        await pilot.press("ctrl+f")
        await until(pilot, lambda: app.screen is screen, "back on the search")
        assert screen.query_one("#search-box", Input).value == "5678"
        assert len(app.screen_stack) == 2  # the list and the search: nothing piles up
        await pilot.press("escape")
        assert type(app.screen).__name__ == "AccountsScreen"


async def test_the_rep_opens_a_deal_and_a_visit_from_the_results(make_app, book):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        screen = app.screen
        await type_text(pilot, "MES")
        await pilot.press("down", "enter")  # into the results; the first is the deal
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the deal's account")
        assert app.screen.query_one(DealTable).selected.id == book["mes"]
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back on the results")

        await pilot.press("slash")  # back into the box
        await pilot.press("ctrl+u")
        await type_text(pilot, "拍板")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the visit's account")
        account = app.screen
        await until(pilot, lambda: account.query(VisitTable) and account.query_one(VisitTable).selected, "its visits")
        assert account.query_one(VisitTable).selected.id == book["visit"]


async def test_nothing_found_says_so_and_a_form_keeps_its_key(make_app, book):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")  # a new-account form: Ctrl+F must not jump away from it
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the form")
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, AccountForm)
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AccountForm), "the form closed")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        await type_text(pilot, "zzqx")
        status = str(app.screen.query_one("#search-status").render())
        assert "Nothing matches 'zzqx'" in status
        assert app.screen.query_one("#search-results", OptionList).option_count == 0


async def test_the_search_in_chinese(make_app, book):
    from saletui.i18n import set_language

    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        await type_text(pilot, "张伟")
        results = app.screen.query_one("#search-results", OptionList)
        assert str(results.get_option_at_index(0).prompt).startswith("人员")
        assert app.screen.query_one("#search-box", Input).placeholder.startswith("搜索")


async def test_an_editor_with_unsaved_text_is_never_closed_by_the_search(make_app, book):
    from saletui.ui.screens.playbook import PlaybookScreen
    from saletui.ui.screens.playbook_editor import PlaybookEditor

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        first_search = app.screen
        await type_text(pilot, "MES")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, PlaybookScreen), "the playbook")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, PlaybookEditor), "the editor")
        editor = app.screen
        await pilot.press("ctrl+f")  # typing in the editor: the key does not leave it
        await pilot.pause()
        assert app.screen is editor
        await pilot.press("ctrl+o")  # the playbook over the editor, then the search again
        await until(pilot, lambda: isinstance(app.screen, PlaybookScreen), "the playbook over the editor")
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, SearchScreen), "a search")
        assert app.screen is not first_search and editor in app.screen_stack  # a new one: the editor stays
