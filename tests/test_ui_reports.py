"""A team lead opens the Reports from the account list with `r`: sales by quarter and
company over the last two years, a table and a chart of bars; `g` and `d` switch the period
and the rows, `t` the months, `w` the win/loss review, Ctrl+S writes what is shown."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable, Input

from saletui.i18n import set_language
from saletui.store import accounts, orders
from saletui.store.accounts import AccountDraft
from saletui.store.models import Deal, Visit, VisitObjection, database
from saletui.store.orders import LineValues
from saletui.ui.compat import notifications
from saletui.ui.screens.accounts import AccountsScreen
from saletui.ui.screens.reports import ReportsScreen
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.widgets.bar_chart import BarChart
from saletui.ui.widgets.markdown_page import MarkdownPage
from tests.conftest import shown_text, until


def line(account_id: int, day: str, product: str, amount: int, **kw) -> LineValues:
    return LineValues(account_id, dt.date.fromisoformat(day), product, amount, kw.pop("currency", "CNY"), **kw)


@pytest.fixture
def book(store):
    east = accounts.save(
        AccountDraft(name="华东精密机械有限公司", region="华东", owner="张伟", relationship="customer", tier="top5")
    ).id
    west = accounts.save(
        AccountDraft(name="=HYPERLINK(evil)", region="West", owner="Li Na", relationship="customer")
    ).id
    usd = accounts.save(AccountDraft(name="Acme Corp", region="US", owner="Tom", currency="USD")).id
    with database.atomic():
        orders.upsert_lines(
            [
                line(east, "2026-01-10", "主轴", 300_000_00, category="机床"),
                line(east, "2026-07-10", "主轴", 100_000_00, category="机床"),
                line(west, "2026-02-01", "Chuck", 100_000_00, category="Parts"),
                line(usd, "2026-03-01", "Chuck", 5_000_00, currency="USD", category="Parts"),
                line(east, "2023-01-01", "主轴", 999_999_00, category="机床"),  # before the default two years
            ]
        )
    won = Deal.create(account=east, title="Line 2", status="won", close_reason="最佳服务", stage=6, value=50_000_00)
    Deal.create(account=west, title="Retrofit", status="lost", close_reason="Price", stage=3, value=80_000_00)
    visit = Visit.create(account=east, deal=won, planned_at=dt.datetime(2026, 5, 1), status="done")
    VisitObjection.create(
        visit=visit, objection_id="too-expensive", objection_title="太贵", technique_name="价值对比", worked=True
    )
    return {"east": east, "west": west, "usd": usd}


async def open_reports(pilot) -> ReportsScreen:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "the list")
    await pilot.press("r")
    await until(pilot, lambda: isinstance(app.screen, ReportsScreen), "the reports open")
    await pilot.pause()
    return app.screen


def table_rows(screen: ReportsScreen) -> list[list[str]]:
    table = screen.query_one("#report-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def chart_bars(screen: ReportsScreen) -> list[tuple[str, str]]:
    chart = screen.query_one(BarChart)
    return [(bar.label, bar.shown) for group in chart.groups for bar in group.bars]


async def test_reports_open_on_sales_by_quarter_and_company_of_the_last_two_years(make_app, book):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_reports(pilot)
        assert screen.report is not None and (screen.report.start, screen.report.end) == (202412, 202611)
        rows = table_rows(screen)
        assert [r[0] for r in rows] == ["华东精密机械有限公司", "=HYPERLINK(evil)", "Total", "Acme Corp", "Total"]
        assert rows[0][-2:] == ["400,000", "2"]  # the 2023 order is outside the range
        # The chart: the largest companies per currency, yuan and dollars on their own scales.
        assert chart_bars(screen) == [
            ("华东精密机械有限公司", "400,000"),
            ("=HYPERLINK(evil)", "100,000"),
            ("Acme Corp", "5,000"),
        ]
        drawn = shown_text(screen.query_one(BarChart).bars, width=80)
        assert "CNY" in drawn and "USD" in drawn and "█" in drawn


async def test_g_and_d_switch_the_period_and_the_rows(make_app, book):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("g")  # quarter -> month
        await until(pilot, lambda: screen.grain == "month", "by month")
        header = [str(c.label) for c in screen.query_one("#report-table", DataTable).columns.values()]
        assert header[2] == "2024-12" and header[-3] == "2026-11" and len(header) == 2 + 24 + 2
        await pilot.press("d")  # company -> region
        await until(pilot, lambda: screen.dimension == "region", "by region")
        assert [label for label, _v in chart_bars(screen)] == ["华东", "West", "US"]
        await pilot.press("g")  # month -> year
        assert screen.grain == "year"
        assert table_rows(screen)[0][2:6] == ["", "", "400,000", "400,000"]  # 2024, 2025, 2026, total
        for _ in range(6):  # region -> rep, product, category, class, tier, total
            await pilot.press("d")
        assert screen.dimension is None
        assert [label for label, _v in chart_bars(screen)] == ["2024", "2025", "2026", "2024", "2025", "2026"]
        assert "Sales by year" in str(screen.query_one("#report-choice").render())


async def test_t_sets_the_months_and_a_bad_month_is_explained(make_app, book):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), "asked for the months")
        app.screen.query_one("#prompt-text", Input).value = "2026-01 2026-13"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # still asking, the reason beside the field
        assert "13" in str(app.screen.query_one(".form-field--error").render())
        app.screen.query_one("#prompt-text", Input).value = "2026-01 2026-02"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen, "back on the report")
        assert (screen.report.start, screen.report.end) == (202601, 202602)
        assert chart_bars(screen) == [("=HYPERLINK(evil)", "100,000"), ("华东精密机械有限公司", "300,000")][::-1]


async def test_ctrl_s_writes_the_report_as_csv_with_the_formula_guard(make_app, book, tmp_path):
    app = make_app()
    out = tmp_path / "sales.csv"
    async with app.run_test(size=(100, 30)) as pilot:
        await open_reports(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), "asked for the file")
        field = app.screen.query_one("#prompt-text", Input)
        assert field.value.endswith("saletui-sales-quarter-account-2024-12-2026-11.csv")
        field.value = str(out)
        await pilot.press("enter")
        await until(pilot, out.exists, "the file written")
        await until(pilot, lambda: any(str(out) in n.message for n in notifications(app)), "told where")
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffCompany,Currency,2024-Q4,2025-Q1")
    assert "\r\n'=HYPERLINK(evil),CNY," in text  # never run as a formula
    assert "\r\n华东精密机械有限公司,CNY,,,,,,300000,,100000,,400000,2\r\n" in text  # 2026-Q1 and Q3, exact
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


async def test_w_shows_the_win_loss_review_and_exports_it_as_markdown(make_app, book, tmp_path):
    app = make_app()
    out = tmp_path / "review.md"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("w")
        page = screen.query_one(MarkdownPage)
        await until(pilot, lambda: page.display and "Win/loss review" in page.text, "the review is shown")
        assert "| Won | 最佳服务 | 1 | CNY 50,000 |" in page.text
        assert "| Won | 价值对比 | 太贵 | 1 | 1 | 0 |" in page.text
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt), "asked for the file")
        app.screen.query_one("#prompt-text", Input).value = str(out)
        await pilot.press("enter")
        await until(pilot, out.exists, "the review written")
        await pilot.press("w")
        await until(pilot, lambda: screen.query_one("#report-table").display, "back to sales")
    assert out.read_bytes().decode("utf-8") == page.text


async def test_the_win_loss_chart_bars_the_reasons_of_each_side_and_shows_hostile_text_literally(make_app, book):
    """Above the review, each side's most frequent reasons as bars of deals; a reason typed
    with markup and an escape sequence is drawn as typed, the escape made visible."""
    for n in range(2):
        Deal.create(account=book["usd"], title=f"Lost {n}", status="lost", close_reason="[red]Price\x1b[2J", stage=2)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_reports(pilot)
        await pilot.press("w")
        chart = screen.query_one("#winloss-chart", BarChart)
        await until(pilot, lambda: chart.display and chart.groups, "the chart drawn")
        assert [(g.title, [(b.label, b.value, b.shown) for b in g.bars]) for g in chart.groups] == [
            ("Won: deals by reason", [("最佳服务", 1, "1 deal")]),
            ("Lost: deals by reason", [("[red]Price\x1b[2J", 2, "2 deals"), ("Price", 1, "1 deal")]),
        ]
        drawn = shown_text(chart.bars, width=90)
        assert "[red]Price\ufffd[2J" in drawn and "\x1b" not in drawn
        bar_lines = [ln for ln in drawn.splitlines() if "█" in ln]
        assert len(bar_lines) == 3 and bar_lines[1].count("█") > bar_lines[2].count("█") > 0


async def test_in_chinese_the_labels_are_translated_and_the_bars_line_up(make_app, book):
    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_reports(pilot)
        choice = str(screen.query_one("#report-choice").render())
        assert "Sales" not in choice and "2024-12" in choice
        lines = [ln for ln in shown_text(screen.query_one(BarChart).bars, width=70).splitlines() if "█" in ln]
        starts = {cell_len(ln[: ln.index("█")]) for ln in lines}
        assert len(lines) == 3 and len(starts) == 1, lines  # Chinese and Latin labels end at one column
