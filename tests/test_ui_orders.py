"""A rep keeps an account's trading history from the keyboard: the Orders tab shows its
lines newest first with totals by month and product; a line is added, corrected and
deleted there, and the totals follow every change."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input

from saletui.i18n import set_language
from saletui.store import accounts, orders
from saletui.store.accounts import AccountDraft
from saletui.store.models import OrderLine, SalesMonth
from saletui.store.orders import LineDraft, LineValues, upsert_lines
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.order_form import OrderLineForm
from saletui.ui.screens.stale_edit import StaleEditScreen
from saletui.ui.widgets.order_table import OrderTable
from tests.conftest import show_tab, until

SIZE = (120, 36)


def rows(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def customer(name: str = "华东精密") -> int:
    return accounts.save(AccountDraft(name=name, relationship="customer", owner="Zhang")).id


def typed_line(account_id: int, day: str, product: str, amount: str, **more: str) -> OrderLine:
    return orders.add(account_id, LineDraft(ordered_on=day, product=product, amount=amount, **more))


async def open_orders(app, pilot) -> AccountScreen:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account opens")
    await show_tab(pilot, app, "tab-orders")
    return app.screen


async def fill(pilot, form: OrderLineForm, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#{name}", Input).value = value
    await pilot.pause()


async def test_the_tab_lists_lines_newest_first_with_totals_by_month_and_product(make_app):
    account_id = customer()
    typed_line(account_id, "2026-10-03", "伺服电机", "12,000", quantity="4", order_no="SO-7", line_no="1", rep="Zhang")
    typed_line(account_id, "2026-11-20", "Service", "800.50", category="服务")
    typed_line(account_id, "2026-11-02", "伺服电机", "6000", quantity="2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(app, pilot)
        table = screen.query_one(OrderTable)
        assert [r[0] for r in rows(table)] == ["2026-11-20", "2026-11-02", "2026-10-03"]
        assert rows(table)[2] == ["2026-10-03", "SO-7/1", "伺服电机", "", "4", "CNY 12,000", "Zhang"]
        assert rows(screen.query_one("#months", DataTable)) == [
            ["2026-11", "CNY 6,800.50", "2"],
            ["2026-10", "CNY 12,000", "1"],
        ]
        assert rows(screen.query_one("#products", DataTable)) == [
            ["伺服电机", "CNY 18,000", "6"],
            ["Service", "CNY 800.50", "0"],
        ]
        assert "3 order lines" in str(screen.query_one("#orders-summary").render())


async def test_a_rep_adds_corrects_and_deletes_a_line_and_the_totals_follow(make_app):
    customer()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(app, pilot)
        table = screen.query_one(OrderTable)
        assert table.row_count == 0
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, OrderLineForm), "the form opens")
        form = app.screen
        assert form.query_one("#ordered_on", Input).value == "2026-11-25"  # the app's today
        assert form.query_one("#currency", Input).value == "CNY"
        await fill(pilot, form, product="伺服电机", quantity="3", amount="1.2万")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "saved and closed")
        assert rows(table) == [["2026-11-25", "", "伺服电机", "", "3", "CNY 12,000", "Zhang"]]
        assert rows(screen.query_one("#months", DataTable)) == [["2026-11", "CNY 12,000", "1"]]

        # Correct it: Enter on the line opens it filled in.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OrderLineForm), "the correction opens")
        form = app.screen
        assert form.query_one("#product", Input).value == "伺服电机"
        await fill(pilot, form, amount="15000", ordered_on="2026-10-30")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "saved and closed")
        assert rows(table)[0][0] == "2026-10-30" and rows(table)[0][5] == "CNY 15,000"
        assert rows(screen.query_one("#months", DataTable)) == [["2026-10", "CNY 15,000", "1"]]
        assert OrderLine.get().version == 1

        # Delete: asked first; "n" keeps it, "y" deletes it.
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked first")
        await pilot.press("n")
        await until(pilot, lambda: app.screen is screen, "back, nothing deleted")
        assert OrderLine.select().count() == 1
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("y")
        await until(pilot, lambda: app.screen is screen, "answered")
        await until(pilot, lambda: table.row_count == 0, "the line is gone")
        assert rows(screen.query_one("#months", DataTable)) == []
        assert rows(screen.query_one("#products", DataTable)) == []
    assert OrderLine.select().count() == 0 and SalesMonth.select().count() == 0


async def test_a_bad_amount_shows_the_stores_message_and_writes_nothing(make_app):
    customer()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_orders(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, OrderLineForm), "the form opens")
        form = app.screen
        await fill(pilot, form, product="Pump", amount="-500")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#field-amount").has_class("-invalid"), "the amount refused")
        message = str(form.query_one("#field-amount .form-field--error").render())
        assert "Negative amount: '-500'" in message
        assert app.screen is form  # still open, what was typed kept
        assert form.query_one("#product", Input).value == "Pump"
    assert OrderLine.select().count() == 0


async def test_the_same_refusal_reads_in_chinese(make_app):
    customer()
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_orders(app, pilot)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, OrderLineForm), "the form opens")
        form = app.screen
        await fill(pilot, form, product="", amount="abc")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#field-product").has_class("-invalid"), "the product refused")
        product = str(form.query_one("#field-product .form-field--error").render())
        amount = str(form.query_one("#field-amount .form-field--error").render())
    assert product == orders_message("product") and amount == orders_message("amount", "abc")
    assert product != "A product is required."  # translated
    assert OrderLine.select().count() == 0


def orders_message(field: str, amount: str = "1") -> str:
    """The store's own message for the field, in the current language."""
    from saletui.errors import ValidationError

    try:
        orders.clean(LineDraft(ordered_on="2026-11-01", product="", amount=amount), OrderLine.select().count() or 1)
    except ValidationError as exc:
        return exc.errors[field]
    raise AssertionError("not refused")


async def test_a_correction_saved_over_another_windows_change_asks_first(make_app):
    account_id = customer()
    line = typed_line(account_id, "2026-11-02", "Pump", "6000")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OrderLineForm), "the correction opens")
        form = app.screen
        # Meanwhile, another window corrects the same line.
        orders.save(line.id, LineDraft(ordered_on="2026-11-02", product="Pump", amount="6500"), line.version)
        await fill(pilot, form, amount="7000")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StaleEditScreen), "asked what to do")
        assert OrderLine.get_by_id(line.id).amount == 650000  # theirs, not overwritten
        await pilot.press("r")  # reload: the form shows what is stored now
        await until(pilot, lambda: app.screen is form, "back on the form")
        await until(pilot, lambda: form.query_one("#amount", Input).value == "6,500", "the stored amount shown")
        await fill(pilot, form, amount="7000")  # typed over what is stored now: saves at once
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "saved and closed")
        assert "CNY 7,000" in rows(screen.query_one(OrderTable))[0]
    assert OrderLine.get_by_id(line.id).amount == 700000


async def test_fifty_thousand_lines_open_a_page_at_a_time_and_load_more_on_scrolling(make_app):
    account_id = customer()
    start = dt.date(2020, 1, 1)
    upsert_lines(
        [
            LineValues(account_id, start + dt.timedelta(days=i // 30), f"P{i % 40}", 1000 + i, "CNY", order_no=f"X{i}")
            for i in range(50_000)
        ]
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_orders(app, pilot)
        table = screen.query_one(OrderTable)
        assert table.total == 50_000
        assert table.row_count == 200  # one page read, not fifty thousand rows
        assert "50,000" in str(screen.query_one("#orders-summary").render()) or "50000" in str(
            screen.query_one("#orders-summary").render()
        )
        products = screen.query_one("#products", DataTable)
        await until(pilot, lambda: products.row_count == 40, "the product totals read off the UI thread")
        await pilot.press("ctrl+end")
        await until(pilot, lambda: table.row_count >= 400, "the next page read when the end is near")
