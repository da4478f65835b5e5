"""A rep brings their pipeline and their phone's contacts in from `i`: the screen tells a
deals export (Salesforce, HubSpot) or a vCard file from its content, previews each row or
card, lets the rep change where a column goes, and imports on Ctrl+S after a question."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Label, Select

from saletui.i18n import _, set_language
from saletui.services.csv_import import import_csv
from saletui.settings import load_settings
from saletui.store.models import Account, Deal, Milestone, Person
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.choice_picker import ChoicePicker
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.import_csv import ImportScreen, _no_columns
from tests.conftest import until
from tests.test_ui_import import preview, type_text

DATA = Path(__file__).parent / "data"
CRM = DATA / "crm"


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def rows(screen: ImportScreen) -> list[list[str]]:
    table = screen.query_one("#import-preview", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def mapped(screen: ImportScreen) -> dict[str, str]:
    columns = screen.query_one("#import-columns", DataTable)
    return {str(columns.get_row_at(i)[0]): str(columns.get_row_at(i)[1]) for i in range(columns.row_count)}


async def remap(app, pilot, screen: ImportScreen, column: str, typed: str) -> None:
    """Enter on `column` in the column list, type to find the field, Enter."""
    columns = screen.query_one("#import-columns", DataTable)
    columns.focus()
    await pilot.pause()
    columns.move_cursor(row=list(mapped(screen)).index(column))
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the field picker")
    await type_text(pilot, typed)
    before = screen.report
    await pilot.press("enter")
    await until(pilot, lambda: screen.report is not None and screen.report is not before, "the new preview")
    await pilot.pause()


async def confirm_import(app, pilot) -> None:
    await pilot.press("ctrl+s")
    assert isinstance(app.screen, ConfirmScreen)
    await pilot.press("y")
    await app.workers.wait_for_complete()
    await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list")


async def test_a_salesforce_opportunity_export_is_recognised_remapped_and_imported(make_app, language):
    """At 80x24, in both languages: the Data Loader file is read as Salesforce deals, each
    column shows its field, and the rep leaves the stale amounts out before importing."""
    import_csv("accounts", CRM / "salesforce_accounts.csv")
    Account.update(currency="USD").where(Account.source_id == "0015g00000XyZ1aAAF").execute()
    set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, CRM / "salesforce_opportunities.csv")
        assert screen.query_one("#import-kind", Select).value == "deals"  # from the columns alone
        summary = str(screen.query_one("#import-summary").render())
        assert "Salesforce" in summary and _("Deals") in summary
        columns = mapped(screen)
        assert columns["Name"] == _("Deal title")  # not a person's job title
        assert columns["StageName"] == _("Stage")
        assert columns["CloseDate"] == _("Close date")
        assert columns["AccountId"] == _("Account's id in the CRM")
        assert columns["Probability"] == _("(ignore)")
        assert [r[:3] for r in rows(screen)] == [
            ["2", _("create"), "Line 3 retrofit"],
            ["3", _("create"), "华东 二期扩产"],
            ["4", _("create"), "Hamburg hub pilot"],
        ]
        assert Deal.select().count() == 0  # the preview wrote nothing
        await remap(app, pilot, screen, "Amount", "ignore")
        assert mapped(screen)["Amount"] == _("(ignore)")
        assert screen.overrides == {"Amount": ""}
        await confirm_import(app, pilot)
    retrofit = Deal.get(Deal.title == "Line 3 retrofit")
    assert (retrofit.stage, retrofit.value, retrofit.source, retrofit.source_id) == (
        5,
        None,
        "salesforce",
        "0065g00000Opp01AAB",
    )
    assert retrofit.account.name == "Buckeye Fasteners Inc."
    assert Milestone.select().where(Milestone.deal == retrofit).count() > 0  # the process's milestones
    assert Deal.get(Deal.title == "Hamburg hub pilot").status == "won"


async def test_a_hubspot_deal_with_an_unknown_stage_is_shown_and_the_settings_map_it(make_app):
    """The preview names the stage it cannot place and the setting that would; with
    `deal_stages` in the settings, as on the command line, the same file imports whole."""
    import_csv("accounts", CRM / "hubspot_companies.csv")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await preview(app, pilot, CRM / "hubspot_deals.csv")
        assert screen.query_one("#import-kind", Select).value == "deals"
        assert "HubSpot" in str(screen.query_one("#import-summary").render())
        bad = rows(screen)[2]
        assert bad[:3] == ["4", "error", "Vantage reseller deal"]
        assert "Deal Stage" in bad[3] and "Unknown stage 'Verbal yes'" in bad[3] and "deal_stages" in bad[3]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # all or nothing: refused
        assert Deal.select().count() == 0
    settings = dataclasses.replace(load_settings(None), deal_stages={"Verbal yes": "5"})
    app = make_app(settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await preview(app, pilot, CRM / "hubspot_deals.csv")
        assert [r[1] for r in rows(screen)] == ["create"] * 3
        await remap(app, pilot, screen, "Deal Description", "close reason")
        assert mapped(screen)["Deal Description"] == "Close reason"
        await confirm_import(app, pilot)
    vantage = Deal.get(Deal.title == "Vantage reseller deal")
    assert (vantage.stage, vantage.account.name, vantage.source) == (5, "Vantage Resellers AG", "hubspot")
    assert Deal.get(Deal.title == "Packaging line renewal").close_reason == "Fleet of 4"
    assert Deal.get(Deal.title == "云帆 ERP 集成").stage == 4


async def test_a_vcard_file_brings_people_and_creates_their_companies_when_ticked(make_app, language):
    """At 80x24, in both languages: the iPhone's .vcf is read as people, one row per card;
    there are no columns to map, and the screen says so. The cards' companies are not in
    saletui: refused until "Create missing accounts" is ticked."""
    set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, DATA / "vcard" / "iphone-3.0.vcf")
        assert screen.query_one("#import-kind", Select).value == "people"
        assert screen.query_one("#import-columns", DataTable).display is False
        note = screen.query_one("#import-no-columns", Label)
        assert note.display and str(note.render()) == _no_columns()  # "A vCard file has no columns to map: ..."
        first = rows(screen)[0]
        assert first[:3] == ["1", _("error"), "Chidi Okafor"] and "Northwind Traders" in first[3]
        create = screen.query_one("#import-create", Checkbox)
        assert create.display
        create.focus()
        before = screen.report
        await pilot.press("space")  # tick "Create missing accounts"
        await until(pilot, lambda: screen.report not in (None, before), "the preview with new accounts")
        await pilot.pause()
        assert rows(screen)[0][:3] == ["1", _("create"), "Chidi Okafor"]
        assert Person.select().count() == 0 and Account.select().count() == 0  # still only a preview
        await confirm_import(app, pilot)
    chidi = Person.get(Person.name == "Chidi Okafor")
    assert (chidi.title, chidi.account.name) == ("CIO", "Northwind Traders")
    assert Person.select().count() == 2


async def test_a_file_of_cards_without_the_vcf_ending_is_still_read_as_vcards(make_app, tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_bytes((DATA / "vcard" / "iphone-3.0.vcf").read_bytes())
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, path)
        assert screen.query_one("#import-create", Checkbox).display
        assert len(rows(screen)) == 2
        before = screen.report
        screen.query_one("#import-path").value = str(CRM / "salesforce_accounts.csv")
        await until(
            pilot, lambda: screen.report not in (None, before), "the accounts file's preview"
        )  # another file: back to columns
        assert not screen.query_one("#import-create", Checkbox).display
        assert screen.query_one("#import-columns", DataTable).display
