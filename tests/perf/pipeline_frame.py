"""Opening the Pipeline over the large database's open deals, in-process, headless, against
a reference measured in the same run (as report_frame.py does for the Reports).

    python tests/perf/pipeline_frame.py DBPATH [--runs N]

saletui: the real app (keystrokes.build_app) on a copy of DBPATH; once the account list has
loaded (its worker has stored the deals' risks), per round:

  open    `p` on the list pushes PipelineScreen: every open deal of the active accounts
          read (one query), summed by stage, its table filled and its chart drawn. End: the
          end of the first frame on which the table holds the rows and the chart its bars.
  month   `g` sums them by expected close month instead (no query). End: its first frame.
  back    `escape` back to the list (not a target).

Reference: the stock DataTable pushed by a bare app with the same header and rows.
Target: open within 100 ms over 2,000 open deals. Prints a summary and one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import SIZE, build_app  # noqa: E402
from open_account import hook_display  # noqa: E402
from report_frame import _step, _summary, against_stock_table, list_loaded, on_copy, table_contents  # noqa: E402


def _shows(screen, by: str) -> bool:
    if type(screen).__name__ != "PipelineScreen" or screen.by != by or not screen.rows:
        return False
    try:
        table = screen.query_one("#pipeline-table")
        chart = screen.query_one("#pipeline-chart")
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
            record = {"open_ms": await _step(pilot, frames, waiting, "p", lambda _n, s: _shows(s, "stage"))}
            screen = app.screen
            record["deals"] = len(screen.deals)
            if round_no == 0:
                result["table"] = table_contents(screen, "#pipeline-table")
            record["month_ms"] = await _step(pilot, frames, waiting, "g", lambda _n, s: _shows(s, "month"))
            await _step(pilot, frames, waiting, "escape", lambda _n, s: s is accounts_screen)
            if round_no == 0:
                result["first"] = record
            else:
                result["runs"].append(record)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time opening the Pipeline over the large database.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds after the warm-up (default 5)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    saletui = on_copy(args.db, "pipeline.sqlite3", lambda path: measure_saletui(path, runs))
    reference, ratio = against_stock_table(saletui, runs)
    opened = [r["open_ms"] for r in saletui["runs"]]
    by_month = [r["month_ms"] for r in saletui["runs"]]
    print(f"{saletui['runs'][0]['deals']:,} open deals")
    print(f"reference (stock DataTable, same rows): {_summary(reference['runs'])}")
    print(f"saletui p -> Pipeline frame:            {_summary(opened)}  = {ratio:.2f} x the reference")
    print(f"saletui g -> by close month:            {_summary(by_month)}")
    print(json.dumps({"saletui": saletui, "reference": reference, "ratio": ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
