"""The main screens in the Chinese interface: labels translated, Chinese data aligned."""

from __future__ import annotations

from rich.cells import cell_len

from saletui.i18n import set_language
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import shown_text


async def test_list_account_people_and_playbook_speak_chinese(make_app, demo_store):
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        table = app.screen.query_one(AccountTable)
        header = table.render_line(0).text
        for title in ("名称", "分类", "阶段", "负责人", "上次联系"):
            assert title in header
        lines = [table.render_line(y).text for y in range(1, 15)]
        assert any("天前" in line for line in lines)
        width = table.scrollable_content_region.width
        assert all(cell_len(line) == width for line in lines)  # double-width names align
        status = str(app.screen.query_one("#list-status").render())
        assert "个客户" in status
        await pilot.press("slash")
        for ch in "华东精密":
            await pilot.press(ch)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        profile = shown_text(app.screen.query_one("#profile"))
        assert "分类" in profile and "巩固" in profile  # EI: 巩固 (consolidate)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert "影响力" in str(app.screen.query_one("#org-legend").render())
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PlaybookScreen)
        assert "太贵了" in [o.title for o in app.screen.results]
