"""`saletui report sales` and `saletui report winloss` as a team lead runs them before the
monthly meeting: a table in the terminal, CSV for Excel or Markdown for the meeting notes,
to stdout or a file; a bad `--by` or `--from` is one line on stderr and exit code 2."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from saletui.store import accounts, orders
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.models import Deal, Visit, VisitObjection, database
from saletui.store.orders import LineValues
from tests.conftest import run_cli, stderr_of, stdout_of


def line(account_id: int, day: str, amount: int, rep: str = "", currency: str = "CNY") -> LineValues:
    return LineValues(account_id, dt.date.fromisoformat(day), "主轴", amount, currency, rep=rep, category="机床")


@pytest.fixture
def book(store: Path) -> Path:
    east = accounts.save(AccountDraft(name="华东精密", region="华东", owner="张伟", relationship="customer")).id
    west = accounts.save(AccountDraft(name="@Pearl Tools", region="South", owner="Li Na")).id
    usd = accounts.save(AccountDraft(name="Acme Corp", region="US", owner="Tom", currency="USD")).id
    with database.atomic():
        orders.upsert_lines(
            [
                line(east, "2025-01-05", 1_000_00),
                line(east, "2025-02-05", 2_000_00, rep="王磊"),
                line(west, "2025-02-07", 500_00),
                line(east, "2026-01-05", 7_000_00),
                line(usd, "2025-03-01", 99_50, currency="USD"),
            ]
        )
    won = Deal.create(account=east, title="Line 2", status="won", close_reason="Best service", stage=6, value=50_000_00)
    Deal.create(account=west, title="Retrofit", status="lost", close_reason="Price", stage=3, value=80_000_00)
    visit = Visit.create(account=east, deal=won, planned_at=dt.datetime(2026, 5, 1), status="done")
    VisitObjection.create(
        visit=visit, objection_id="x", objection_title="Too expensive", technique_name="Value", worked=True
    )
    store_db.close_database()
    return store


def test_sales_by_month_and_owner_as_a_table(book, tmp_path):
    result = run_cli(
        "report",
        "sales",
        "--by",
        "month,owner",
        "--from",
        "2025-01",
        "--to",
        "2025-03",
        db=book,
        home=tmp_path / "h",
        cwd=tmp_path,
    )
    assert result.returncode == 0, stderr_of(result)
    out = stdout_of(result).splitlines()
    assert out[0] == "Sales by month and rep, 2025-01 – 2025-03"
    assert out[2].split() == ["Rep", "Currency", "2025-01", "2025-02", "2025-03", "Total", "Lines"]
    rows = {line.split()[0]: line.split()[1:] for line in out[4:]}
    assert rows["王磊"] == ["CNY", "2,000", "2,000", "1"]  # the line's rep...
    assert rows["张伟"] == ["CNY", "1,000", "1,000", "1"]  # ...else the account's owner
    assert rows["Tom"] == ["USD", "99.50", "99.50", "1"]  # never added to the yuan
    # Chinese names take two columns: the amounts still line up under their heading.
    from saletui.services.report_export import cell_width

    header = out[2]
    total_end = cell_width(header[: header.index("Total") + len("Total")])
    for line in out[4:]:
        number = line.split()[-2]
        assert cell_width(line[: line.rindex(number) + len(number)]) == total_end, line


def test_sales_as_csv_to_a_file_with_the_formula_guard(book, tmp_path):
    out = tmp_path / "sales.csv"
    result = run_cli(
        "report", "sales", "--by", "quarter,company", "-o", str(out), db=book, home=tmp_path / "h", cwd=tmp_path
    )
    assert result.returncode == 0, stderr_of(result)
    assert f"Wrote {out}" in stderr_of(result)
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffCompany,Currency,2025-Q1,2025-Q2,2025-Q3,2025-Q4,2026-Q1,Total,Lines\r\n")
    assert "\r\n华东精密,CNY,3000,,,,7000,10000,3\r\n" in text
    assert "\r\n'@Pearl Tools,CNY,500,,,,,500,1\r\n" in text  # never run as a formula
    assert "\r\nAcme Corp,USD,99.50,,,,,99.50,1\r\n" in text
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600


def test_sales_as_markdown_by_year(book, tmp_path):
    result = run_cli("report", "sales", "--by", "year", "--format", "md", db=book, home=tmp_path / "h", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    text = stdout_of(result)
    assert text.startswith("# Sales by year, all months\n")
    assert "| Total | CNY | 3,500 | 7,000 | 10,500 | 4 |" in text
    assert "| Total | USD | 99.50 |  | 99.50 | 1 |" in text


def test_winloss_as_markdown_and_csv(book, tmp_path):
    result = run_cli("report", "winloss", db=book, home=tmp_path / "h", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    text = stdout_of(result)
    assert text.startswith("# Win/loss review\n")
    assert "| Won | Best service | 1 | CNY 50,000 |" in text
    assert "| Lost | Price | 1 | CNY 80,000 |" in text
    assert "| Won | Value | Too expensive | 1 | 1 | 0 |" in text
    out = tmp_path / "review.csv"
    result = run_cli("report", "winloss", "-o", str(out), db=book, home=tmp_path / "h", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    rows = out.read_bytes().decode("utf-8").split("\r\n")
    assert rows[0] == "\ufeffsection,group,objection,outcome,deals,currency,value,used,worked,did_not_work"
    assert "reason,Price,,lost,1,CNY,80000,,," in rows
    assert "technique,Value,Too expensive,won,,,,1,1,0" in rows


def test_winloss_in_chinese(book, tmp_path):
    result = run_cli("--lang", "zh_CN", "report", "winloss", db=book, home=tmp_path / "h", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert stdout_of(result).startswith("# 赢丢单复盘\n") and "| 赢单 | Best service |" in stdout_of(result)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sales", "--by", "week"], "--by 'week': give a period (year, quarter, month) and at most one of:"),
        (["sales", "--by", "month,region,rep"], "--by 'month,region,rep': give a period"),
        (["sales", "--from", "2025-13"], "--from/--to: No month 13 in a year: '2025-13'."),
        (["sales", "--from", "soon"], "--from/--to: Not a month: 'soon'"),
        (["sales", "--from", "2026-01", "--to", "2025-12"], "--from 2026-01 is after --to 2025-12"),
        (["winloss", "--to", "2025-00"], "--from/--to: No month 0 in a year"),
    ],
)
def test_a_bad_argument_is_one_line_and_exit_2(book, tmp_path, args, message):
    result = run_cli("report", *args, db=book, home=tmp_path / "h", cwd=tmp_path)
    assert result.returncode == 2
    err = stderr_of(result)
    assert err.startswith("saletui: " + message), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
