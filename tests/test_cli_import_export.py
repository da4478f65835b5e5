"""`saletui import`, `saletui export` and `saletui restore` as a rep runs them in a shell:
a summary and FILE:ROW: column: reason lines, exit codes a script can rely on (0 done,
1 bad rows or a refused database, 2 usage), files written where asked, and a backup that
restores through the command line. The UI is never started."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from saletui.store import accounts
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.models import ALL_MODELS
from tests.conftest import run_cli, stderr_of, stdout_of


def names(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM account ORDER BY name")]
    finally:
        conn.close()


@pytest.fixture
def empty_db(store: Path) -> Path:
    store_db.close_database()
    return store


GOOD = "客户名称,行业,客户类型,分级\n华东精密机械有限公司,机械制造,现有客户,前5\nAcme Steel,Steel,prospect,\n"
BAD = "name,tier,next step date\nAcme Steel,top5,\nGlobex,top9,\nInitech,,31/12/2026\n"


def test_import_prints_a_summary_and_exits_0(empty_db, tmp_path):
    path = tmp_path / "客户.csv"
    path.write_text(GOOD, encoding="gbk")
    result = run_cli("import", "accounts", str(path), db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert stdout_of(result) == "Imported: 2 created, 0 updated, 0 unchanged; 0 bad rows\n"
    assert names(empty_db) == ["Acme Steel", "华东精密机械有限公司"]
    again = run_cli("import", "accounts", str(path), db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert again.returncode == 0
    assert stdout_of(again) == "Imported: 0 created, 0 updated, 2 unchanged; 0 bad rows\n"


def test_bad_rows_are_listed_as_file_row_column_reason_and_nothing_is_written(empty_db, tmp_path):
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    result = run_cli("import", "accounts", "bad.csv", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    lines = stdout_of(result).splitlines()
    assert lines[0] == "bad.csv:3: tier: Not one of top5, middle5, new5, -: 'top9'."
    assert lines[1] == "bad.csv:4: next step date: Not a date: '31/12/2026' (use YYYY-MM-DD)."
    assert lines[2].startswith("Nothing imported: 2 bad rows (all or nothing).")
    assert "Traceback" not in stderr_of(result)
    assert names(empty_db) == []


def test_skip_bad_rows_imports_the_good_ones_and_exits_0(empty_db, tmp_path):
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    result = run_cli(
        "import", "accounts", "bad.csv", "--skip-bad-rows", db=empty_db, home=tmp_path / "home", cwd=tmp_path
    )
    assert result.returncode == 0
    assert (
        stdout_of(result).splitlines()[-1] == "Imported the good rows: 1 created, 0 updated, 0 unchanged; 2 bad rows "
        "(skipped)"
    )
    assert names(empty_db) == ["Acme Steel"]


def test_a_dry_run_writes_nothing_and_exits_1_only_for_bad_rows(empty_db, tmp_path):
    (tmp_path / "good.csv").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.csv").write_text(BAD, encoding="utf-8")
    clean = run_cli("import", "accounts", "good.csv", "--dry-run", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert clean.returncode == 0
    assert stdout_of(clean) == (
        "Dry run, nothing written; the import would give: 2 created, 0 updated, 0 unchanged; 0 bad rows\n"
    )
    bad = run_cli(
        "import",
        "accounts",
        "bad.csv",
        "--dry-run",
        "--skip-bad-rows",
        db=empty_db,
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert bad.returncode == 1
    assert "bad.csv:3: tier:" in stdout_of(bad)
    assert names(empty_db) == []


def test_people_import_reports_an_unknown_account(empty_db, tmp_path):
    (tmp_path / "accounts.csv").write_text(GOOD, encoding="utf-8")
    run_cli("import", "accounts", "accounts.csv", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    (tmp_path / "people.csv").write_text(
        "account;name;reports to\nAcme Steel;Jane;Boss\nAcme Steel;Boss;\nUmbrella;Joe;\n", encoding="utf-8"
    )
    result = run_cli("import", "people", "people.csv", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stdout_of(result).splitlines()[0] == (
        "people.csv:4: account: No active account called 'Umbrella'; import or add it first."
    )


def test_unknown_columns_are_warned_about(empty_db, tmp_path):
    (tmp_path / "a.csv").write_text("name,Indsutry\nAcme,Steel\n", encoding="utf-8")
    result = run_cli("import", "accounts", "a.csv", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0
    assert stdout_of(result).splitlines()[0] == "a.csv:1: Indsutry: unknown column, ignored (did you mean 'industry'?)"


def test_usage_errors_exit_2_and_a_database_in_a_missing_folder_is_not_created(empty_db, tmp_path):
    home = tmp_path / "home"
    missing_file = run_cli("import", "accounts", "nope.csv", db=empty_db, home=home, cwd=tmp_path)
    assert missing_file.returncode == 2
    assert stderr_of(missing_file) == "saletui: no such file: nope.csv\n"
    wrong_kind = run_cli("import", "deals", "x.csv", db=empty_db, home=home, cwd=tmp_path)
    assert wrong_kind.returncode == 2
    (tmp_path / "a.csv").write_text(GOOD, encoding="utf-8")
    typo = tmp_path / "no-such-folder" / "typo.sqlite3"
    no_db = run_cli("import", "accounts", "a.csv", db=typo, home=home, cwd=tmp_path)
    assert no_db.returncode == 1
    assert stderr_of(no_db) == (
        f"saletui: no folder {typo.parent} for the database {typo}: check the name, or create the folder first\n"
    )
    assert not typo.parent.exists()
    export = run_cli("export", "accounts", db=typo, home=home, cwd=tmp_path)
    assert export.returncode == 1 and not typo.parent.exists()


def test_a_file_that_is_not_csv_is_one_line_and_exit_1(empty_db, tmp_path):
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04rest of a zip")
    result = run_cli("import", "accounts", "book.xlsx", db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    [line] = stderr_of(result).splitlines()
    assert line.startswith("saletui: ") and "Excel workbook" in line


@pytest.fixture
def demo_db(tmp_path, open_demo) -> Path:
    path = open_demo(tmp_path / "demo.sqlite3")
    accounts.save(AccountDraft(name="=cmd|' /C calc'!A0"))
    store_db.close_database()
    return path


def test_export_writes_csv_files_with_a_dated_default_name(demo_db, tmp_path):
    home = tmp_path / "home"
    for kind in ("accounts", "people", "visits"):
        result = run_cli("export", kind, db=demo_db, home=home, cwd=tmp_path)
        assert result.returncode == 0, stderr_of(result)
        [written] = list(tmp_path.glob(f"saletui-{kind}-*.csv"))
        assert stderr_of(result).startswith(f"Wrote {written.name}: ")
        data = written.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    text = next(tmp_path.glob("saletui-accounts-*.csv")).read_bytes().decode("utf-8-sig")
    assert "华东精密机械有限公司" in text
    assert "\r\n'=cmd|' /C calc'!A0," in text


def test_export_to_a_named_file_and_an_unwritable_one(demo_db, tmp_path):
    target = tmp_path / "out" / "people.csv"
    target.parent.mkdir()
    result = run_cli("export", "people", "-o", str(target), db=demo_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0 and target.exists()
    nowhere = tmp_path / "no" / "such" / "dir" / "a.csv"
    failed = run_cli("export", "accounts", "-o", str(nowhere), db=demo_db, home=tmp_path / "home", cwd=tmp_path)
    assert failed.returncode == 1
    [line] = stderr_of(failed).splitlines()
    assert line.startswith(f"saletui: cannot write {nowhere}")


def table_dump(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {
            m._meta.table_name: conn.execute(f"SELECT * FROM {m._meta.table_name} ORDER BY id").fetchall()
            for m in ALL_MODELS
        }
    finally:
        conn.close()


def test_backup_and_restore_round_trip_through_the_command_line(demo_db, tmp_path):
    home = tmp_path / "home"
    backup = run_cli("export", "backup", "-o", "book.json", db=demo_db, home=home, cwd=tmp_path)
    assert backup.returncode == 0, stderr_of(backup)
    assert (tmp_path / "book.json").exists()
    target = tmp_path / "restored.sqlite3"
    restored = run_cli("--db", str(target), "restore", "book.json", db=None, home=home, cwd=tmp_path)
    assert restored.returncode == 0, stderr_of(restored)
    assert stderr_of(restored).startswith("Restored ")
    assert table_dump(target) == table_dump(demo_db)
    assert target.stat().st_mode & 0o077 == 0
    again = run_cli("--db", str(target), "restore", "book.json", db=None, home=home, cwd=tmp_path)
    assert again.returncode == 1
    [line] = stderr_of(again).splitlines()
    assert line.startswith("saletui: the database is not empty")
    assert table_dump(target) == table_dump(demo_db)


def test_a_failed_restore_leaves_no_new_database_behind(tmp_path):
    (tmp_path / "newer.json").write_text(
        '{"format": "saletui-backup", "format_version": 1, "schema": ["0099_future"], "tables": {}}'
    )
    target = tmp_path / "new.sqlite3"
    result = run_cli("--db", str(target), "restore", "newer.json", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert "newer saletui" in stderr_of(result)
    assert not target.exists() and not Path(f"{target}-wal").exists()
    missing = run_cli("--db", str(target), "restore", "missing.json", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert missing.returncode == 2 and not target.exists()


def test_the_default_backup_name_and_restore_via_saletui_db(demo_db, tmp_path):
    home = tmp_path / "home"
    assert run_cli("export", "backup", db=demo_db, home=home, cwd=tmp_path).returncode == 0
    [written] = list(tmp_path.glob("saletui-backup-*.json"))
    target = tmp_path / "from-env.sqlite3"
    result = run_cli("restore", written.name, db=target, home=home, cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert names(target) == names(demo_db)


def test_help_lists_the_new_commands(tmp_path):
    result = run_cli("--help", db=None, home=tmp_path / "home", cwd=tmp_path)
    for word in ("import", "export", "restore"):
        assert word in stdout_of(result)
    detail = run_cli("import", "--help", db=None, home=tmp_path / "home", cwd=tmp_path)
    for word in ("--dry-run", "--skip-bad-rows", "GB18030", "accounts|people"):
        assert word in stdout_of(detail)
