"""The playbooks saletui ships: every objection of the method (DOMAIN section 6) in
English and Chinese, with the same ids so that records and team files work in both, and
at least three honest, complete techniques each."""

from __future__ import annotations

import re

import pytest

from saletui.playbook.load import load_file
from saletui.settings import config_root

PLAYBOOKS = config_root() / "playbooks"

# id -> (English phrase, Chinese phrase) as DOMAIN section 6 lists them
DOMAIN_OBJECTIONS = {
    "think-about-it": ("I'll think about it", "我要考虑一下"),
    "too-expensive": ("Too expensive", "太贵了"),
    "bad-market": ("The market is bad", "市场不景气"),
    "cheaper-please": ("Can it be cheaper?", "能不能便宜一些"),
    "cheaper-elsewhere": ("It's cheaper elsewhere", "别的地方更便宜"),
    "no-budget": ("No budget", "没有预算"),
    "worth-it": ("Is it really worth it?", "它真的值那么多钱吗"),
    "flat-no": ("No", "不,我不要"),
}

# The source's dishonest advice (a fake "lowest price", invented stories about
# competitors, wearing the buyer down) must not creep in. A sanity check on words only.
DISHONEST = re.compile(
    r"\b(fake|faked|lie|lies|lying|pretend\w*|bluff\w*|trick\w*|badmouth\w*|wear (them|him|her|the buyer) down)\b"
    r"|假装|撒谎|欺骗|谎称|忽悠|编故事|诋毁|磨到",
    re.IGNORECASE,
)


def load(language: str):
    playbook, errors = load_file(PLAYBOOKS / f"{language}.yaml")
    assert errors == [], "\n".join(map(str, errors))
    assert playbook is not None
    return playbook


@pytest.fixture(scope="module")
def en():
    return load("en")


@pytest.fixture(scope="module")
def zh():
    return load("zh")


def test_both_shipped_playbooks_load_without_errors(en, zh):
    assert (en.language, zh.language) == ("en", "zh")
    assert en.name and zh.name and en.version and zh.version


def test_every_objection_of_the_method_is_there_with_the_same_ids_in_both_languages(en, zh):
    assert [o.id for o in en.objections] == list(DOMAIN_OBJECTIONS)
    assert [o.id for o in zh.objections] == list(DOMAIN_OBJECTIONS)


def test_the_same_techniques_and_stages_in_both_languages(en, zh):
    for english, chinese in zip(en.objections, zh.objections, strict=False):
        assert [t.id for t in english.techniques] == [t.id for t in chinese.techniques], english.id
        assert english.stages == chinese.stages, english.id
        assert len(english.tags) == len(chinese.tags), english.id


@pytest.mark.parametrize("oid", list(DOMAIN_OBJECTIONS))
def test_each_objection_is_found_by_the_words_customers_use(en, zh, oid):
    english, chinese = DOMAIN_OBJECTIONS[oid]
    en_objection = next(o for o in en.objections if o.id == oid)
    zh_objection = next(o for o in zh.objections if o.id == oid)
    assert en_objection.title.casefold() == english.casefold()
    assert len(en_objection.aliases) >= 3
    assert chinese in (zh_objection.title, *zh_objection.aliases)
    assert len(zh_objection.aliases) >= 3
    for objection in (en_objection, zh_objection):
        assert objection.stages, objection.id
        assert objection.stance and objection.tags


@pytest.mark.parametrize("language", ["en", "zh"])
def test_at_least_three_complete_techniques_each(language):
    for objection in load(language).objections:
        assert len(objection.techniques) >= 3, objection.id
        for technique in objection.techniques:
            for text in (technique.name, technique.when, technique.script, technique.follow_up):
                assert text.strip(), f"{objection.id}/{technique.id}"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_no_technique_gives_obviously_dishonest_advice(language):
    for objection in load(language).objections:
        texts = [objection.title, objection.stance, *objection.aliases]
        for t in objection.techniques:
            texts += [t.name, t.when, t.script, t.follow_up]
        for text in texts:
            assert not DISHONEST.search(text), f"{objection.id}: {text}"


def test_the_honesty_check_would_catch_the_advice_we_left_out():
    assert DISHONEST.search("Tell them this is our lowest price, even if you have to lie.")
    assert DISHONEST.search("Pretend the offer expires tomorrow.")
    assert DISHONEST.search("假装这是最低价")
    assert not DISHONEST.search("Our suppliers believe the client earlier applied it.")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_chinese_text_has_no_stray_spaces_from_folded_lines(language):
    """A folded YAML block puts a space between two Chinese characters at each line break."""
    for objection in load(language).objections:
        for t in objection.techniques:
            assert not re.search(r"[\u4e00-\u9fff，。] [\u4e00-\u9fff]", t.script + t.when), t.id


@pytest.mark.parametrize("language", ["en", "zh"])
def test_each_file_starts_with_a_comment_explaining_the_format(language):
    text = (PLAYBOOKS / f"{language}.yaml").read_text(encoding="utf-8")
    head = text.split("\nname:")[0]
    assert all(line.startswith("#") or not line for line in head.splitlines())
    for key in ("objections", "aliases", "stages", "stance", "techniques", "follow_up", "remove: true"):
        assert key in head
