"""Open (or create) a saletui database safely.

A file that is not ours, cannot be read, or was written by a newer saletui is refused
before anything is written to it, so it stays byte-for-byte unchanged.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from saletui.i18n import _
from saletui.money import DEFAULT_CURRENCY
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
SPARE_BYTES = 8 * 2**20  # beyond two copies of the file: the upgrade's own journal and the OS


class StoreError(Exception):
    """An expected problem with the database file; its message is one line for the user."""


MIN_SQLITE = (3, 34, 0)  # FTS5's trigram tokenizer (migration 0016)


def known_migrations() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py"))


def _read_only_uri(path: Path) -> str:
    """A URI that reads `path` without writing beside it. Without a -wal or -journal, the
    file holds every committed change: read it as immutable so that SQLite creates no
    -wal/-shm files next to a file we may refuse (a read-only connection to a WAL database
    would leave both behind)."""
    settled = not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal"))
    return f"{path.resolve().as_uri()}?{'immutable=1' if settled else 'mode=ro'}"


def _read_schema(uri: str) -> tuple[int, set[str], list[str]]:
    """The file's application id, its tables and the migrations it has applied."""
    conn = sqlite3.connect(uri, uri=True)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        applied = []
        if HISTORY_TABLE in tables:
            applied = [r[0] for r in conn.execute(f"SELECT name FROM {HISTORY_TABLE}")]
        return app_id, tables, applied
    finally:
        conn.close()


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
    uri = _read_only_uri(path)
    try:
        try:
            app_id, tables, applied = _read_schema(uri)
        except sqlite3.DatabaseError:
            if "immutable=1" not in uri:
                raise
            # Another window began writing after the file looked settled: an immutable
            # read can then catch a half-written page. Read it as a live file instead.
            app_id, tables, applied = _read_schema(uri.replace("immutable=1", "mode=ro"))
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


def describe(exc: BaseException) -> str:
    """Why the database (or the disk under it) refused, in words a rep can act on; the
    error's own message otherwise. Shared by the app's and the command line's messages."""
    lowered = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _("the disk is full")
    if isinstance(exc, OSError) and exc.errno == errno.EROFS:
        return _("the disk is read-only")
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if "locked" in lowered or "busy" in lowered:
        return _("another program is writing to the database")
    if "readonly" in lowered or "read-only" in lowered:
        return _("the database file is read-only")
    if "disk is full" in lowered or "disk full" in lowered:
        return _("the disk is full")
    if "no transaction is active" in lowered:
        # SQLite undid the transaction itself, which it does on a full disk or a write the
        # disk refused; the rollback that followed then found nothing to undo.
        return _("the disk is full or refused the write")
    return str(exc) or type(exc).__name__


def _backup_before_upgrade(path: Path, applied: list[str]) -> Path:
    """Keep a copy of an older database before its schema is upgraded.

    There must be room for the copy and for the upgrade (which may rewrite every table);
    when the copy fails part-way (a full or read-only disk) nothing of it is left behind."""
    backup = path.with_name(f"{path.name}.before-{applied[-1] if applied else 'upgrade'}.bak")
    size = sum(Path(f"{path}{suffix}").stat().st_size for suffix in ("", "-wal") if Path(f"{path}{suffix}").exists())
    free = shutil.disk_usage(path.parent).free
    if free < 2 * size + SPARE_BYTES:
        raise StoreError(
            _(
                "Not enough free disk space to upgrade {path}: {need} MB needed (a copy is kept first), {free} MB "
                "free. Nothing was changed; free some space and open it again."
            ).format(path=path, need=(2 * size + SPARE_BYTES) // 2**20 + 1, free=free // 2**20)
        )
    leftovers = [backup, Path(f"{backup}-journal"), Path(f"{backup}-wal")]
    try:
        backup.unlink(missing_ok=True)
        _create_private(backup)  # private before any byte of personal data is copied in
        src = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            dst = sqlite3.connect(backup)
            try:
                with dst:
                    src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except (OSError, sqlite3.Error) as exc:
        for leftover in leftovers:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
        raise StoreError(
            _("Cannot keep a copy of {path} before upgrading it: {reason}. Nothing was changed.").format(
                path=path, reason=describe(exc)
            )
        ) from None
    return backup


@contextlib.contextmanager
def _upgrade_lock(path: Path) -> Iterator[None]:
    """One process at a time creates or upgrades a database (two windows opened at once
    would otherwise both run the same migration: "duplicate column name"). The lock is on
    the folder, not the file: closing a descriptor of the database file would drop the
    POSIX locks SQLite itself holds on it."""
    try:
        import fcntl
    except ImportError:  # not a POSIX system: no second window to race with here
        yield
        return
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def open_database(path: str | os.PathLike[str], *, currency: str = DEFAULT_CURRENCY) -> Path | None:
    """Initialise the deferred database at `path`, creating or upgrading it.

    `currency` is given to accounts that had none before (see `migrate`). Returns the path of a backup when an older schema was upgraded, else None.
    """
    path = Path(path).expanduser()
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise StoreError(
            _(
                "saletui needs SQLite {needed} or newer (its search uses FTS5 with the trigram tokenizer); "
                "this Python has SQLite {version}."
            ).format(needed=".".join(map(str, MIN_SQLITE)), version=sqlite3.sqlite_version)
        )
    backup = None
    pending = known_migrations()
    try:
        exists = path.exists()
    except OSError as exc:  # e.g. a file name too long for the file system
        raise StoreError(_("Cannot open {path}: {reason}.").format(path=path, reason=exc.strerror)) from None
    if exists:
        applied = inspect(path)
        pending = [m for m in known_migrations() if m not in applied]
    else:
        try:
            _create_private(path)
        except OSError as exc:
            if not (isinstance(exc, FileExistsError) and path.is_file()):  # else: another window just made it
                raise StoreError(_("Cannot create {path}: {reason}.").format(path=path, reason=exc.strerror)) from None
    if not database.is_closed():
        database.close()
    with _upgrade_lock(path) if pending else contextlib.nullcontext():
        if pending:  # again, now that no other process can be upgrading it
            applied = inspect(path)
            pending = [m for m in known_migrations() if m not in applied]
            if applied and pending:
                backup = _backup_before_upgrade(path, applied)
        database.init(str(path), pragmas=PRAGMAS)
        try:
            database.connect()
            if pending:
                migrate(currency=currency)
            else:
                from saletui.store.people import refresh_missing_warning_counts

                refresh_missing_warning_counts()
        except Exception as exc:  # sqlite3 errors from a locked, read-only or full file
            if not database.is_closed():
                database.close()
            raise StoreError(_("Cannot open {path}: {reason}.").format(path=path, reason=describe(exc))) from None
    return backup


_UPGRADE_CURRENCY: ContextVar[str] = ContextVar("upgrade_currency", default=DEFAULT_CURRENCY)


def upgrade_currency() -> str:
    """The currency that accounts saved before amounts had one are given (migration 0006)."""
    return _UPGRADE_CURRENCY.get()


def migrate(target: str | None = None, *, currency: str = DEFAULT_CURRENCY) -> list[str]:
    """Apply pending schema scripts (each in its own transaction), then fill derived
    values that a script left for the application to compute.

    `currency` (the `currency:` setting) is what existing accounts get when their amounts
    are first given a currency.
    """
    from playhouse.migrations import Runner  # only imported when a script may be pending

    database.pragma("application_id", APPLICATION_ID)
    runner = Runner(database, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)
    token = _UPGRADE_CURRENCY.set(currency)
    try:
        applied: list[str] = runner.up(target)
    finally:
        _UPGRADE_CURRENCY.reset(token)
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
