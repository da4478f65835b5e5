"""`saletui orgchart ACCOUNT` as a rep uses it in a shell: name part of an account, get its
org chart on stdout or in a file; a name that matches nothing or several accounts is
explained on stderr with exit code 1, never a traceback. The UI is never started."""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.services.orgchart import render_dot, render_mermaid, render_text
from saletui.store import accounts, people
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.people import PersonDraft
from tests.conftest import run_cli, stderr_of, stdout_of


def add_account(name: str) -> int:
    account = accounts.save(AccountDraft(name=name)).id
    boss = people.save(
        account, PersonDraft(name="王伟", title="总经理", influence="1", buying_role="decision-maker")
    ).id
    people.save(account, PersonDraft(name='Li "Coach" Na', reports_to=boss, is_coach=True, attitude="mentor"))
    return account


@pytest.fixture
def book(store: Path) -> dict[str, object]:
    """A small book of accounts in a database file, closed again as after a day's work."""
    ids = {
        name: add_account(name)
        for name in ("Acme Steel", "Acme Steel Works", "ACME Robotics", "华东精密机械有限公司", "Globex")
    }
    archived = add_account("Initech")
    accounts.archive(archived)
    expected = {
        "text": render_text(ids["华东精密机械有限公司"]),
        "dot": render_dot(ids["Acme Steel"]),
        "mermaid": render_mermaid(ids["Globex"]),
    }
    store_db.close_database()
    return {"db": store, "ids": ids, "expected": expected}


def test_the_org_chart_is_printed_as_text(book, tmp_path):
    result = run_cli("orgchart", "华东", db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert stdout_of(result) == book["expected"]["text"]
    assert stderr_of(result) == ""


def test_dot_is_written_to_a_file_and_its_path_reported(book, tmp_path):
    target = tmp_path / "acme.dot"
    result = run_cli(
        "orgchart",
        "acme steel",
        "--format",
        "dot",
        "-o",
        str(target),
        db=book["db"],
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert result.returncode == 0, stderr_of(result)
    assert target.read_text(encoding="utf-8") == book["expected"]["dot"]
    assert stdout_of(result) == ""
    assert str(target) in stderr_of(result)


def test_the_format_follows_the_file_extension(book, tmp_path):
    target = tmp_path / "globex.mmd"
    result = run_cli("orgchart", "glob", "-o", str(target), db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert target.read_text(encoding="utf-8") == book["expected"]["mermaid"]


def test_an_account_that_matches_nothing_is_one_line_and_exit_1(book, tmp_path):
    result = run_cli("orgchart", "Umbrella", db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stderr_of(result) == "saletui: no account matches 'Umbrella'\n"
    assert stdout_of(result) == ""


def test_an_archived_account_is_not_found(book, tmp_path):
    result = run_cli("orgchart", "Initech", db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert "no account matches 'Initech'" in stderr_of(result)


def test_a_name_part_matching_several_accounts_lists_them_and_exits_1(book, tmp_path):
    target = tmp_path / "chart.txt"
    result = run_cli("orgchart", "acme", "-o", str(target), db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in stderr_of(result)
    lines = stderr_of(result).splitlines()
    assert lines[0] == "saletui: 3 accounts match 'acme'; give more of the name:"
    assert lines[1:] == ["  ACME Robotics", "  Acme Steel", "  Acme Steel Works"]
    assert stdout_of(result) == ""
    assert not target.exists()


def test_an_exact_name_wins_over_longer_names_containing_it(book, tmp_path):
    result = run_cli("orgchart", "ACME STEEL", "-f", "dot", db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert stdout_of(result) == book["expected"]["dot"]


def test_at_most_twenty_candidates_are_listed(store, tmp_path):
    for n in range(25):
        accounts.save(AccountDraft(name=f"Plant {n:02d}"))
    store_db.close_database()
    result = run_cli("orgchart", "plant", db=store, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    lines = stderr_of(result).splitlines()
    assert lines[0].startswith("saletui: 25 accounts match 'plant'")
    assert lines[1:21] == [f"  Plant {n:02d}" for n in range(20)]
    assert lines[21:] == ["  ... and 5 more"]


def test_the_db_option_before_the_command_is_used(book, tmp_path):
    result = run_cli("--db", str(book["db"]), "orgchart", "华东", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert stdout_of(result) == book["expected"]["text"]


def test_a_missing_database_is_an_error_and_is_not_created(tmp_path):
    missing = tmp_path / "typo.sqlite3"
    result = run_cli("orgchart", "Acme", db=missing, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stderr_of(result) == (
        f"saletui: no database at {missing}: start saletui, or import or restore into it first\n"
    )
    assert not missing.exists()


def test_a_file_that_is_not_a_database_is_refused_as_for_the_ui(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    result = run_cli("orgchart", "Acme", db=notes, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    [line] = stderr_of(result).splitlines()
    assert "not a saletui database" in line


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(book, tmp_path):
    target = tmp_path / "no" / "such" / "folder" / "chart.txt"
    result = run_cli("orgchart", "Globex", "-o", str(target), db=book["db"], home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    [line] = stderr_of(result).splitlines()
    assert line.startswith(f"saletui: cannot write {target}")


def test_demo_with_a_command_reuses_the_demo_database(tmp_path):
    home = tmp_path / "home"
    first = run_cli("--demo", "orgchart", "Northwind", db=None, home=home, cwd=tmp_path)  # built when missing
    assert first.returncode == 0, stderr_of(first)
    assert stdout_of(first).startswith("Northwind Logistics GmbH\n")
    # The rep renames a demo account; a command must not rebuild the demo over it.
    store_db.open_database(home / "data" / "demo.sqlite3")
    northwind = accounts.find("Northwind")[0]
    draft = AccountDraft.from_account(northwind)
    draft.name = "Northwind Renamed"
    accounts.save(draft, account_id=northwind.id)
    store_db.close_database()
    second = run_cli("--demo", "orgchart", "Northwind", db=None, home=home, cwd=tmp_path)
    assert second.returncode == 0, stderr_of(second)
    assert stdout_of(second).startswith("Northwind Renamed\n")


def test_orgchart_help_documents_the_options(tmp_path):
    result = run_cli("orgchart", "--help", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("ACCOUNT", "--format", "text", "mermaid", "dot", "-o"):
        assert word in stdout_of(result)


# -- finding the account a rep names ------------------------------------------------------------


@pytest.fixture
def names(store) -> None:
    for name in ("Acme Steel", "Acme Steel Works", "ACME Robotics", "华东精密机械有限公司", "Straße Bau GmbH"):
        accounts.save(AccountDraft(name=name))


def found(query: str) -> list[str]:
    return [a.name for a in accounts.find(query)]


def test_find_matches_any_part_of_the_name_ignoring_case(names):
    assert found("acme") == ["ACME Robotics", "Acme Steel", "Acme Steel Works"]
    assert found("WORKS") == ["Acme Steel Works"]
    assert found("精密") == ["华东精密机械有限公司"]


def test_find_prefers_the_exact_name(names):
    assert found("acme steel") == ["Acme Steel"]
    assert found("  Acme Steel ") == ["Acme Steel"]


def test_find_folds_case_beyond_ascii(names):
    assert found("STRASSE") == ["Straße Bau GmbH"]


def test_find_treats_sql_wildcards_as_text(names):
    assert found("%") == []
    assert found("_") == []


def test_find_ignores_archived_accounts(names):
    accounts.archive(accounts.find("Acme Steel Works")[0].id)
    assert found("steel") == ["Acme Steel"]
