"""A rep types amounts the way the market writes them and saletui keeps them exactly:
1.2M is 120,000,000 fen, shown back as 1,200,000 with its currency, and a third decimal
in a two-decimal currency is refused with a message rather than silently rounded."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import DataTable, Input

from saletui.settings import load_settings
from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Deal
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.deal_form import DealForm

SIZE = (130, 36)


async def type_into(pilot, widget: Input, text: str) -> None:
    widget.focus()
    await pilot.pause()
    for ch in text:
        await pilot.press(ch)


def profile_text(screen: AccountScreen) -> str:
    profile = screen.query_one("#profile")
    return "\n".join(line.text for line in profile.render_lines(profile.region.reset_offset))


async def test_1_2m_typed_in_the_account_form_is_stored_as_exact_fen_and_shown_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, AccountForm)
        assert form.query_one("#currency", Input).value == "CNY"  # the currency setting's default
        for ch in "Northwind":
            await pilot.press(ch)
        await type_into(pilot, form.query_one("#market_capacity", Input), "1.2M")
        await type_into(pilot, form.query_one("#excluded_capacity", Input), "200,000.05")
        await pilot.pause()
        assert "CNY 999,999.95" in str(form.query_one("#derived-target").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)

        saved = Account.get(Account.name == "Northwind")
        assert (saved.market_capacity, saved.excluded_capacity, saved.currency) == (120_000_000, 20_000_005, "CNY")
        assert type(saved.market_capacity) is int

        await pilot.press("e")  # shown back as typed, exactly
        form = app.screen
        assert form.query_one("#market_capacity", Input).value == "1,200,000"
        assert form.query_one("#excluded_capacity", Input).value == "200,000.05"
        await pilot.press("escape")
        await pilot.pause()

        await pilot.press("enter")
        await pilot.pause()
        text = profile_text(app.screen)
        assert "CNY 1,200,000" in text and "CNY 200,000.05" in text and "CNY 999,999.95" in text


async def test_a_deal_value_with_three_decimals_is_refused_and_nothing_is_written(make_app):
    accounts.save(AccountDraft(name="Huadong"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, DealForm)
        assert "Value (CNY)" in str(form.query_one("#field-value").query_one(".form-field--label").render())
        for ch in "MES":
            await pilot.press(ch)
        await type_into(pilot, form.query_one("#value", Input), "1500.125")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        error = str(form.query_one("#field-value").query_one(".form-field--error").render())
        assert error == "CNY has 2 decimals: '1500.125' has more; correct it."
        assert Deal.select().count() == 0

        await pilot.press("backspace")  # the rep corrects it: 1500.12
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        table = screen.query_one("#deals", DataTable)
        assert str(table.get_row_at(0)[5]) == "CNY 1,500.12"
    assert Deal.get().value == 150_012


async def test_new_accounts_take_the_currency_setting_and_its_decimals(make_app):
    app = make_app(settings=replace(load_settings(None), currency="JPY"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        form = app.screen
        for ch in "Nippon Gear":
            await pilot.press(ch if ch != " " else "space")
        await type_into(pilot, form.query_one("#market_capacity", Input), "120万")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
    saved = Account.get()
    assert (saved.currency, saved.market_capacity) == ("JPY", 1_200_000)  # yen have no minor unit


async def test_changing_an_accounts_currency_keeps_its_deal_amounts(make_app):
    account = accounts.save(AccountDraft(name="Fabrikam", market_capacity="1.2M"))
    Deal.create(account=account, title="Robots", value=150_000_000)  # 1,500,000.00 CNY
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        form = app.screen
        currency = form.query_one("#currency", Input)
        currency.value = ""
        await type_into(pilot, currency, "jpy")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
    saved = Account.get()
    assert (saved.currency, saved.market_capacity, Deal.get().value) == ("JPY", 1_200_000, 1_500_000)


def test_a_currency_change_that_would_drop_cents_of_a_deal_is_refused(store):
    account = accounts.save(AccountDraft(name="Fabrikam"))
    Deal.create(account=account, title="Robots", value=150_000_050)  # 1,500,000.50 CNY
    draft = AccountDraft.from_account(Account.get())
    draft.currency = "JPY"
    try:
        accounts.save(draft, account.id)
    except accounts.ValidationError as exc:
        assert exc.errors == {"currency": "Deal 'Robots' is worth CNY 1,500,000.50: JPY cannot hold that exactly."}
    else:
        raise AssertionError("saved")
    assert (Account.get().currency, Deal.get().value) == ("CNY", 150_000_050)
