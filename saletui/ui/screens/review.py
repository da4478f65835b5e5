"""The monthly review of the 15 (5+5+5): for the month chosen, each tiered account's
expected sales (its plan) against actual (its orders), for the month and the year to
date, the totals per currency, the ones behind highlighted, as a table and a chart.
What the team meeting looks at; **x** writes it as Markdown."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Label

from saletui import money
from saletui.file_names import safe_file_stem
from saletui.i18n import N_, Translated, _, labelled, ngettext
from saletui.method.plan import shift_month
from saletui.services.review import month_abbr, month_title, percent_text, render_markdown, tier_label
from saletui.store import plans
from saletui.store.plans import Review
from saletui.text import display_text
from saletui.ui.compat import KeyFooter
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.save_prompt import ask_to_save
from saletui.ui.widgets.review_chart import ReviewChart


class ReviewScreen(LocalizedScreen[set[int]]):
    """Returns the ids of the accounts opened from it (their list rows may have changed)."""

    HELP = Translated(
        N_("""
## Monthly review of the 15
Each 5+5+5 account's plan against its orders: the month and the year to date, with the
totals per currency (never added across currencies). An account is **behind** (⚠, in
red) when its sales to date are more than the `plan.behind_percent` setting (10%) short of
what its plan expected to date. **[** and **]** (or **<** **>**) go to the month before
or after, **t** back to this month; **o** shows one rep's accounts at a time (each in
turn, then everyone's again); **Enter** opens the account; **x** writes the review
as Markdown for the team meeting; **Esc** goes back. `saletui review --month 2026-11`
prints the same.
""")
    )

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="review.back", tooltip=N_("Back to the account list")),
        Binding(
            "left_square_bracket,less_than_sign,comma",
            "month(-1)",
            N_("Prev month"),
            id="review.prev",
            tooltip=N_("The month before"),
        ),
        Binding(
            "right_square_bracket,greater_than_sign,full_stop",
            "month(1)",
            N_("Next month"),
            id="review.next",
            tooltip=N_("The month after"),
        ),
        Binding("t", "this_month", N_("This month"), id="review.this_month", tooltip=N_("Back to this month")),
        Binding(
            "o", "next_owner", N_("Owner"), id="review.owner", tooltip=N_("One rep's accounts at a time, or everyone's")
        ),
        Binding("x", "export", N_("Export"), id="review.export", tooltip=N_("Write the review as Markdown")),
    ]

    HORIZONTAL_BREAKPOINTS = [(0, "-standard-width"), (160, "-wide")]

    def __init__(self) -> None:
        super().__init__()
        self.year: int | None = None
        self.month: int | None = None
        self.review: Review | None = None
        self.opened: set[int] = set()
        self.owner: str | None = None  # None: every rep's tiered accounts

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="review-title")
        with Vertical(id="review-body"):
            yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="review-chart-scroll"):
                yield ReviewChart(id="review-chart")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        today = self.app.today()
        self.year, self.month = today.year, today.month
        self.load()
        self.query_one("#review-table").focus()

    async def relabel(self) -> None:
        self.load()
        await super().relabel()

    def load(self) -> None:
        """Read the review of the month chosen (three queries) and draw table and chart."""
        assert self.year is not None and self.month is not None
        review = plans.review(self.year, self.month, self.app.settings.plan.behind_percent, self.owner)
        self.review = review
        self.sub_title = _("Monthly review of the 15")
        behind = len(review.behind)
        title = " · ".join(
            (
                labelled(_("Monthly review of the 15"), month_title(review.year, review.month)),
                *([labelled(_("Owner"), display_text(self.owner) or _("nobody"))] if self.owner is not None else []),
                ngettext(
                    "{n} of {total} behind (more than {percent} short of the expected to date)",
                    "{n} of {total} behind (more than {percent} short of the expected to date)",
                    behind,
                ).format(n=behind, total=len(review.lines), percent=f"{review.behind_percent}%"),
            )
        )
        self.query_one("#review-title", Label).update(Text(title))
        self._fill_table(review)
        self.query_one(ReviewChart).show(review)

    def _fill_table(self, review: Review) -> None:
        table: DataTable[Text] = self.query_one("#review-table", DataTable)
        row = table.cursor_row
        table.clear(columns=True)
        month = month_abbr(review.month)
        table.add_column("")
        # Narrow: long names are cut, so that the amounts to date are still on screen.
        table.add_column(_("Account"), width=18 if self.app.size.width < 120 else None)
        table.add_columns(
            _("Cur."),
            _("Exp. {month}").format(month=month),
            _("Act. {month}").format(month=month),
            _("Exp. to date"),
            _("Act. to date"),
            "%",
            _("Gap"),
            _("Tier"),
            _("Owner"),
        )
        behind_style = "bold " + (self.app.current_theme.error or "red")
        for line in review.lines:
            c = line.currency
            cells = [
                Text("⚠" if line.behind else ""),
                Text(display_text(line.name), no_wrap=True, overflow="ellipsis"),  # "…" when the column is narrow
                Text(c),
                Text(money.format_number(line.expected_month, c) if line.has_plan else "", justify="right"),
                Text(money.format_number(line.actual_month, c), justify="right"),
                Text(money.format_number(line.expected_ytd, c) if line.has_plan else "", justify="right"),
                Text(money.format_number(line.actual_ytd, c), justify="right"),
                Text(percent_text(line), justify="right"),
                Text(money.format_number(line.gap_ytd, c) if line.has_plan else "", justify="right"),
                Text(tier_label(line.tier)),
                Text(display_text(line.owner)),
            ]
            if line.behind:
                for cell in cells:
                    cell.stylize(behind_style)
            table.add_row(*cells, key=str(line.account_id))
        for total in review.totals():
            c = total.currency
            percent = f"{total.actual_ytd * 100 // total.expected_ytd}%" if total.expected_ytd else "-"
            cells = [
                Text("⚠" if total.behind else ""),
                Text(_("Total"), style="bold"),
                Text(c, style="bold"),
                *(
                    Text(money.format_number(v, c), justify="right", style="bold")
                    for v in (total.expected_month, total.actual_month, total.expected_ytd, total.actual_ytd)
                ),
                Text(percent, justify="right", style="bold"),
                Text(money.format_number(total.actual_ytd - total.expected_ytd, c), justify="right", style="bold"),
                Text(""),
                Text(""),
            ]
            table.add_row(*cells, key=f"total-{c}")
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def on_resize(self) -> None:
        if self.review is not None and (self.app.size.width < 120) != self._narrow:
            self._fill_table(self.review)

    @property
    def _narrow(self) -> bool:
        table: DataTable[Text] = self.query_one("#review-table", DataTable)
        return (
            bool(table.ordered_columns)
            and table.ordered_columns[1].width == 18
            and not table.ordered_columns[1].auto_width
        )

    def action_month(self, step: int) -> None:
        assert self.year is not None and self.month is not None
        self.year, self.month = shift_month(self.year, self.month, step)
        self.load()

    def action_next_owner(self) -> None:
        """Everyone, then each rep with tiered accounts in turn, then everyone again."""
        owners: list[str | None] = [None, *plans.review_owners()]
        self.owner = owners[(owners.index(self.owner) + 1) % len(owners)] if self.owner in owners else None
        self.load()

    def action_this_month(self) -> None:
        today = self.app.today()
        self.year, self.month = today.year, today.month
        self.load()

    def action_back(self) -> None:
        self.dismiss(self.opened)

    @on(DataTable.RowSelected, "#review-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value or ""
        if not key.isdigit():
            return  # a total
        from saletui.ui.screens.account import AccountScreen

        self.opened.add(int(key))
        self.app.push_screen(AccountScreen(int(key)))

    def on_screen_resume(self) -> None:
        if self.review is not None:
            self.load()  # a plan changed on the account opened from here

    def action_export(self) -> None:
        review = self.review
        if review is None:
            return
        text = render_markdown(review, self.app.today())
        owner = f"-{safe_file_stem(review.owner)}" if review.owner else ""
        default = Path.cwd() / f"review-{review.year}-{review.month:02}{owner}.md"

        ask_to_save(
            self,
            lambda: _("Save the review as Markdown"),
            lambda: _("File"),
            default,
            lambda _path: text,
            lambda path: _("Review written to {path}").format(path=path),
        )
