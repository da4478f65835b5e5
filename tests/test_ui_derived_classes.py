"""A rep sees the classes the orders give, where a hand-set class overrides them, and who
has stopped buying: through the real app, on the demo book (two years of orders)."""

from __future__ import annotations

import datetime as dt

from saletui.i18n import set_language
from saletui.services import brief
from saletui.settings import load_settings
from saletui.store import accounts, derived, orders
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account
from saletui.store.orders import LineValues
from saletui.ui.compat import notifications
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import TODAY, run_cli, shown_text, stderr_of, stdout_of, until

SIZE = (130, 36)


def visible_names(app) -> list[str]:
    listing = app.screen.query_one(AccountTable).listing
    return [listing.rows[i].name for i in listing.view]


def status(app) -> str:
    return str(app.screen.query_one("#list-status").render())


async def filter_to(pilot, app, text: str) -> None:
    await pilot.press("slash")
    for ch in text:
        await pilot.press(ch if ch != " " else "space")
    await pilot.press("enter")
    await until(pilot, lambda: len(visible_names(app)) == 1, f"the list filtered to {text}")


async def open_highlighted(pilot, app) -> AccountScreen:
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account screen")
    return app.screen


async def test_an_account_says_its_class_was_derived_from_its_orders(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await filter_to(pilot, app, "Northwind")
        screen = await open_highlighted(pilot, app)
        text = shown_text(screen.query_one("#profile"))
        account = Account.get(Account.name == "Northwind Logistics GmbH")
        lines = derived.class_info(account, TODAY, app.settings.classes).lines
        assert lines > 12  # a year of monthly orders, a few lines each
        assert "EI · Consolidate" in text
        assert f"derived from {lines} order lines in the last 12 months" in text


async def test_the_hand_set_class_wins_and_the_list_marks_and_filters_the_disagreement(make_app, demo_store):
    """天津滨海物流 buys big and every month (EI by its orders), but its rep set EII by hand."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await until(pilot, lambda: visible_names(app) == ["天津滨海物流集团"], "only the disagreeing account")
        assert "only classes that differ from the hand-set ones (d)" in status(app)
        assert "orders say EI, set by hand EII" in status(app)
        table = app.screen.query_one(AccountTable)
        assert "EII*" in table.render_line(1).text
        screen = await open_highlighted(pilot, app)
        assert "set by hand; the orders say EI" in shown_text(screen.query_one("#profile"))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AccountScreen), "back on the list")
        await pilot.press("d")
        await until(pilot, lambda: len(visible_names(app)) > 40, "every account again")


async def test_the_rep_overrides_a_derived_class_in_the_form(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await filter_to(pilot, app, "Fabrikam")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the form")
        form = app.screen
        form.query_one("#stability").value = "low"  # the rep knows they are drifting away
        form.query_one("#class_source").value = "hand"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AccountForm), "the form closed")
        row = accounts.get_row(Account.get(Account.name == "Fabrikam Industries Inc.").id)
        assert (row.class_code, row.derived_class, row.class_source) == ("EII", "EI", "hand")
        assert "EII*" in app.screen.query_one(AccountTable).render_line(1).text


async def test_needs_attention_names_the_purchase_reasons(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await filter_to(pilot, app, "Harbor Point")
        await pilot.press("down")  # the table has the cursor once Enter left the filter box
        await until(pilot, lambda: "never bought" in status(app), "the never-bought reminder")
        await pilot.press("escape")
        await filter_to(pilot, app, "Adventure Works")
        await until(pilot, lambda: "probably run out" in status(app), "the run-out reminder")
        assert "usually every" in status(app)
        await pilot.press("escape")
        await pilot.press("exclamation_mark")
        await until(pilot, lambda: "Bluewater Marine Systems" in visible_names(app), "a lapsed customer flagged")


async def test_orders_typed_in_elsewhere_reach_the_list_when_the_rep_comes_back(make_app, store):
    account = accounts.save(AccountDraft(name="Only Customer", relationship="customer")).id
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert visible_names(app) == ["Only Customer"]
        assert "never bought" not in status(app)  # no orders in the book: no purchase reminders
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account screen")
        # As the Orders tab or an import would: a year of monthly orders.
        orders.upsert_lines(
            [LineValues(account, dt.date(2026, m, 5), "Valve", 100_000, "CNY") for m in range(1, 12)]
            + [LineValues(account, dt.date(2025, 12, 5), "Valve", 100_000, "CNY")]
        )
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AccountScreen), "back on the list")
        row = app.screen.query_one(AccountTable).listing.rows[0]
        assert row.class_code == "EI"


async def test_a_bad_threshold_is_reported_with_its_line_and_the_app_starts_on_the_defaults(
    make_app, demo_store, tmp_path
):
    path = tmp_path / "settings.yaml"
    path.write_text("theme: textual-dark\nclasses:\n  stability:\n    min_months: 13\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.classes == load_settings(None).classes
    (problem,) = settings.problems
    assert f"{path}:4" in str(problem) and "classes.stability.min_months" in str(problem)
    app = make_app(settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(f"{path}:4" in n.message for n in notifications(app)), "the notification")
        assert len(visible_names(app)) > 40  # the list is there, classes derived by the defaults
        await pilot.press("d")
        await until(pilot, lambda: visible_names(app) == ["天津滨海物流集团"], "the defaults' disagreement")


async def test_the_brief_says_where_the_class_comes_from_and_when_they_last_bought(demo_store):
    account = Account.get(Account.name == "Adventure Works Cycles")
    text = brief.render_markdown(brief.build(account.id, TODAY, []))
    assert "EIII — Upgrade" in text and "derived from" in text
    assert "**Last purchase**" in text and "usually every" in text
    assert "## Purchases" in text and "probably run out" in text
    set_language("zh_CN")
    text = brief.render_markdown(brief.build(account.id, TODAY, []))
    assert "由最近 12 个月的" in text and "上次采购" in text and "可能已用完" in text
    never = Account.get(Account.name == "Harbor Point Chemicals")
    text = brief.render_markdown(brief.build(never.id, TODAY, []))
    assert "从未采购" in text and "手工设定" in text


async def test_the_account_screen_in_chinese_says_set_by_hand(make_app, demo_store):
    app = make_app()
    set_language("zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await filter_to(pilot, app, "天津滨海")
        screen = await open_highlighted(pilot, app)
        assert "手工设定；订单显示为 EI" in shown_text(screen.query_one("#profile"))


def test_the_brief_command_starts_despite_a_bad_classes_section(tmp_path, open_demo):
    db = open_demo(tmp_path / "demo.sqlite3")
    home = tmp_path / "home"
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.yaml").write_text("purchases:\n  run_out_factor: fast\n", encoding="utf-8")
    result = run_cli("brief", "Adventure Works", db=db, home=home, cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert "settings.yaml:2" in stderr_of(result) and "purchases.run_out_factor" in stderr_of(result)
    assert "(using the defaults of that section)" in stderr_of(result)
    assert "# Pre-call brief: Adventure Works Cycles" in stdout_of(result)


async def test_orders_added_on_one_account_reclass_its_owners_other_accounts_in_the_list(make_app, store):
    """Contribution is relative: when B outgrows A, A is no longer in the owner's top 80%."""
    a = accounts.save(AccountDraft(name="A Big", relationship="customer", owner="Li")).id
    b = accounts.save(AccountDraft(name="B Small", relationship="customer", owner="Li")).id

    def monthly(account_id: int, yuan: int) -> list[LineValues]:
        return [LineValues(account_id, dt.date(2026, m, 5), "Valve", yuan * 100, "CNY") for m in range(1, 12)] + [
            LineValues(account_id, dt.date(2025, 12, 5), "Valve", yuan * 100, "CNY")
        ]

    orders.upsert_lines(monthly(a, 50_000) + monthly(b, 1_000))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        listing = app.screen.query_one(AccountTable).listing
        assert [r.class_code for r in listing.rows if r.id in (a, b)] == ["EI", "EIII"]
        await filter_to(pilot, app, "B Small")
        screen = await open_highlighted(pilot, app)
        orders.upsert_lines(monthly(b, 500_000))  # as the Orders tab writes, then redraws
        screen.reload()
        assert "EI · Consolidate" in shown_text(screen.query_one("#profile"))
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AccountScreen), "back on the list")
        listing = app.screen.query_one(AccountTable).listing
        assert {r.name: r.class_code for r in listing.rows} == {"A Big": "EIII", "B Small": "EI"}
