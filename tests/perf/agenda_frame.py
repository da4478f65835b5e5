"""Opening the agenda over the large database, in-process, headless, against a reference
measured in the same run (as pipeline_frame.py does for the Pipeline).

    python tests/perf/agenda_frame.py DBPATH [--runs N]

saletui: the real app (keystrokes.build_app) on a copy of DBPATH, its "today" the
generator's reference day (so the week holds the generated visits, next steps and plan
actions); once the account list has loaded (its worker has stored the deals' risks), per
round:

  open    `w` on the list pushes AgendaScreen: today and the rest of the week built from
          the visits, next steps, plan actions, reminders of the focus accounts and the
          deals at risk, its table filled. End: the end of the first frame on which the
          table holds the rows.
  back    `escape` back to the list (not a target).

Reference: the stock DataTable pushed by a bare app with the same header and rows.
Target: open within 100 ms. Prints a summary and one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from keystrokes import SIZE, build_app  # noqa: E402
from open_account import hook_display  # noqa: E402
from report_frame import _step, _summary, against_stock_table, list_loaded, on_copy, table_contents  # noqa: E402


def _shows(screen) -> bool:
    if type(screen).__name__ != "AgendaScreen" or not screen.items:
        return False
    try:
        table = screen.query_one("#agenda-table")
    except Exception:
        return False
    return table.row_count > 0 and table in screen._compositor.visible_widgets


async def measure_saletui(db: str, runs: int) -> dict:
    app = build_app("saletui", db)
    app.today = lambda: generate.REFERENCE_DAY
    frames: list = []
    waiting: dict = {}
    result: dict = {"first": None, "runs": []}
    async with app.run_test(headless=True, size=SIZE) as pilot:
        await list_loaded(app, pilot)
        await app.workers.wait_for_complete()
        accounts_screen = app.screen
        hook_display(app, frames, waiting)
        for round_no in range(runs + 1):
            record = {"open_ms": await _step(pilot, frames, waiting, "w", lambda _n, s: _shows(s))}
            screen = app.screen
            record["items"] = sum(1 for item in screen.items if item is not None)
            if round_no == 0:
                result["table"] = table_contents(screen, "#agenda-table")
            await _step(pilot, frames, waiting, "escape", lambda _n, s: s is accounts_screen)
            if round_no == 0:
                result["first"] = record
            else:
                result["runs"].append(record)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time opening the agenda over the large database.")
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=5, help="measured rounds after the warm-up (default 5)")
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    saletui = on_copy(args.db, "agenda.sqlite3", lambda path: measure_saletui(path, runs))
    reference, ratio = against_stock_table(saletui, runs)
    opened = [r["open_ms"] for r in saletui["runs"]]
    print(f"{saletui['runs'][0]['items']:,} agenda lines ({generate.REFERENCE_DAY} and its week)")
    print(f"reference (stock DataTable, same rows): {_summary(reference['runs'])}")
    print(f"saletui w -> agenda frame:              {_summary(opened)}  = {ratio:.2f} x the reference")
    print(json.dumps({"saletui": saletui, "reference": reference, "ratio": ratio}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
