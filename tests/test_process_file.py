"""The process file: six stages with their milestones, strictly checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.config_error import ConfigError
from saletui.method.stages import STAGES
from saletui.process.load import builtin_path, load_process, load_with_fallback


def test_both_built_in_files_describe_the_six_stages_with_the_same_milestone_ids():
    en, zh = load_process(builtin_path("en")), load_process(builtin_path("zh_CN"))
    assert [s.key for s in en.stages] == [s.key for s in STAGES] == [s.key for s in zh.stages]
    assert [[m.id for m in s.milestones] for s in en.stages] == [[m.id for m in s.milestones] for s in zh.stages]
    for process in (en, zh):
        for stage in process.stages:
            assert [m.key_node for m in stage.milestones].count(True) == 1, stage.key
    assert zh.stages[0].name == "客户开发" and zh.stages[2].name == "提案"


def test_an_unknown_language_falls_back_to_english():
    assert builtin_path("fr") == builtin_path("en")


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    lines = builtin_path("en").read_text(encoding="utf-8").splitlines()
    index = lines.index(old)
    lines[index] = new
    path = tmp_path / "process.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, index + 1


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("      - id: budget", "      - id: need", "duplicate milestone id `need`"),
        ("        key_node: true", "        key_node: maybe", "expected true or false"),
        ("  - key: entry", "  - key: proposal", "expected `entry` here"),
        ("      - id: timing", "      - idd: timing", "unknown key `idd` (did you mean `id`?)"),
        ('        question: "Is there a budget, and how large is it?"', '        question: ""', "non-empty text"),
    ],
)
def test_each_mistake_is_reported_with_its_line(tmp_path, old, new, problem):
    path, line = broken(tmp_path, old, new)
    with pytest.raises(ConfigError) as exc:
        load_process(path)
    assert problem in str(exc.value)
    assert exc.value.path == path
    assert exc.value.line in (line, line - 1)  # the key's own line (or its mapping's)


def test_a_file_that_is_not_yaml_falls_back_to_the_built_in_one(tmp_path):
    path = tmp_path / "process.yaml"
    path.write_text("stages: [unclosed\n", encoding="utf-8")
    process, error = load_with_fallback(path, "zh_CN")
    assert error is not None and error.line is not None
    assert process.language == "zh_CN"


def test_a_missing_file_falls_back_too(tmp_path):
    process, error = load_with_fallback(tmp_path / "nope.yaml", "en")
    assert error is not None and "cannot read" in str(error)
    assert len(process.stages) == 6
