"""Shared fixtures: a private home for every test, a real SQLite file in tmp_path, and
an app factory. Nothing here touches the developer's own data or settings."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from saletui.i18n import set_language
from saletui.store import db as store_db
from saletui.ui.delays import Delays

TODAY = dt.date(2026, 11, 25)
# Debounces of about a frame: a test waits for what they bring (`until`), not for the clock.
# The playbook keeps the users' two-second poll; the test of the poll sets its own.
TEST_DELAYS = Delays(playbook_detail=0.01, import_preview=0.01, editor_check=0.01)
FRAME = 1 / 60  # seconds


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers per core. A UI test spends about half its time waiting for
    frames and idle checks (Pilot's key presses and pauses sleep in 20 ms steps), so one
    worker per core leaves the cores half used; a second one fills the waits.
    PYTEST_XDIST_AUTO_NUM_WORKERS still overrides, as with xdist's own default."""
    chosen = os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS")
    if chosen:
        return int(chosen)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep the real config and data directories out of every test."""
    home = tmp_path / "home"
    monkeypatch.setenv("SALETUI_HOME", str(home))
    monkeypatch.delenv("SALETUI_DB", raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    set_language("en")
    yield home
    store_db.close_database()
    set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


def _open_copy(template: Path, path: Path) -> Path:
    """Open a private copy of a template book at `path`, as saletui would have left it."""
    store_db.close_database()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private, as saletui creates it
    shutil.copyfile(template, path)
    store_db.open_database(path)
    return path


def _template(tmp_path_factory: pytest.TempPathFactory, name: str, fill: Callable[[], object]) -> Path:
    """A book created by `open_database` and filled by `fill`, closed into one file."""
    path = tmp_path_factory.mktemp(f"{name}-template") / f"{name}.sqlite3"
    store_db.open_database(path)
    try:
        fill()
    finally:
        store_db.close_database()  # the last connection checkpoints the WAL into the file
    assert not Path(f"{path}-wal").exists(), "the template must be one self-contained file"
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database at the newest schema, created once per test process: running every
    migration costs about 0.1 s of CPU and a few file syncs, copying the file a millisecond.
    tests/test_database_file.py and tests/test_migrations.py create databases themselves."""
    return _template(tmp_path_factory, "empty", lambda: None)


@pytest.fixture
def store(db_path: Path, empty_template: Path) -> Path:
    """An opened, empty database at the newest schema."""
    return _open_copy(empty_template, db_path)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book, built once per test process (each xdist worker has its own): building
    it takes about a second, copying the file a millisecond. Tests get copies, never this."""
    from saletui.store.demo import build_demo

    return _template(tmp_path_factory, "demo", lambda: build_demo(TODAY))


@pytest.fixture
def open_demo(demo_template: Path) -> Callable[[Path], Path]:
    """Open a private copy of the demo book at a path, as `build_demo` would have left it."""

    def copy_to(path: Path) -> Path:
        return _open_copy(demo_template, path)

    return copy_to


@pytest.fixture
def demo_store(store: Path, open_demo: Callable[[Path], Path]) -> Path:
    """The test database (the one `make_app` opens), holding the demo book."""
    return open_demo(store)


@pytest.fixture
def make_app(store: Path):
    """Build the real app on the test database, with a fixed 'today'."""
    from saletui.settings import load_settings
    from saletui.ui.app import SaletuiApp

    def factory(**overrides):
        settings = overrides.pop("settings", None) or load_settings(None)
        overrides.setdefault("delays", TEST_DELAYS)
        return SaletuiApp(settings, store, today=lambda: TODAY, **overrides)

    return factory


async def until(pilot, condition: Callable[[], object], what: str = "", frames: int = 300) -> None:
    """Let the app run, a frame at a time, until `condition()` holds; fail after `frames`
    (5 s), saying what did not happen."""
    for _ in range(frames):
        if condition():
            return
        await pilot.pause(FRAME)
    assert condition(), f"not seen within {frames} frames: {what or condition}"


def shown_text(widget, width: int = 160) -> str:
    """What a Static-based widget (or a rich renderable) shows, as plain text, even while
    its tab is hidden."""
    import io

    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    content = getattr(widget, "content", widget)
    console.print(content if not isinstance(content, str) else widget.visual)
    return console.export_text()


def run_cli(*args: str, db, home, cwd):
    """`python -m saletui ARGS` as a user runs it: a private home, an English locale, the
    database named by SALETUI_DB (or none), no standard input."""
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env["SALETUI_HOME"] = str(home)
    env["LANG"] = "en_US.UTF-8"
    env.pop("LC_ALL", None)
    env.pop("SALETUI_DB", None)
    if db is not None:
        env["SALETUI_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "saletui", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def stdout_of(result) -> str:
    return result.stdout.decode("utf-8")


def stderr_of(result) -> str:
    return result.stderr.decode("utf-8")


class StatementLog(list):
    """The SQL statements SQLite ran on the app's connection (its own trace callback)."""

    @property
    def transactions(self) -> int:
        return sum(1 for s in self if s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT")))

    @property
    def data(self) -> list[str]:
        """The statements that read or write rows (not BEGIN, COMMIT, SAVEPOINT...). A
        statement that fires triggers is reported again for each of their statements: once
        here (the database's own triggers are not the app's statements)."""
        control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
        out: list[str] = []
        for s in self:
            if not s.lstrip().upper().startswith(control) and (not out or out[-1] != s):
                out.append(s)
        return out


@contextmanager
def traced_statements() -> Iterator[StatementLog]:
    from saletui.store.models import database

    seen = StatementLog()
    conn = database.connection()
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


# What has focus on each tab of the account screen once it is shown.
_TAB_FOCUS = {
    "tab-overview": "#deals",
    "tab-people": "#org-chart",
    "tab-power": "#power-scroll",
    "tab-visits": "#visits",
    "tab-plan": "#plan-timeline",
    "tab-orders": "#orders",
}


async def show_tab(pilot, app, tab: str) -> None:
    """Go to the account screen's tab `tab` ("tab-visits") the shorter way round, one key
    at a time as a rep would, whatever the tabs' order is today."""
    from textual.widgets import TabbedContent

    from saletui.ui.screens.account import TABS

    await switch_tabs(pilot, app, 0)  # the screen open and its first tab settled
    here = TABS.index(app.screen.query_one(TabbedContent).active)
    right = (TABS.index(tab) - here) % len(TABS)
    steps = right if right <= len(TABS) // 2 else right - len(TABS)
    for _ in range(abs(steps)):
        await switch_tabs(pilot, app, 1 if steps > 0 else -1)


async def switch_tabs(pilot, app, steps: int) -> None:
    """Press `]` (or `[` when `steps` is negative) on the account screen, then wait until
    the tab arrived at has its widget focused: the screen fills and focuses a tab a few
    messages after the key, and a key pressed before that goes to the old tab."""
    from textual.widgets import TabbedContent

    from saletui.ui.screens.account import TABS, AccountScreen

    await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account screen open")
    tabs = app.screen.query_one(TabbedContent)
    await until(pilot, lambda: tabs.active in TABS, "a tab of the account screen on show")
    target = TABS[(TABS.index(tabs.active) + steps) % len(TABS)]
    for _ in range(abs(steps)):
        await pilot.press("right_square_bracket" if steps > 0 else "left_square_bracket")

    def arrived() -> bool:
        focused = app.focused
        return tabs.active == target and focused is not None and focused.id == _TAB_FOCUS[target].lstrip("#")

    # Up to 15 s, as for the snapshots' screens: a tab that reads the store while the other
    # workers load the machine (CI) took longer than the default 5 s twice in a day's runs.
    await until(pilot, arrived, f"the account screen on {target}, its widget focused", frames=900)
