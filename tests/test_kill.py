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

from saletui.store import accounts, people
from tests.conftest import run_cli

ROWS = 3000
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to read CPU time")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def accounts_in(db: Path) -> int:
    """Accounts in an intact file; 0 when the kill came while a new file was still being
    given its tables (each migration commits on its own: the next open goes on from there)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'account'").fetchone():
            return 0
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


# -- kill -9 during the saves the app's screens make ----------------------------------------

SAVER = r"""
import sys
from pathlib import Path
from saletui.store.db import open_database
from saletui.store import accounts, people, visits
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person
from saletui.store.people import PersonDraft
from saletui.store.visits import VisitPlan

open_database(Path(sys.argv[1]))
account = Account.get(Account.name == "Acme")
person = Person.get(Person.name == "Ann Lee")
print("saving", flush=True)  # the kill is timed from here: start-up takes its own time
i = 0
while True:
    i += 1
    # what the account form's save does: the version it read, the whole draft
    draft = AccountDraft.from_account(Account.get_by_id(account.id))
    draft.industry = f"i{i}"
    accounts.save(draft, account.id, expected_version=i - 1)
    # the person form's save (the account's warnings follow in the same transaction)
    pdraft = PersonDraft.from_person(Person.get_by_id(person.id))
    pdraft.title = f"t{i}"
    people.save_person(account.id, pdraft, person.id, expected_version=i - 1)
    # the visit form's save: a new visit with its attendee
    visits.plan_visit(account.id, VisitPlan(
        planned_at="2026-12-03 10:00", purposes=["care"], attendee_ids=[person.id], objective=f"v{i}"
    ))
"""


@pytest.mark.parametrize("ticks", [1, 5, 15, 40])
def test_kill_9_during_app_saves_leaves_every_save_whole(tmp_path, store, ticks):
    """The account, person and visit saves the screens call, in a loop, killed at a
    different moment each time: the file is intact and every save is all there or not
    at all (the versions count exactly the saves that happened, in order)."""
    from saletui.store import db as store_db

    accounts.save(accounts.AccountDraft(name="Acme", relationship="customer"))
    acme = accounts.find("Acme")[0]
    people.save(acme.id, people.PersonDraft(name="Ann Lee"))
    store_db.close_database()
    env = {**os.environ, "SALETUI_HOME": str(tmp_path / "home")}
    run = subprocess.Popen(
        [sys.executable, "-c", SAVER, str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert run.stdout is not None and run.stdout.readline() == b"saving\n"
    try:
        start = cpu_ticks(run.pid)
        while run.poll() is None and cpu_ticks(run.pid) < start + ticks:
            os.sched_yield()
        if run.poll() is None:
            run.send_signal(signal.SIGKILL)
    except FileNotFoundError:
        pass
    run.wait(timeout=30)
    assert run.returncode == -signal.SIGKILL, run.stderr.read().decode() if run.stderr else ""
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        industry, a_version = conn.execute("SELECT industry, version FROM account WHERE name = 'Acme'").fetchone()
        title, p_version = conn.execute("SELECT title, version FROM person WHERE name = 'Ann Lee'").fetchone()
        visits_made = [r[0] for r in conn.execute("SELECT objective FROM visit ORDER BY id")]
        attendees = conn.execute("SELECT COUNT(*) FROM visitattendee").fetchone()[0]
    finally:
        conn.close()
    saved = int(industry[1:]) if industry else 0
    assert a_version == saved  # one version per save, none half-written
    people_saved = int(title[1:]) if title else 0
    assert p_version == people_saved and people_saved in (saved - 1, saved)
    assert visits_made == [f"v{i}" for i in range(1, len(visits_made) + 1)]
    assert len(visits_made) in (people_saved - 1, people_saved) and attendees == len(visits_made)
