"""A team file, a settings file or a name can be hostile or just broken: YAML that PyYAML
itself chokes on, nesting hundreds deep, a device given as a file, terminal escapes in a
shared playbook title. The rep gets a file:line:column message and keeps working; the
terminal never receives an escape from the data."""

from __future__ import annotations

import re

import pytest

from saletui.settings import load_settings
from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account
from saletui.ui.compat import notifications
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.playbook import PlaybookScreen
from tests.conftest import run_cli, stderr_of, stdout_of, until

# ESC, BEL, CSI (C1), a bidi override: none may reach the terminal.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESCAPES = "\\e[2J\\e]0;pwned\\a\\x9b\\u202e"  # as a team lead's YAML spells them
WHERE = re.compile(r"^\S+\.yaml:\d+:\d+: ", re.MULTILINE)

# Values PyYAML resolves as numbers or dates and then fails to construct (ValueError,
# IndexError), and nesting deeper than its recursion allows.
HOSTILE_PLAYBOOKS = {
    "hex-without-digits": "version: 0x_\nobjections: []\n",
    "impossible-date": "objections:\n  - id: x\n    title: 2001-13-45\n",
    "deep-lists": "objections: " + "[" * 400 + "]" * 400 + "\n",
    "deep-block-lists": "objections:\n" + "".join("  " * i + "- \n" for i in range(1, 400)),
    "deep-mappings": "objections: " + "{a: " * 300 + "1" + "}" * 300 + "\n",
    "duplicate-anchor": "name: &a one\nowner: &a two\nobjections: []\n",
}


@pytest.mark.parametrize("content", HOSTILE_PLAYBOOKS.values(), ids=HOSTILE_PLAYBOOKS.keys())
def test_playbook_check_reports_hostile_yaml_without_a_traceback(tmp_path, content):
    (tmp_path / "team.yaml").write_text(content, encoding="utf-8")
    result = run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path)
    out, err = stdout_of(result), stderr_of(result)
    assert "Traceback" not in out + err
    assert result.returncode in (0, 1), out + err
    if result.returncode == 1:
        assert WHERE.search(out), out  # every problem at its line and column


def test_a_date_that_cannot_exist_is_read_as_the_text_written(tmp_path):
    (tmp_path / "team.yaml").write_text(
        "objections:\n  - id: x\n    title: 2001-13-45\n    techniques:\n      - name: 0x_\n        script: s\n",
        encoding="utf-8",
    )
    result = run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stdout_of(result)


def test_a_duplicate_anchor_says_which_anchor_came_first(tmp_path):
    (tmp_path / "team.yaml").write_text(HOSTILE_PLAYBOOKS["duplicate-anchor"], encoding="utf-8")
    out = stdout_of(run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path))
    assert "team.yaml:2:8: second occurrence (found duplicate anchor; first occurrence: line 1)" in out


def test_a_device_or_huge_file_is_refused_at_once(tmp_path):
    result = run_cli("playbook", "check", "/dev/zero", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert "/dev/zero: larger than 10 MB: not a saletui file" in stdout_of(result)


@pytest.mark.parametrize(
    "content", ["", "objections: null\n", "name: Team answers\n"], ids=["empty", "null", "no-objections"]
)
def test_a_playbook_without_objections_is_a_warning_not_silence(tmp_path, content):
    """A team file truncated on its way through a shared folder must not go unnoticed."""
    (tmp_path / "team.yaml").write_text(content, encoding="utf-8")
    result = run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0
    assert stdout_of(result) == (
        "team.yaml: no objections in this file: is it complete? (warning)\n1 file checked, 0 errors, 1 warning\n"
    )


def test_playbook_check_warns_of_escapes_and_never_prints_them(tmp_path):
    (tmp_path / "team.yaml").write_text(f'objections:\n  - id: x\n    title: "Price {ESCAPES}"\n', encoding="utf-8")
    result = run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path)
    out = stdout_of(result)
    assert result.returncode == 0 and not RAW_CONTROLS.search(out), repr(out)
    assert out.splitlines() == [
        "team.yaml:2:5: x.title: control character U+001B in the text: it is shown as \ufffd (warning)",
        "1 file checked, 0 errors, 1 warning",
    ]


def test_an_unknown_key_with_a_line_break_and_an_escape_stays_one_line(tmp_path):
    (tmp_path / "team.yaml").write_text('objections:\n  - id: x\n    "bad\\nkey\\e[31m": 1\n', encoding="utf-8")
    out = stdout_of(run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path))
    assert not RAW_CONTROLS.search(out), repr(out)
    first, summary = out.splitlines()
    assert first.startswith("team.yaml:3:5: objections[0].bad key\ufffd[31m: unknown key `bad key\ufffd[31m`")
    assert summary == "1 file checked, 1 error"


def test_a_raw_control_character_in_yaml_is_refused_at_its_place(tmp_path):
    (tmp_path / "team.yaml").write_bytes(b"objections:\n  - id: x\n    title: Price\x1b[2J\n")
    out = stdout_of(run_cli("playbook", "check", "team.yaml", db=None, home=tmp_path / "home", cwd=tmp_path))
    assert out.startswith("team.yaml:3:17: control character U+001B is not allowed here\n")


@pytest.mark.parametrize(
    "content",
    ["currency: 0x_\n", "language: 2001-13-45\n", "playbooks: " + "[" * 300 + "]" * 300 + "\n"],
    ids=["hex", "date", "deep"],
)
def test_a_hostile_settings_file_is_one_line_and_exit_2(tmp_path, content):
    (tmp_path / "settings.yaml").write_text(content, encoding="utf-8")
    result = run_cli("--config", "settings.yaml", "paths", db=None, home=tmp_path / "home", cwd=tmp_path)
    err = stderr_of(result)
    assert result.returncode == 2 and "Traceback" not in err
    assert re.match(r"saletui: settings\.yaml:\d+:\d+: ", err), err


def test_a_hostile_process_file_falls_back_with_its_place_named(tmp_path):
    from saletui.process.load import load_with_fallback

    path = tmp_path / "process.yaml"
    path.write_text("stages:\n  - number: 0x_\n    milestones: " + "[" * 300 + "]" * 300 + "\n", encoding="utf-8")
    process, error = load_with_fallback(path, "en")
    assert len(process.stages) == 6  # the built-in process, as for any broken file
    assert error is not None and "process.yaml:3:" in str(error)


def hostile_name(account_id: int) -> None:
    """As a database written by another tool (or an older saletui) could hold it: the
    forms and imports refuse control characters, the rows already there are shown safely."""
    Account.update(name="Acme\x1b]0;pwned\x07\x1b[2J \u202eGmbH").where(Account.id == account_id).execute()


def test_the_brief_command_never_prints_an_escape_from_a_playbook_or_a_name(tmp_path, store):
    hostile_name(accounts.save(AccountDraft(name="Acme", relationship="prospect")).id)
    personal = tmp_path / "mine.yaml"
    personal.write_text(
        f'objections:\n  - id: too-expensive\n    title: "Too expensive {ESCAPES}"\n'
        f'    techniques:\n      - name: "Split it {ESCAPES}"\n        script: "Per month {ESCAPES}"\n',
        encoding="utf-8",
    )
    (tmp_path / "settings.yaml").write_text(f"playbooks:\n  personal_file: {personal}\n", encoding="utf-8")
    result = run_cli("--config", "settings.yaml", "brief", "Acme", db=store, home=tmp_path / "home", cwd=tmp_path)
    out = stdout_of(result)
    assert result.returncode == 0, stderr_of(result)
    assert "Pre-call brief" in out and "Acme" in out
    assert not RAW_CONTROLS.search(out + stderr_of(result)), repr(out)


async def test_the_app_keeps_running_on_a_hostile_team_file_and_its_live_reload(make_app, tmp_path):
    team = tmp_path / "team"
    team.mkdir()
    (team / "answers.yaml").write_text(
        'objections:\n  - id: hostile\n    title: "Hostile 2001-13-45"\n', encoding="utf-8"
    )
    (team / "deep.yaml").write_text(HOSTILE_PLAYBOOKS["deep-lists"], encoding="utf-8")
    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text(f"playbooks:\n  team_dirs: [{team}]\n", encoding="utf-8")
    from dataclasses import replace

    from tests.conftest import FRAME, TEST_DELAYS

    app = make_app(settings=load_settings(settings_file), delays=replace(TEST_DELAYS, playbook_poll=3 * FRAME))
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, PlaybookScreen)
        errors = str(app.screen.query_one("#pb-errors").render())
        assert "deep.yaml:1:" in errors and "nested more than 64 levels deep" in errors
        titles = [o.title for o in app.screen.results]
        assert "Hostile 2001-13-45" in titles
        # A colleague saves a broken version: the app reports it and keeps the last good data.
        (team / "answers.yaml").write_text("version: 0x_\nobjections:\n  - id: [\n", encoding="utf-8")
        await until(pilot, lambda: "answers.yaml:" in str(app.screen.query_one("#pb-errors").render()))
        assert isinstance(app.screen, PlaybookScreen) and app.is_running


async def test_the_in_app_brief_shows_escapes_as_visible_marks(make_app, store):
    account = accounts.save(AccountDraft(name="Acme", relationship="prospect"))
    hostile_name(account.id)
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        app.push_screen(BriefScreen(account.id))
        await until(pilot, lambda: isinstance(app.screen, BriefScreen) and bool(getattr(app.screen, "text", "")))
        assert "Acme" in app.screen.text
        assert not RAW_CONTROLS.search(app.screen.text + str(app.screen.sub_title))


def test_control_characters_are_found_at_their_line_and_column():
    from saletui.text import control_characters

    assert control_characters("ok\tfine\r\nline\x1b[2J and \u202e") == [(2, 5, "\x1b"), (2, 14, "\u202e")]


@pytest.mark.parametrize("command", [["export", "accounts"], ["export", "backup"], ["orgchart", "Acme"]])
def test_o_never_replaces_a_pipe_or_device(tmp_path, store, command):
    """As root, `export accounts -o /dev/null` once put a world-readable file of contacts in
    the device's place; a FIFO stands in for the device here."""
    import os

    accounts.save(AccountDraft(name="Acme", relationship="prospect"))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run_cli(*command, "-o", str(fifo), db=store, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stderr_of(result) == (
        f"saletui: cannot write {fifo}: not a regular file (a device, pipe or socket): give a file name\n"
    )
    assert fifo.is_fifo()


def not_utf8(account_id: int) -> None:
    """One byte that is not UTF-8, as another tool (or a damaged disk) can leave it."""
    from saletui.store.models import database

    database.execute_sql("UPDATE account SET name = CAST(x'4163ff6d65' AS TEXT) WHERE id = ?", (account_id,))


def test_a_byte_that_is_not_utf8_never_stops_a_backup_and_its_row_is_named(tmp_path, store):
    import json

    account = accounts.save(AccountDraft(name="Acme", relationship="prospect"))
    not_utf8(account.id)
    result = run_cli("export", "backup", "-o", "book.json", db=store, home=tmp_path / "home", cwd=tmp_path)
    err = stderr_of(result)
    assert result.returncode == 0, err
    assert f"saletui: warning: account {account.id}: name: not valid UTF-8, backed up with \ufffd" in err
    rows = json.loads((tmp_path / "book.json").read_text(encoding="utf-8"))["tables"]["account"]["rows"]
    assert any("Ac\ufffdme" in row for row in rows)


@pytest.mark.parametrize(
    "command", [["export", "accounts", "-o", "a.csv"], ["orgchart", "Ac"], ["brief", "Ac"]], ids=lambda c: c[0]
)
def test_every_command_reads_past_a_byte_that_is_not_utf8(tmp_path, store, command):
    not_utf8(accounts.save(AccountDraft(name="Acme", relationship="prospect")).id)
    result = run_cli(*command, db=store, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 0, stderr_of(result)
    assert "warning: the database holds text that is not valid UTF-8" in stderr_of(result)


async def test_the_app_opens_on_a_byte_that_is_not_utf8_and_shows_a_mark(make_app, store):
    from saletui.ui.widgets.account_table import AccountTable

    not_utf8(accounts.save(AccountDraft(name="Acme", relationship="prospect")).id)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.screen.query_one(AccountTable)
        await until(pilot, lambda: any("Ac\ufffdme" in table.render_line(y).text for y in range(table.size.height)))


def test_a_bug_exits_70_with_one_line_and_the_traceback_in_the_log(tmp_path, store):
    """A backup above SQLite's 64-bit integers once crashed the restore (OverflowError) and
    left an empty database behind; now it is refused like any bad value. Whatever else
    goes wrong inside saletui ends the same way: one line, a log file, exit 70."""
    import json

    book = tmp_path / "book.json"
    accounts.save(AccountDraft(name="Acme", relationship="prospect", market_capacity="1000"))
    assert run_cli("export", "backup", "-o", str(book), db=store, home=tmp_path / "home", cwd=tmp_path).returncode == 0
    data = json.loads(book.read_text(encoding="utf-8"))
    table = data["tables"]["account"]
    table["rows"][0][table["columns"].index("market_capacity")] = 2**63
    book.write_text(json.dumps(data), encoding="utf-8")
    target = tmp_path / "restored.sqlite3"
    result = run_cli("--db", str(target), "restore", str(book), db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stderr_of(result) == "saletui: table 'account', row 1: number too large to store: 9223372036854775808\n"
    assert not target.exists()


def test_an_internal_error_is_one_line_and_exit_70(tmp_path, store):
    """A database another tool changed under saletui: a column gone (peewee then fails in a
    way no command expects). The rep reads one line; the log holds the traceback."""
    from saletui.store.models import database

    accounts.save(AccountDraft(name="Acme", relationship="prospect"))
    database.execute_sql("ALTER TABLE account DROP COLUMN employees")
    database.close()
    home = tmp_path / "home"
    result = run_cli("orgchart", "Acme", db=store, home=home, cwd=tmp_path)
    err = stderr_of(result)
    assert result.returncode == 70, err
    assert err.count("\n") == 1 and err.startswith("saletui: internal error (")
    assert f"the details are in {home}/state/saletui.log" in err
    assert "Traceback" in (home / "state" / "saletui.log").read_text(encoding="utf-8")


def older_database(path, payload_mb: int = 0) -> bytes:
    """A database as the previous saletui left it (one schema version back), holding about
    `payload_mb` MB of notes; returns its bytes, to prove later that nothing changed."""
    from saletui.store.db import close_database
    from saletui.store.models import database
    from tests.test_migrations import EARLIER, build_at

    close_database()
    build_at(path, EARLIER[-1])
    if payload_mb:
        database.init(str(path))
        database.connect()
        database.execute_sql(
            "UPDATE account SET profile_notes = ? WHERE id = 1", ("笔记 " * (payload_mb * 2**20 // 7),)
        )
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        database.close()
    return path.read_bytes()


def test_an_upgrade_that_cannot_keep_its_copy_changes_nothing_and_leaves_nothing(tmp_path):
    """The disk fills while the copy made before an upgrade is written (here: a file-size
    limit stops every write beyond 1 MB, as a full disk would): one line, exit 1, the old
    database byte-for-byte as it was, no partial .bak and no -journal beside it."""
    import subprocess
    import sys

    path = tmp_path / "book.sqlite3"
    before = older_database(path, payload_mb=3)
    limited = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (2**20, 2**20))\n"
        "from saletui.cli import main\n"
        f"sys.exit(main(['--db', {str(path)!r}, 'export', 'accounts', '-o', {str(tmp_path / 'a.csv')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", limited],
        capture_output=True,
        text=True,
        env={"SALETUI_HOME": str(tmp_path / "home"), "LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    # SQLite reports a refused write as an I/O error; a truly full disk reads "the disk is full".
    assert result.stderr == (
        f"saletui: Cannot keep a copy of {path} before upgrading it: disk I/O error. Nothing was changed.\n"
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.sqlite3"]


def test_windows_opened_at_once_upgrade_an_old_database_once(tmp_path):
    """Several commands start together on a database one version old: each waits for the
    one upgrading it, none runs a migration twice ("duplicate column name")."""
    import os
    import subprocess
    import sys

    path = tmp_path / "book.sqlite3"
    older_database(path)
    env = {**os.environ, "SALETUI_HOME": str(tmp_path / "home"), "SALETUI_DB": str(path), "LANG": "en_US.UTF-8"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "saletui", "export", "accounts", "-o", str(tmp_path / f"a{i}.csv")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for i in range(4)
    ]
    outcomes = [(run.wait(timeout=60), run.stderr.read() if run.stderr else "") for run in runs]
    failed = [f"exit {code}: {err}" for code, err in outcomes if code != 0]
    assert not failed, "\n".join(failed)  # each failure in full (the tuple list was cut short)
    upgraded = [err for _code, err in outcomes if "Upgraded the database" in err]
    assert len(upgraded) == 1, outcomes


async def test_a_full_disk_says_so_when_a_form_is_saved_and_the_form_keeps_its_text(make_app, store):
    """SQLite undoes a transaction itself when the disk fills; peewee's rollback then said
    only "cannot rollback - no transaction is active". A page limit makes the database
    genuinely full here."""
    from textual.widgets import TextArea

    from saletui.store.models import Account, database
    from saletui.ui.screens.account_form import AccountForm

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        pages = database.execute_sql("PRAGMA page_count").fetchone()[0]
        database.execute_sql(f"PRAGMA max_page_count = {pages}")
        await pilot.press("n")
        assert isinstance(app.screen, AccountForm)
        for key in "Northwind":
            await pilot.press(key)
        notes = "Ownership: family, three plants. " * 400
        app.screen.query_one("#profile_notes", TextArea).text = notes
        await pilot.press("ctrl+s")
        await until(pilot, lambda: any("the disk is full" in n.message for n in notifications(app)))
        assert isinstance(app.screen, AccountForm)  # nothing typed is lost
        assert app.screen.query_one("#profile_notes", TextArea).text == notes
    assert not Account.select().where(Account.name == "Northwind").exists()


@pytest.mark.parametrize("command", [["export", "accounts", "-o", "a.csv"], ["orgchart", "Acme"], ["brief", "Acme"]])
def test_a_zero_byte_database_is_not_made_a_new_one_by_a_reading_command(tmp_path, command):
    empty = tmp_path / "typo.sqlite3"
    empty.touch()
    result = run_cli("--db", str(empty), *command, db=None, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    assert stderr_of(result) == (
        f"saletui: no database at {empty}: start saletui, or import or restore into it first\n"
    )
    assert empty.stat().st_size == 0


def test_skip_bad_rows_does_not_call_a_person_skipped_when_only_the_manager_failed(tmp_path, store):
    accounts.save(AccountDraft(name="Acme", relationship="prospect"))
    (tmp_path / "people.csv").write_text(
        "account,name,reports to\nAcme,Ann Lee,\nAcme,Bo Chen,Nobody Here\n", encoding="utf-8"
    )
    result = run_cli(
        "import", "people", "people.csv", "--skip-bad-rows", db=store, home=tmp_path / "home", cwd=tmp_path
    )
    out = stdout_of(result)
    assert result.returncode == 0, out + stderr_of(result)
    assert "people.csv:3: reports to:" in out and "(the row was imported without it)" in out
    assert "(skipped)" not in out and "Salesforce" not in out  # saletui's own header, not a CRM's
    assert out.rstrip().endswith(
        "Imported: 2 created, 0 updated, 0 unchanged; 0 bad rows; 1 row imported without its reports-to"
    )


def test_a_name_with_a_line_separator_is_found_again_by_the_next_import(tmp_path, store):
    """A name saved from a file with U+2028 in it is kept on one line (a space in its
    place); the people file that names the account as the CRM wrote it must still match."""
    (tmp_path / "accounts.csv").write_text("name\nAcme\u2028Holding\n", encoding="utf-8")
    (tmp_path / "people.csv").write_text("account,name\nAcme\u2028Holding,Ann Lee\n", encoding="utf-8")
    for kind in ("accounts", "people"):
        result = run_cli("import", kind, f"{kind}.csv", db=store, home=tmp_path / "home", cwd=tmp_path)
        assert result.returncode == 0, stdout_of(result) + stderr_of(result)
    from saletui.store.models import Person

    assert Account.get(Account.name == "Acme Holding").id == Person.get(Person.name == "Ann Lee").account_id
