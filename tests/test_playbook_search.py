"""A rep preparing a call types a few letters or a Chinese phrase and finds the objection:
title matches first, then the customer's other phrases, then tags, then the rest; stage and
tag filters narrow the list; every word typed must match somewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.playbook.load import load_layers
from saletui.playbook.schema import Objection, Technique
from saletui.playbook.search import SearchIndex, all_tags, search


def objection(oid: str, title: str, *, aliases=(), tags=(), stages=(), stance="", script="") -> Objection:
    techniques = (Technique("t", "Technique", script=script),) if script else ()
    return Objection(oid, title, tuple(aliases), tuple(stages), stance, tuple(tags), techniques)


def ids(found: list[Objection]) -> list[str]:
    return [o.id for o in found]


SAMPLE = [
    objection("in-script", "Budget is frozen", script="Break the price into parts."),
    objection("in-tag", "Not now", tags=["Price", "timing"], stages=["negotiation"]),
    objection("in-alias", "Cheaper elsewhere", aliases=["Your price is out of line"], stages=["bidding"]),
    objection("in-title", "The price is too high", stages=["proposal", "negotiation"]),
    objection("nowhere", "The market is bad", stance="Move to their own case."),
]


@pytest.fixture(scope="module")
def defaults():
    return {lang: load_layers(None, [], None, lang) for lang in ("en", "zh_CN")}


def test_title_matches_come_first_then_aliases_then_tags_then_other_text():
    assert ids(search(SAMPLE, "price")) == ["in-title", "in-alias", "in-tag", "in-script"]


def test_matching_ignores_case_and_full_width_letters():
    assert ids(search(SAMPLE, "PRICE")) == ids(search(SAMPLE, "price"))
    assert ids(search(SAMPLE, "ｐｒｉｃｅ")) == ids(search(SAMPLE, "price"))  # typed with a Chinese IME


def test_an_empty_query_lists_everything_in_playbook_order():
    assert ids(search(SAMPLE, "")) == [o.id for o in SAMPLE]
    assert ids(search(SAMPLE, "   ")) == [o.id for o in SAMPLE]


def test_every_word_must_match_somewhere():
    assert ids(search(SAMPLE, "price frozen")) == ["in-script"]  # title + script
    assert ids(search(SAMPLE, "price high")) == ["in-title"]
    assert ids(search(SAMPLE, "price unicorn")) == []


def test_the_stance_and_scripts_are_searched_too():
    assert ids(search(SAMPLE, "own case")) == ["nowhere"]


def test_the_stage_filter_keeps_objections_of_that_stage_and_those_of_any_stage():
    assert ids(search(SAMPLE, "price", stage="negotiation")) == ["in-title", "in-tag", "in-script"]
    assert ids(search(SAMPLE, "", stage="bidding")) == ["in-script", "in-alias", "nowhere"]


def test_the_tag_filter_ignores_case():
    assert ids(search(SAMPLE, "", tag="price")) == ["in-tag"]
    assert ids(search(SAMPLE, "now", tag="TIMING")) == ["in-tag"]
    assert ids(search(SAMPLE, "", tag="unknown")) == []


def test_all_tags_lists_each_tag_once_in_order():
    assert all_tags([*SAMPLE, objection("x", "X", tags=["price", "budget"])]) == ["Price", "timing", "budget"]


def test_a_chinese_query_finds_the_chinese_objection(defaults):
    zh = defaults["zh_CN"]
    assert ids(zh.index.search("太贵"))[0] == "too-expensive"
    assert ids(zh.index.search("便宜"))[:2] == ["cheaper-please", "cheaper-elsewhere"]
    assert ids(zh.index.search("预算"))[0] == "no-budget"
    assert "no-budget" in ids(zh.index.search("预算 回本"))


def test_an_english_query_finds_the_english_objection(defaults):
    en = defaults["en"]
    assert ids(en.index.search("expensive"))[0] == "too-expensive"
    assert ids(en.index.search("think"))[0] == "think-about-it"
    assert ids(en.index.search("not interested")) == ["flat-no"]
    assert ids(en.index.search("", stage="implementation")) == ["worth-it"]
    assert ids(en.index.search("", tag="competition")) == ["cheaper-elsewhere"]


def test_a_search_index_and_a_plain_list_give_the_same_answer():
    index = SearchIndex(SAMPLE)
    for query in ("price", "the", "", "bad market"):
        assert search(index, query) == search(SAMPLE, query)


def test_searching_a_thousand_objections_finds_exactly_the_right_ones():
    stages = ["development", "entry", "proposal", "bidding", "negotiation", "implementation"]
    many = [
        objection(
            f"obj-{i}",
            f"Objection {i:04d}",
            aliases=[f"phrase {i % 7}"],
            tags=[f"group-{i % 10}"],
            stages=[stages[i % 6]],
            script=f"Say code{i}x to the buyer.",
        )
        for i in range(1000)
    ]
    index = SearchIndex(many)
    assert ids(index.search("code742x")) == ["obj-742"]
    assert ids(index.search("CODE742X buyer")) == ["obj-742"]
    found = index.search("phrase", tag="group-5", stage="bidding")
    assert ids(found) == [o.id for o in many if o.tags == ("group-5",) and o.stages == ("bidding",)]
    assert len(found) == 33  # i = 15, 45, 75, ... (odd multiples of 15)
    # both words must match: "phrase 3" is the alias of i % 7 == 3, "3" also any title with a 3
    expected = [o for o in many if "3" in o.title or o.aliases == ("phrase 3",)]
    titles_first = sorted(expected, key=lambda o: "3" not in o.title)
    assert ids(index.search("phrase 3")) == ids(titles_first)
    # "0042" is in the title of obj-42 and (as a substring) in no other title
    assert ids(index.search("0042")) == ["obj-42"]
    # a word in every title ranks title matches first, in playbook order
    assert ids(index.search("objection")) == [f"obj-{i}" for i in range(1000)]
    # "code12" is a script (other-text) match for obj-12, obj-120..129, obj-1200.. (none)
    assert ids(index.search("code12")) == ["obj-12"] + [f"obj-{i}" for i in range(120, 130)]


def test_the_index_of_the_shipped_playbooks_covers_technique_scripts(defaults, tmp_path: Path):
    en = defaults["en"]
    assert "too-expensive" in ids(en.index.search("1.2 million"))
    assert ids(search(en.objections, "spare parts", stage="bidding"))


def test_both_built_in_playbooks_are_searched_the_interface_language_first(tmp_path):
    builtin = tmp_path / "playbooks"
    builtin.mkdir()
    (builtin / "en.yaml").write_text(
        "objections:\n  - id: too-expensive\n    title: Too expensive\n    aliases: [The price is too high]\n"
        "  - id: later\n    title: Call me later\n",
        encoding="utf-8",
    )
    (builtin / "zh.yaml").write_text(
        "objections:\n  - id: too-expensive\n    title: 太贵了\n    aliases: [价格太高了]\n"
        "  - id: only-zh\n    title: 领导不同意\n    aliases: [price 不是问题]\n",
        encoding="utf-8",
    )
    personal = tmp_path / "mine.yaml"
    personal.write_text("objections:\n  - id: too-expensive\n    stance: Mine.\n", encoding="utf-8")
    english = load_layers(builtin, [], personal, "en")
    [hit] = english.search("价格太高")
    assert hit.title == "Too expensive" and hit.stance == "Mine.", "the twin in the rep's language, with their layer"
    assert ids(english.search("price")) == ["too-expensive", "only-zh"], "own language first, no twin twice"
    assert english.search("领导")[0].title == "领导不同意", "an objection only the other playbook has, as written"
    assert len(english.search("")) == 2, "an empty search lists this playbook only"
    chinese = load_layers(builtin, [], None, "zh_CN")
    assert [o.title for o in chinese.search("too expensive")] == ["太贵了"]
