"""The people taking part in a deal and their roles in it (migration 0014)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.deal_roles import ROLES, ContactFacts, in_order
from saletui.store.models import Deal, DealContact, Person, database, now
from saletui.store.parse import stored_date


def parse_roles(stored: str) -> tuple[str, ...]:
    return in_order(stored.split(","))


@dataclass(frozen=True, slots=True)
class DealContactRow:
    person_id: int
    name: str
    title: str
    department: str
    influence: int | None
    is_coach: bool
    roles: tuple[str, ...]
    primary: bool
    last_contacted: dt.date | None

    def facts(self) -> ContactFacts:
        return ContactFacts(self.person_id, self.roles, self.is_coach)


# Primary first, then the most influential (L1 highest; unknown last), then by name.
_SQL = """
SELECT p.id, p.name, p.title, p.department, p.influence, p.is_coach, c.roles, c.is_primary,
       p.last_contacted, c.deal_id
FROM deal_contact c JOIN person p ON p.id = c.person_id
WHERE c.deal_id IN ({marks})
ORDER BY c.deal_id, c.is_primary DESC, p.influence IS NULL, p.influence, p.name, p.id
"""


def for_deals(deal_ids: Sequence[int]) -> dict[int, list[DealContactRow]]:
    """Each deal's contacts (deals without any are absent), in one query per 500 deals."""
    out: dict[int, list[DealContactRow]] = {}
    ids = list(dict.fromkeys(deal_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        cursor = database.execute_sql(_SQL.format(marks=",".join("?" * len(chunk))), chunk)
        for r in cursor:
            out.setdefault(r[9], []).append(
                DealContactRow(
                    r[0], r[1], r[2], r[3], r[4], bool(r[5]), parse_roles(r[6]), bool(r[7]), stored_date(r[8])
                )
            )
    return out


def for_deal(deal_id: int) -> list[DealContactRow]:
    return for_deals([deal_id]).get(deal_id, [])


def _check(deal_id: int, person_id: int) -> Deal:
    deal = Deal.get_by_id(deal_id)
    person = Person.get_or_none(Person.id == person_id)
    if person is None or person.account_id != deal.account_id:
        raise ValidationError({"person": _("Only a person of this deal's account can take part in it.")})
    return deal


def set_roles(deal_id: int, person_id: int, roles: Iterable[str]) -> None:
    """Give a person these roles in the deal, adding them to it if they were not in it.
    The deal's first contact becomes its primary one."""
    roles = list(roles)  # read twice below: a generator would be empty the second time
    chosen = in_order(roles)
    unknown = set(roles) - set(ROLES)
    if unknown or not chosen:
        raise ValidationError({"roles": _("Choose at least one role.")})
    with database.atomic():
        _check(deal_id, person_id)
        stored = ",".join(chosen)
        row = DealContact.get_or_none((DealContact.deal == deal_id) & (DealContact.person == person_id))
        if row is None:
            first = not DealContact.select().where(DealContact.deal == deal_id).exists()
            DealContact.create(deal=deal_id, person=person_id, roles=stored, is_primary=first)
        elif row.roles != stored:
            row.roles, row.updated_at = stored, now()
            row.save()


def remove(deal_id: int, person_id: int) -> None:
    """Take a person out of the deal; if they were its primary contact, the most
    influential of the rest becomes primary (migration 0014's trigger)."""
    with database.atomic():
        DealContact.delete().where((DealContact.deal == deal_id) & (DealContact.person == person_id)).execute()


def set_primary(deal_id: int, person_id: int) -> None:
    """Make a contact of the deal its primary one (the previous primary stays a contact)."""
    with database.atomic():
        row = DealContact.get_or_none((DealContact.deal == deal_id) & (DealContact.person == person_id))
        if row is None:
            raise ValidationError({"person": _("This person does not take part in the deal.")})
        if row.is_primary:
            return
        DealContact.update(is_primary=False, updated_at=now()).where(
            (DealContact.deal == deal_id) & DealContact.is_primary
        ).execute()
        DealContact.update(is_primary=True, updated_at=now()).where(DealContact.id == row.id).execute()
