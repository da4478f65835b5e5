"""A rep brings years of accounts in from Chinese Excel, checking the preview first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Select

from saletui.i18n import _, set_language
from saletui.services.csv_import import import_csv
from saletui.store.models import Account, Person
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.choice_picker import ChoicePicker
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.import_csv import ImportScreen
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import until

SIZE = (130, 40)

GBK_CSV = "客户名称,行业,区域,负责人,客户类型\r\n华东精密机械有限公司,机械制造,华东,李娜,现有客户\r\n深圳海川电子,电子,华南,张伟,潜在客户\r\n"


@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch)


async def preview(app, pilot, path) -> ImportScreen:
    await pilot.press("i")
    assert isinstance(app.screen, ImportScreen)
    screen = app.screen
    screen.query_one("#import-path").value = str(path)
    await previewed(pilot, screen)
    return screen


async def previewed(pilot, screen: ImportScreen) -> None:
    """Wait for the preview that the last change asked for (read in a worker once typing pauses)."""
    before = screen.report
    await until(pilot, lambda: screen.report is not None and screen.report is not before, "the preview")
    await pilot.pause()


async def test_preview_then_import_a_gbk_file(make_app, tmp_path):
    path = tmp_path / "客户.csv"
    path.write_bytes(GBK_CSV.encode("gbk"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await preview(app, pilot, path)
        table = screen.query_one("#import-preview", DataTable)
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)][:3] == ["2", "create", "华东精密机械有限公司"]
        assert "gb18030" in str(screen.query_one("#import-summary").render()).lower()
        assert Account.select().count() == 0  # the preview wrote nothing
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)  # back on the list, which shows the new accounts
        table = app.screen.query_one(AccountTable)
        listing = table.listing
        names = ["华东精密机械有限公司", "深圳海川电子"]
        assert sorted(listing.rows[i].name for i in listing.view) == names
        shown = [table.render_line(y).text for y in range(1, 3)]  # the two rows below the header
        assert sorted(name for line in shown for name in names if name in line) == names
    assert Account.get(Account.name == "深圳海川电子").relationship == "prospect"


async def test_bad_rows_block_the_import_until_skipped(make_app, tmp_path):
    path = tmp_path / "accounts.csv"
    path.write_text("name,next step date\nGood Co,2026-12-01\nBad Co,someday\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await preview(app, pilot, path)
        rows = [[str(c) for c in screen.query_one("#import-preview", DataTable).get_row_at(i)] for i in range(2)]
        assert rows[1][:2] == ["3", "error"] and "someday" in rows[1][3]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # refused: all-or-nothing
        assert Account.select().count() == 0
        screen.query_one("#import-skip", Checkbox).value = True
        await previewed(pilot, screen)
        await pilot.press("ctrl+s")
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert [a.name for a in Account.select()] == ["Good Co"]


CRM = Path(__file__).parent / "data" / "crm"


async def test_a_salesforce_contacts_file_is_recognised_and_a_column_remapped_before_importing(
    make_app, tmp_path, language
):
    """At 80x24, in both languages: `i`, the path of an unedited Salesforce contact export.
    The screen says it holds people from Salesforce and lists each column with its field;
    the rep sends "Department" to "(ignore)" from the keyboard and the preview follows."""
    import_csv("accounts", CRM / "salesforce_accounts.csv")
    set_language(language)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, CRM / "salesforce_contacts.csv")
        assert screen.query_one("#import-kind", Select).value == "people"  # from the columns alone
        summary = str(screen.query_one("#import-summary").render())
        assert "Salesforce" in summary
        columns = screen.query_one("#import-columns", DataTable)
        mapped = {str(columns.get_row_at(i)[0]): str(columns.get_row_at(i)[1]) for i in range(columns.row_count)}
        assert mapped["FirstName"] == _("First name")
        assert mapped["ReportsToId"] == _("Reports to (id in the CRM)")
        assert mapped["Department"] == _("Department")
        assert mapped["CreatedDate"] == _("(ignore)")
        assert [str(c) for c in screen.query_one("#import-preview", DataTable).get_row_at(0)][:3] == [
            "2",
            _("create"),
            "Ann Carter",
        ]
        columns.focus()
        await pilot.pause()
        columns.move_cursor(row=list(mapped).index("Department"))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the field picker")
        await type_text(pilot, "ignore")
        before = screen.report
        await pilot.press("enter")
        await until(pilot, lambda: screen.report is not None and screen.report is not before, "the new preview")
        await pilot.pause()
        assert app.screen is screen
        assert str(columns.get_row_at(list(mapped).index("Department"))[1]) == _("(ignore)")
        assert screen.overrides == {"Department": ""}
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list")
    ann = Person.get(Person.name == "Ann Carter")
    assert (ann.title, ann.department, ann.source_id) == ("VP Operations", "", "0035g00000QrSt1AAB")
    assert Person.get(Person.name == "Bob Smith").reports_to_id == ann.id


async def test_a_header_the_import_cannot_read_is_fixed_by_mapping_its_columns(make_app, tmp_path):
    """A German spreadsheet ("Firma", "Kontakt") is missing the account and name columns;
    the rep maps both from the column list and imports without editing the file."""
    from saletui.store import accounts
    from saletui.store.accounts import AccountDraft

    accounts.save(AccountDraft(name="Acme Steel"))
    path = tmp_path / "kontakte.csv"
    path.write_text("Firma,Kontakt,Position\nAcme Steel,Jane Doe,Einkauf\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, path)
        assert screen.query_one("#import-kind", Select).value == "people"  # "Position" is a title
        assert "Required column is missing" in str(screen.query_one("#import-preview", DataTable).get_row_at(0)[3])
        columns = screen.query_one("#import-columns", DataTable)
        columns.focus()
        for row, typed in ((0, "account"), (1, "name")):
            columns.move_cursor(row=row)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, ChoicePicker), "the field picker")
            await type_text(pilot, typed)
            before = screen.report
            await pilot.press("enter")
            await until(pilot, lambda old=before: screen.report not in (None, old), "the new preview")
        assert screen.overrides == {"Firma": "account", "Kontakt": "name"}
        assert [str(c) for c in screen.query_one("#import-preview", DataTable).get_row_at(0)][:3] == [
            "2",
            "create",
            "Jane Doe",
        ]
        await pilot.press("ctrl+s", "y")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list")
    assert Person.get(Person.name == "Jane Doe").title == "Einkauf"


async def test_a_wecom_preview_names_the_companies_it_would_add_and_writes_none(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await preview(app, pilot, CRM / "wecom_customers.csv")
        summary = str(screen.query_one("#import-summary").render())
        assert "WeCom" in summary and "new accounts: 苏州金桥自动化设备有限公司" in summary
    assert Account.select().count() == 0
