"""The buying organisation as the method sees it, without a database: who reports to whom
(safe against corrupt data), and the coverage gaps a rep is warned about."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.method.org import (
    CoverageWarning,
    PersonFacts,
    WarningKind,
    ancestors,
    children_of,
    coverage_warnings,
    descendants,
    power_map,
    would_create_cycle,
)

CONTACTED = dt.date(2026, 11, 1)

# 1 Wang (GM) ── 2 Li (purchasing) ── 4 Zhao (buyer)
#             └─ 3 Chen (engineering) ── 5 Sun (engineer) ── 6 Zhou (technician)
#    7 Guo: top level of their own
TREE = {1: None, 2: 1, 3: 1, 4: 2, 5: 3, 6: 5, 7: None}


def kinds(warnings: list[CoverageWarning]) -> list[WarningKind]:
    return [w.kind for w in warnings]


def covered(**overrides) -> PersonFacts:
    """A key person we know well: owned, contacted, in depth, on our side."""
    values = {
        "id": 1,
        "name": "Wang Wei",
        "influence": 1,
        "is_coach": False,
        "attitude": "supporter",
        "coverage": "in-depth",
        "buying_role": "decision-maker",
        "owner": "Julia",
        "last_contacted": CONTACTED,
    }
    values.update(overrides)
    return PersonFacts(**values)


def well_covered_account() -> list[PersonFacts]:
    return [
        covered(),
        covered(id=2, name="Li Na", influence=2, buying_role="economic-buyer", owner="Tom"),
        covered(id=3, name="Chen Jie", influence=3, is_coach=True, buying_role="technical-evaluator", owner=""),
    ]


# -- the tree -----------------------------------------------------------------------------


def test_children_are_grouped_under_their_manager_and_top_level_people_are_roots():
    children = children_of(TREE)
    assert sorted(children[None]) == [1, 7]
    assert sorted(children[1]) == [2, 3]
    assert children[3] == [5]
    assert 4 not in children and 6 not in children  # nobody reports to them


def test_someone_whose_manager_is_not_at_the_account_becomes_a_root():
    children = children_of({1: None, 2: 99})
    assert sorted(children[None]) == [1, 2]
    assert 99 not in children


def test_someone_recorded_as_their_own_manager_is_shown_at_the_top():
    children = children_of({1: 1, 2: 1})
    assert children[None] == [1]
    assert children[1] == [2]


def test_an_empty_organisation_has_no_roots():
    assert children_of({}) == {None: []}


def test_ancestors_are_listed_nearest_manager_first():
    assert ancestors(TREE, 6) == [5, 3, 1]
    assert ancestors(TREE, 1) == []
    assert ancestors(TREE, 7) == []


def test_ancestors_stop_at_a_manager_who_is_not_at_the_account():
    assert ancestors({1: 99, 2: 1}, 2) == [1]


def test_ancestors_stop_safely_on_a_corrupt_cycle():
    corrupt = {1: 3, 2: 1, 3: 2, 4: 3}
    assert ancestors(corrupt, 4) == [3, 2, 1]
    assert ancestors(corrupt, 1) == [3, 2]
    assert ancestors({1: 1}, 1) == []


def test_nobody_can_become_their_own_manager():
    assert would_create_cycle(TREE, 3, 3)


def test_a_manager_cannot_be_put_under_their_direct_report():
    assert would_create_cycle(TREE, 3, 5)


def test_a_manager_cannot_be_put_under_someone_further_down_their_line():
    assert would_create_cycle(TREE, 1, 6)
    assert would_create_cycle(TREE, 3, 6)


def test_moving_under_someone_in_another_branch_is_fine():
    assert not would_create_cycle(TREE, 3, 4)
    assert not would_create_cycle(TREE, 5, 2)
    assert not would_create_cycle(TREE, 1, 7)


def test_moving_to_the_top_level_is_always_fine():
    assert not would_create_cycle(TREE, 6, None)
    assert not would_create_cycle(TREE, 1, None)


def test_descendants_are_everyone_below_a_person():
    assert descendants(TREE, 1) == {2, 3, 4, 5, 6}
    assert descendants(TREE, 3) == {5, 6}
    assert descendants(TREE, 6) == set()
    assert descendants(TREE, 7) == set()


def test_descendants_terminate_on_a_corrupt_cycle():
    assert 3 in descendants({1: None, 2: 3, 3: 2}, 2)  # returns instead of looping forever
    assert descendants({1: None, 2: 1, 3: 2}, 1) == {2, 3}


# -- coverage warnings ------------------------------------------------------------------------


def test_an_account_with_nobody_mapped_gets_exactly_that_warning():
    [warning] = coverage_warnings([])
    assert warning.kind is WarningKind.NOBODY_MAPPED
    assert warning.text == "Nobody at this account is mapped yet."


def test_a_well_covered_account_gives_no_warning():
    assert coverage_warnings(well_covered_account()) == []


def test_no_coach_is_warned_about():
    people = [
        covered(id=p.id, name=p.name, influence=p.influence, buying_role=p.buying_role, owner="X")
        for p in well_covered_account()
    ]
    assert kinds(coverage_warnings(people)) == [WarningKind.NO_COACH]
    assert "coach" in coverage_warnings(people)[0].text


@pytest.mark.parametrize("role", ["decision-maker", "economic-buyer"])
def test_a_decision_maker_or_an_economic_buyer_is_enough(role):
    people = [covered(buying_role=role), covered(id=2, name="Li", influence=3, is_coach=True, buying_role="user")]
    assert WarningKind.NO_DECISION_MAKER not in kinds(coverage_warnings(people))


def test_no_decision_maker_and_no_economic_buyer_is_warned_about():
    people = [covered(buying_role="user"), covered(id=2, name="Li", influence=3, is_coach=True, buying_role="")]
    assert kinds(coverage_warnings(people)) == [WarningKind.NO_DECISION_MAKER]


@pytest.mark.parametrize("level", [1, 2])
def test_a_key_person_without_an_owner_on_our_side_is_warned_about(level):
    people = [*well_covered_account()[2:], covered(influence=level, owner="  ")]
    [warning] = coverage_warnings(people)
    assert (warning.kind, warning.person_id, warning.influence) == (WarningKind.KEY_PERSON_UNOWNED, 1, level)
    assert warning.text == f"Wang Wei (L{level}) has no owner on our side."


@pytest.mark.parametrize("level", [3, 4, 5, None])
def test_people_below_l2_need_no_owner(level):
    people = [*well_covered_account(), covered(id=9, name="Zhao", influence=level, owner="", buying_role="user")]
    assert coverage_warnings(people) == []


@pytest.mark.parametrize(
    ("last_contacted", "coverage"),
    [
        (CONTACTED, "none"),  # the rep says we have no contact with them
        (None, "unknown"),  # no visit, no rating: never contacted
        (None, "none"),
    ],
)
def test_a_key_person_never_contacted_or_without_coverage_is_warned_about(last_contacted, coverage):
    people = [*well_covered_account()[1:], covered(last_contacted=last_contacted, coverage=coverage)]
    [warning] = coverage_warnings(people)
    assert (warning.kind, warning.person_name) == (WarningKind.KEY_PERSON_UNCONTACTED, "Wang Wei")
    assert warning.text == "Wang Wei (L1) has never been contacted or has no coverage."


@pytest.mark.parametrize(
    ("last_contacted", "coverage"),
    [
        (None, "in-depth"),  # the rep rates coverage before any visit is logged
        (CONTACTED, "unknown"),  # met on a visit, coverage not rated yet
    ],
)
def test_a_key_person_with_any_sign_of_contact_is_not_warned_about(last_contacted, coverage):
    people = [*well_covered_account()[1:], covered(last_contacted=last_contacted, coverage=coverage)]
    assert coverage_warnings(people) == []


def test_one_single_contact_at_the_account_is_single_threaded():
    people = [
        covered(),
        covered(id=2, name="Li Na", influence=3, is_coach=True, last_contacted=None, coverage="unknown"),
        covered(id=3, name="Chen Jie", influence=4, last_contacted=None, coverage="none"),
    ]
    [warning] = coverage_warnings(people)
    assert (warning.kind, warning.person_id) == (WarningKind.SINGLE_THREADED, 1)
    assert warning.text.startswith("Single-threaded: Wang Wei (L1) is our only contact")


def test_coverage_alone_counts_as_a_contact_for_single_threading():
    people = [covered(), covered(id=2, name="Li Na", influence=3, is_coach=True, last_contacted=None, coverage="brief")]
    assert coverage_warnings(people) == []


def test_two_contacts_are_not_single_threaded_and_none_is_not_either():
    assert WarningKind.SINGLE_THREADED not in kinds(coverage_warnings(well_covered_account()))
    nobody_contacted = [covered(influence=3, last_contacted=None, coverage="unknown", is_coach=True)]
    assert WarningKind.SINGLE_THREADED not in kinds(coverage_warnings(nobody_contacted))


@pytest.mark.parametrize("level", [1, 2])
def test_a_key_person_opposing_us_is_warned_about(level):
    people = [*well_covered_account()[2:], covered(influence=level, attitude="opponent")]
    [warning] = coverage_warnings(people)
    assert warning.kind is WarningKind.KEY_OPPONENT
    assert warning.text == f"Wang Wei (L{level}) opposes us."


def test_an_l3_opponent_gives_no_warning():
    people = [*well_covered_account(), covered(id=9, name="Zhao", influence=3, attitude="opponent", owner="")]
    assert coverage_warnings(people) == []


def test_account_level_warnings_come_first_then_key_people_by_level_then_name():
    people = [
        PersonFacts(id=1, name="Zhou", influence=2),
        PersonFacts(id=2, name="Wang", influence=1, attitude="opponent"),
        PersonFacts(id=3, name="An", influence=2),
    ]
    warnings = coverage_warnings(people)
    assert [(w.kind, w.person_name) for w in warnings] == [
        (WarningKind.NO_COACH, ""),
        (WarningKind.NO_DECISION_MAKER, ""),
        (WarningKind.NOBODY_CONTACTED, ""),
        (WarningKind.KEY_PERSON_UNOWNED, "Wang"),
        (WarningKind.KEY_PERSON_UNCONTACTED, "Wang"),
        (WarningKind.KEY_OPPONENT, "Wang"),
        (WarningKind.KEY_PERSON_UNOWNED, "An"),
        (WarningKind.KEY_PERSON_UNCONTACTED, "An"),
        (WarningKind.KEY_PERSON_UNOWNED, "Zhou"),
        (WarningKind.KEY_PERSON_UNCONTACTED, "Zhou"),
    ]


def test_a_warning_about_an_unrated_person_names_them_without_a_level():
    assert CoverageWarning(WarningKind.SINGLE_THREADED, 1, "王伟").text.startswith("Single-threaded: 王伟 is")


# -- power map ------------------------------------------------------------------------------


def test_the_power_map_places_people_by_influence_and_attitude():
    wang = PersonFacts(id=1, name="Wang", influence=1, attitude="opponent")
    li = PersonFacts(id=2, name="Li", influence=1, attitude="opponent")
    chen = PersonFacts(id=3, name="Chen", influence=3, attitude="mentor")
    nobody_knows = PersonFacts(id=4, name="Zhao")
    odd = PersonFacts(id=5, name="Sun", influence=2, attitude="something else")
    grid = power_map([wang, li, chen, nobody_knows, odd])
    assert grid == {
        (1, "opponent"): [wang, li],
        (3, "mentor"): [chen],
        (None, ""): [nobody_knows],
        (2, ""): [odd],
    }


def test_people_mapped_but_nobody_contacted_is_a_warning_even_below_l2():
    people = [
        covered(id=i, name=f"P{i}", influence=4, last_contacted=None, coverage="unknown", owner="", is_coach=(i == 1))
        for i in range(1, 6)
    ]
    kinds = [w.kind for w in coverage_warnings(people)]
    assert WarningKind.NOBODY_CONTACTED in kinds
    assert WarningKind.SINGLE_THREADED not in kinds
