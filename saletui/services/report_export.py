"""Reports as files and text: CSV for spreadsheets, Markdown for the team meeting, an
aligned table for the terminal. Shared by the Reports screen and `saletui report`.

CSV is written as the other exports are (saletui.services.csv_export): UTF-8 with a BOM,
CRLF, every cell through the formula guard, amounts as exact decimals with the currency
in its own column. Markdown and the table show amounts with thousands separators. Every
figure stays in its own currency; a report over two currencies has a block per currency.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence

from saletui import money
from saletui.i18n import _, labelled
from saletui.method.pipeline import NO_DATE, Bucket, total
from saletui.method.stages import stage_label
from saletui.services.brief import md
from saletui.services.csv_export import write_rows
from saletui.store.pipeline import PipelineFilter
from saletui.store.reports import VALUE_BANDS, Grain, SalesReport, Tally, WinLoss, month_text, period_label
from saletui.text import display_text

FORMATS = ("table", "csv", "md")


def grain_names() -> dict[str, str]:
    return {"year": _("Year"), "quarter": _("Quarter"), "month": _("Month")}


def dimension_names() -> dict[str | None, str]:
    return {
        None: _("Total"),
        "account": _("Company"),
        "region": _("Region"),
        "rep": _("Rep"),
        "product": _("Product"),
        "category": _("Category"),
        "class": _("Class"),
        "tier": _("Tier"),
    }


def _words() -> dict[str | None, str]:
    """The grains and dimensions as words inside a title ("Sales by quarter and region")."""
    return {
        "year": _("year"),
        "quarter": _("quarter"),
        "month": _("month"),
        "account": _("company"),
        "region": _("region"),
        "rep": _("rep"),
        "product": _("product"),
        "category": _("category"),
        "class": _("class"),
        "tier": _("tier"),
    }


def sales_title(report: SalesReport) -> str:
    """ "Sales by quarter and region, 2025-01 – 2026-12"."""
    words = _words()
    if report.dimension is None:
        title = _("Sales by {grain}").format(grain=words[report.grain])
    else:
        title = _("Sales by {grain} and {dimension}").format(
            grain=words[report.grain], dimension=words[report.dimension]
        )
    return _("{title}, {range}").format(title=title, range=range_text(report.start, report.end))


def range_text(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return _("all months")
    return f"{month_text(start) if start else '…'} – {month_text(end) if end else '…'}"


def sales_grid(report: SalesReport, amount: Callable[[int, str], str]) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a sales report: one row per value and currency, a total row
    per currency; `amount` spells each figure."""
    periods = [period_label(p, report.grain) for p in report.periods]
    header = [dimension_names()[report.dimension], _("Currency"), *periods, _("Total"), _("Lines")]
    rows: list[list[str]] = []
    for currency in report.currencies:
        mine = [r for r in report.rows if r.currency == currency]
        for row in mine:
            rows.append(
                [
                    display_text(row.label),
                    currency,
                    *(amount(row.amounts[p], currency) if p in row.amounts else "" for p in report.periods),
                    amount(row.total, currency),
                    str(row.lines),
                ]
            )
        if report.dimension is not None:
            totals = report.totals[currency]
            rows.append(
                [
                    _("Total"),
                    currency,
                    *(amount(totals[p], currency) if p in totals else "" for p in report.periods),
                    amount(report.total(currency), currency),
                    str(sum(r.lines for r in mine)),
                ]
            )
    return header, rows


def sales_csv(report: SalesReport) -> str:
    """The report for a spreadsheet (exact decimals; the formula guard on every cell)."""
    header, rows = sales_grid(report, money.plain_number)
    out = io.StringIO(newline="")
    write_rows(out, header, rows)
    return out.getvalue()


def sales_markdown(report: SalesReport) -> str:
    header, rows = sales_grid(report, money.format_number)
    lines = [f"# {md(sales_title(report))}", ""]
    if not rows:
        return "\n".join([*lines, _("No sales in this range."), ""])
    lines += _md_table(header, rows, numeric_from=2)
    return "\n".join(lines) + "\n"


def sales_table(report: SalesReport) -> str:
    """An aligned plain-text table for the terminal (Chinese names take two columns a character)."""
    header, rows = sales_grid(report, money.format_number)
    title = sales_title(report)
    if not rows:
        return title + "\n" + _("No sales in this range.") + "\n"
    return title + "\n\n" + text_table(header, rows, numeric_from=2) + "\n"


def cell_width(text: str) -> int:
    """Terminal columns of `text`: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1 for ch in text)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> str:
    widths = [max(cell_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - cell_width(cell))
            out.append(pad + cell if i >= numeric_from else cell + pad)
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric_from: int = 1) -> list[str]:
    align = ["---" if i < numeric_from else "---:" for i in range(len(header))]
    return [
        "| " + " | ".join(md(h) for h in header) + " |",
        "| " + " | ".join(align) + " |",
        *("| " + " | ".join(md(c) for c in row) + " |" for row in rows),
        "",
    ]


# -- win/loss ------------------------------------------------------------------------------


def side_names() -> dict[str, str]:
    return {"won": _("Won"), "lost": _("Lost")}


def band_label(band: int) -> str:
    """ "< 10,000", "10,000 – 100,000", "≥ 1,000,000" (major units of each deal's currency)."""
    if band < 0:
        return _("no value")
    if band == 0:
        return f"< {VALUE_BANDS[0]:,}"
    if band >= len(VALUE_BANDS):
        return f"≥ {VALUE_BANDS[-1]:,}"
    return f"{VALUE_BANDS[band - 1]:,} – {VALUE_BANDS[band]:,}"


def _value(tally: Tally | None) -> str:
    return money.format_totals(tally.value) if tally is not None else ""


def _deals(tally: Tally | None) -> str:
    return str(tally.deals) if tally is not None else "0"


def winloss_sections(review: WinLoss) -> list[tuple[str, list[str], list[list[str]]]]:
    """(heading, header, rows) of each part of the review, as the screen and the files show it."""
    sides = side_names()
    summary = [[sides[s], _deals(t), _value(t)] for s, t in (("won", review.won), ("lost", review.lost))]
    out = [(_("Closed deals"), [_("Outcome"), _("Deals"), _("Value")], summary)]
    reasons = [
        [sides[status], display_text(reason) or _("(no reason given)"), _deals(tally), _value(tally)]
        for status in ("won", "lost")
        for reason, tally in review.reasons[status]
    ]
    out.append((_("By reason"), [_("Outcome"), _("Reason"), _("Deals"), _("Value")], reasons))
    stage_rows = [
        [
            stage_label(stage),
            _deals(by.get("won")),
            _value(by.get("won")),
            _deals(by.get("lost")),
            _value(by.get("lost")),
        ]
        for stage, by in review.stages.items()
    ]
    header = [_("Stage reached"), _("Won"), _("Won value"), _("Lost"), _("Lost value")]
    out.append((_("By stage reached"), header, stage_rows))
    band_rows = [
        [band_label(band), _deals(by.get("won")), _value(by.get("won")), _deals(by.get("lost")), _value(by.get("lost"))]
        for band, by in review.bands.items()
    ]
    header = [_("Deal value"), _("Won"), _("Won value"), _("Lost"), _("Lost value")]
    out.append((_("By value"), header, band_rows))
    techniques = [
        [
            sides[status],
            display_text(use.technique) or _("(no technique)"),
            display_text(use.objection),
            str(use.used),
            str(use.worked),
            str(use.failed),
        ]
        for status in ("won", "lost")
        for use in review.techniques[status]
    ]
    header = [_("Outcome"), _("Technique"), _("Objection"), _("Used"), _("Worked"), _("Did not work")]
    out.append((_("Techniques used on the deals' visits"), header, techniques))
    return out


def winloss_markdown(review: WinLoss, start: int | None = None, end: int | None = None) -> str:
    title = _("Win/loss review")
    if start is not None or end is not None:
        title = labelled(title, _("closed {range}").format(range=range_text(start, end)))
    lines = [f"# {md(title)}", ""]
    if not review.closed:
        return "\n".join([*lines, _("No won or lost deals yet."), ""])
    numeric = {0: 1, 1: 2, 2: 1, 3: 1, 4: 3}
    for index, (heading, header, rows) in enumerate(winloss_sections(review)):
        lines += [f"## {md(heading)}", ""]
        lines += _md_table(header, rows, numeric_from=numeric[index]) if rows else [_("None."), ""]
    return "\n".join(lines) + "\n"


def winloss_csv(review: WinLoss) -> str:
    """One row per section, group, outcome and currency: counts and exact values, and per
    technique the times used, worked and did not work."""
    sides = ("won", "lost")
    rows: list[list[object]] = []

    def tally_rows(section: str, group: str, status: str, tally: Tally | None) -> None:
        if tally is None:
            return
        if not tally.value:
            rows.append([section, group, "", status, tally.deals, "", "", "", "", ""])
        for currency, value in tally.value.items():
            rows.append(
                [section, group, "", status, tally.deals, currency, money.plain_number(value, currency), "", "", ""]
            )

    for status in sides:
        tally_rows("total", "", status, review.won if status == "won" else review.lost)
    for status in sides:
        for reason, tally in review.reasons[status]:
            tally_rows("reason", reason, status, tally)
    for stage, by in review.stages.items():
        for status in sides:
            tally_rows("stage", str(stage), status, by.get(status))
    for band, by in review.bands.items():
        for status in sides:
            tally_rows("value", band_label(band), status, by.get(status))
    for status in sides:
        for use in review.techniques[status]:
            rows.append(
                ["technique", use.technique, use.objection, status, "", "", "", use.used, use.worked, use.failed]
            )
    header = [
        "section",
        "group",
        "objection",
        "outcome",
        "deals",
        "currency",
        "value",
        "used",
        "worked",
        "did_not_work",
    ]
    out = io.StringIO(newline="")
    write_rows(out, header, rows)
    return out.getvalue()


def file_format(name: str, default: str) -> str:
    """The format a file name asks for: .md/.markdown, .csv, else `default`."""
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown")):
        return "md"
    if lowered.endswith(".csv"):
        return "csv"
    return default


def sales_text(report: SalesReport, fmt: str) -> str:
    return {"csv": sales_csv, "md": sales_markdown, "table": sales_table}[fmt](report)


def grain_label(grain: Grain) -> str:
    return grain_names()[grain]


# -- the pipeline ----------------------------------------------------------------------------


def pipeline_bucket_label(key: int, by: str) -> str:
    if by == "stage":
        return stage_label(key)
    return _("no date") if key == NO_DATE else month_text(key)


def pipeline_title(by: str, keep: PipelineFilter) -> str:
    title = _("Pipeline: open deals by stage") if by == "stage" else _("Pipeline: open deals by expected close")
    chosen = [
        labelled(name, display_text(value))
        for name, value in (
            (_("Owner"), keep.owner),
            (_("Class"), keep.class_code),
            (_("Tier"), keep.tier),
            (_("Region"), keep.region),
        )
        if value
    ]
    return title + (" · " + " · ".join(chosen) if chosen else "")


def pipeline_grid(
    rows: Sequence[Bucket], by: str, amount: Callable[[int, str], str]
) -> tuple[list[str], list[list[str]]]:
    """One line per row and currency (deals in yuan and in dollars are never added), then
    the totals; a stage without deals keeps its line."""
    header = [
        _("Stage") if by == "stage" else _("Expected close"),
        _("Currency"),
        _("Deals"),
        _("At risk"),
        _("Value"),
        _("Weighted value"),
    ]
    grid: list[list[str]] = []
    for row in [*rows, total(rows)]:
        label = _("Total") if row.key == -1 else pipeline_bucket_label(row.key, by)
        currencies = sorted(row.value) or [""]
        for n, currency in enumerate(currencies):
            grid.append(
                [
                    label if n == 0 else "",
                    currency,
                    str(row.deals) if n == 0 else "",
                    str(row.at_risk) if n == 0 else "",
                    amount(row.value[currency], currency) if currency else "",
                    amount(row.weighted[currency], currency) if currency else "",
                ]
            )
    return header, grid


def pipeline_text(rows: Sequence[Bucket], by: str, keep: PipelineFilter, fmt: str) -> str:
    """The pipeline as "csv" (for Excel: exact decimals, the formula guard), "md" or "table"."""
    if fmt == "csv":
        header, grid = pipeline_grid(rows, by, money.plain_number)
        out = io.StringIO(newline="")
        write_rows(out, header, grid)
        return out.getvalue()
    header, grid = pipeline_grid(rows, by, money.format_number)
    title = pipeline_title(by, keep)
    if fmt == "md":
        return "\n".join([f"# {md(title)}", "", *_md_table(header, grid, numeric_from=2)]) + "\n"
    return title + "\n\n" + text_table(header, grid, numeric_from=2) + "\n"
