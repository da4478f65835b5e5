"""The `saletui` command as a rep meets it in a shell: --version and --help work, and an
expected problem (a file that is not a database, a typo in the settings) is one line
on stderr with a distinct exit code, never a traceback. The UI is never started here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from saletui import __version__


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "saletui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


def test_version_prints_the_installed_version(tmp_path):
    result = run("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"saletui {__version__}"


def test_help_lists_the_options_and_commands(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("--db", "--demo", "--config", "--lang", "paths", "key-account"):
        assert word in result.stdout
    assert result.stderr == ""


def test_a_db_path_that_is_not_a_database_fails_with_one_line_and_exit_1(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes, not a database\n")
    result = run("--db", str(notes), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("saletui: ")
    assert str(notes) in lines[0] and "not a saletui database" in lines[0]
    assert notes.read_text() == "meeting notes, not a database\n"


def test_a_typo_in_the_settings_file_names_the_file_line_and_the_right_key(tmp_path):
    config = tmp_path / "my-settings.yaml"
    config.write_text("language: en\nthemee: nord\n", encoding="utf-8")
    result = run("--config", str(config), "paths", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert f"{config}:2:" in line
    assert "themee" in line
    assert "did you mean `theme`" in line


def test_a_settings_file_with_broken_yaml_exits_2_without_a_traceback(tmp_path):
    config = tmp_path / "broken.yaml"
    config.write_text("attention:\n  contact_days: [EI: 3\n", encoding="utf-8")
    result = run("--config", str(config), "paths", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert str(config) in result.stderr


def test_a_missing_settings_file_given_explicitly_is_an_error(tmp_path):
    result = run("--config", str(tmp_path / "nope.yaml"), "paths", cwd=tmp_path)
    assert result.returncode == 2
    assert "settings file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_paths_shows_where_saletui_keeps_its_files_under_saletui_home(tmp_path):
    home = tmp_path / "portable"
    result = run("paths", env={"SALETUI_HOME": str(home)}, cwd=tmp_path)
    assert result.returncode == 0
    out = result.stdout
    assert f"database:  {home / 'data' / 'saletui.sqlite3'}" in out
    assert f"demo:      {home / 'data' / 'demo.sqlite3'}" in out
    assert f"settings:  {home / 'config' / 'settings.yaml'}" in out
    assert not home.exists(), "`paths` only prints; it creates nothing"


def test_saletui_db_overrides_the_database_location(tmp_path):
    db = tmp_path / "team" / "shared.sqlite3"
    result = run("paths", env={"SALETUI_HOME": str(tmp_path / "h"), "SALETUI_DB": str(db)}, cwd=tmp_path)
    assert result.returncode == 0
    assert f"database:  {db}" in result.stdout


def test_the_db_flag_wins_over_saletui_db(tmp_path):
    flag_db = tmp_path / "flag.sqlite3"
    result = run("--db", str(flag_db), "paths", env={"SALETUI_DB": str(tmp_path / "env.sqlite3")}, cwd=tmp_path)
    assert f"database:  {flag_db}" in result.stdout


def test_the_settings_file_under_saletui_home_is_used(tmp_path):
    home = tmp_path / "h"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.yaml").write_text(f"database: {tmp_path / 'from-settings.sqlite3'}\n")
    result = run("paths", env={"SALETUI_HOME": str(home)}, cwd=tmp_path)
    assert result.returncode == 0
    assert f"database:  {tmp_path / 'from-settings.sqlite3'}" in result.stdout


@pytest.mark.parametrize("flags", [["--demo", "--db", "x.sqlite3"]])
def test_demo_and_db_together_are_refused(tmp_path, flags):
    result = run(*flags, cwd=tmp_path)
    assert result.returncode == 2
    assert "--demo and --db" in result.stderr


def test_a_settings_file_with_several_mistakes_lists_every_one_on_stderr_and_exits_2(tmp_path):
    config = tmp_path / "my-settings.yaml"
    config.write_text("language: fr\nthemee: nord\nattention:\n  contact_days:\n    EI: 0\n", encoding="utf-8")
    result = run("--config", str(config), "paths", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"saletui: {config}:2:1: themee: unknown key `themee` (did you mean `theme`?)",
        f'saletui: {config}:1:1: language: must be "", en or zh_CN',
        f"saletui: {config}:5:5: attention.contact_days.EI: must be at least 1 day",
    ]


def test_paths_prints_the_settings_file_given_with_config(tmp_path):
    settings = tmp_path / "work-settings.yaml"
    settings.write_text("language: en\n", encoding="utf-8")
    result = run("--config", str(settings), "paths", env={"SALETUI_HOME": str(tmp_path / "h")}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"settings:  {settings}\n" in result.stdout
