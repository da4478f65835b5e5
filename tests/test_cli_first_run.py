"""A rep's first minutes on a fresh laptop, before the app was ever opened: the first
command that writes (import, restore) creates the database, owner-only; a database named
with --db is created when its folder exists and refused (a likely typo) when not; commands
that only read say plainly that there is no database yet and exit 1."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ACCOUNTS = "name,industry,type\nAcme Steel,Steel,customer\n"


def fresh_cli(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`python -m saletui ARGS` with a HOME that holds nothing and no saletui variables: the
    platform's own data and config folders (XDG, inside HOME) are used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALETUI_", "XDG_", "LC_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        LANG="en_US.UTF-8",
    )
    return subprocess.run(
        [sys.executable, "-m", "saletui", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def laptop(tmp_path: Path) -> Path:
    """An empty home folder, and a CSV export in the current folder."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    return home


def default_db(home: Path) -> Path:
    return home / ".local" / "share" / "saletui" / "saletui.sqlite3"


def test_the_first_import_creates_the_default_database_readable_by_its_owner_only(laptop, tmp_path):
    result = fresh_cli(laptop, "import", "accounts", "accounts.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    db = default_db(laptop)
    assert result.stderr.decode() == f"Created a new database at {db}\n"
    assert "1 created" in result.stdout.decode()
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    again = fresh_cli(laptop, "import", "accounts", "accounts.csv", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == b"", "the second import finds the database"
    assert "1 unchanged" in again.stdout.decode()
    exported = fresh_cli(laptop, "export", "accounts", "-o", "out.csv", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "Acme Steel" in (tmp_path / "out.csv").read_text(encoding="utf-8-sig")


def test_a_dry_run_before_any_database_reports_and_leaves_nothing_behind(laptop, tmp_path):
    result = fresh_cli(laptop, "import", "accounts", "accounts.csv", "--dry-run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 created" in result.stdout.decode()
    assert "checking against an empty one" in result.stderr.decode()
    assert list(laptop.iterdir()) == [], "no folder, no database"


def test_the_first_restore_creates_the_default_database(laptop, tmp_path):
    source = tmp_path / "old.sqlite3"
    fresh_cli(laptop, "--db", str(source), "import", "accounts", "accounts.csv", cwd=tmp_path)
    backup = fresh_cli(laptop, "--db", str(source), "export", "backup", "-o", "book.json", cwd=tmp_path)
    assert backup.returncode == 0, backup.stderr
    restored = fresh_cli(laptop, "restore", "book.json", cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert stat.S_IMODE(default_db(laptop).stat().st_mode) == 0o600
    chart = fresh_cli(laptop, "orgchart", "Acme", cwd=tmp_path)
    assert chart.returncode == 0 and "Acme Steel" in chart.stdout.decode()


def test_an_explicit_db_in_an_existing_folder_is_created_and_the_rep_is_told(laptop, tmp_path):
    target = tmp_path / "work.sqlite3"
    result = fresh_cli(laptop, "--db", str(target), "import", "accounts", "accounts.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.decode() == f"Created a new database at {target}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert not default_db(laptop).exists()


def test_an_explicit_db_in_a_folder_that_does_not_exist_is_refused_as_a_likely_typo(laptop, tmp_path):
    typo = tmp_path / "Documnets" / "work.sqlite3"
    result = fresh_cli(laptop, "--db", str(typo), "import", "accounts", "accounts.csv", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"saletui: no folder {typo.parent} for the database {typo}: check the name, or create the folder first\n"
    )
    assert not typo.parent.exists()


@pytest.mark.parametrize(
    "command", [("export", "accounts"), ("export", "backup"), ("brief", "Acme"), ("orgchart", "Acme")]
)
def test_reading_commands_on_a_fresh_machine_say_there_is_no_database_and_exit_1(laptop, tmp_path, command):
    result = fresh_cli(laptop, *command, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode() == (
        f"saletui: no database at {default_db(laptop)}: start saletui, or import or restore into it first\n"
    )
    assert list(laptop.iterdir()) == [], "nothing is created by a command that only reads"
    assert not list(tmp_path.glob("saletui-*")), "no export file is written"
