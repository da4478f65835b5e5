"""Imports read the file as a stream and write it in batches (#15 part 10): what a rep sees
is the same as before for any file, a progress line when they watch a terminal (and
nothing extra in a pipe), and a bad row far down a long file still leaves nothing written.
Files here are a few thousand rows, enough to cross several batches."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from saletui.services import csv_import
from saletui.services.csv_import import BATCH_ROWS, import_csv, read_table
from saletui.store import db as store_db
from tests.conftest import run_cli, stdout_of

ROWS = 2 * BATCH_ROWS + 500  # three batches


def accounts_csv(path: Path, rows: int = ROWS, bad_at: int | None = None) -> Path:
    lines = ["name,industry,tier,market capacity"]
    for i in range(rows):
        tier = "top9" if bad_at is not None and i + 2 == bad_at else ""
        lines.append(f"Account {i:05d},Steel,{tier},{i * 100}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def empty_db(store: Path) -> Path:
    store_db.close_database()
    return store


def test_a_long_file_imports_across_batches_and_again_unchanged(store, tmp_path):
    path = accounts_csv(tmp_path / "many.csv")
    report = import_csv("accounts", path)
    assert report.written and report.created == ROWS and report.errors == []
    assert report.processed == ROWS and len(report.rows) == csv_import.ROWS_KEPT  # counted, not all kept
    again = import_csv("accounts", path)
    assert again.written and again.unchanged == ROWS and again.created == 0


def test_the_same_name_in_two_batches_is_refused_with_the_first_row(store, tmp_path):
    path = accounts_csv(tmp_path / "dup.csv")
    with path.open("a", encoding="utf-8") as file:
        file.write("account 00000,Chemicals,,\n")  # row ROWS + 2, the first account's name again
    report = import_csv("accounts", path)
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(ROWS + 2, "name")]
    assert "Same account as row 2" in report.errors[0].message


def test_a_bad_row_near_the_end_of_a_long_file_leaves_nothing_written(empty_db, tmp_path):
    path = accounts_csv(tmp_path / "late.csv", bad_at=ROWS)
    result = run_cli("import", "accounts", str(path), db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    out = stdout_of(result).splitlines()
    assert out[0] == f"{path}:{ROWS}: tier: Not one of top5, middle5, new5, -: 'top9'."
    assert count(empty_db, "account") == 0
    skipped = run_cli(
        "import", "accounts", str(path), "--skip-bad-rows", db=empty_db, home=tmp_path / "home", cwd=tmp_path
    )
    assert skipped.returncode == 0
    assert count(empty_db, "account") == ROWS - 1


def test_reports_to_a_manager_further_down_the_file_is_set_in_the_second_pass(store, tmp_path):
    accounts_csv(tmp_path / "a.csv", rows=1)
    import_csv("accounts", tmp_path / "a.csv")
    lines = ["account,name,reports to", "Account 00000,Worker 0,Boss"]
    lines += [f"Account 00000,Worker {i},Worker 0" for i in range(1, ROWS)]
    lines.append("Account 00000,Boss,")
    (tmp_path / "p.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_csv("people", tmp_path / "p.csv")
    assert report.written and report.created == ROWS + 1, report.errors[:3]
    conn = sqlite3.connect(store)
    boss = conn.execute("SELECT id FROM person WHERE name = 'Boss'").fetchone()[0]
    worker0 = conn.execute("SELECT id, reports_to_id, version FROM person WHERE name = 'Worker 0'").fetchone()
    assert worker0[1] == boss and worker0[2] == 0  # created by this import: no version anyone read
    under = conn.execute("SELECT COUNT(*) FROM person WHERE reports_to_id = ?", (worker0[0],)).fetchone()[0]
    assert under == ROWS - 1
    warnings = conn.execute("SELECT warning_count FROM account").fetchone()[0]
    conn.close()
    assert warnings is not None


def test_the_file_is_read_lazily_from_its_first_megabyte(tmp_path):
    path = accounts_csv(tmp_path / "big.csv", rows=150_000)  # about 4 MB
    table = read_table(path)
    assert table.header == ["name", "industry", "tier", "market capacity"]
    assert table.bytes_read < table.size // 2  # the header is known, the rows not read yet
    first = next(table.rows)
    assert first == (2, ["Account 00000", "Steel", "", "0"])


def test_gbk_text_after_the_first_megabyte_still_reads_as_gb18030(store, tmp_path):
    path = tmp_path / "late-gbk.csv"
    ascii_rows = [f"Account {i:06d},Steel" for i in range(60_000)]  # over a megabyte of ASCII
    text = "name,industry\n" + "\n".join(ascii_rows) + "\n华东精密机械有限公司,机械制造\n"
    path.write_bytes(text.encode("gbk"))
    report = import_csv("accounts", path)
    assert report.encoding == "gb18030" and report.written, report.errors[:3]
    conn = sqlite3.connect(store)
    assert conn.execute("SELECT industry FROM account WHERE name = '华东精密机械有限公司'").fetchone() == ("机械制造",)
    conn.close()


def test_a_preview_checks_only_the_first_rows_and_writes_nothing(store, tmp_path):
    path = accounts_csv(tmp_path / "preview.csv", bad_at=ROWS)
    report = import_csv("accounts", path, limit=100)
    assert report.truncated and report.processed == 100 and report.errors == []
    assert not report.written
    assert count(store, "account") == 0


def _cli_on_a_terminal(args: list[str], db: Path, home: Path, cwd: Path) -> tuple[int, str, str]:
    """The CLI with its stderr on a pseudo-terminal (as a rep watching it), stdout piped."""
    import pty

    master, slave = pty.openpty()
    env = dict(os.environ, SALETUI_HOME=str(home), LANG="en_US.UTF-8", SALETUI_DB=str(db))
    env.pop("LC_ALL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "saletui", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
        cwd=cwd,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end has closed: the child is done
            break
        if not chunk:
            break
        seen += chunk
    out = proc.stdout.read() if proc.stdout else b""
    code = proc.wait(timeout=60)
    os.close(master)
    return code, out.decode("utf-8"), seen.decode("utf-8", "replace")


def test_a_rep_watching_the_terminal_sees_the_progress_and_a_pipe_gets_none(empty_db, tmp_path):
    path = accounts_csv(tmp_path / "watched.csv")
    code, out, terminal = _cli_on_a_terminal(["import", "accounts", str(path)], empty_db, tmp_path / "home", tmp_path)
    assert code == 0
    assert f"{ROWS:,} rows," in terminal and "rows/s, 100%" in terminal
    assert out == f"Imported: {ROWS} created, 0 updated, 0 unchanged; 0 bad rows\n"
    piped = run_cli("import", "accounts", str(path), db=empty_db, home=tmp_path / "home", cwd=tmp_path)
    assert piped.returncode == 0
    assert "rows/s" not in piped.stderr.decode("utf-8")
    assert stdout_of(piped) == f"Imported: 0 created, 0 updated, {ROWS} unchanged; 0 bad rows\n"


# -- the app's import screen ------------------------------------------------------------------


async def test_the_app_previews_the_first_rows_then_imports_with_a_progress_bar(make_app, tmp_path):
    from textual.widgets import ProgressBar

    from saletui.store.models import Account
    from saletui.ui.compat import notifications
    from saletui.ui.screens.accounts import AccountsScreen
    from saletui.ui.screens.confirm import ConfirmScreen
    from saletui.ui.screens.import_csv import PREVIEW_ROWS, ImportScreen
    from tests.conftest import shown_text, until

    rows = 30_000
    path = accounts_csv(tmp_path / "many.csv", rows=rows)
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.query_one("#import-path").value = str(path)
        await until(pilot, lambda: screen.report is not None, "the preview")
        report = screen.report
        assert report is not None and report.truncated and report.processed == PREVIEW_ROWS
        assert f"the first {PREVIEW_ROWS} rows checked" in shown_text(screen.query_one("#import-summary"))
        assert Account.select().count() == 0
        bar = screen.query_one("#import-progress", ProgressBar)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        # (On a quiet machine the import may be over by the time the keys were handled:
        # the bar keeps the progress it showed.)
        await until(pilot, lambda: (bar.progress or 0) > 0, "the bar moving")
        if app.screen is screen:
            # The screen still answers keys while the worker imports: Esc is refused, politely.
            await pilot.press("escape")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, AccountsScreen)
                    or any("import is running" in n.message for n in notifications(app))
                ),
                "the notice that the import runs",
            )  # (the screen may be gone already: the import does not wait for the notice)
        await until(pilot, lambda: isinstance(app.screen, AccountsScreen), "back on the list", frames=3000)
    assert Account.select().count() == rows
