"""Our team's relationship with each key person (DOMAIN section 2: the higher a person's
influence, the closer the relationship we need): the level each of our staff has now and
the one we aim for, from vendor to trusted advisor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from saletui.i18n import _

LEVELS = (1, 2, 3, 4)  # vendor, credible source, problem solver, trusted advisor
RATED_INFLUENCE = (1, 2, 3)  # the people whose relationships are tracked: L1-L3


def level_label(level: int) -> str:
    return {
        1: _("vendor"),
        2: _("credible source"),
        3: _("problem solver"),
        4: _("trusted advisor"),
    }.get(level, str(level))


@dataclass(frozen=True, slots=True)
class Relationship:
    """One of our staff's relationship with one person."""

    staff: str
    level: int
    target: int

    @property
    def gap(self) -> int:
        return max(0, self.target - self.level)


def best_gap(relationships: Iterable[Relationship]) -> int:
    """How far the person's best relationship is below the highest target set (0: on target
    or nothing set)."""
    rels = list(relationships)
    if not rels:
        return 0
    return max(0, max(r.target for r in rels) - max(r.level for r in rels))
