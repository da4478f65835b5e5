"""The ordering and progress rules of the milestone method, without a database."""

from __future__ import annotations

from saletui.method.milestones import (
    OPEN,
    REACHED,
    SKIPPED,
    MilestoneState,
    advance_to,
    next_open,
    progress,
    swap_positions,
)


def m(
    id: int, stage: int, position: int, status: str = OPEN, key_node: bool = False, planned: int | None = None
) -> MilestoneState:
    return MilestoneState(id, stage, position, status, key_node, planned)


DEAL = [
    m(1, 1, 0, REACHED),
    m(2, 1, 1, SKIPPED),
    m(3, 1, 2, REACHED, key_node=True),
    m(4, 2, 1),
    m(5, 2, 0),
    m(6, 2, 2, planned=99),
    m(7, 2, 3, key_node=True),
    m(8, 3, 0),
]


def test_the_next_visit_takes_the_next_open_questions_in_order():
    assert [x.id for x in next_open(DEAL, 3)] == [5, 4, 7]  # 6 is already on another planned visit


def test_re_planning_a_visit_keeps_its_own_items_available():
    assert [x.id for x in next_open(DEAL, 3, for_visit=99)] == [5, 4, 6]


def test_progress_counts_reached_over_relevant_per_stage():
    p = progress(DEAL)
    assert (str(p[1]), str(p[2]), str(p[3])) == ("2/2", "0/4", "0/1")  # the skipped one does not count


def test_reaching_the_key_node_of_the_current_stage_offers_the_next_stage():
    assert advance_to(2, [m(7, 2, 3, REACHED, key_node=True)]) == 3
    assert advance_to(2, [m(4, 2, 1, REACHED)]) is None  # not a key node
    assert advance_to(3, [m(7, 2, 3, REACHED, key_node=True)]) is None  # an earlier stage: already past it
    assert advance_to(6, [m(9, 6, 0, REACHED, key_node=True)]) is None  # nothing after implementation
    assert advance_to(2, [m(9, 4, 0, REACHED, key_node=True)]) == 5  # a later key node jumps ahead


def test_moving_stays_inside_the_stage():
    stage_two = [x for x in DEAL if x.stage == 2]
    assert swap_positions(stage_two, 4, -1) == (4, 5)
    assert swap_positions(stage_two, 5, -1) is None  # already first
    assert swap_positions(DEAL, 8, -1) is None  # would cross into stage 2
