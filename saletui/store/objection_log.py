"""Which playbook techniques were used on visits and how often they worked."""

from __future__ import annotations

from dataclasses import dataclass

from saletui.store.models import VisitObjection, database, now


@dataclass(frozen=True)
class RaisedObjection:
    """One objection met on a visit (not yet saved while the debrief is open)."""

    objection_id: str
    objection_title: str
    technique_id: str = ""
    technique_name: str = ""
    worked: bool | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class TechniqueStats:
    used: int
    worked: int

    def __str__(self) -> str:
        return f"{self.worked}/{self.used}"


def save_for_visit(visit_id: int, raised: list[RaisedObjection]) -> None:
    """Replace the visit's objection records (call inside the debrief's transaction). A record
    kept through a correction keeps the time it was first made."""
    first_made: dict[tuple[str, str], list[object]] = {}
    for old in VisitObjection.select().where(VisitObjection.visit == visit_id).order_by(VisitObjection.id):
        first_made.setdefault((old.objection_id, old.technique_id), []).append(old.created_at)
    VisitObjection.delete().where(VisitObjection.visit == visit_id).execute()
    if raised:
        rows = []
        for r in raised:
            row: dict[str, object] = {
                "visit": visit_id,
                "objection_id": r.objection_id,
                "objection_title": r.objection_title,
                "technique_id": r.technique_id,
                "technique_name": r.technique_name,
                "worked": r.worked,
                "note": r.note,
            }
            earlier = first_made.get((r.objection_id, r.technique_id))
            row["created_at"] = earlier.pop(0) if earlier else now()
            rows.append(row)
        VisitObjection.insert_many(rows).execute()


def for_visit(visit_id: int) -> list[RaisedObjection]:
    return [
        RaisedObjection(o.objection_id, o.objection_title, o.technique_id, o.technique_name, o.worked, o.note)
        for o in VisitObjection.select().where(VisitObjection.visit == visit_id).order_by(VisitObjection.id)
    ]


def technique_stats() -> dict[tuple[str, str], TechniqueStats]:
    """(objection id, technique id) -> how often used, how often it worked."""
    cursor = database.execute_sql(
        "SELECT objection_id, technique_id, COUNT(*), SUM(CASE WHEN worked THEN 1 ELSE 0 END) "
        "FROM visitobjection WHERE technique_id != '' GROUP BY objection_id, technique_id"
    )
    return {(r[0], r[1]): TechniqueStats(r[2], r[3] or 0) for r in cursor.fetchall()}
