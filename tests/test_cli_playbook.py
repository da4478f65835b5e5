"""A team keeps its playbooks in git and checks them in CI with `saletui playbook check`:
one problem per line as file:line:column: key: problem, a summary, and an exit code a CI
job understands. No database is needed, opened or created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from saletui.settings import config_root


def run(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, SALETUI_HOME=str(home), LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8")
    env.pop("SALETUI_DB", None)
    env.pop("LC_ALL", None)
    return subprocess.run(
        [sys.executable, "-m", "saletui", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )


VALID = """\
name: Acme pricing answers
objections:
  - id: too-expensive
    techniques:
      - name: Total cost of ownership
        script: Over eight years the price is a third of the cost.
  - id: need-a-reference
    title: Who else uses it?
    aliases: [谁在用你们的产品]
"""

BROKEN = """\
objections:
  - id: too-expensive
    techniques:
      - name: Break it down
        scirpt: Let me split it.
  - id: no-budget
    stages: [budgeting]
"""


def test_a_valid_file_passes_with_exit_0(tmp_path):
    path = tmp_path / "pricing.yaml"
    path.write_text(VALID, encoding="utf-8")
    result = run("playbook", "check", "pricing.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "1 file checked, 0 errors\n"
    assert result.stderr == ""
    assert not (tmp_path / "home").exists(), "no database or folder is created"


def test_a_broken_file_lists_every_problem_with_file_line_and_column_and_exits_1(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("playbook", "check", "team.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        "team.yaml:5:9: objections[0].techniques[0].scirpt: unknown key `scirpt` (did you mean `script`?)",
        lines[1],
        "1 file checked, 2 errors",
    ]
    assert lines[1].startswith("team.yaml:7:14: objections[1].stages[0]: unknown stage `budgeting`")


def test_a_misspelt_id_that_extends_nothing_is_caught(tmp_path):
    (tmp_path / "team.yaml").write_text("objections:\n  - id: too-expensiv\n    tags: [price]\n", encoding="utf-8")
    result = run("playbook", "check", "team.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 1
    assert result.stdout.startswith("team.yaml:2:5: objections[0].id: ")
    assert "did you mean `too-expensive`" in result.stdout


def test_a_directory_checks_its_yaml_files(tmp_path):
    folder = tmp_path / "playbooks"
    folder.mkdir()
    (folder / "a-good.yaml").write_text(VALID, encoding="utf-8")
    (folder / "b-broken.yml").write_text("objections: [\n", encoding="utf-8")
    (folder / "README.md").write_text("# not a playbook\n", encoding="utf-8")
    result = run("playbook", "check", str(folder), cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 1
    *errors, summary = result.stdout.splitlines()
    assert summary == "2 files checked, 1 error"
    [error] = errors
    assert error.startswith(f"{folder / 'b-broken.yml'}:")
    assert error.split(":")[1].isdigit() and error.split(":")[2].isdigit()


def test_the_shipped_playbooks_pass(tmp_path):
    result = run("playbook", "check", str(config_root() / "playbooks"), cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "2 files checked, 0 errors"


def test_a_path_that_does_not_exist_is_a_usage_error_with_exit_2(tmp_path):
    (tmp_path / "ok.yaml").write_text(VALID, encoding="utf-8")
    result = run("playbook", "check", "ok.yaml", "missing.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == "saletui: no such file or folder: missing.yaml"


def test_no_path_at_all_is_a_usage_error_with_exit_2(tmp_path):
    for args in (("playbook", "check"), ("playbook",)):
        result = run(*args, cwd=tmp_path, home=tmp_path / "home")
        assert result.returncode == 2
        assert "usage:" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_key_given_twice_is_listed_with_the_other_problems_of_the_file(tmp_path):
    """A YAML-level mistake (a key given twice) does not hide the file's other mistakes."""
    (tmp_path / "team.yaml").write_text(
        "objections:\n"
        "  - id: too-expensive\n"
        "    title: Too expensive\n"
        "    title: Far too expensive\n"
        "    stages: [bidding, tendering]\n"
        "    techniques:\n"
        "      - name: Ask\n"
        "        wen: At the end.\n",
        encoding="utf-8",
    )
    result = run("playbook", "check", "team.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0] == "team.yaml:4:5: duplicate key `title`"
    assert lines[1].startswith("team.yaml:5:23: objections[0].stages[1]: unknown stage `tendering`")
    assert lines[2].startswith("team.yaml:8:9: objections[0].techniques[0].wen: unknown key `wen`")
    assert "did you mean `when`" in lines[2]
    assert lines[-1] == "1 file checked, 3 errors"
