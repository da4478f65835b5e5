"""Deriving every account's class from a 5-million-line trading history (issue 16: <= 2 s).

    .venv/bin/python tests/perf/derive_classes.py [--accounts 10000] [--lines 5000000] [--runs 5]

The derivation reads the monthly summary (`sales_month`), `account_trade` and the
accounts, never the order lines. So this script writes those summaries as 5 million lines
would leave them (36 months; one or two reps a month; a tenth of the accounts also buying
in USD), directly rather than through the triggers, which would take many minutes to
insert the lines themselves. It then times `store.derived.refresh` (median of N runs, each
a full rewrite of `derived_class`) and the full account-list query that joins it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from saletui.method.derivation import ClassRules
from saletui.store import accounts, derived
from saletui.store import db as store_db
from saletui.store.models import Account, database

TODAY = dt.date(2026, 11, 25)


def months_back(n: int) -> list[int]:
    out = []
    year, month = TODAY.year, TODAY.month
    for _ in range(n):
        out.append(year * 100 + month)
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def build(path: Path, n_accounts: int, n_lines: int, seed: int = 16) -> dict[str, int]:
    rng = random.Random(seed)
    store_db.open_database(path)
    reps = [f"Rep {i:02d}" for i in range(20)]
    months = months_back(36)
    conn = database.connection()
    with database.atomic():
        rows = [
            {"id": i, "name": f"Account {i:05d}", "owner": rng.choice(reps), "relationship": "customer"}
            for i in range(1, n_accounts + 1)
        ]
        for i in range(0, len(rows), 200):
            Account.insert_many(rows[i : i + 200]).execute()
        per_account = n_lines // n_accounts
        sales, trade, total = [], [], 0
        for account_id in range(1, n_accounts + 1):
            active = [m for m in months if rng.random() < rng.choice((0.9, 0.6, 0.3))] or [months[-1]]
            weights = [rng.random() for _ in active]
            scale = per_account / sum(weights)
            size = rng.choice((1_000, 10_000, 100_000)) * 100
            days = 0
            for month, w in zip(active, weights, strict=True):
                lines = max(1, round(w * scale))
                total += lines
                days += min(lines, 20)
                split = [reps[account_id % 20]] if rng.random() < 0.8 else [reps[account_id % 20], rng.choice(reps)]
                for k, rep in enumerate(dict.fromkeys(split)):
                    part = lines if k == 0 and len(split) == 1 else max(1, lines // 2)
                    sales.append((account_id, month, rep, "CNY", part * size, float(part), part))
                if account_id % 10 == 0:
                    sales.append((account_id, month, reps[account_id % 20], "USD", lines * 2_000, float(lines), lines))
            first = dt.date(min(active) // 100, min(active) % 100, 1)
            last = dt.date(max(active) // 100, max(active) % 100, 20)
            trade.append((account_id, first.isoformat(), last.isoformat(), days, per_account))
        conn.executemany(
            "INSERT OR REPLACE INTO sales_month (account_id, month, rep, currency, amount, quantity, lines) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            sales,
        )
        conn.executemany(
            "INSERT INTO account_trade (account_id, first_on, last_on, order_days, lines) VALUES (?, ?, ?, ?, ?)",
            trade,
        )
    database.execute_sql("ANALYZE")
    return {"accounts": n_accounts, "sales_month_rows": len(sales), "lines": total}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        counts = build(Path(tmp) / "derive.sqlite3", args.accounts, args.lines)
        print(
            f"{counts['accounts']:,} accounts, {counts['lines']:,} order lines as "
            f"{counts['sales_month_rows']:,} sales_month rows"
        )
        rules = ClassRules()

        def timed(fn):
            walls, cpus, result = [], [], None
            for _ in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                result = fn()
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            return (
                result,
                f"median {statistics.median(walls) * 1000:.0f} ms wall (min {min(walls) * 1000:.0f}), "
                f"{statistics.median(cpus) * 1000:.0f} ms CPU",
            )

        n, figures = timed(lambda: derived.refresh(TODAY, rules))
        print(f"derive every account's class ({n:,} accounts; target <= 2000 ms): {figures}")
        start = time.perf_counter()
        again = derived.ensure_current(TODAY, rules)
        print(
            f"ensure_current when nothing changed: {(time.perf_counter() - start) * 1000:.2f} ms (refreshed: {again})"
        )
        rows, figures = timed(accounts.list_rows)
        print(f"the full account list, derived classes joined ({len(rows):,} rows): {figures}")
        store_db.close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
