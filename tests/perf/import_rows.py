"""Import throughput and memory: a million-row CSV through the real CLI (#15 part 10).

    .venv/bin/python tests/perf/import_rows.py [--rows N] [--people N] [--json OUT]

Writes a CSV of N accounts (default 1,000,000: Chinese and English names, industry,
region, owner, relationship, class, currency, a market capacity and a note), one of
--people people (default 1,000,000) over 10,000 of those accounts, each with a manager
further up the same account, and an ERP export of --orders order lines (default
1,000,000, Chinese headers, orders of 1-5 lines over two years) over the same 10,000
accounts, then times, each in a new process:

- saletui: `python -m saletui --db NEW import accounts FILE` (stderr piped: no progress
  line), then `import people FILE` and `import orders FILE` into the same database;
- the reference: Python's csv module reading the same file into sqlite3 executemany in
  one transaction, no validation at all (the floor of reading and writing the rows).

Peak memory is each child's VmHWM, sampled from /proc every 20 ms (not getrusage of the
children: on Linux it includes the spawning parent's own peak, see ptyrun.py). Every
figure is printed as an absolute number and as a ratio to the reference of the same run;
the targets (1,000,000 rows at >= 10,000 rows/s, <= 150 MB, on a quiet machine) are
judged on the absolute figures, the ratios say how a loaded machine compares.
The last line is the JSON of every measurement (bench.py reads it).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
TARGET_ROWS_PER_S = 10_000
# #16: 1,000,000 order lines in <= 60 s.
TARGET_RATE = {"accounts": TARGET_ROWS_PER_S, "people": TARGET_ROWS_PER_S, "orders": 1_000_000 // 60}
KINDS = ("accounts", "people", "orders")
TARGET_MB = 150.0
ACCOUNTS_FOR_PEOPLE = 10_000

INDUSTRIES = ("机械制造", "化工", "物流", "医药", "Steel", "Chemicals", "Logistics", "Retail")
REGIONS = ("华东", "华南", "华北", "西南", "East", "West", "North", "South")
RELATIONS = ("customer", "prospect", "future", "现有客户", "潜在客户")
LEVELS = ("high", "low", "", "高", "低")
CITIES = ("上海", "深圳", "苏州", "成都", "Boston", "Leeds", "Lyon", "Osaka")


def account_name(i: int) -> str:
    if i % 2:
        return f"{CITIES[i % len(CITIES)]}精密{i:07d}有限公司"
    return f"{CITIES[i % len(CITIES)]} Precision {i:07d} Ltd"


def write_accounts(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    header = [
        "name",
        "industry",
        "region",
        "owner",
        "relationship",
        "contribution",
        "stability",
        "currency",
        "market capacity",
        "notes",
    ]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for i in range(rows):
            writer.writerow(
                [
                    account_name(i),
                    rng.choice(INDUSTRIES),
                    rng.choice(REGIONS),
                    f"rep{rng.randrange(30):02d}",
                    rng.choice(RELATIONS),
                    rng.choice(LEVELS),
                    rng.choice(LEVELS),
                    "CNY",
                    str(rng.randrange(10**9)),
                    f"met at the fair, lead {i}",
                ]
            )


PRODUCTS = (("液压泵", "泵"), ("密封件", "配件"), ("Valve", "Valves"), ("Pump", "Pumps"), ("轴承", "配件"))


def write_orders(path: Path, rows: int, accounts: int, seed: int = 1) -> None:
    """An ERP's order lines in Chinese headers: orders of 1-5 lines over two years."""
    rng = random.Random(seed)
    start = 20_000  # day numbers from 2024-10-03 on (dt.date.fromordinal(739162) and after)
    base = 739_162
    import datetime as dt

    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["订单日期", "客户名称", "产品名称", "产品类别", "数量", "含税金额", "币种", "单据编号", "行号", "业务员"]
        )
        written, order = 0, 0
        while written < rows:
            order += 1
            account = rng.randrange(accounts)
            day = dt.date.fromordinal(base + rng.randrange(700)).isoformat()
            for line in range(1, 1 + min(rng.randint(1, 5), rows - written)):
                product, category = rng.choice(PRODUCTS)
                writer.writerow(
                    [
                        day,
                        account_name(account),
                        product,
                        category,
                        rng.randint(1, 500),
                        f"{rng.randrange(100, 10**7)}.{rng.randrange(100):02d}",
                        "CNY",
                        f"SO{start + order:09d}",
                        line,
                        f"rep{account % 30:02d}",
                    ]
                )
                written += 1


def write_people(path: Path, rows: int, accounts: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    per = max(1, rows // accounts)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["account", "name", "title", "department", "reports to", "email", "phone", "attitude"])
        for i in range(rows):
            a, j = divmod(i, per)
            a %= accounts
            manager = f"Person {a}-{(j - 1) // 3}" if j else ""
            writer.writerow(
                [
                    account_name(a),
                    f"Person {a}-{j}",
                    rng.choice(("Buyer", "Engineer", "采购经理", "总经理")),
                    rng.choice(("Purchasing", "R&D", "采购部", "")),
                    manager,
                    f"p{a}.{j}@example.com",
                    "+86 21 5555 0000",
                    rng.choice(("supporter", "neutral", "", "支持者")),
                ]
            )


REFERENCE = r"""
import csv, sqlite3, sys
path, db, n = sys.argv[1], sys.argv[2], 0
conn = sqlite3.connect(db)
conn.execute("PRAGMA journal_mode=wal")
with open(path, newline="", encoding="utf-8") as f:
    reader = csv.reader(f)
    header = next(reader)
    conn.execute("CREATE TABLE t (%s)" % ", ".join("c%d TEXT" % i for i in range(len(header))))
    sql = "INSERT INTO t VALUES (%s)" % ", ".join("?" * len(header))
    with conn:
        batch = []
        for row in reader:
            batch.append(row)
            n += 1
            if len(batch) == 1000:
                conn.executemany(sql, batch)
                batch = []
        conn.executemany(sql, batch)
conn.close()
print(n)
"""


def peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def timed(argv: list[str], env: dict[str, str]) -> dict:
    """Run `argv`; wall time, the child's peak RSS (sampled VmHWM) and its output."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, peak_kb(proc.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[1:4]} failed ({proc.returncode}):\n{out.decode()[-1500:]}{err.decode()[-1500:]}")
    return {"seconds": seconds, "peak_mb": peak * 1024 / 1e6, "stdout": out.decode("utf-8").strip()[-300:]}


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALETUI_", "LC_"))}
    env.update({"LANG": "en_US.UTF-8", "SALETUI_HOME": str(home)})
    return env


def run(rows: int, people: int, order_lines: int, folder: Path) -> dict:
    env = env_for(folder / "home")
    files = {"accounts": folder / "accounts.csv", "people": folder / "people.csv", "orders": folder / "orders.csv"}
    started = time.perf_counter()
    write_accounts(files["accounts"], rows)
    write_people(files["people"], people, min(ACCOUNTS_FOR_PEOPLE, rows))
    write_orders(files["orders"], order_lines, min(ACCOUNTS_FOR_PEOPLE, rows))
    print(f"files written in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    result: dict = {
        "rows": {"accounts": rows, "people": people, "orders": order_lines},
        "load": [os.getloadavg()[0]],
    }
    db = folder / "saletui.sqlite3"
    for kind in KINDS:
        print(f"{kind}: reference ...", file=sys.stderr, flush=True)
        ref = timed([PY, "-c", REFERENCE, str(files[kind]), str(folder / f"ref-{kind}.sqlite3")], env)
        print(f"{kind}: saletui ...", file=sys.stderr, flush=True)
        ours = timed([PY, "-m", "saletui", "--db", str(db), "import", kind, str(files[kind])], env)
        if "0 bad rows" not in ours["stdout"]:
            raise RuntimeError(f"{kind}: {ours['stdout']}")
        result[kind] = {"reference": ref, "saletui": ours, "bytes": files[kind].stat().st_size}
    result["load"].append(os.getloadavg()[0])
    return result


def report(result: dict) -> str:
    lines = [
        "import throughput (each a new process; reference: csv module + sqlite3 executemany, no validation)",
        f"load average (1 min) before / after: {result['load'][0]:.2f} / {result['load'][1]:.2f}",
        "",
    ]
    header = ("figure", "reference", "saletui", "saletui / reference", "target", "result")
    rows = []
    for kind in KINDS:
        n = result["rows"][kind]
        ref, ours = result[kind]["reference"], result[kind]["saletui"]
        ref_rate, our_rate = n / ref["seconds"], n / ours["seconds"]
        rows.append(
            (
                f"(9) import {n:,} {kind}, rows/s",
                f"{ref_rate:,.0f}",
                f"{our_rate:,.0f} ({ours['seconds']:.1f} s)",
                f"{our_rate / ref_rate:.3f}",
                f">= {TARGET_RATE[kind]:,}",
                "met" if our_rate >= TARGET_RATE[kind] else "MISSED",
            )
        )
        rows.append(
            (
                "(9) ... peak memory (VmHWM), MB",
                f"{ref['peak_mb']:.0f}",
                f"{ours['peak_mb']:.0f}",
                f"{ours['peak_mb'] / max(ref['peak_mb'], 1):.1f}",
                f"<= {TARGET_MB:.0f}",
                "met" if ours["peak_mb"] <= TARGET_MB else "MISSED",
            )
        )
    widths = [max(len(str(r[i])) for r in [*rows, header]) for i in range(len(header))]
    lines.append("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="saletui import throughput (see the module docstring)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="accounts in the file (default 1,000,000)")
    parser.add_argument("--people", type=int, default=1_000_000, help="people in the file (default 1,000,000)")
    parser.add_argument("--orders", type=int, default=1_000_000, help="order lines in the file (default 1,000,000)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the measurements to OUT")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="saletui-import-") as folder:
        result = run(args.rows, args.people, args.orders, Path(folder))
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
