"""A rep opens an account and works its deals from the keyboard."""

from __future__ import annotations

from textual.widgets import DataTable, Select

from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Deal
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.deal_form import DealForm

SIZE = (130, 36)


async def open_account(app, pilot) -> AccountScreen:
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)
    return app.screen


def deal_rows(screen: AccountScreen) -> list[list[str]]:
    table = screen.query_one("#deals", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_rep_adds_a_deal_and_the_list_shows_its_stage(make_app):
    accounts.save(
        AccountDraft(name="华东精密机械有限公司", relationship="customer", contribution="high", stability="low")
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        assert "EII" in str(screen.query_one("#account-title").render())
        await pilot.press("n")
        assert isinstance(app.screen, DealForm)
        form = app.screen
        for ch in "MES":
            await pilot.press(ch)
        form.query_one("#value").value = "120万"
        form.query_one("#expected_close").value = "2027-03-31"
        form.query_one("#stage", Select).value = 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        # A new deal with nobody in it yet: its risks are counted in its row.
        assert deal_rows(screen) == [
            ["MES", "3 Proposal", "⚠ 3", "B✓ A✓ N✓ T✓", "0/5", "CNY 1,200,000", "2027-03-31", "open", ""]
        ]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert "3 Proposal" in app.screen.query_one("AccountTable").render_line(1).text
    deal = Deal.get()
    assert (deal.title, deal.value, deal.stage) == ("MES", 1_200_000_00, 3)


async def test_a_deal_without_title_is_refused_and_nothing_is_written(make_app):
    accounts.save(AccountDraft(name="Northwind"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_account(app, pilot)
        await pilot.press("n")
        form = app.screen
        form.query_one("#value").value = "-5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        invalid = {f.field for f in form.query("FormField") if f.has_class("-invalid")}
        assert invalid == {"title", "value"}
        await pilot.press("escape")
    assert Deal.select().count() == 0


async def test_rep_edits_then_closes_a_deal_as_lost_with_a_reason_and_reopens_it(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    Deal.create(account=account, title="Fleet telematics", stage=4)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        await pilot.press("enter")  # edit the highlighted deal
        assert isinstance(app.screen, DealForm)
        app.screen.query_one("#stage", Select).value = 5
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert deal_rows(screen)[0][1] == "5 Negotiation"

        await pilot.press("c")
        assert isinstance(app.screen, CloseDealForm)
        form = app.screen
        form.query_one("#status", Select).value = "lost"
        await pilot.press("ctrl+s")  # no reason yet
        await pilot.pause()
        assert app.screen is form
        assert {f.field for f in form.query("FormField") if f.has_class("-invalid")} == {"reason"}
        form.query_one("#reason").text = "Competitor bundled service for free"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert deal_rows(screen)[0][2] == ""  # closed: no risk
        assert deal_rows(screen)[0][3] == ""  # nor a qualification to watch
        assert deal_rows(screen)[0][7:] == ["lost", "Competitor bundled service for free"]
        deal = Deal.get()
        assert (deal.status, deal.stage) == ("lost", 5) and deal.closed_at is not None

        await pilot.press("o")
        await pilot.pause()
        assert deal_rows(screen)[0][7] == "open"
    assert Deal.get().status == "open"


async def test_account_profile_shows_strategy_target_capacity_and_long_notes(make_app):
    note = "客户关注交付周期。" * 1200  # more than 10,000 characters
    accounts.save(
        AccountDraft(
            name="[red]Li[/] Trading",
            relationship="prospect",
            expected_value="high",
            intent="low",
            market_capacity="1.2M",
            excluded_capacity="200,000",
            excluded_channels="online retail",
            profile_notes=note,
        )
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        profile = screen.query_one("#profile")
        text = "\n".join(line.text for line in profile.render_lines(profile.region.reset_offset))
        assert "PII" in text and "Cultivate long term" in text
        assert "1,000,000" in text  # 1.2M - 200k
        assert "[red]Li[/] Trading" in str(screen.query_one("#account-title").render())
    assert len(accounts.get(1).profile_notes) == len(note)


async def test_a_closed_deal_cannot_be_closed_again_until_reopened(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    Deal.create(account=account, title="Won already", stage=6, status="won", close_reason="Best service")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen  # no form: it is closed already
        await pilot.press("o")
        await pilot.pause()
        assert deal_rows(screen)[0][7:] == ["open", ""]
        await pilot.press("c")
        assert isinstance(app.screen, CloseDealForm)


async def test_footer_follows_the_focused_tab_and_keeps_its_keys_when_nothing_changed(make_app):
    from saletui.ui.compat import footer_item_text, footer_items, footer_keys

    accounts.save(AccountDraft(name="Northwind"))
    app = make_app()

    def footer_text() -> set[str]:
        return {footer_item_text(item) for item in footer_items(app.screen)}

    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        await pilot.pause()
        assert {"Milestones", "Tabs"} <= footer_text() and "Coach" not in footer_text()
        await pilot.press("right_square_bracket")  # People: the chart's keys
        await pilot.pause()
        assert {"Coach", "Influence", "Tabs"} <= footer_text() and "Milestones" not in footer_text()
        keys = footer_keys(screen)
        screen.refresh_bindings()  # the same keys in the same state: no rebuild
        await pilot.pause()
        assert footer_keys(screen) == keys
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "Milestones" in footer_text() and "Coach" not in footer_text()


async def test_a_new_deal_is_highlighted_once_added_so_the_next_key_acts_on_it(make_app):
    from saletui.store import deals
    from saletui.store.deals import DealDraft
    from saletui.ui.screens.deal_milestones import DealMilestones

    account = accounts.save(AccountDraft(name="Northwind"))
    for title in ("Alpha framework", "Beta rollout"):
        deals.save(account.id, DealDraft(title=title, stage=4))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_account(app, pilot)
        table = screen.query_one("#deals", DataTable)
        assert table.cursor_row == 0
        await pilot.press("n", *"Zeta", "ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert [row[0] for row in deal_rows(screen)][2] == "Zeta", "a new deal (stage 1) comes after the advanced ones"
        assert table.cursor_row == 2, "the cursor is on the deal just added"
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, DealMilestones)
        assert app.screen.deal_id == Deal.get(Deal.title == "Zeta").id
