"""The built-in playbook, the team's shared folders and a rep's own file are layered:
a later layer overrides or extends an objection by id, every objection and technique says
which file it came from, a broken file is skipped with its errors while the rest loads,
and a change on disk is noticed cheaply."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from saletui.playbook.load import LoadedPlaybook, changed_since, load_layers
from saletui.settings import config_root

BUILTIN = """\
name: Built-in
language: en
objections:
  - id: too-expensive
    title: Too expensive
    aliases: [Price is too high]
    stages: [proposal, negotiation]
    stance: Find out what it is compared with.
    tags: [price]
    techniques:
      - id: break-down
        name: Break the price into parts
        script: Let me split the 1.2 million.
      - id: cost-per-use
        name: Spread the cost over its use
        script: About 45 per shift.
  - id: no-budget
    title: No budget
    techniques:
      - id: next-cycle
        name: Aim for the next budget
  - id: bad-market
    title: The market is bad
    techniques:
      - id: own-case
        name: Shrink it to their own case
"""

BUILTIN_ZH = """\
language: zh
objections:
  - id: too-expensive
    title: 太贵了
"""


@pytest.fixture
def builtin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "builtin"
    folder.mkdir()
    (folder / "en.yaml").write_text(BUILTIN, encoding="utf-8")
    (folder / "zh.yaml").write_text(BUILTIN_ZH, encoding="utf-8")
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def by_id(loaded: LoadedPlaybook) -> dict:
    return {o.id: o for o in loaded.objections}


def load(builtin_dir: Path, team_dirs=(), personal: Path | None = None, language: str = "en") -> LoadedPlaybook:
    return load_layers(builtin_dir, list(team_dirs), personal, language)


# -- the built-in layer --------------------------------------------------------------


def test_without_team_or_personal_files_the_built_in_playbook_is_used(builtin_dir):
    loaded = load(builtin_dir)
    assert loaded.errors == []
    assert [o.id for o in loaded.objections] == ["too-expensive", "no-budget", "bad-market"]
    assert loaded.files == [builtin_dir / "en.yaml"]
    assert all(o.source == builtin_dir / "en.yaml" for o in loaded.objections)
    assert by_id(loaded)["no-budget"].line == 17


@pytest.mark.parametrize(
    ("language", "file"), [("zh_CN", "zh.yaml"), ("zh", "zh.yaml"), ("fr", "en.yaml"), ("", "en.yaml")]
)
def test_the_built_in_file_follows_the_language_and_falls_back_to_english(builtin_dir, language, file):
    assert load(builtin_dir, language=language).files == [builtin_dir / file]


def test_the_shipped_playbooks_load_by_default():
    loaded = load_layers(None, [], None, "zh_CN")
    assert loaded.errors == []
    assert loaded.files == [config_root() / "playbooks" / "zh.yaml"]
    assert by_id(loaded)["too-expensive"].title == "太贵了"


# -- override and extend -------------------------------------------------------------


def test_a_team_file_overrides_only_the_keys_it_gives_and_takes_the_provenance(builtin_dir, tmp_path):
    team = write(
        tmp_path / "team" / "pricing.yaml",
        """\
objections:
  - id: too-expensive
    title: Too expensive for us
    tags: [price, procurement]
""",
    )
    loaded = load(builtin_dir, [team.parent])
    assert loaded.errors == []
    objection = by_id(loaded)["too-expensive"]
    assert objection.title == "Too expensive for us"
    assert objection.tags == ("price", "procurement")
    assert objection.aliases == ("Price is too high",)  # not given: kept
    assert objection.stance == "Find out what it is compared with."
    assert (objection.source, objection.line) == (team, 2)
    # the techniques were not touched: still from the built-in file
    assert [(t.id, t.source) for t in objection.techniques] == [
        ("break-down", builtin_dir / "en.yaml"),
        ("cost-per-use", builtin_dir / "en.yaml"),
    ]
    assert [o.id for o in loaded.objections] == ["too-expensive", "no-budget", "bad-market"]  # same place


def test_a_team_file_adds_a_technique_and_replaces_another_by_id(builtin_dir, tmp_path):
    team = write(
        tmp_path / "team" / "pricing.yaml",
        """\
objections:
  - id: too-expensive
    techniques:
      - id: cost-per-use
        name: Cost per shift
        script: Over ten years, 45 per shift.
      - name: Total cost of ownership
        script: The price is a third of the cost.
""",
    )
    objection = by_id(load(builtin_dir, [team.parent]))["too-expensive"]
    assert [t.id for t in objection.techniques] == ["break-down", "cost-per-use", "total-cost-of-ownership"]
    assert objection.title == "Too expensive"
    assert objection.source == builtin_dir / "en.yaml"  # only techniques changed
    assert [(t.source, t.line) for t in objection.techniques] == [(builtin_dir / "en.yaml", 11), (team, 4), (team, 7)]
    assert objection.technique("cost-per-use").name == "Cost per shift"


def test_a_new_objection_in_a_team_file_is_added_after_the_built_in_ones(builtin_dir, tmp_path):
    team = write(
        tmp_path / "team" / "extra.yaml",
        """\
objections:
  - id: need-a-reference
    title: Who else uses it?
    techniques:
      - name: Offer a reference call
""",
    )
    loaded = load(builtin_dir, [team.parent])
    assert [o.id for o in loaded.objections][-1] == "need-a-reference"
    assert by_id(loaded)["need-a-reference"].source == team


def test_personal_beats_team_beats_built_in(builtin_dir, tmp_path):
    team = write(tmp_path / "team" / "a.yaml", "objections:\n  - id: no-budget\n    title: Team title\n")
    personal = write(tmp_path / "me" / "playbook.yaml", "objections:\n  - id: no-budget\n    title: My title\n")
    loaded = load(builtin_dir, [team.parent], personal)
    assert loaded.files == [builtin_dir / "en.yaml", team, personal]
    objection = by_id(loaded)["no-budget"]
    assert (objection.title, objection.source) == ("My title", personal)


def test_team_files_are_read_by_name_and_team_folders_in_order(builtin_dir, tmp_path):
    first = tmp_path / "shared"
    second = tmp_path / "region"
    write(first / "b.yaml", "objections:\n  - id: no-budget\n    title: from b\n")
    write(first / "a.yml", "objections:\n  - id: no-budget\n    title: from a\n")
    write(first / "notes.txt", "not a playbook")
    write(first / ".hidden.yaml", "objections: [broken")
    write(second / "a.yaml", "objections:\n  - id: no-budget\n    title: from region\n")
    loaded = load(builtin_dir, [first, second])
    assert loaded.errors == []
    assert loaded.files == [builtin_dir / "en.yaml", first / "a.yml", first / "b.yaml", second / "a.yaml"]
    assert by_id(loaded)["no-budget"].title == "from region"


# -- removal -------------------------------------------------------------------------


def test_remove_true_deletes_an_objection_or_a_technique(builtin_dir, tmp_path):
    personal = write(
        tmp_path / "playbook.yaml",
        """\
objections:
  - id: bad-market
    remove: true
  - id: too-expensive
    techniques:
      - id: break-down
        remove: true
""",
    )
    loaded = load(builtin_dir, personal=personal)
    assert loaded.errors == []
    assert [o.id for o in loaded.objections] == ["too-expensive", "no-budget"]
    assert [t.id for t in by_id(loaded)["too-expensive"].techniques] == ["cost-per-use"]


def test_a_removed_objection_can_be_defined_again_later(builtin_dir, tmp_path):
    team = write(tmp_path / "team" / "a.yaml", "objections:\n  - id: no-budget\n    remove: true\n")
    personal = write(tmp_path / "playbook.yaml", "objections:\n  - id: no-budget\n    title: Mine\n")
    objection = by_id(load(builtin_dir, [team.parent], personal))["no-budget"]
    assert (objection.title, objection.techniques) == ("Mine", ())


def test_removing_what_no_earlier_layer_has_is_an_error_and_skips_that_file(builtin_dir, tmp_path):
    personal = write(
        tmp_path / "playbook.yaml",
        """\
objections:
  - id: no-budget
    title: Changed
  - id: bad-markt
    remove: true
""",
    )
    loaded = load(builtin_dir, personal=personal)
    [error] = loaded.errors
    assert (error.path, error.line, error.column, error.key) == (personal, 4, 5, "objections[1].id")
    assert "nothing to remove" in error.problem and "did you mean `bad-market`" in error.problem
    assert by_id(loaded)["no-budget"].title == "No budget"  # the whole file was skipped
    assert "bad-market" in by_id(loaded)


def test_removing_an_unknown_technique_is_an_error(builtin_dir, tmp_path):
    personal = write(
        tmp_path / "playbook.yaml",
        """\
objections:
  - id: too-expensive
    techniques:
      - id: break-dwon
        remove: true
""",
    )
    [error] = load(builtin_dir, personal=personal).errors
    assert (error.line, error.key) == (4, "objections[0].techniques[0]")
    assert "did you mean `break-down`" in error.problem


def test_a_misspelt_id_without_a_title_is_caught_with_the_id_meant(builtin_dir, tmp_path):
    team = write(tmp_path / "team" / "a.yaml", "objections:\n  - id: too-expensiv\n    tags: [price]\n")
    loaded = load(builtin_dir, [team.parent])
    [error] = loaded.errors
    assert (error.path, error.line, error.column) == (team, 2, 5)
    assert "needs a `title`" in error.problem and "did you mean `too-expensive`" in error.problem
    assert [o.id for o in loaded.objections] == ["too-expensive", "no-budget", "bad-market"]
    assert team in loaded.files
    assert all(layer.source != team for layer in loaded.layers)


# -- broken files --------------------------------------------------------------------


def test_a_broken_team_file_is_skipped_with_its_errors_and_the_rest_still_loads(builtin_dir, tmp_path):
    folder = tmp_path / "team"
    broken = write(folder / "a-broken.yaml", "objections:\n  - id: no-budget\n    titel: Oops\n")
    syntax = write(folder / "b-syntax.yaml", "objections: [\n")
    good = write(folder / "c-good.yaml", "objections:\n  - id: bad-market\n    title: Slow market\n")
    personal = write(tmp_path / "playbook.yaml", "objections:\n  - id: no-budget\n    stance: Ask when.\n")
    loaded = load(builtin_dir, [folder], personal)
    assert [e.path for e in loaded.errors] == [broken, syntax]
    assert "did you mean `title`" in loaded.errors[0].problem
    assert loaded.errors[1].line is not None
    objections = by_id(loaded)
    assert objections["bad-market"].title == "Slow market"
    assert objections["no-budget"].title == "No budget"
    assert objections["no-budget"].stance == "Ask when."
    assert loaded.files == [builtin_dir / "en.yaml", broken, syntax, good, personal]


def test_a_missing_team_folder_is_reported_and_a_missing_personal_file_is_normal(builtin_dir, tmp_path):
    loaded = load(builtin_dir, [tmp_path / "not-mounted"], tmp_path / "no-playbook.yaml")
    [error] = loaded.errors
    assert error.path == tmp_path / "not-mounted"
    assert "not found" in error.problem
    assert len(loaded.objections) == 3


# -- changes on disk -----------------------------------------------------------------


def touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_the_fingerprint_notices_edits_new_files_and_removed_files(builtin_dir, tmp_path):
    folder = tmp_path / "team"
    team = write(folder / "a.yaml", "objections:\n  - id: no-budget\n    title: A\n")
    personal = tmp_path / "playbook.yaml"
    loaded = load(builtin_dir, [folder], personal)
    assert not changed_since(loaded.fingerprint)

    touch_later(team)  # same size, newer time: a colleague saved it again
    assert changed_since(loaded.fingerprint)
    loaded = loaded.reload()
    assert not changed_since(loaded.fingerprint)

    team.write_text("objections:\n  - id: no-budget\n    title: Edited\n", encoding="utf-8")
    assert changed_since(loaded.fingerprint)
    loaded = loaded.reload()
    assert by_id(loaded)["no-budget"].title == "Edited"

    added = write(folder / "b.yaml", "objections: []\n")
    assert changed_since(loaded.fingerprint)
    loaded = loaded.reload()
    assert added in loaded.files and not changed_since(loaded.fingerprint)

    added.unlink()
    assert changed_since(loaded.fingerprint)
    loaded = loaded.reload()

    write(personal, "objections:\n  - id: no-budget\n    title: Mine\n")  # the rep creates one
    assert changed_since(loaded.fingerprint)
    loaded = loaded.reload()
    assert by_id(loaded)["no-budget"].title == "Mine"

    touch_later(builtin_dir / "en.yaml")
    assert changed_since(loaded.fingerprint)


def test_a_team_folder_that_appears_is_noticed(builtin_dir, tmp_path):
    folder = tmp_path / "drive"
    loaded = load(builtin_dir, [folder])
    assert len(loaded.errors) == 1
    folder.mkdir()
    assert changed_since(loaded.fingerprint)
    assert loaded.reload().errors == []


def test_the_search_index_is_built_once_per_load(builtin_dir):
    loaded = load(builtin_dir)
    assert loaded.index is loaded.index
    assert [o.id for o in loaded.index.search("budget")] == ["no-budget"]
