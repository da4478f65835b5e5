"""A rep brings the ERP's order lines in (#16 part 1): `saletui import orders FILE`, in
English or Chinese headers, all or nothing, idempotent by order and line number, and every
bad value named by row, column and value. Through the real CLI on a real database."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from saletui.services.csv_import import BATCH_ROWS
from saletui.store import accounts
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from tests.conftest import run_cli, stderr_of, stdout_of

ZH = (
    "订单日期,客户名称,产品名称,产品类别,数量,含税金额,币种,单据编号,行号,业务员\n"
    '2026-03-01,华东精密机械有限公司,液压泵,泵,10,"12,500.00",CNY,SO-1,1,李娜\n'
    "2026/3/1 0:00,华东精密机械有限公司,密封件,配件,200,800.5,人民币,SO-1,2,李娜\n"
    "2026年4月2日,Acme Steel,Valve,Valves,3,300,,SO-2,1,张伟\n"
)
EN = (
    "Order Date,Customer,Product,Category,Quantity,Amount,Currency,Order No,Line,Sales Rep\n"
    "2026-03-01,Acme Steel,Valve,Valves,3,300.00,CNY,PO-9,1,Ann\n"
    "2026-03-02,acme steel,Pump,Pumps,1,1200,,PO-9,2,Ann\n"
)


@pytest.fixture
def shop(store: Path) -> Path:
    """Two accounts in CNY, one in USD; the database closed for the CLI."""
    accounts.save(AccountDraft(name="华东精密机械有限公司", relationship="customer"))
    accounts.save(AccountDraft(name="Acme Steel", relationship="customer"))
    accounts.save(AccountDraft(name="Globex", relationship="customer", currency="USD"))
    store_db.close_database()
    return store


def lines(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT a.name, o.ordered_on, o.product, o.category, o.quantity, o.amount, o.currency, o.order_no, "
            "o.line_no, o.rep FROM order_line o JOIN account a ON a.id = o.account_id ORDER BY o.order_no, o.line_no"
        ).fetchall()
    finally:
        conn.close()


def cli(db: Path, tmp_path: Path, *args: str):
    return run_cli("import", "orders", *args, db=db, home=tmp_path / "home", cwd=tmp_path)


def test_chinese_erp_export_imports_exact_amounts_and_again_unchanged(shop, tmp_path):
    path = tmp_path / "销售明细.csv"
    path.write_bytes(ZH.encode("gb18030"))
    result = cli(shop, tmp_path, str(path))
    assert result.returncode == 0, stdout_of(result) + stderr_of(result)
    assert stdout_of(result) == "Imported: 3 created, 0 updated, 0 unchanged; 0 bad rows\n"
    assert lines(shop) == [
        ("华东精密机械有限公司", "2026-03-01", "液压泵", "泵", 10.0, 1_250_000, "CNY", "SO-1", "1", "李娜"),
        ("华东精密机械有限公司", "2026-03-01", "密封件", "配件", 200.0, 80_050, "CNY", "SO-1", "2", "李娜"),
        ("Acme Steel", "2026-04-02", "Valve", "Valves", 3.0, 30_000, "CNY", "SO-2", "1", "张伟"),
    ]
    again = cli(shop, tmp_path, str(path))
    assert stdout_of(again) == "Imported: 0 created, 0 updated, 3 unchanged; 0 bad rows\n"
    assert len(lines(shop)) == 3  # the same order + line updates, never doubles


def test_english_export_matches_names_ignoring_case_and_a_changed_line_updates(shop, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(EN, encoding="utf-8")
    assert cli(shop, tmp_path, str(path)).returncode == 0
    path.write_text(EN.replace("1200,,PO-9,2", "1300,,PO-9,2"), encoding="utf-8")
    result = cli(shop, tmp_path, str(path))
    assert stdout_of(result) == "Imported: 0 created, 1 updated, 1 unchanged; 0 bad rows\n"
    assert [r[5] for r in lines(shop)] == [30_000, 130_000]


def test_bad_values_name_row_column_and_value_and_nothing_is_written(shop, tmp_path):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    text = (
        "Order Date,Customer,Product,Amount,Currency,Order No,Line\n"
        "2026-03-01,Acme Steel,Valve,300,CNY,A,1\n"  # row 2: good
        "2026-03-01,Acme Steel,Valve,-300,CNY,A,2\n"  # 3
        "2026-03-01,Acme Steel,Valve,lots,CNY,A,3\n"  # 4
        f"{tomorrow},Acme Steel,Valve,300,CNY,A,4\n"  # 5
        "1989-12-31,Acme Steel,Valve,300,CNY,A,5\n"  # 6
        "2026-03-01,Nobody Ltd,Valve,300,CNY,A,6\n"  # 7
        "2026-03-01,Acme Steel,Valve,300,dollars,A,7\n"  # 8
        "2026-03-01,Globex,Valve,300,CNY,A,8\n"  # 9: Globex keeps USD
        "2026-03-01,Acme Steel,Valve,300,CNY,A,1\n"  # 10: line A/1 again
    )
    (tmp_path / "bad.csv").write_text(text, encoding="utf-8")
    result = cli(shop, tmp_path, "bad.csv")
    assert result.returncode == 1
    out = stdout_of(result).splitlines()
    assert out[0].startswith("bad.csv:3: Amount: Negative amount: '-300'")
    assert out[1].startswith("bad.csv:4: Amount: Not an amount: 'lots'")
    assert out[2].startswith(f"bad.csv:5: Order Date: In the future: '{tomorrow}'")
    assert out[3].startswith("bad.csv:6: Order Date: Before 1990: '1989-12-31'")
    assert out[4].startswith("bad.csv:7: Customer: No active account called 'Nobody Ltd'")
    assert out[5].startswith("bad.csv:8: Currency: Not a currency: 'dollars'")
    assert out[6].startswith("bad.csv:9: Currency: The line is in CNY but 'Globex' keeps its amounts in USD")
    assert out[7].startswith("bad.csv:10: Line: Same order line as row 2")
    assert out[8].startswith("Nothing imported: 8 bad rows (all or nothing).")
    assert lines(shop) == []
    kept = cli(shop, tmp_path, "bad.csv", "--skip-bad-rows")
    assert kept.returncode == 0
    assert [r[7:9] for r in lines(shop)] == [("A", "1")]


def test_a_bad_line_at_the_end_of_a_long_file_leaves_nothing_written(shop, tmp_path):
    rows = [f"2026-01-{1 + i % 28:02d},Acme Steel,Valve,{i}.50,CNY,O{i // 10},{i % 10}" for i in range(BATCH_ROWS * 2)]
    rows.append("2026-01-01,Acme Steel,Valve,-1,CNY,LAST,1")
    path = tmp_path / "long.csv"
    path.write_text("Order Date,Customer,Product,Amount,Currency,Order No,Line\n" + "\n".join(rows) + "\n")
    result = cli(shop, tmp_path, str(path))
    assert result.returncode == 1
    assert stdout_of(result).startswith(f"{path}:{BATCH_ROWS * 2 + 2}: Amount: Negative amount: '-1'")
    assert lines(shop) == []
    conn = sqlite3.connect(shop)
    assert conn.execute("SELECT COUNT(*) FROM sales_month").fetchone() == (0,)  # the summaries too
    conn.close()


def test_dry_run_and_map_and_missing_columns(shop, tmp_path):
    path = tmp_path / "erp.csv"
    path.write_text("Datum,Customer,Product,Amount\n2026-03-01,Acme Steel,Valve,300\n", encoding="utf-8")
    missing = cli(shop, tmp_path, str(path))
    assert missing.returncode == 1
    assert "order date: Required column is missing" in stdout_of(missing)
    dry = cli(shop, tmp_path, str(path), "--map", "Datum=ordered_on", "--dry-run")
    assert dry.returncode == 0, stdout_of(dry)
    assert stdout_of(dry).startswith("Dry run, nothing written; the import would give: 1 created")
    assert lines(shop) == []
    usage = cli(shop, tmp_path, str(path), "--map", "Datum=when")
    assert usage.returncode == 2


async def test_the_app_recognises_an_erp_export_and_imports_its_lines(make_app, tmp_path):
    """Chinese headers in the import screen (key i): read as orders, previewed, imported."""
    from saletui.store.models import OrderLine
    from saletui.ui.screens.accounts import AccountsScreen
    from saletui.ui.screens.confirm import ConfirmScreen
    from saletui.ui.screens.import_csv import ImportScreen
    from tests.conftest import shown_text, until

    accounts.save(AccountDraft(name="华东精密机械有限公司", relationship="customer"))
    accounts.save(AccountDraft(name="Acme Steel", relationship="customer"))
    path = tmp_path / "销售明细.csv"
    path.write_bytes(ZH.encode("gb18030"))
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path").value = str(path)
        await until(pilot, lambda: screen.report is not None, "the preview")
        assert screen.report is not None and screen.report.kind == "orders"
        assert screen.query_one("#import-kind").value == "orders"
        summary = shown_text(screen.query_one("#import-summary"))
        assert "3 created" in summary and "gb18030" in summary
        assert OrderLine.select().count() == 0
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list")
    assert sorted(line.amount for line in OrderLine.select()) == [30_000, 80_050, 1_250_000]
