"""Saving a playbook (or an export) never leaves a half-written file."""

from __future__ import annotations

import os

import pytest

from saletui.atomic_file import write_text_atomic


def test_a_save_replaces_the_file_and_keeps_the_previous_version(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("old: 1\n", encoding="utf-8")
    os.chmod(path, 0o640)
    write_text_atomic(path, "new: 2\n", backup=tmp_path / "team.yaml.bak")
    assert path.read_text(encoding="utf-8") == "new: 2\n"
    assert (tmp_path / "team.yaml.bak").read_text(encoding="utf-8") == "old: 1\n"
    assert os.stat(path).st_mode & 0o777 == 0o640  # a replaced file keeps its mode


def test_an_interrupted_save_leaves_the_old_file_intact_and_no_temporary_file(tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("old: 1\n", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "new: \ud800\n")  # fails half-way through writing
    assert path.read_text(encoding="utf-8") == "old: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["team.yaml"]


def test_a_new_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "chart.txt"
    write_text_atomic(path, "王建国\n")
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    """A rep who links ~/exports to a synced folder keeps the link; the target gets the text."""
    target = tmp_path / "synced" / "accounts.csv"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, 0o640)
    link = tmp_path / "accounts.csv"
    link.symlink_to(target)
    write_text_atomic(link, "new\n")
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "new\n"
    assert os.stat(target).st_mode & 0o777 == 0o640


def test_a_dangling_symlink_creates_its_target_owner_only(tmp_path):
    link = tmp_path / "brief.md"
    link.symlink_to(tmp_path / "briefs-brief.md")
    write_text_atomic(link, "# Brief\n")
    assert link.is_symlink() and (tmp_path / "briefs-brief.md").read_text(encoding="utf-8") == "# Brief\n"
    assert os.stat(tmp_path / "briefs-brief.md").st_mode & 0o777 == 0o600


@pytest.mark.parametrize("kind", ["fifo", "folder", "link to a fifo"])
def test_a_device_pipe_or_folder_is_refused_and_left_in_place(tmp_path, kind):
    special = tmp_path / "special"
    if kind == "folder":
        special.mkdir()
    else:
        os.mkfifo(special)
    path = special
    if kind == "link to a fifo":
        path = tmp_path / "link"
        path.symlink_to(special)
    with pytest.raises(OSError, match="give a file name"):
        write_text_atomic(path, "secret contacts\n")
    assert special.is_dir() if kind == "folder" else special.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"special", path.name})
