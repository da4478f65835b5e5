"""A rep works a deal's milestone list at a laptop's size: it opens where the work is,
the skip dialog says which milestone it skips, and a long reason is read in full."""

from __future__ import annotations

from textual.widgets import DataTable

from saletui.store import milestones
from saletui.ui.screens.deal_milestones import DealMilestones
from saletui.ui.screens.text_prompt import TextPrompt
from tests.conftest import shown_text, until
from tests.test_ui_visits import open_tab, setup_account

REASON = "The customer already runs this process in their other plant and signed it off last spring"


async def test_the_list_opens_on_the_first_open_milestone(make_app):
    app = make_app()
    _account, deal, _boss = setup_account(app.process)
    rows = milestones.for_deal(deal.id)
    milestones.skip(rows[0].id, "Not relevant")
    milestones.skip(rows[1].id, "Not relevant")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot, 0)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, DealMilestones), "the milestone list")
        assert app.screen.selected.id == rows[2].id


async def test_the_skip_dialog_names_the_milestone_and_a_long_reason_is_shown_in_full(make_app):
    app = make_app()
    _account, deal, _boss = setup_account(app.process)
    first = milestones.for_deal(deal.id)[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_tab(app, pilot, 0)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, DealMilestones), "the milestone list")
        screen = app.screen
        await pilot.press("s")
        assert isinstance(app.screen, TextPrompt)
        assert first.question in shown_text(app.screen.query_one(".form-title"), width=300)
        for ch in REASON:
            await pilot.press(ch if ch != " " else "space")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "back on the list")
        table = screen.query_one(DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        assert sum(widths) <= table.size.width, "every column is on screen, the status too"
        status = table.get_row_at(0)[2]
        assert status.plain == f"skipped: {REASON}"
        assert table.rows[next(iter(table.rows))].height > 1, "the reason wraps in its cell instead of being cut"
