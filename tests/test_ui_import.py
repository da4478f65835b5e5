"""A rep brings years of accounts in from Chinese Excel, checking the preview first."""

from __future__ import annotations

from textual.widgets import Checkbox, DataTable

from saletui.store.models import Account
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.import_csv import ImportScreen
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import until

SIZE = (130, 40)

GBK_CSV = "客户名称,行业,区域,负责人,客户类型\r\n华东精密机械有限公司,机械制造,华东,李娜,现有客户\r\n深圳海川电子,电子,华南,张伟,潜在客户\r\n"


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
