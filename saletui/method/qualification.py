"""Qualification (BANT by default, MEDDPICC from its process file): milestones of the
process file may carry a qualification key; a deal is qualified on a key once a milestone
with that key is reached. Pure: the store gives each milestone's key and state."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saletui.i18n import _

QUALIFIED, FAILED, OPEN, NOT_APPLICABLE = "✓", "✗", "·", "–"


@dataclass(frozen=True, slots=True)
class QualificationKey:
    key: str
    """Stable id, the value of a milestone's `qualifies:`."""
    name: str
    """As shown ("Budget"); "" for the built-in keys, which are named in the interface language."""
    letter: str
    """Its short form in the deal's qualification line (B, A, N, T; Dc, Dp for MEDDPICC)."""

    def label(self) -> str:
        return self.name or builtin_name(self.key)


BANT = (
    QualificationKey("budget", "", "B"),
    QualificationKey("authority", "", "A"),
    QualificationKey("need", "", "N"),
    QualificationKey("timing", "", "T"),
)


def builtin_name(key: str) -> str:
    return {"budget": _("Budget"), "authority": _("Authority"), "need": _("Need"), "timing": _("Timing")}.get(key, key)


@dataclass(frozen=True, slots=True)
class KeyedMilestone:
    """One milestone of a deal that carries a qualification key."""

    key: str
    stage: int
    status: str  # open / reached / skipped
    tried: bool = False  # on the checklist of a recorded visit that did not reach it


@dataclass(frozen=True, slots=True)
class KeyState:
    key: QualificationKey
    mark: str  # QUALIFIED, FAILED (tried, not reached), OPEN, NOT_APPLICABLE (every one skipped, or none)
    stage: int | None  # the earliest stage a milestone with the key is in

    @property
    def qualified(self) -> bool:
        return self.mark in (QUALIFIED, NOT_APPLICABLE)


def assess(keys: Sequence[QualificationKey], milestones: Iterable[KeyedMilestone]) -> tuple[KeyState, ...]:
    """Each key's state for one deal, in the process file's order."""
    by_key: dict[str, list[KeyedMilestone]] = {}
    for m in milestones:
        by_key.setdefault(m.key, []).append(m)
    out = []
    for k in keys:
        ms = by_key.get(k.key, [])
        live = [m for m in ms if m.status != "skipped"]
        if any(m.status == "reached" for m in live):
            mark = QUALIFIED
        elif not live:
            mark = NOT_APPLICABLE
        elif any(m.tried for m in live):
            mark = FAILED
        else:
            mark = OPEN
        out.append(KeyState(k, mark, min((m.stage for m in ms), default=None)))
    return tuple(out)


def line(states: Sequence[KeyState]) -> str:
    """ "B✓ A✓ N· T✗"."""
    return " ".join(f"{s.key.letter}{s.mark}" for s in states)


def unqualified_before(states: Sequence[KeyState], stage: int) -> list[KeyState]:
    """The keys not qualified whose milestones lie in a stage before `stage`: what moving a
    deal on to `stage` would leave behind."""
    return [s for s in states if not s.qualified and s.stage is not None and s.stage < stage]


def moving_on_text(behind: Sequence[KeyState]) -> str:
    """What moving on would leave unqualified, for the question asked first."""
    return _("Not qualified yet: {keys}.").format(keys=", ".join(f"{s.key.label()} ({s.key.letter})" for s in behind))
