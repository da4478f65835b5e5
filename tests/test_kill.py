"""A laptop lid closed, a killed terminal: `kill -9` in the middle of an import leaves the
database intact and the import all or nothing, and the same import run again completes.

The kill lands after a given amount of CPU time of the import (read from /proc), so it
falls at a different point of the work for each case without any fixed wait."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

ROWS = 3000
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to read CPU time")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def accounts_in(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM account").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("ticks", [15, 40, 70, 100])
def test_kill_9_during_an_import_leaves_all_or_nothing(tmp_path, ticks):
    book = tmp_path / "book.sqlite3"
    csv = tmp_path / "accounts.csv"
    csv.write_text(
        "name,industry,region,relationship\n" + "".join(f"Account {i},Machinery,East,prospect\n" for i in range(ROWS)),
        encoding="utf-8",
    )
    env = {**os.environ, "SALETUI_HOME": str(tmp_path / "home"), "SALETUI_DB": str(book)}
    env.pop("LC_ALL", None)
    run = subprocess.Popen(
        [sys.executable, "-m", "saletui", "import", "accounts", str(csv)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        while run.poll() is None and cpu_ticks(run.pid) < ticks:
            os.sched_yield()
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
    except FileNotFoundError:
        pass  # it ended between the two looks
    code = run.wait(timeout=60)
    print(f"ticks {ticks}: exit {code}")  # -9: killed mid-way (shown with pytest -s)
    if book.exists() and book.stat().st_size:
        assert accounts_in(book) in (0, ROWS), "a killed import is all or nothing"
    again = run_cli("import", "accounts", str(csv), db=book, home=tmp_path / "home", cwd=tmp_path)
    assert again.returncode == 0, again.stderr.decode()
    assert accounts_in(book) == ROWS
