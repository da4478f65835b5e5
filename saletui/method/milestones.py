"""The milestone method (DOMAIN section 3): work through the customer's questions in
order, a few per visit, and know before every visit what it must settle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saletui.i18n import _

OPEN, REACHED, SKIPPED = "open", "reached", "skipped"
PURPOSES = ("care", "information", "progress", "service", "intelligence")
KINDS = ("visit", "call", "email", "meeting")
DEFAULT_CHECKLIST_SIZE = 3


def purpose_label(value: str) -> str:
    return {
        "care": _("care"),
        "information": _("information"),
        "progress": _("deal progress"),
        "service": _("service"),
        "intelligence": _("intelligence"),
    }.get(value, value)


def kind_label(value: str) -> str:
    return {"visit": _("visit"), "call": _("call"), "email": _("email"), "meeting": _("meeting")}.get(value, value)


@dataclass(frozen=True, slots=True)
class MilestoneState:
    """What ordering and progress need to know about one milestone."""

    id: int
    stage: int
    position: int
    status: str = OPEN
    key_node: bool = False
    planned_visit_id: int | None = None  # on the checklist of a visit not yet done
    reached_on: dt.date | None = None


def in_order(milestones: Iterable[MilestoneState]) -> list[MilestoneState]:
    return sorted(milestones, key=lambda m: (m.stage, m.position, m.id))


def next_open(
    milestones: Iterable[MilestoneState], count: int = DEFAULT_CHECKLIST_SIZE, *, for_visit: int | None = None
) -> list[MilestoneState]:
    """The next open milestones in order, skipping those already planned for another visit."""
    chosen = []
    for m in in_order(milestones):
        if m.status != OPEN:
            continue
        if m.planned_visit_id is not None and m.planned_visit_id != for_visit:
            continue
        chosen.append(m)
        if len(chosen) == count:
            break
    return chosen


@dataclass(frozen=True, slots=True)
class StageProgress:
    reached: int
    total: int  # skipped milestones do not count

    def __str__(self) -> str:
        return f"{self.reached}/{self.total}"


def progress(milestones: Iterable[MilestoneState]) -> dict[int, StageProgress]:
    """Reached over relevant (not skipped) milestones, per stage number."""
    counts: dict[int, list[int]] = {}
    for m in milestones:
        reached, total = counts.setdefault(m.stage, [0, 0])
        if m.status == SKIPPED:
            continue
        counts[m.stage] = [reached + (m.status == REACHED), total + 1]
    return {stage: StageProgress(r, t) for stage, (r, t) in sorted(counts.items())}


def advance_to(deal_stage: int, reached: Sequence[MilestoneState], last_stage: int = 6) -> int | None:
    """The stage to offer when a key-node milestone of the current stage (or a later one)
    was just reached; None when there is nothing to offer."""
    closing = [m.stage for m in reached if m.key_node and m.stage >= deal_stage]
    if not closing:
        return None
    target = min(max(closing) + 1, last_stage)
    return target if target > deal_stage else None


def swap_positions(siblings: Sequence[MilestoneState], milestone_id: int, delta: int) -> tuple[int, int] | None:
    """Ids of the two milestones to swap when moving one up (-1) or down (+1) in its stage."""
    ordered = in_order(siblings)
    index = next((i for i, m in enumerate(ordered) if m.id == milestone_id), None)
    if index is None:
        return None
    other = index + delta
    if not 0 <= other < len(ordered) or ordered[other].stage != ordered[index].stage:
        return None
    return ordered[index].id, ordered[other].id
