"""Reports: sales by period and one dimension as a table and a chart, and the win/loss
review; exported as CSV or Markdown."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.content import Content
from textual.widgets import ContentSwitcher, DataTable, Header, Label

from saletui import money
from saletui.errors import ValidationError
from saletui.i18n import N_, Translated, _, ngettext
from saletui.services import report_export
from saletui.store import reports
from saletui.store.reports import Grain, RangeError, SalesReport
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.save_prompt import ask_to_save
from saletui.ui.screens.text_prompt import TextPrompt
from saletui.ui.widgets.bar_chart import Bar, BarChart, BarGroup
from saletui.ui.widgets.markdown_page import MarkdownPage

DIMENSION_CYCLE: tuple[str | None, ...] = ("account", "region", "rep", "product", "category", "class", "tier", None)
TABLE_ROWS = 100
"""Rows shown in the table: a company report has thousands; the export holds every one."""
CHART_BARS = 10
"""Bars per currency: the largest values over the range."""
DEFAULT_MONTHS = 24
WINLOSS_BARS = 5
"""Reasons charted per side: the most frequent (the review below lists every one)."""


class ReportsScreen(LocalizedScreen[None]):
    """One report at a time: its table above (beside, on a wide terminal) its chart."""

    HELP = Translated(
        N_("""
## Reports
Sales from the order lines, per currency (yuan and dollars are never added together):
**g** switches the period (year, quarter, month), **d** the rows (company, region, rep,
product, category, class, tier, or the total only), **t** asks for the months (e.g.
`2025-01 2026-12`). The chart shows the largest rows over the whole range.

**w** switches to the **win/loss review**: won and lost deals by reason, by the stage
reached and by value, and the objection techniques used on the visits of each side.

**Ctrl+S** writes what is shown as CSV (for Excel) or Markdown (a name ending in .md);
**Esc** goes back. `saletui report sales` and `saletui report winloss` print the same.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="reports.back"),
        Binding("g", "grain", N_("Period"), id="reports.grain", tooltip=N_("By year, quarter or month")),
        Binding(
            "d", "dimension", N_("Rows"), id="reports.dimension", tooltip=N_("By company, region, rep, product, class…")
        ),
        Binding("t", "range", N_("Months"), id="reports.range", tooltip=N_("The first and last month of the report")),
        Binding("w", "toggle_kind", N_("Win/loss"), id="reports.kind", tooltip=N_("Sales or the win/loss review")),
        Binding(
            "ctrl+s", "export", N_("Export"), id="reports.export", tooltip=N_("Write the report as CSV or Markdown")
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kind = "sales"
        self.grain: Grain = "quarter"
        self.dimension: str | None = "account"
        self.start: int | None = None
        self.end: int | None = None
        self.report: SalesReport | None = None
        self.markdown = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="report-choice")
        with ContentSwitcher(initial="sales-view", id="report-views"):
            with Container(id="sales-view"):
                yield DataTable(id="report-table", cursor_type="row", zebra_stripes=True)
                yield BarChart(id="report-chart")
            with Container(id="winloss-view"):
                yield BarChart(id="winloss-chart")
                yield MarkdownPage(id="winloss-page")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.end = reports.month_of(self.app.today())
        self.start = reports.shift_month(self.end, 1 - DEFAULT_MONTHS)
        self.sub_title = _("Reports")
        self._build()
        self.query_one("#report-table").focus()

    def on_resize(self, event: events.Resize) -> None:
        # Side by side from 160 columns: a table and a chart of about 80 each.
        for view in ("#sales-view", "#winloss-view"):
            self.query_one(view).set_class(event.size.width >= 160, "-wide")

    async def relabel(self) -> None:
        self.sub_title = _("Reports")
        self._build()
        await super().relabel()

    # -- drawing ----------------------------------------------------------------------------
    def _build(self) -> None:
        """Read the report and show it: one query on the summaries, one redraw."""
        switcher = self.query_one(ContentSwitcher)
        if self.kind == "winloss":
            review = reports.winloss()
            self.markdown = report_export.winloss_markdown(review)
            self.query_one(MarkdownPage).update(self.markdown)
            self._fill_winloss_chart(review)
            switcher.current = "winloss-view"
            self._say(_("Win/loss review: won and lost deals by reason, stage, value and technique"))
            return
        report = reports.sales(self.grain, self.dimension, self.start, self.end, top=TABLE_ROWS)
        self.report = report
        switcher.current = "sales-view"
        self._fill_table(report)
        self._fill_chart(report)
        choice = report_export.sales_title(report)
        if report.folded:
            choice += " · " + _("the {n} largest rows; the others summed (the export has every row)").format(
                n=TABLE_ROWS
            )
        self._say(choice)

    def _say(self, text: str) -> None:
        self.query_one("#report-choice", Label).update(Content(text))

    def _fill_table(self, report: SalesReport) -> None:
        table = self.query_one("#report-table", DataTable)
        table.clear(columns=True)
        header, rows = report_export.sales_grid(report, money.format_number)
        for index, title in enumerate(header):
            table.add_column(Text(title, justify="left" if index < 2 else "right"), key=str(index))
        table.fixed_columns = 1
        table.add_rows(
            [Text(cell, justify="left" if i < 2 else "right", no_wrap=True) for i, cell in enumerate(row)]
            for row in rows
        )
        if not rows:
            table.add_row(Text(_("No sales in this range.")), *([""] * (len(header) - 1)))

    def _fill_chart(self, report: SalesReport) -> None:
        groups = []
        for currency in report.currencies:
            if report.dimension is None:
                totals = report.totals[currency]
                bars = [
                    Bar(
                        reports.period_label(p, report.grain),
                        totals.get(p, 0),
                        money.format_number(totals.get(p, 0), currency),
                    )
                    for p in report.periods
                ][-CHART_BARS:]
            else:
                mine = [r for r in report.rows if r.currency == currency and r.key != reports.OTHERS][:CHART_BARS]
                bars = [Bar(r.label, max(0, r.total), money.format_number(r.total, currency)) for r in mine]
            groups.append(BarGroup(_("{currency}, total over the range").format(currency=currency), tuple(bars)))
        self.query_one(BarChart).show(groups, _("No sales in this range."))

    def _fill_winloss_chart(self, review: reports.WinLoss) -> None:
        """Won and lost deals by reason, each side on its own scale (the counts, not the
        values: deals in yuan and in dollars are counted alike)."""
        groups = []
        for status, title in (("won", _("Won: deals by reason")), ("lost", _("Lost: deals by reason"))):
            bars = tuple(
                Bar(
                    reason or _("(no reason given)"),
                    tally.deals,
                    ngettext("{n} deal", "{n} deals", tally.deals).format(n=tally.deals),
                )
                for reason, tally in review.reasons[status][:WINLOSS_BARS]
            )
            groups.append(BarGroup(title, bars))
        self.query_one("#winloss-chart", BarChart).show(groups, _("No deal won or lost yet."))

    # -- actions ------------------------------------------------------------------------------
    def action_grain(self) -> None:
        grains = reports.GRAINS
        self.grain = grains[(grains.index(self.grain) + 1) % len(grains)]
        self._sales()

    def action_dimension(self) -> None:
        self.dimension = DIMENSION_CYCLE[(DIMENSION_CYCLE.index(self.dimension) + 1) % len(DIMENSION_CYCLE)]
        self._sales()

    def _sales(self) -> None:
        self.kind = "sales"
        self._build()
        self.query_one("#report-table").focus()

    def action_toggle_kind(self) -> None:
        self.kind = "winloss" if self.kind == "sales" else "sales"
        self._build()
        self.query_one("#winloss-page" if self.kind == "winloss" else "#report-table").focus()

    def action_range(self) -> None:
        current = f"{reports.month_text(self.start)} {reports.month_text(self.end)}" if self.start and self.end else ""

        def apply(text: str) -> None:
            parts = text.replace("–", " ").replace("..", " ").split()
            if len(parts) != 2:
                raise ValidationError({"range": _("Give two months: the first and the last, e.g. 2025-01 2026-12.")})
            try:
                start, end = reports.parse_month(parts[0]), reports.parse_month(parts[1], end=True)
            except RangeError as exc:
                raise ValidationError({"range": str(exc)}) from None
            if start > end:
                raise ValidationError({"range": _("The first month is after the last.")})
            self.start, self.end = start, end

        def done(text: str | None) -> None:
            if text is not None:
                self._sales()

        self.app.push_screen(
            TextPrompt(
                lambda: _("Months of the report"), lambda: _("First and last month"), apply, current, field="range"
            ),
            done,
        )

    def action_export(self) -> None:
        if self.kind == "winloss":
            default = "saletui-winloss.md"
        else:
            assert self.report is not None
            parts = ["saletui-sales", self.grain, self.dimension or "total"]
            if self.start and self.end:
                parts += [reports.month_text(self.start), reports.month_text(self.end)]
            default = "-".join(parts) + ".csv"

        def text_for(path: Path) -> str:
            if self.kind == "winloss":
                review = reports.winloss()
                fmt = report_export.file_format(path.name, "md")
                return report_export.winloss_csv(review) if fmt == "csv" else report_export.winloss_markdown(review)
            fmt = report_export.file_format(path.name, "csv")
            full = reports.sales(self.grain, self.dimension, self.start, self.end)  # every row, not the top
            return report_export.sales_text(full, "md" if fmt == "md" else "csv")

        ask_to_save(
            self,
            lambda: _("Export the report"),
            lambda: _("File (.csv, or .md for Markdown)"),
            Path.cwd() / default,
            text_for,
            lambda path: _("Report written to {path}").format(path=path),
        )
