"""The monthly review of the 15 on a large database: the store's review (plans and their
months against the `sales_month` summary) and its Markdown, timed in-process.

    python tests/perf/review.py DBPATH [--runs N] [--year 2026 --month 11]

Works on a temporary copy of DBPATH (upgraded to the current schema there; the file given
is never written). Every tiered account of the copy that has no plan for the year gets
one through the store (`plans.save_plan`, an even split of its last year's sales, or of
CNY 1,200,000), so the review reads a plan per account as a rep's book would. Then, per
run: `review_ms` (plans.review for the month, every tiered account: three queries),
`markdown_ms` (services.review.render_markdown of it), `one_rep_ms` (the review of the rep
with the most tiered accounts, `o` on the review screen). Medians and min-max over `--runs` (default 20),
with the number of tiered accounts and of order lines, as one JSON object on the last line.
Target: the review within 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=20)
    today = dt.date.today()
    parser.add_argument("--year", type=int, default=today.year)
    parser.add_argument("--month", type=int, default=today.month)
    args = parser.parse_args()

    from saletui.method.plan import even_split
    from saletui.services.review import render_markdown
    from saletui.store import parse, plans
    from saletui.store.db import close_database, open_database
    from saletui.store.models import database

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "review.sqlite3"
        shutil.copyfile(args.db, copy)
        open_database(copy)
        tiered = database.execute_sql(
            "SELECT id, currency FROM account WHERE tier <> '' AND archived_at IS NULL"
        ).fetchall()
        for account_id, currency in tiered:
            if plans.get(account_id, args.year) is not None:
                continue
            sold = database.execute_sql(
                "SELECT COALESCE(SUM(amount), 0) FROM sales_month WHERE account_id = ? AND currency = ? "
                "AND month BETWEEN ? AND ?",
                (account_id, currency, (args.year - 1) * 100 + 1, (args.year - 1) * 100 + 12),
            ).fetchone()[0]
            objective = sold or 120_000_000
            months = [parse.format_amount(m, currency) for m in even_split(objective, currency)]
            plans.save_plan(
                account_id,
                args.year,
                plans.PlanDraft(objective=parse.format_amount(objective, currency), months=months),
            )
        lines = database.execute_sql("SELECT COUNT(*) FROM order_line").fetchone()[0]
        owners = plans.review_owners()
        busiest = max(owners, key=lambda o: len(plans.review(args.year, args.month, owner=o).lines)) if owners else None
        review_ms, markdown_ms, one_rep_ms = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            review = plans.review(args.year, args.month)
            t1 = time.perf_counter()
            render_markdown(review, today)
            t2 = time.perf_counter()
            review_ms.append((t1 - t0) * 1000)
            markdown_ms.append((t2 - t1) * 1000)
            if busiest is not None:
                t3 = time.perf_counter()
                plans.review(args.year, args.month, owner=busiest)
                one_rep_ms.append((time.perf_counter() - t3) * 1000)
        close_database()

    def figure(values: list[float]) -> dict[str, float]:
        return {
            "median": round(statistics.median(values), 2),
            "min": round(min(values), 2),
            "max": round(max(values), 2),
        }

    result = {
        "tiered_accounts": len(tiered),
        "order_lines": lines,
        "review_ms": figure(review_ms),
        "markdown_ms": figure(markdown_ms),
        "one_rep_ms": figure(one_rep_ms) if one_rep_ms else None,
        "target_ms": 100,
    }
    print(
        f"review of {len(tiered)} tiered accounts over {lines:,} order lines: "
        f"{result['review_ms']['median']} ms (markdown {result['markdown_ms']['median']} ms); "
        f"one rep's: {(result['one_rep_ms'] or {}).get('median')} ms"
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
