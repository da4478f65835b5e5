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


def test_a_process_file_with_several_mistakes_reports_them_all_at_their_line_and_column(tmp_path):
    """A team lead editing a copy of the built-in file sees every typo in one go."""
    lines = builtin_path("en").read_text(encoding="utf-8").splitlines()
    edits = {
        "    name: Development": "    nmae: Development",  # unknown key, so `name` is missing
        "      - id: budget": "      - id: need",  # the id of an earlier milestone
        "        key_node: true": "        key_node: maybe",  # the first of six
        "  - key: entry": "  - key: proposal",  # the stages out of order
        '        question: "What did we like and dislike about our previous supplier?"': '        question: ""',
    }
    at = {}
    for old, new in edits.items():
        index = lines.index(old)
        lines[index] = new
        at[new] = index + 1
    path = tmp_path / "process.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_process(path)
    found = [(e.line, e.column, e.key, e.problem) for e in exc.value.errors]
    stage_line = at["    nmae: Development"] - 1  # `- key: development` holds the missing `name`
    assert [(line, column, key) for line, column, key, _problem in found] == [
        (at["    nmae: Development"], 5, "stages[0].nmae"),
        (at['        question: ""'], 9, "stages[0].milestones[2].question"),
        (at["      - id: need"], 9, "stages[0].milestones[3].id"),
        (at["        key_node: maybe"], 9, "stages[0].milestones[6].key_node"),
        (stage_line, 5, "stages[0].name"),
        (at["  - key: proposal"], 5, "stages[1].key"),
    ]
    problems = [problem for *_where, problem in found]
    assert "did you mean `name`" in problems[0]
    assert problems[1] == "expected non-empty text"
    assert problems[2] == "duplicate milestone id `need`"
    assert problems[3] == "expected true or false"
    assert problems[4] == "missing `name`"
    assert problems[5].startswith("expected `entry` here")
    assert str(exc.value).splitlines()[0].startswith(f"{path}:{at['    nmae: Development']}:5: stages[0].nmae:")


def test_a_broken_process_file_falls_back_with_every_problem_in_the_reason(tmp_path):
    path = tmp_path / "process.yaml"
    path.write_text("language: 3\nstagez: []\n", encoding="utf-8")
    process, error = load_with_fallback(path, "en")
    assert len(process.stages) == 6
    assert error is not None
    assert str(error).splitlines() == [
        f"{path}:2:1: stagez: unknown key `stagez` (did you mean `stages`?)",
        f"{path}:1:1: language: expected text",
        f"{path}:1:1: stages: expected a list of the six stages",  # missing: at the top mapping
    ]
