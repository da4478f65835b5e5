"""A team lead writes a playbook file by hand. Every mistake is reported with the file,
line, column and key path (and the key they meant), all mistakes of the file at once, and
a file with any mistake is refused as a whole rather than half-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.config_error import ConfigError
from saletui.playbook.load import load_file
from saletui.playbook.schema import Objection, Playbook, Technique


def write(tmp_path: Path, text: str, name: str = "team.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_ok(tmp_path: Path, text: str) -> Playbook:
    playbook, errors = load_file(write(tmp_path, text))
    assert errors == []
    assert playbook is not None
    return playbook


def errors_of(tmp_path: Path, text: str) -> list[ConfigError]:
    path = write(tmp_path, text)
    playbook, errors = load_file(path)
    assert playbook is None, "a file with a mistake is refused as a whole"
    assert errors
    for error in errors:
        assert error.path == path
        assert str(error).startswith(f"{path}:")
        assert "\n" not in str(error)
    return errors


def only_error(tmp_path: Path, text: str) -> ConfigError:
    [error] = errors_of(tmp_path, text)
    return error


MINIMAL = """\
objections:
  - id: too-expensive
    title: Too expensive
"""

FULL = """\
name: Acme key-account team
language: en
version: 3
owner: Li Na
objections:
  - id: too-expensive
    title: Too expensive
    aliases: [Price is too high, "No"]
    stages: [proposal, negotiation]
    stance: Ask what it is compared with.
    tags: [price]
    techniques:
      - id: break-down
        name: Break the price into parts
        when: One big number shocks.
        script: |
          Let me split the 1.2 million for you.
        follow_up: Which part looks high?
      - name: Total cost of ownership
        script: Over eight years the price is a third of the cost.
"""


# -- valid files ---------------------------------------------------------------------


def test_a_minimal_file_with_one_objection_loads(tmp_path):
    playbook = load_ok(tmp_path, MINIMAL)
    assert playbook.name == "team"  # from the file name
    [objection] = playbook.objections
    assert objection == Objection(
        "too-expensive", "Too expensive", source=tmp_path / "team.yaml", line=2, column=5, given=frozenset({"title"})
    )


def test_every_key_of_a_full_file_is_read(tmp_path):
    playbook = load_ok(tmp_path, FULL)
    assert (playbook.name, playbook.language, playbook.version, playbook.owner) == (
        "Acme key-account team",
        "en",
        "3",
        "Li Na",
    )
    [objection] = playbook.objections
    assert objection.aliases == ("Price is too high", "No")
    assert objection.stages == ("proposal", "negotiation")
    assert objection.stance == "Ask what it is compared with."
    assert objection.tags == ("price",)
    first, second = objection.techniques
    assert first == Technique(
        "break-down",
        "Break the price into parts",
        "One big number shocks.",
        "Let me split the 1.2 million for you.",
        "Which part looks high?",
        source=tmp_path / "team.yaml",
        line=13,
        column=9,
    )
    assert second.id == "total-cost-of-ownership"  # no id: made from the name
    assert (second.when, second.follow_up) == ("", "")
    assert objection.technique("break-down") is first


def test_an_empty_file_is_an_empty_playbook_not_an_error(tmp_path):
    playbook = load_ok(tmp_path, "# our team's answers, coming soon\n")
    assert playbook.objections == ()


def test_chinese_content_is_read_and_a_chinese_technique_name_makes_its_id(tmp_path):
    playbook = load_ok(
        tmp_path,
        """\
language: zh
objections:
  - id: too-expensive
    title: 太贵了
    aliases: [价格太高了, 比我们预想的贵]
    tags: [价格]
    techniques:
      - name: 拆分 价格
        script: "我把这120万给您拆开看：设备78万，安装调试19万。"
""",
    )
    [objection] = playbook.objections
    assert objection.title == "太贵了"
    assert objection.aliases == ("价格太高了", "比我们预想的贵")
    assert objection.techniques[0].id == "拆分-价格"
    assert objection.techniques[0].script == "我把这120万给您拆开看：设备78万，安装调试19万。"


def test_text_that_looks_like_markup_is_kept_verbatim(tmp_path):
    playbook = load_ok(
        tmp_path,
        """\
objections:
  - id: markup
    title: "[bold red]Too expensive[/]"
    techniques:
      - name: "[link=http://x]Quote[/link]"
        script: "Say: [b]our price[/b] includes [i]training[/i]."
""",
    )
    [objection] = playbook.objections
    assert objection.title == "[bold red]Too expensive[/]"
    assert objection.techniques[0].name == "[link=http://x]Quote[/link]"
    assert objection.techniques[0].script == "Say: [b]our price[/b] includes [i]training[/i]."


def test_removal_entries_are_read(tmp_path):
    playbook = load_ok(
        tmp_path,
        """\
objections:
  - id: bad-market
    remove: true
  - id: too-expensive
    techniques:
      - id: cost-per-use
        remove: true
""",
    )
    removed, changed = playbook.objections
    assert removed.remove and removed.id == "bad-market"
    assert changed.given == frozenset({"techniques"})
    assert changed.techniques[0].remove and changed.techniques[0].id == "cost-per-use"


# -- mistakes ------------------------------------------------------------------------


def test_a_yaml_syntax_error_reports_line_and_column(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: x\n    title: [Too expensive\n")
    assert error.line is not None and error.column is not None
    assert error.line >= 3
    assert f":{error.line}:{error.column}:" in str(error)


@pytest.mark.parametrize(
    ("text", "line", "column", "key", "expected"),
    [
        ("objections:\n  - id: x\n    title: 2024\n", 3, 5, "objections[0].title", "expected text, got a number"),
        (
            "objections:\n  - id: x\n    title: X\n    aliases: Price is too high\n",
            4,
            5,
            "objections[0].aliases",
            "expected a list",
        ),
        (
            "objections:\n  - id: x\n    title: X\n    stages: bidding\n",
            4,
            5,
            "objections[0].stages",
            "expected a list",
        ),
        (
            "objections:\n  - id: x\n    title: X\n    techniques:\n      name: y\n",
            4,
            5,
            "objections[0].techniques",
            "expected a list of techniques",
        ),
        (
            "objections:\n  - id: x\n    title: X\n    remove: yes please\n",
            4,
            5,
            "objections[0].remove",
            "expected true or false",
        ),
        (
            "objections:\n  - id: x\n    title: X\n    aliases:\n      - Not now\n      - No\n",
            6,
            9,
            "objections[0].aliases[1]",
            "put the text in quotes",
        ),
        (
            "objections:\n  - id: x\n    title: X\n    techniques:\n      - Break the price\n",
            5,
            9,
            "objections[0].techniques[0]",
            "expected a technique",
        ),
        ("objections:\n  - Too expensive\n", 2, 5, "objections[0]", "expected an objection"),
        ("objections:\n  id: x\n", 1, 1, "objections", "expected a list of objections"),
        ("version: [1, 2]\n", 1, 1, "version", "expected text"),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_at_its_line_and_column(tmp_path, text, line, column, key, expected):
    error = only_error(tmp_path, text)
    assert (error.line, error.column, error.key) == (line, column, key)
    assert expected in error.problem


def test_a_file_that_is_a_list_instead_of_a_mapping_is_refused(tmp_path):
    error = only_error(tmp_path, "- id: too-expensive\n  title: Too expensive\n")
    assert error.line == 1
    assert "objections" in error.problem


def test_an_objection_without_an_id_is_reported_where_it_starts(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    title: A\n  - title: Too expensive\n")
    assert (error.line, error.column, error.key) == (4, 5, "objections[1].id")
    assert "missing `id`" in error.problem


def test_an_id_with_spaces_is_refused(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: too expensive\n    title: X\n")
    assert (error.line, error.column, error.key) == (2, 5, "objections[0].id")


def test_a_technique_without_a_name_is_reported(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    title: A\n    techniques:\n      - script: Hello\n")
    assert (error.line, error.key) == (5, "objections[0].techniques[0].name")


@pytest.mark.parametrize("value", ['""', "", "'   '"])
def test_empty_text_where_text_is_required_is_an_error(tmp_path, value):
    error = only_error(tmp_path, f"objections:\n  - id: a\n    title: {value}\n")
    assert (error.line, error.key) == (3, "objections[0].title")
    assert "empty" in error.problem


def test_a_duplicate_objection_id_is_reported_at_the_second_one(tmp_path):
    error = only_error(
        tmp_path,
        """\
objections:
  - id: too-expensive
    title: Too expensive
  - id: no-budget
    title: No budget
  - id: too-expensive
    title: Too dear
""",
    )
    assert (error.line, error.column, error.key) == (6, 5, "objections[2].id")
    assert "duplicate objection id `too-expensive`" in error.problem
    assert "line 2" in error.problem


def test_a_duplicate_technique_id_within_an_objection_is_reported(tmp_path):
    error = only_error(
        tmp_path,
        """\
objections:
  - id: a
    title: A
    techniques:
      - name: Break the price into parts
      - id: break-the-price-into-parts
        name: Split the price
""",
    )
    assert (error.line, error.column, error.key) == (6, 9, "objections[0].techniques[1].id")
    assert "duplicate technique id" in error.problem


def test_the_same_technique_id_in_two_objections_is_fine(tmp_path):
    load_ok(
        tmp_path,
        """\
objections:
  - id: a
    title: A
    techniques: [{id: ask, name: Ask}]
  - id: b
    title: B
    techniques: [{id: ask, name: Ask}]
""",
    )


def test_a_misspelt_key_names_the_key_path_and_suggests_the_right_one(tmp_path):
    error = only_error(
        tmp_path,
        """\
objections:
  - id: a
    title: A
    techniques:
      - name: Ask
      - name: Break it down
        scirpt: Let me split it.
""",
    )
    assert (error.line, error.column) == (7, 9)
    assert error.key == "objections[0].techniques[1].scirpt"
    assert "unknown key `scirpt` (did you mean `script`?)" in error.problem
    assert str(error).endswith(": objections[0].techniques[1].scirpt: unknown key `scirpt` (did you mean `script`?)")


def test_a_key_at_the_wrong_level_says_where_it_belongs(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    title: A\n    follow_up: Which part?\n")
    assert error.key == "objections[0].follow_up"
    assert "belongs to a technique" in error.problem


def test_an_unknown_top_level_key_suggests_the_right_one(tmp_path):
    error = only_error(tmp_path, "owners: Li Na\nobjections: []\n")
    assert (error.line, error.column, error.key) == (1, 1, "owners")
    assert "did you mean `owner`" in error.problem


def test_an_unknown_stage_is_reported_at_the_item_with_a_close_match(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    title: A\n    stages: [proposal, negociation]\n")
    assert (error.line, error.column, error.key) == (4, 24, "objections[0].stages[1]")
    assert "unknown stage `negociation` (did you mean `negotiation`?)" in error.problem
    assert "development, entry, proposal, bidding, negotiation, implementation" in error.problem


def test_a_removed_objection_takes_only_its_id(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    remove: true\n    title: A\n")
    assert (error.line, error.key) == (4, "objections[0].title")


def test_a_key_given_twice_is_reported(tmp_path):
    error = only_error(tmp_path, "objections:\n  - id: a\n    title: A\n    title: B\n")
    assert (error.line, error.column) == (4, 5)
    assert "duplicate key `title`" in error.problem


def test_yaml_tags_that_run_code_are_refused(tmp_path):
    error = only_error(tmp_path, "name: !!python/object/apply:os.system ['true']\n")
    assert error.line == 1


def test_every_mistake_of_a_file_is_reported_at_once(tmp_path):
    errors = errors_of(
        tmp_path,
        """\
objections:
  - id: a
    title: 42
    stages: [bidding, tendering]
    techniques:
      - name: Ask
        wen: At the end.
  - title: No id here
  - id: a
    title: Again
""",
    )
    assert [(e.line, e.key) for e in errors] == [
        (3, "objections[0].title"),
        (4, "objections[0].stages[1]"),
        (7, "objections[0].techniques[0].wen"),
        (8, "objections[1].id"),
        (9, "objections[2].id"),
    ]
    assert "did you mean `when`" in errors[2].problem


def test_a_file_that_cannot_be_read_is_one_error_not_a_crash(tmp_path):
    playbook, [error] = load_file(tmp_path / "missing.yaml")
    assert playbook is None
    assert "cannot read" in error.problem
