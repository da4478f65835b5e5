"""A team lead opens the monthly review of the 15 from the account list: expected against
actual per 5+5+5 account, the ones behind highlighted, a chart, other months with [ and ],
and the Markdown for the meeting with x."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, Label

from saletui.method.plan import even_split
from saletui.store import accounts, orders, plans
from saletui.store.accounts import AccountDraft
from saletui.store.orders import LineValues
from saletui.store.plans import PlanDraft
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.review import ReviewScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.widgets.review_chart import ReviewChart
from tests.conftest import TODAY, shown_text, until


def book() -> None:
    """Two plans of CNY 1,200,000 for this year; one account sells to plan, one lags."""
    for name, tier, monthly in (("Steady Ltd", "top5", 10_000_000), ("华东精密机械", "middle5", 2_000_000)):
        account = accounts.save(AccountDraft(name=name, relationship="customer", tier=tier)).id
        months = [plans.parse.format_amount(m, "CNY") for m in even_split(120_000_000, "CNY")]
        plans.save_plan(account, TODAY.year, PlanDraft(objective="1.2M", months=months))
        orders.upsert_lines(
            [
                LineValues(account, dt.date(TODAY.year, m, 10), "Bearings", monthly, "CNY")
                for m in range(1, TODAY.month + 1)
            ]
        )
    accounts.save(AccountDraft(name="Not on the list", relationship="customer"))


def rows(screen: ReviewScreen) -> list[list[str]]:
    table = screen.query_one("#review-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_review_shows_expected_against_actual_and_the_ones_behind(make_app, tmp_path, monkeypatch):
    book()
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the list")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review")
        screen = app.screen
        assert "Monthly review of the 15: Nov 2026" in str(screen.query_one("#review-title", Label).render())
        assert "1 of 2 behind" in str(screen.query_one("#review-title", Label).render())
        assert rows(screen) == [
            ["", "Steady Ltd", "CNY", "100,000", "100,000", "1,100,000", "1,100,000", "100%", "0", "Top 5", ""],
            [
                "⚠",
                "华东精密机械",
                "CNY",
                "100,000",
                "20,000",
                "1,100,000",
                "220,000",
                "20%",
                "-880,000",
                "Middle 5",
                "",
            ],
            ["⚠", "Total", "CNY", "200,000", "120,000", "2,200,000", "1,320,000", "60%", "-880,000", "", ""],
        ]
        chart = shown_text(screen.query_one(ReviewChart).render(), width=120)
        assert "Steady Ltd" in chart and "100%" in chart
        lagging = next(line for line in chart.splitlines() if line.startswith("华东精密机械"))
        assert lagging.rstrip().endswith("20% ⚠") and "█" in lagging

        await pilot.press("left_square_bracket")
        await until(pilot, lambda: "Oct 2026" in str(screen.query_one("#review-title", Label).render()), "October")
        assert rows(screen)[0][5:7] == ["1,000,000", "1,000,000"]
        await pilot.press("t")
        await until(pilot, lambda: "Nov 2026" in str(screen.query_one("#review-title", Label).render()), "back")

        await pilot.press("o")  # one rep at a time: "" (nobody set) is the only owner here
        await until(pilot, lambda: "Owner: nobody" in str(screen.query_one("#review-title", Label).render()), "owner")
        await pilot.press("o")
        await until(pilot, lambda: "Owner" not in str(screen.query_one("#review-title", Label).render()), "everyone")

        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), "where to write it")
        assert app.screen.query_one("#prompt-text", Input).value == str(tmp_path / "review-2026-11.md")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "written")
        text = (tmp_path / "review-2026-11.md").read_text(encoding="utf-8")
        assert text.startswith("# Monthly review of the 15: Nov 2026")
        assert "| ⚠ **华东精密机械** | Middle 5 |" in text
        await until(
            pilot,
            lambda: any("review-2026-11.md" in str(n.message) for n in app._notifications),
            "where it was written",
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list")
