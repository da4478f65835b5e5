"""The pipeline: open deals across accounts by stage or expected close month, as a table
and a chart, filtered by owner, class, tier and region; exported as CSV or Markdown."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.content import Content
from textual.widgets import DataTable, Header, Label

from saletui import money
from saletui.i18n import N_, Translated, _
from saletui.method.pipeline import Bucket, PipelineDeal, buckets
from saletui.services import report_export
from saletui.store import deal_health, pipeline
from saletui.store.pipeline import PipelineFilter
from saletui.ui.compat import KeyFooter
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.save_prompt import ask_to_save
from saletui.ui.widgets.bar_chart import Bar, BarChart, BarGroup

FILTERS = ("owner", "class_code", "tier", "region")


class PipelineScreen(LocalizedScreen[None]):
    """Every open deal of the active accounts, summed by stage or by close month."""

    HELP = Translated(
        N_("""
## Pipeline
The open deals of every active account: per stage (or, **g**, per expected close month)
how many, their value, their value weighted by the chance of winning at that stage (the
process file's `probability:` per stage, else from 10 percent in development up to 80
in negotiation) and how many are at risk. Amounts are per currency, never added across.

**o**, **c**, **t** and **R** step through the owners, classes, tiers and regions (and
back to all); **Ctrl+S** writes what is shown as CSV or Markdown; **Esc** goes back.
`saletui report pipeline` prints the same.
""")
    )

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="pipeline.back"),
        Binding("g", "by", N_("By"), id="pipeline.by", tooltip=N_("By stage or by expected close month")),
        Binding("o", "step('owner')", N_("Owner"), id="pipeline.owner", tooltip=N_("Only one rep's deals")),
        Binding("c", "step('class_code')", N_("Class"), id="pipeline.class", tooltip=N_("Only one class")),
        Binding("t", "step('tier')", N_("Tier"), id="pipeline.tier", tooltip=N_("Only one 5+5+5 tier")),
        Binding("R", "step('region')", N_("Region"), id="pipeline.region", tooltip=N_("Only one region")),
        Binding("ctrl+s", "export", N_("Export"), id="pipeline.export", tooltip=N_("Write it as CSV or Markdown")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.by = "stage"
        self.keep = PipelineFilter()
        self.deals: list[PipelineDeal] = []
        self.rows: list[Bucket] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="pipeline-choice")
        with Container(id="pipeline-view"):
            yield DataTable(id="pipeline-table", cursor_type="row", zebra_stripes=True)
            yield BarChart(id="pipeline-chart")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.sub_title = _("Pipeline")
        with guarded_write(self):  # the risks the list counts: stored again where stale
            deal_health.refresh(self.app.settings.deal_risks, self.app.today())
        self.deals = pipeline.open_deals()
        self._build()
        self.query_one("#pipeline-table").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#pipeline-view").set_class(event.size.width >= 160, "-wide")

    async def relabel(self) -> None:
        self.sub_title = _("Pipeline")
        self._build()
        await super().relabel()

    def _build(self) -> None:
        """Sum the deals kept by the filters and show them: no query, one redraw."""
        kept = [d for d in self.deals if self.keep.keeps(d)]
        self.rows = buckets(kept, self.by, self.app.process.probabilities())
        table = self.query_one("#pipeline-table", DataTable)
        table.clear(columns=True)
        header, grid = report_export.pipeline_grid(self.rows, self.by, money.format_number)
        for index, title in enumerate(header):
            table.add_column(Text(title, justify="left" if index < 2 else "right"), key=str(index))
        table.add_rows(
            [Text(cell, justify="left" if i < 2 else "right", no_wrap=True) for i, cell in enumerate(row)]
            for row in grid
        )
        self._fill_chart()
        self.query_one("#pipeline-choice", Label).update(Content(report_export.pipeline_title(self.by, self.keep)))

    def _fill_chart(self) -> None:
        currencies = sorted({c for row in self.rows for c in row.weighted})
        groups = []
        for currency in currencies:
            bars = tuple(
                Bar(
                    report_export.pipeline_bucket_label(row.key, self.by),
                    max(0, row.weighted.get(currency, 0)),
                    money.format_number(row.weighted.get(currency, 0), currency),
                )
                for row in self.rows
                if currency in row.weighted or self.by == "stage"
            )
            groups.append(BarGroup(_("{currency}, weighted value").format(currency=currency), bars))
        self.query_one(BarChart).show(groups, _("No open deal."))

    def action_by(self) -> None:
        self.by = "month" if self.by == "stage" else "stage"
        self._build()

    def action_step(self, name: str) -> None:
        """The next value of one filter among the open deals' (after the last: all)."""
        options = ["", *sorted({str(getattr(d, name)) for d in self.deals} - {""}, key=str.casefold)]
        current = getattr(self.keep, name)
        following = options[(options.index(current) + 1) % len(options) if current in options else 0]
        self.keep = PipelineFilter(**{**{f: getattr(self.keep, f) for f in FILTERS}, name: following})
        self._build()

    def action_export(self) -> None:
        def text_for(path: Path) -> str:
            fmt = report_export.file_format(path.name, "csv")
            return report_export.pipeline_text(self.rows, self.by, self.keep, fmt)

        ask_to_save(
            self,
            lambda: _("Export the pipeline"),
            lambda: _("File (.csv, or .md for Markdown)"),
            Path.cwd() / f"saletui-pipeline-{self.by}.csv",
            text_for,
            lambda path: _("Report written to {path}").format(path=path),
        )
