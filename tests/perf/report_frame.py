"""Opening the Reports screen over the large database's 5 million order lines, in-process,
headless, against a reference measured in the same run.

    python tests/perf/report_frame.py DBPATH [--runs N]

saletui: the real SaletuiApp built like `saletui.cli` builds it (keystrokes.build_app:
English, the built-in settings) under `App.run_test(headless=True, size=(130, 40))`. Once
the whole account list has loaded, per round:

  open    `r` on the list pushes ReportsScreen, which reads its report (sales by quarter and
          company over the last 24 months: every buying account, from `sales_month`), fills
          its DataTable and draws its bar chart. End: the end of the first frame of the
          ReportsScreen on which the table holds the report's rows and the chart its bars.
  rows    `d` switches the rows to regions (a new query, table and chart). End: the first
          frame showing the region report.
  back    `escape` back to the list (not a target).

Reference: a bare Textual app whose key pushes a Screen with a stock DataTable holding the
same header and rows as saletui's table (the strings computed beforehand, no database):
what Textual itself needs to show that table, key to frame. The ratio saletui / reference
is printed beside the absolute figures; it is what must hold on a loaded machine.

Frames are timed as in open_account.py: `App._display` is wrapped on the instance and the
wrapper turns the update into terminal output (`render_segments`), so the end includes
Textual's frame pacing. The first round of each app is a warm-up (it imports the screen),
reported apart. Prints a summary and one JSON object on the last line of stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import SIZE, build_app  # noqa: E402
from open_account import _list_loaded, hook_display  # noqa: E402

STEP_TIMEOUT = 60.0


async def list_loaded(app, pilot, timeout: float = 120.0) -> None:
    """Wait until the account list has loaded every account (its worker done)."""
    deadline = time.monotonic() + timeout
    while not _list_loaded(app):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the account list did not load within {timeout:.0f} s")
        await pilot.pause(0.05)
    await pilot.pause()


def on_copy(db: str, name: str, measure) -> dict:
    """asyncio.run(measure(path)) on a copy of `db` in a temporary folder: a figure that
    writes (risks stored, an edit) leaves the cached database as it was."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / name
        shutil.copyfile(db, copy)
        return asyncio.run(measure(str(copy)))


async def _step(pilot, frames: list, waiting: dict, key: str, test) -> float:
    """Press `key`; the ms from just before it to the end of the first frame passing `test`."""
    waiting.clear()
    waiting.update(test=test, end=None)
    start = time.perf_counter()
    await pilot.press(key)
    deadline = start + STEP_TIMEOUT
    while waiting["end"] is None:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no matching frame within {STEP_TIMEOUT} s of {key!r}")
        await asyncio.sleep(0.001)
    end = waiting["end"]
    waiting.clear()
    await pilot.pause()
    return (end - start) * 1000


def _shows(screen, dimension: str) -> bool:
    """The ReportsScreen's table holds its report's rows and the chart is visible, for `dimension`."""
    if type(screen).__name__ != "ReportsScreen" or screen.report is None or screen.report.dimension != dimension:
        return False
    try:
        table = screen.query_one("#report-table")
        chart = screen.query_one("#report-chart")
    except Exception:
        return False
    visible = screen._compositor.visible_widgets
    return table.row_count > 0 and table in visible and chart in visible and bool(chart.groups)


async def measure_saletui(db: str, runs: int) -> dict:
    app = build_app("saletui", db)
    frames: list = []
    waiting: dict = {}
    result: dict = {"first": None, "runs": []}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await list_loaded(app, pilot)
        accounts_screen = app.screen
        hook_display(app, frames, waiting)
        for round_no in range(runs + 1):
            record = {
                "open_ms": await _step(pilot, frames, waiting, "r", lambda _n, s: _shows(s, "account")),
            }
            screen = app.screen
            record["table_rows"] = screen.query_one("#report-table").row_count
            record["report_rows"] = len(screen.report.rows)
            record["columns"] = len(screen.query_one("#report-table").columns)
            if round_no == 0:
                result["table"] = table_contents(screen, "#report-table")
            record["rows_ms"] = await _step(pilot, frames, waiting, "d", lambda _n, s: _shows(s, "region"))
            await _step(pilot, frames, waiting, "escape", lambda _n, s: s is accounts_screen)
            if round_no == 0:
                result["first"] = record
            else:
                result["runs"].append(record)
    return result


async def measure_reference(header: list[str], rows: list[list[str]], runs: int) -> dict:
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import DataTable

    class TableScreen(Screen):
        BINDINGS = [("escape", "app.pop_screen", "Back")]

        def compose(self):
            yield DataTable(id="table")

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns(*header)
            table.add_rows(rows)

    class Reference(App):
        BINDINGS = [("r", "open", "Open")]

        def action_open(self) -> None:
            self.push_screen(TableScreen())

    app = Reference()
    frames: list = []
    waiting: dict = {}
    out: dict = {"first": None, "runs": []}

    def shown(_name: str, screen) -> bool:
        if not isinstance(screen, TableScreen):
            return False
        table = screen.query_one(DataTable)
        return table.row_count == len(rows) and table in screen._compositor.visible_widgets

    async with app.run_test(headless=True, size=SIZE) as pilot:
        await pilot.pause()
        base = app.screen
        hook_display(app, frames, waiting)
        for round_no in range(runs + 1):
            ms = await _step(pilot, frames, waiting, "r", shown)
            await _step(pilot, frames, waiting, "escape", lambda _n, s: s is base)
            if round_no == 0:
                out["first"] = ms
            else:
                out["runs"].append(ms)
    return out


def table_contents(screen, selector: str) -> dict:
    """The header and rows (as text) of the DataTable `selector` on `screen`: what the
    stock-DataTable reference is given."""
    from textual.widgets import DataTable

    table = screen.query_one(selector, DataTable)
    return {
        "header": [str(c.label) for c in table.columns.values()],
        "rows": [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)],
    }


def against_stock_table(saletui: dict, runs: int) -> tuple[dict, float]:
    """The stock-DataTable reference for the table saletui's first round showed (popped
    from `saletui`), and the ratio of the medians of the rounds' `open_ms`."""
    table = saletui.pop("table")
    reference = asyncio.run(measure_reference(table["header"], table["rows"], runs))
    opened = [r["open_ms"] for r in saletui["runs"]]
    return reference, statistics.median(opened) / statistics.median(reference["runs"])


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}-{max(values):.0f})"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time opening the Reports screen over the large database.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds after the warm-up (default 5)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    from saletui.store.models import database

    saletui = asyncio.run(measure_saletui(args.db, runs))
    lines = database.execute_sql("SELECT count(*) FROM order_line").fetchone()[0]
    summaries = database.execute_sql("SELECT count(*) FROM sales_month").fetchone()[0]
    reference, ratio = against_stock_table(saletui, runs)
    opened = [r["open_ms"] for r in saletui["runs"]]
    switched = [r["rows_ms"] for r in saletui["runs"]]
    ref = reference["runs"]
    first = saletui["runs"][0]
    print(
        f"{lines:,} order lines, {summaries:,} sales_month rows; report: {first['report_rows']:,} rows "
        f"({first['table_rows']} in the table, {first['columns']} columns)"
    )
    print(f"reference (stock DataTable, same rows): {_summary(ref)}")
    print(f"saletui r -> Reports frame:             {_summary(opened)}  = {ratio:.2f} x the reference")
    print(f"saletui d -> rows by region:            {_summary(switched)}")
    print(
        f"first (warm-up) rounds: saletui {saletui['first']['open_ms']:.0f} ms, reference {reference['first']:.0f} ms"
    )
    print(json.dumps({"saletui": saletui, "reference": reference, "ratio": ratio, "order_lines": lines}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
