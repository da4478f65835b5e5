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
