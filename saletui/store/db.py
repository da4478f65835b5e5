"""Open (or create) a saletui database safely.

A file that is not ours, cannot be read, or was written by a newer saletui is refused
before anything is written to it, so it stays byte-for-byte unchanged.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from saletui.i18n import _
from saletui.store.models import database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
APPLICATION_ID = 0x53414C45  # "SALE": marks a SQLite file as a saletui database
HISTORY_TABLE = "schema_migration"
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
    "cache_size": -16000,
}
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """An expected problem with the database file; its message is one line for the user."""


def known_migrations() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def inspect(path: Path) -> list[str]:
    """Check an existing file without writing to it; return the migrations it has applied.

    Raises StoreError when saletui must not open it.
    """
    if path.is_dir():
        raise StoreError(_("{path} is a directory, not a saletui database.").format(path=path))
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(_("Cannot read {path}: {reason}.").format(path=path, reason=exc.strerror)) from None
    if not header:
        return []  # an empty file: treat as new
    if header != SQLITE_MAGIC:
        raise StoreError(_("{path} is not a saletui database (not an SQLite file).").format(path=path))
    # Without a -wal or -journal beside it, the file holds every committed change: read it
    # as immutable so that SQLite creates no -wal/-shm files next to a file we may refuse.
    # (A read-only connection to a WAL database would leave both behind.)
    settled = not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    query = "immutable=1" if settled else "mode=ro"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            applied = []
            if HISTORY_TABLE in tables:
                applied = [r[0] for r in conn.execute(f"SELECT name FROM {HISTORY_TABLE}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("{path} cannot be opened as a database: {reason}.").format(path=path, reason=exc)) from None
    if app_id != APPLICATION_ID and (app_id != 0 or tables):
        raise StoreError(_("{path} is an SQLite database, but not a saletui one.").format(path=path))
    unknown = sorted(set(applied) - set(known_migrations()))
    if unknown:
        raise StoreError(
            _("{path} was written by a newer saletui (schema {schema}); upgrade saletui to open it.").format(
                path=path, schema=unknown[-1]
            )
        )
    return applied


def _create_private(path: Path) -> None:
    """Create an empty file readable by its owner only: the database holds personal data."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _backup_before_upgrade(path: Path, applied: list[str]) -> Path:
    """Keep a copy of an older database before its schema is upgraded."""
    backup = path.with_name(f"{path.name}.before-{applied[-1] if applied else 'upgrade'}.bak")
    backup.unlink(missing_ok=True)
    _create_private(backup)  # private before any byte of personal data is copied in
    src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(backup)
        with dst:
            src.backup(dst)
        dst.close()
    finally:
        src.close()
    return backup


def open_database(path: str | os.PathLike[str]) -> Path | None:
    """Initialise the deferred database at `path`, creating or upgrading it.

    Returns the path of a backup when an older schema was upgraded, else None.
    """
    path = Path(path).expanduser()
    backup = None
    pending = known_migrations()
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a file name too long for the file system
        raise StoreError(_("Cannot open {path}: {reason}.").format(path=path, reason=exc.strerror)) from None
    if exists:
        applied = inspect(path)
        pending = [m for m in known_migrations() if m not in applied]
        if applied and pending:
            backup = _backup_before_upgrade(path, applied)
    else:
        try:
            _create_private(path)
        except OSError as exc:
            raise StoreError(_("Cannot create {path}: {reason}.").format(path=path, reason=exc.strerror)) from None
    if not database.is_closed():
        database.close()
    database.init(str(path), pragmas=PRAGMAS)
    try:
        database.connect()
        if pending:
            migrate()
        else:
            from saletui.store.people import refresh_missing_warning_counts

            refresh_missing_warning_counts()
    except Exception as exc:  # sqlite3 errors from a locked or read-only file
        if not database.is_closed():
            database.close()
        raise StoreError(_("Cannot open {path}: {reason}.").format(path=path, reason=exc)) from None
    return backup


def migrate(target: str | None = None) -> list[str]:
    """Apply pending schema scripts (each in its own transaction), then fill derived
    values that a script left for the application to compute."""
    from playhouse.migrations import Runner  # only imported when a script may be pending

    database.pragma("application_id", APPLICATION_ID)
    runner = Runner(database, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)
    applied: list[str] = runner.up(target)
    if target is None:
        from saletui.store.people import refresh_missing_warning_counts  # needs the newest schema

        refresh_missing_warning_counts()
    return applied


def release_thread_connection() -> None:
    """Close the connection a worker thread opened (peewee keeps one per thread)."""
    if not database.is_closed():
        database.close()


def close_database() -> None:
    if not database.is_closed():
        database.close()
