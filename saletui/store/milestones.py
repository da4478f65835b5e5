"""Each deal's milestone list: copied from the process template, then the rep's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.milestones import OPEN, REACHED, SKIPPED, MilestoneState, swap_positions
from saletui.method.qualification import KeyedMilestone, KeyState, assess
from saletui.process.schema import Process
from saletui.store import parse
from saletui.store.models import Deal, Milestone, database, now
from saletui.store.parse import FieldError, stored_date


@dataclass(slots=True)
class MilestoneRow:
    id: int
    deal_id: int
    stage: int
    position: int
    question: str
    key_node: bool
    status: str
    skip_reason: str
    reached_visit_id: int | None
    reached_on: dt.date | None
    note: str
    planned_visit_id: int | None
    planned_on: dt.date | None
    version: int = 0  # what an edit of the milestone checks against (models.VersionedModel)

    def state(self) -> MilestoneState:
        return MilestoneState(
            self.id, self.stage, self.position, self.status, self.key_node, self.planned_visit_id, self.reached_on
        )


# Each milestone with the earliest planned visit that has it on its checklist. The visit is
# looked up per milestone through visititem's milestone index: grouping every checklist item
# of the database instead took 50 ms on a team's 50,000 visits.
_SQL = """
SELECT m.id, m.deal_id, m.stage, m.position, m.question, m.key_node, m.status, m.skip_reason,
       m.reached_visit_id, m.reached_on, m.note, p.id, p.planned_at, m.version
FROM milestone m
LEFT JOIN visit p ON p.id = (SELECT v.id FROM visititem vi JOIN visit v ON v.id = vi.visit_id
                             WHERE vi.milestone_id = m.id AND v.status = 'planned'
                             ORDER BY v.planned_at, v.id LIMIT 1)
WHERE {where}
ORDER BY m.stage, m.position, m.id
"""


def _row(r: tuple[Any, ...]) -> MilestoneRow:
    return MilestoneRow(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        bool(r[5]),
        r[6],
        r[7],
        r[8],
        stored_date(r[9]),
        r[10],
        r[11],
        stored_date(r[12]),
        r[13],
    )


def for_deal(deal_id: int) -> list[MilestoneRow]:
    return [_row(r) for r in database.execute_sql(_SQL.format(where="m.deal_id = ?"), (deal_id,)).fetchall()]


def get_row(milestone_id: int) -> MilestoneRow:
    return _row(database.execute_sql(_SQL.format(where="m.id = ?"), (milestone_id,)).fetchone())


def apply_template(
    deal_id: int, process: Process, *, reached_before_stage: int | None = None, reached_on: dt.date | None = None
) -> int:
    """Give a deal the process's milestones, in order, unless it has some already.

    `reached_before_stage` marks everything of earlier stages as reached (used when
    importing deals that are already under way). Returns how many were created.
    """
    with database.atomic():
        if Milestone.select().where(Milestone.deal == deal_id).exists():
            return 0
        # Tuples with the field list, not dicts: peewee builds the INSERT about three times
        # faster, which is most of the time of importing a CRM's deals (30+ milestones each).
        fields = [
            Milestone.deal,
            Milestone.stage,
            Milestone.position,
            Milestone.template_id,
            Milestone.question,
            Milestone.key_node,
            Milestone.status,
            Milestone.reached_on,
            Milestone.created_at,
            Milestone.updated_at,
        ]
        stamp = now()
        rows = []
        for number, stage in enumerate(process.stages, start=1):
            for position, template in enumerate(stage.milestones):
                done = reached_before_stage is not None and number < reached_before_stage
                rows.append(
                    (
                        deal_id,
                        number,
                        position,
                        template.id,
                        template.question,
                        template.key_node,
                        REACHED if done else OPEN,
                        reached_on if done else None,
                        stamp,
                        stamp,
                    )
                )
        for start in range(0, len(rows), 80):
            Milestone.insert_many(rows[start : start + 80], fields=fields).execute()
        return len(rows)


def ensure(deal_id: int, process: Process) -> int:
    """Give an older deal (made before it had milestones) the process's list; the stages it
    has already passed count as reached. Returns how many were created."""
    return apply_template(deal_id, process, reached_before_stage=Deal.get_by_id(deal_id).stage)


def _question(text: str) -> str:
    try:
        value = parse.text(text, max_len=500, single_line=True)
    except FieldError as exc:
        raise ValidationError({"question": str(exc)}) from None
    if not value:
        raise ValidationError({"question": _("Write the customer's question.")})
    return value


def add(deal_id: int, stage: int, question: str, after_id: int | None = None) -> Milestone:
    """A milestone of the rep's own, at the end of its stage or right after another one."""
    question = _question(question)
    with database.atomic():
        siblings = list(
            Milestone.select()
            .where((Milestone.deal == deal_id) & (Milestone.stage == stage))
            .order_by(Milestone.position)
        )
        position = len(siblings)
        if after_id is not None:
            for i, m in enumerate(siblings):
                if m.id == after_id:
                    position = i + 1
                    break
        for i, m in enumerate(siblings):  # renumber, leaving a gap at `position`
            new = i if i < position else i + 1
            if m.position != new:
                Milestone.update(position=new).where(Milestone.id == m.id).execute()
        return Milestone.create(deal=deal_id, stage=stage, position=position, question=question)


def edit(milestone_id: int, question: str, note: str | None = None, expected_version: int | None = None) -> Milestone:
    """Change the question (and the note); with `expected_version`, refused with
    StaleEditError when someone saved the milestone since it was read."""
    question = _question(question)
    with database.atomic():
        m = Milestone.get_by_id(milestone_id)
        m.question = question
        if note is not None:
            try:
                m.note = parse.text(note, max_len=5_000)
            except FieldError as exc:
                raise ValidationError({"note": str(exc)}) from None
        m.updated_at = now()
        m.save(expected_version=expected_version)
        return m


def move(milestone_id: int, delta: int) -> bool:
    """Move up (-1) or down (+1) within its stage; False at the edge."""
    with database.atomic():
        m = Milestone.get_by_id(milestone_id)
        siblings = [r.state() for r in for_deal(m.deal_id) if r.stage == m.stage]
        pair = swap_positions(siblings, milestone_id, delta)
        if pair is None:
            return False
        a, b = Milestone.get_by_id(pair[0]), Milestone.get_by_id(pair[1])
        if a.position == b.position:  # repair equal positions before swapping
            for i, s in enumerate(sorted(siblings, key=lambda s: (s.position, s.id))):
                Milestone.update(position=i).where(Milestone.id == s.id).execute()
            a, b = Milestone.get_by_id(pair[0]), Milestone.get_by_id(pair[1])
        Milestone.update(position=b.position).where(Milestone.id == a.id).execute()
        Milestone.update(position=a.position).where(Milestone.id == b.id).execute()
        return True


def skip(milestone_id: int, reason: str, expected_version: int | None = None) -> Milestone:
    """Skip a milestone that does not apply; the reason is kept. With `expected_version`,
    refused with StaleEditError when someone saved the milestone since it was read."""
    try:
        reason = parse.text(reason, max_len=1_000, single_line=True)
    except FieldError as exc:
        raise ValidationError({"reason": str(exc)}) from None
    if not reason:
        raise ValidationError({"reason": _("Say why it does not apply.")})
    with database.atomic():
        m = Milestone.get_by_id(milestone_id)
        m.status, m.skip_reason, m.updated_at = SKIPPED, reason, now()
        m.save(expected_version=expected_version)
        return m


def reopen(milestone_id: int) -> Milestone:
    """Back to open (from skipped or reached)."""
    with database.atomic():
        m = Milestone.get_by_id(milestone_id)
        m.status, m.skip_reason, m.reached_visit, m.reached_on, m.updated_at = OPEN, "", None, None, now()
        m.save()
        return m


def delete(milestone_id: int) -> None:
    with database.atomic():
        Milestone.delete().where(Milestone.id == milestone_id).execute()


def deal_stage(deal_id: int) -> int:
    return Deal.get_by_id(deal_id).stage


# Each milestone copied from the process file (its template id kept), and whether a
# recorded visit had it on its checklist without reaching it.
_KEYED_SQL = """
SELECT m.deal_id, m.template_id, m.stage, m.status,
       EXISTS (SELECT 1 FROM visititem vi JOIN visit v ON v.id = vi.visit_id
               WHERE vi.milestone_id = m.id AND v.status = 'done' AND vi.result = 'not_reached')
FROM milestone m
WHERE m.template_id != '' AND m.deal_id IN ({marks})
"""


def qualification(deal_ids: Sequence[int], process: Process) -> dict[int, tuple[KeyState, ...]]:
    """Each deal's qualification under `process` (its milestones' keys follow the file, so
    a changed file re-keys old deals too)."""
    keyed = process.qualifying()
    found: dict[int, list[KeyedMilestone]] = {deal_id: [] for deal_id in deal_ids}
    ids = list(found)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for deal_id, template_id, stage, status, tried in database.execute_sql(
            _KEYED_SQL.format(marks=",".join("?" * len(chunk))), chunk
        ):
            key = keyed.get(template_id)
            if key:
                found[deal_id].append(KeyedMilestone(key, stage, status, bool(tried)))
    return {deal_id: assess(process.qualification, ms) for deal_id, ms in found.items()}
