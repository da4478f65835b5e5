"""Our staff's relationships with a person (migration 0015): read, set, remove; the
account's coverage warnings follow in the same transaction."""

from __future__ import annotations

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.relationship import LEVELS, Relationship
from saletui.store import parse
from saletui.store.models import Person, PersonRelationship, database, now
from saletui.store.parse import FieldError
from saletui.store.people import PeopleChange, settle


def for_person(person_id: int) -> list[Relationship]:
    """Closest first, then by staff name."""
    rows = database.execute_sql(
        "SELECT staff, level, target FROM person_relationship WHERE person_id = ? ORDER BY level DESC, staff",
        (person_id,),
    ).fetchall()
    return [Relationship(*r) for r in rows]


def for_account(account_id: int) -> dict[int, list[Relationship]]:
    """Everyone's at the account, per person id (closest first): one query for the card,
    read once per account screen."""
    out: dict[int, list[Relationship]] = {}
    for pid, staff, level, target in database.execute_sql(
        "SELECT r.person_id, r.staff, r.level, r.target FROM person_relationship r "
        "JOIN person p ON p.id = r.person_id WHERE p.account_id = ? ORDER BY r.level DESC, r.staff",
        (account_id,),
    ):
        out.setdefault(pid, []).append(Relationship(staff, level, target))
    return out


def for_people(person_ids: list[int]) -> dict[int, list[Relationship]]:
    out: dict[int, list[Relationship]] = {}
    for start in range(0, len(person_ids), 500):
        chunk = person_ids[start : start + 500]
        for pid, staff, level, target in database.execute_sql(
            "SELECT person_id, staff, level, target FROM person_relationship "
            f"WHERE person_id IN ({','.join('?' * len(chunk))}) ORDER BY level DESC, staff",
            chunk,
        ):
            out.setdefault(pid, []).append(Relationship(staff, level, target))
    return out


def save(person_id: int, staff: str, level: int, target: int) -> PeopleChange:
    """Set one staff member's relationship with the person (added, or changed); returns the
    account's people and warnings as they follow."""
    errors: dict[str, str] = {}
    try:
        name = parse.text(staff, max_len=200, single_line=True)
    except FieldError as exc:
        errors["staff"] = str(exc)
        name = ""
    else:
        if not name:
            errors["staff"] = _("Say which of our staff this is.")
    if level not in LEVELS:
        errors["level"] = _("Choose the level now.")
    if target not in LEVELS:
        errors["target"] = _("Choose the target level.")
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        person = Person.get_by_id(person_id)
        row = PersonRelationship.get_or_none(
            (PersonRelationship.person == person_id) & (PersonRelationship.staff == name)
        )
        if row is None:
            PersonRelationship.create(person=person_id, staff=name, level=level, target=target)
        else:
            row.level, row.target, row.updated_at = level, target, now()
            row.save()
        return settle(person.account_id, person_id)


def remove(person_id: int, staff: str) -> PeopleChange:
    with database.atomic():
        person = Person.get_by_id(person_id)
        PersonRelationship.delete().where(
            (PersonRelationship.person == person_id) & (PersonRelationship.staff == staff)
        ).execute()
        return settle(person.account_id, person_id)
