"""`saletui review` as a team lead runs it before the monthly sales meeting: the review of
the 15 as Markdown on stdout or in a file, for a month given as YYYY-MM."""

from __future__ import annotations

import datetime as dt

from saletui.method.plan import even_split
from saletui.store import accounts, orders, plans
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.orders import LineValues
from saletui.store.plans import PlanDraft
from tests.conftest import run_cli, stderr_of, stdout_of


def book() -> None:
    for name, tier, sold in (("Steady Ltd", "top5", 10_000_000), ("华东精密", "middle5", 1_000_000)):
        account = accounts.save(AccountDraft(name=name, relationship="customer", tier=tier)).id
        months = [plans.parse.format_amount(m, "CNY") for m in even_split(120_000_000, "CNY")]
        plans.save_plan(account, 2026, PlanDraft(objective="1,200,000", months=months))
        orders.upsert_lines([LineValues(account, dt.date(2026, m, 10), "Bearings", sold, "CNY") for m in range(1, 12)])
    store_db.close_database()


def test_review_prints_the_month_with_the_ones_behind(store, tmp_path):
    book()
    result = run_cli("review", "--month", "2026-11", db=store, home=tmp_path, cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    out = stdout_of(result)
    assert out.startswith("# Monthly review of the 15: Nov 2026")
    assert "| Steady Ltd | Top 5 |  | CNY 100,000 | CNY 100,000 | CNY 1,100,000 | CNY 1,100,000 | CNY 0 | 100% |" in out
    assert "| ⚠ **华东精密** | Middle 5 |" in out and "| 10% |" in out
    assert "## 1 account behind" in out
    assert "**Total CNY**" in out
    assert "```" in out and "█" in out  # the chart


def test_review_writes_a_file_and_refuses_a_bad_month(store, tmp_path):
    book()
    result = run_cli("review", "--month", "2026-11", "-o", "review.md", db=store, home=tmp_path, cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert "Wrote review.md" in stderr_of(result)
    assert (tmp_path / "review.md").read_text(encoding="utf-8").startswith("# Monthly review of the 15")
    bad = run_cli("review", "--month", "2026-13", db=store, home=tmp_path, cwd=tmp_path)
    assert bad.returncode != 0 and "2026-13" in stderr_of(bad) and "YYYY-MM" in stderr_of(bad)
    assert "Traceback" not in stderr_of(bad)


def test_review_speaks_chinese(store, tmp_path):
    book()
    result = run_cli("--lang", "zh_CN", "review", "--month", "2026-11", db=store, home=tmp_path, cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert "月度回顾" in stdout_of(result)
