"""What each way of running saletui loads: the command line never imports Textual (or Rich),
and the app's start loads only what its first screen draws with.

Every run is a new `python` process running `saletui.cli.main` as `python -m saletui` does,
which lists its `sys.modules` when it exits (an `atexit` hook), so nothing imported by the
test itself or an earlier test can hide or fake an import.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from saletui.store import accounts, people
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.people import PersonDraft

CONFIG = Path(__file__).resolve().parent.parent / "config"

# `python -m saletui ARGS`, listing the modules loaded when the process ends.
PROBE = """
import atexit, json, os, sys
atexit.register(lambda: open(os.environ["PROBE_MODULES"], "w").write(json.dumps(sorted(sys.modules))))
from saletui.cli import main
sys.exit(main())
"""

# The modules of saletui.ui the account list (the first screen) is drawn with. Another
# module here means the start loads something it does not show: import it where it is used.
FIRST_SCREEN_UI = {
    "saletui.ui",
    "saletui.ui.app",
    "saletui.ui.compat",  # KeyFooter, SteadyScrollView (the list)
    "saletui.ui.delays",  # the app's timings (a dataclass, no imports)
    "saletui.ui.guarded_write",
    "saletui.ui.language",
    "saletui.ui.screens",
    "saletui.ui.screens.accounts",
    "saletui.ui.widgets",
    "saletui.ui.widgets.account_table",
    "saletui.ui.widgets.filter_bar",
}


def modules_loaded(*args: str, tmp_path: Path, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The modules `saletui ARGS` had loaded when it exited, and its standard error."""
    out = tmp_path / "modules.json"
    out.unlink(missing_ok=True)
    full_env = dict(os.environ)
    full_env.update({"SALETUI_HOME": str(tmp_path / "home"), "LANG": "en_US.UTF-8", "PROBE_MODULES": str(out)})
    full_env.pop("LC_ALL", None)
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        env=full_env,
        cwd=tmp_path,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, f"saletui {' '.join(args)} exited {result.returncode}: {stderr}"
    return set(json.loads(out.read_text(encoding="utf-8"))), stderr


def toolkit(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in ("textual", "rich"))


@pytest.fixture
def book(store: Path, tmp_path: Path) -> Path:
    """A database with one account and its org chart, closed as after a day's work, and a
    CSV of accounts beside it."""
    account = accounts.save(AccountDraft(name="Northwind")).id
    boss = people.save(account, PersonDraft(name="Wang Wei", title="CEO", influence="1")).id
    people.save(account, PersonDraft(name="Li Na", reports_to=boss, is_coach=True))
    store_db.close_database()
    (tmp_path / "accounts.csv").write_text("name,industry\nAcme Steel,Steel\n", encoding="utf-8")
    return store


COMMANDS = [
    pytest.param(["--help"], id="--help"),
    pytest.param(["--version"], id="--version"),
    pytest.param(["paths"], id="paths"),
    pytest.param(["brief", "Northwind"], id="brief"),
    pytest.param(["orgchart", "Northwind"], id="orgchart"),
    pytest.param(["orgchart", "Northwind", "-o", "chart.dot"], id="orgchart-dot-file"),
    pytest.param(["import", "accounts", "accounts.csv", "--dry-run"], id="import-dry-run"),
    pytest.param(["import", "accounts", "accounts.csv"], id="import"),
    pytest.param(["export", "accounts", "-o", "accounts-out.csv"], id="export-accounts"),
    pytest.param(["export", "people", "-o", "people.csv"], id="export-people"),
    pytest.param(["export", "visits", "-o", "visits.csv"], id="export-visits"),
    pytest.param(["export", "backup", "-o", "backup.json"], id="export-backup"),
    pytest.param(["playbook", "check", str(CONFIG / "playbooks")], id="playbook-check"),
    pytest.param(["playbook", "--help"], id="playbook-help"),
    pytest.param(["report", "sales", "--by", "quarter,region", "--format", "md"], id="report-sales"),
    pytest.param(["report", "winloss", "-o", "review.md"], id="report-winloss"),
]


@pytest.mark.parametrize("args", COMMANDS)
def test_a_command_line_run_never_loads_textual_or_rich(args, book, tmp_path):
    modules, _stderr = modules_loaded("--db", str(book), *args, tmp_path=tmp_path)
    assert "saletui.cli" in modules  # the probe ran the command line
    assert not toolkit(modules), f"saletui {' '.join(args)} loaded {toolkit(modules)[:5]}..."
    assert not [m for m in modules if m.startswith("saletui.ui")]


def test_restore_never_loads_textual_or_rich(book, tmp_path):
    modules_loaded("--db", str(book), "export", "backup", "-o", "backup.json", tmp_path=tmp_path)
    modules, _stderr = modules_loaded(
        "--db", str(tmp_path / "restored.sqlite3"), "restore", "backup.json", tmp_path=tmp_path
    )
    assert (tmp_path / "restored.sqlite3").exists()
    assert not toolkit(modules), f"saletui restore loaded {toolkit(modules)[:5]}..."


def test_the_app_starts_with_only_what_the_account_list_draws_with(book, tmp_path):
    """The rep starts saletui, sees the account list and quits (Textual's headless driver
    and its TEXTUAL_PRESS keys stand in for the terminal and the keyboard)."""
    modules, stderr = modules_loaded(
        "--db",
        str(book),
        tmp_path=tmp_path,
        env={"TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver", "TEXTUAL_PRESS": "escape,ctrl+q"},
    )
    assert "Traceback" not in stderr, stderr
    assert "saletui.ui.screens.accounts" in modules and "textual.app" in modules  # the app did start
    ui = {m for m in modules if m.startswith("saletui.ui")}
    assert ui <= FIRST_SCREEN_UI, (
        f"the start loaded UI modules the first screen does not draw with: {ui - FIRST_SCREEN_UI}"
    )
    for screen in ("account", "playbook", "playbook_editor", "brief", "orgchart_export", "import_csv", "reports"):
        assert f"saletui.ui.screens.{screen}" not in modules, f"the {screen} screen is loaded at start"
    assert not [m for m in modules if m.startswith(("saletui.services", "saletui.playbook"))], (
        "the start loaded a service or the playbook: they are read when first used"
    )
    heavy = sorted(
        m for m in modules if m.startswith(("tree_sitter", "textual.widgets._text_area", "textual.widgets._markdown"))
    )
    assert not heavy, f"the start loaded widgets the first screen does not show: {heavy}"
