"""After signing (DOMAIN section 1, seed article 000): a won deal's implementation goes
through three phases the rep must watch, "new toy" (新玩具期: curiosity, easy wins),
learning (学习期: the hardest, confidence drops, the "motivation dip"; follow up closely)
and effectiveness (收效期: "we'd never go back"). Then the implementation is done and the
account's usual contact cadence takes over.

Our rules (the article names the phases, not their length):
- the phase starts at "new toy" on the day the deal is won;
- it moves on by the clock, after the days each phase lasts (the settings'
  `after_signing`), so a rep who never looks still sees learning come;
- the rep can set the phase at any time (the customer is struggling early, or says they'd
  never go back): the clock then counts from that day;
- a follow-up is due `follow_up` days (of the current phase) after the later of the last
  contact with the account and the day the current phase began.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from saletui.i18n import _


class Phase(StrEnum):
    NEW_TOY = "new_toy"
    LEARNING = "learning"
    EFFECTIVENESS = "effectiveness"
    DONE = "done"


PHASES = (Phase.NEW_TOY, Phase.LEARNING, Phase.EFFECTIVENESS, Phase.DONE)
WATCHED = PHASES[:3]  # the phases with a follow-up cadence


def phase_label(phase: str) -> str:
    labels = {
        Phase.NEW_TOY.value: _('"New toy"'),
        Phase.LEARNING.value: _("Learning"),
        Phase.EFFECTIVENESS.value: _("Effectiveness"),
        Phase.DONE.value: _("Implemented"),
    }
    return labels.get(str(phase), str(phase))


def phase_hint(phase: Phase) -> str:
    """What the rep should watch for in the phase (the article's advice, in our words)."""
    return {
        Phase.NEW_TOY: _("curiosity and easy wins; do not take them for a smooth ride"),
        Phase.LEARNING: _("the hardest phase: confidence drops; follow up closely"),
        Phase.EFFECTIVENESS: _('results show: "we\'d never go back"'),
        Phase.DONE: _("the usual contact cadence applies"),
    }[phase]


@dataclass(frozen=True)
class PhaseRule:
    """How long a phase lasts and how often the rep follows up in it (days)."""

    lasts: int
    follow_up: int


@dataclass(frozen=True)
class Cadence:
    """The `after_signing` settings: one rule per watched phase. Our defaults: closest
    contact in learning, as the article asks; a loose one once results show."""

    new_toy: PhaseRule = PhaseRule(lasts=14, follow_up=7)
    learning: PhaseRule = PhaseRule(lasts=60, follow_up=3)
    effectiveness: PhaseRule = PhaseRule(lasts=90, follow_up=30)

    def rule(self, phase: Phase) -> PhaseRule | None:
        return {
            Phase.NEW_TOY: self.new_toy,
            Phase.LEARNING: self.learning,
            Phase.EFFECTIVENESS: self.effectiveness,
        }.get(phase)


@dataclass(frozen=True)
class PhaseState:
    """Where an implementation stands today."""

    phase: Phase
    since: dt.date  # the day the current phase began (by the clock or set by the rep)
    until: dt.date | None  # the day the clock moves it on (None once done)


def current_phase(stored: str, since: dt.date, today: dt.date, cadence: Cadence) -> PhaseState:
    """The phase today, from the phase stored on the deal and the day it began, moved on
    by the durations of `cadence`. An unknown stored phase counts as "new toy"."""
    phase = Phase(stored) if stored in PHASES else Phase.NEW_TOY
    start = since
    while True:
        rule = cadence.rule(phase)
        if rule is None:
            return PhaseState(phase, start, None)
        end = start + dt.timedelta(days=rule.lasts)
        if today < end:
            return PhaseState(phase, start, end)
        phase, start = PHASES[PHASES.index(phase) + 1], end


def follow_up_due(state: PhaseState, last_contact: dt.date | None, cadence: Cadence) -> dt.date | None:
    """The day the next follow-up is due in the current phase; None once implemented."""
    rule = cadence.rule(state.phase)
    if rule is None:
        return None
    basis = max(last_contact, state.since) if last_contact is not None else state.since
    return basis + dt.timedelta(days=rule.follow_up)


@dataclass(frozen=True)
class FollowUp:
    """The most urgent follow-up of an account's implementations."""

    due: dt.date
    phase: Phase


def account_follow_up(
    implementations: list[tuple[str, dt.date]], last_contact: dt.date | None, today: dt.date, cadence: Cadence
) -> FollowUp | None:
    """Of an account's won deals (stored phase, day it began), the follow-up due first;
    None when none is due today or earlier."""
    due: list[FollowUp] = []
    for stored, since in implementations:
        state = current_phase(stored, since, today, cadence)
        day = follow_up_due(state, last_contact, cadence)
        if day is not None and day <= today:
            due.append(FollowUp(day, state.phase))
    return min(due, key=lambda f: f.due) if due else None


def parse_implementations(packed: str | None) -> list[tuple[str, dt.date]]:
    """The list query's packed "phase@yyyy-mm-dd,…" of an account's won deals."""
    out: list[tuple[str, dt.date]] = []
    for item in (packed or "").split(","):
        phase, _sep, day = item.partition("@")
        if phase and day:
            try:
                out.append((phase, dt.date.fromisoformat(day[:10])))
            except ValueError:
                continue
    return out
