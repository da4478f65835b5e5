"""The database file holds a rep's customers and contacts: it is created private, and a
file that saletui must not open (someone else's, unreadable, or from a newer saletui)
is refused with one line of explanation and left exactly as it was."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from saletui.store import db
from saletui.store.db import StoreError, open_database
from saletui.store.models import database


def _snapshot(path: Path) -> dict[str, bytes | None]:
    """Every file at `path` (recursively for a directory) with its bytes."""
    if path.is_dir():
        return {str(p.relative_to(path)): (p.read_bytes() if p.is_file() else None) for p in path.rglob("*")}
    return {"": path.read_bytes()} if path.exists() else {}


def _side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


# -- a new database ------------------------------------------------------------------


def test_the_first_open_creates_a_private_database(tmp_path):
    path = tmp_path / "home" / "data" / "saletui.sqlite3"
    assert open_database(path) is None
    assert path.is_file()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_the_database_runs_with_the_safety_pragmas_in_effect(tmp_path):
    open_database(tmp_path / "new.sqlite3")  # created here, not copied from the fixtures' template
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert database.execute_sql("PRAGMA busy_timeout").fetchone()[0] > 0
    assert database.execute_sql("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID


def test_a_new_database_has_every_migration_applied(tmp_path):
    open_database(tmp_path / "new.sqlite3")
    applied = [r[0] for r in database.execute_sql(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
    assert applied == db.known_migrations()


def test_opening_an_up_to_date_database_again_keeps_its_data_and_makes_no_backup(store, db_path):
    database.execute_sql(
        "INSERT INTO account (name, industry, region, owner, relationship, tier, "
        "excluded_channels, credit_terms, payment_terms, rules_of_engagement, profile_notes, "
        "next_step, created_at, updated_at, currency) "
        "VALUES ('Acme', '', '', '', 'prospect', '', '', '', '', '', '', '', '2026-01-01', '2026-01-01', 'CNY')"
    )
    db.close_database()
    assert open_database(db_path) is None
    assert database.execute_sql("SELECT name FROM account").fetchall() == [("Acme",)]
    assert list(db_path.parent.glob("*.bak")) == []


def test_an_empty_file_is_treated_as_a_new_database(db_path):
    db_path.touch()
    open_database(db_path)
    assert database.execute_sql("SELECT COUNT(*) FROM account").fetchone()[0] == 0


# -- files saletui must not open -----------------------------------------------------


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("Call Mr. Wang about the boiler tender.\n" * 20, encoding="utf-8")
    return path


def _foreign_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "other-app.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.execute("INSERT INTO invoices (total) VALUES (99.5)")
    conn.commit()
    conn.close()
    return path


def _foreign_wal_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "other-wal-app.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    conn.commit()
    conn.close()
    return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "a-folder.sqlite3"
    path.mkdir()
    (path / "keep.txt").write_text("mine")
    return path


def _below_a_file(tmp_path: Path) -> Path:
    """A path that cannot exist: its parent is a regular file, not a directory."""
    parent = tmp_path / "report.pdf"
    parent.write_bytes(b"%PDF-1.4 not a folder")
    return parent / "saletui.sqlite3"


def _name_too_long(tmp_path: Path) -> Path:
    return tmp_path / ("客户" * 200 + ".sqlite3")


def _from_a_newer_saletui(tmp_path: Path) -> Path:
    path = tmp_path / "newer.sqlite3"
    open_database(path)
    db.close_database()
    conn = sqlite3.connect(path)
    conn.execute(f"INSERT INTO {db.HISTORY_TABLE} (name, applied) VALUES ('0099_future', '2030-01-01 00:00:00')")
    conn.commit()
    conn.close()
    assert _side_files(path) == []
    return path


REFUSED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a text file": (_text_file, "not a saletui database"),
    "another application's SQLite database": (_foreign_sqlite, "not a saletui one"),
    "another application's SQLite database in WAL mode": (_foreign_wal_sqlite, "not a saletui one"),
    "a directory": (_directory, "is a directory"),
    "a path below a regular file": (_below_a_file, "Cannot create"),
    "a file name too long for the file system": (_name_too_long, "too long"),
    "a database from a newer saletui": (_from_a_newer_saletui, "newer saletui"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_file_saletui_must_not_open_is_refused_and_left_untouched(tmp_path, case):
    make, phrase = REFUSED[case]
    path = make(tmp_path)
    watched = path if os.path.exists(path) else path.parent
    before = _snapshot(watched)
    side_before = _side_files(watched)

    with pytest.raises(StoreError) as exc:
        open_database(path)

    message = str(exc.value)
    assert phrase in message
    assert str(path) in message or str(watched) in message
    assert "\n" not in message
    assert _snapshot(watched) == before
    assert _side_files(watched) == side_before, "no -wal/-shm/-journal left beside a refused file"
    assert list(tmp_path.glob("*.bak")) == []
    assert database.is_closed()


def test_the_newer_database_message_names_the_schema_and_what_to_do(tmp_path):
    path = _from_a_newer_saletui(tmp_path)
    with pytest.raises(StoreError) as exc:
        open_database(path)
    assert "0099_future" in str(exc.value)
    assert "upgrade saletui" in str(exc.value)


def test_a_truncated_sqlite_file_is_refused(tmp_path):
    path = tmp_path / "cut.sqlite3"
    open_database(path)
    db.close_database()
    path.write_bytes(path.read_bytes()[:100])
    before = path.read_bytes()
    with pytest.raises(StoreError) as exc:
        open_database(path)
    assert "\n" not in str(exc.value)
    assert path.read_bytes() == before


@pytest.mark.skipif(
    os.geteuid() == 0,
    reason="root reads files whatever their mode, so chmod 000 cannot make a file unreadable; "
    "the unreadable case is covered by 'a path below a regular file'",
)
def test_an_unreadable_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "locked.sqlite3"
    open_database(path)
    db.close_database()
    before = path.read_bytes()
    path.chmod(0)
    try:
        with pytest.raises(StoreError) as exc:
            open_database(path)
        assert "Cannot read" in str(exc.value)
        assert "\n" not in str(exc.value)
    finally:
        path.chmod(0o600)
    assert path.read_bytes() == before


def test_a_newer_schema_still_in_the_write_ahead_log_is_noticed(tmp_path):
    """Another saletui still has the file open and its latest commit sits in the -wal file:
    the check must read it too, not only the main file."""
    path = tmp_path / "busy.sqlite3"
    open_database(path)
    db.close_database()
    other = sqlite3.connect(path)
    try:
        other.execute(f"INSERT INTO {db.HISTORY_TABLE} (name, applied) VALUES ('0099_future', '2030-01-01')")
        other.commit()
        assert Path(f"{path}-wal").stat().st_size > 0
        with pytest.raises(StoreError) as exc:
            open_database(path)
        assert "0099_future" in str(exc.value)
    finally:
        other.close()
