"""Stakeholders: the account's buying organisation, its edits, and the coverage-warning
count kept on the account so the list can show it without reading 100,000 people."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from peewee import IntegrityError

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.org import (
    ATTITUDES,
    COVERAGES,
    INFLUENCE_LEVELS,
    ROLES,
    PersonFacts,
    coverage_warnings,
    descendants,
    would_create_cycle,
)
from saletui.store import parse
from saletui.store.models import Account, InfluenceLink, Person, database, now
from saletui.store.parse import FieldError, stored_date

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(
    r"^\+?[0-9()\-./ \u00a0]*[0-9][0-9()\-./ \u00a0]*(?:\s*(?:x|ext\.?|#|转|分机)\s*[0-9]+)?$", re.IGNORECASE
)


@dataclass(slots=True)
class PersonRow:
    """One person as the org chart shows them."""

    id: int
    account_id: int
    name: str
    title: str
    department: str
    reports_to: int | None
    influence: int | None
    is_coach: bool
    attitude: str
    coverage: str
    buying_role: str
    owner: str
    last_contacted: dt.date | None

    def facts(self) -> PersonFacts:
        return PersonFacts(
            id=self.id,
            name=self.name,
            reports_to=self.reports_to,
            influence=self.influence,
            is_coach=self.is_coach,
            attitude=self.attitude,
            coverage=self.coverage,
            buying_role=self.buying_role,
            owner=self.owner,
            last_contacted=self.last_contacted,
        )


_ROW_SQL = """
SELECT id, account_id, name, title, department, reports_to_id, influence, is_coach, attitude,
       coverage, buying_role, owner, last_contacted
FROM person WHERE {where} ORDER BY (influence IS NULL), influence, name
"""


def _row(r: tuple) -> PersonRow:
    return PersonRow(
        r[0],
        r[1],
        r[2],
        r[3],
        r[4],
        r[5],
        r[6],
        bool(r[7]),
        r[8] or "",
        r[9] or "unknown",
        r[10] or "",
        r[11] or "",
        stored_date(r[12]),
    )


def for_account(account_id: int) -> list[PersonRow]:
    """Everyone at the account in one query, most influential first."""
    cursor = database.execute_sql(_ROW_SQL.format(where="account_id = ?"), (account_id,))
    return [_row(r) for r in cursor.fetchall()]


def get_row(person_id: int) -> PersonRow | None:
    cursor = database.execute_sql(_ROW_SQL.format(where="id = ?"), (person_id,))
    r = cursor.fetchone()
    return _row(r) if r else None


def get(person_id: int) -> Person:
    return Person.get_by_id(person_id)


def parents(account_id: int) -> dict[int, int | None]:
    cursor = database.execute_sql("SELECT id, reports_to_id FROM person WHERE account_id = ?", (account_id,))
    return dict(cursor.fetchall())


# -- warnings ------------------------------------------------------------------------------


def warnings_for(account_id: int):
    return coverage_warnings([p.facts() for p in for_account(account_id)])


def refresh_warning_count(account_id: int) -> int:
    """Recompute and store the account's warning count (call inside the write's transaction)."""
    count = len(warnings_for(account_id))
    Account.update(warning_count=count).where(Account.id == account_id).execute()
    return count


def refresh_missing_warning_counts() -> int:
    """Fill in counts never computed (after an upgrade or a bulk load); returns how many."""
    ids = [r[0] for r in database.execute_sql("SELECT id FROM account WHERE warning_count IS NULL").fetchall()]
    if not ids:
        return 0
    with database.atomic():
        by_account: dict[int, list[PersonFacts]] = {i: [] for i in ids}
        cursor = database.execute_sql(
            _ROW_SQL.format(where="account_id IN (SELECT id FROM account WHERE warning_count IS NULL)")
        )
        for r in cursor.fetchall():
            by_account[r[1]].append(_row(r).facts())
        for account_id, people in by_account.items():
            Account.update(warning_count=len(coverage_warnings(people))).where(Account.id == account_id).execute()
    return len(ids)


# -- the form ------------------------------------------------------------------------------


@dataclass
class PersonDraft:
    """A person as typed in the form."""

    name: str = ""
    title: str = ""
    department: str = ""
    reports_to: int | None = None
    influence: str = ""
    is_coach: bool = False
    attitude: str = ""
    coverage: str = "unknown"
    buying_role: str = ""
    owner: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    interests: str = ""
    pains: str = ""
    good_supplier: str = ""
    responsibility: str = ""
    notes: str = ""

    @classmethod
    def from_person(cls, person: Person) -> PersonDraft:
        values = {}
        for f in fields(cls):
            value = getattr(person, f.name if f.name != "reports_to" else "reports_to_id")
            if f.name == "influence":
                value = str(value) if value else ""
            values[f.name] = value if value is not None or f.name == "reports_to" else ""
        return cls(**values)


_LINE_FIELDS = ("name", "title", "department", "owner")
_TEXT_FIELDS = ("interests", "pains", "good_supplier", "responsibility", "notes")


def _phone(value: str) -> str:
    value = parse.text(value, max_len=60, single_line=True)
    if value and not _PHONE.match(value):
        raise FieldError(_("Not a phone number: use digits, spaces and + ( ) - . / x."))
    return value


def _email(value: str) -> str:
    value = parse.text(value, max_len=254, single_line=True)
    if value and not _EMAIL.match(value):
        raise FieldError(_("Not an e-mail address: {value!r}.").format(value=value))
    return value


def _influence(value: str | int | None) -> int | None:
    value = str(value or "").strip().upper().removeprefix("L")
    if not value:
        return None
    if value.isdigit() and int(value) in INFLUENCE_LEVELS:
        return int(value)
    raise FieldError(_("Influence is 1 (highest) to 5 (lowest)."))


def clean(account_id: int, draft: PersonDraft, person_id: int | None = None) -> dict[str, object]:
    errors: dict[str, str] = {}
    out: dict[str, object] = {}

    def take(name: str, fn) -> None:
        try:
            out[name] = fn(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)

    for name in _LINE_FIELDS:
        take(name, lambda v, n=name: parse.text(v, max_len=200 if n == "name" else 500, single_line=True))
    for name in _TEXT_FIELDS:
        take(name, parse.text)
    take("phone", _phone)
    take("fax", _phone)
    take("email", _email)
    take("influence", _influence)
    take("attitude", lambda v: parse.choice(v or "", ("", *ATTITUDES)))
    take("coverage", lambda v: parse.choice(v or "unknown", COVERAGES))
    take("buying_role", lambda v: parse.choice(v or "", ("", *ROLES)))
    out["is_coach"] = bool(draft.is_coach)
    if "name" in out and not out["name"]:
        errors["name"] = _("A name is required.")
    manager = draft.reports_to
    if manager is not None:
        tree = parents(account_id)
        if manager not in tree:
            errors["reports_to"] = _("The manager must be someone at this account.")
        elif person_id is not None and would_create_cycle(tree, person_id, manager):
            errors["reports_to"] = _("Cannot report to someone who reports to them.")
    out["reports_to"] = manager
    if errors:
        raise ValidationError(errors)
    return out


def save(account_id: int, draft: PersonDraft, person_id: int | None = None) -> Person:
    """Create or update a person; the account's warning count follows in the same transaction."""
    with database.atomic():
        values = clean(account_id, draft, person_id)
        if person_id is None:
            person = Person.create(account=account_id, **values)
        else:
            person = Person.get_by_id(person_id)
            if person.account_id != account_id:
                raise ValidationError({"name": _("This person belongs to another account.")})
            for key, value in values.items():
                setattr(person, key, value)
            person.updated_at = now()
            person.save()
        refresh_warning_count(account_id)
        return person


# -- quick edits on the chart ------------------------------------------------------------------


def _update(person_id: int, **values: object) -> Person:
    with database.atomic():
        person = Person.get_by_id(person_id)
        for key, value in values.items():
            setattr(person, key, value)
        person.updated_at = now()
        person.save()
        refresh_warning_count(person.account_id)
        return person


def move(person_id: int, new_manager_id: int | None) -> Person:
    """Put a person under another manager (or at the top); cycles are refused.

    The check and the write share one transaction, so no other writer slips a cycle in.
    """
    with database.atomic():
        person = Person.get_by_id(person_id)
        tree = parents(person.account_id)
        if new_manager_id is not None:
            if new_manager_id not in tree:
                raise ValidationError({"reports_to": _("The manager must be someone at this account.")})
            if new_manager_id == person_id:
                raise ValidationError(
                    {"reports_to": _("{person} cannot report to themselves.").format(person=person.name)}
                )
            if would_create_cycle(tree, person_id, new_manager_id):
                manager = Person.get_by_id(new_manager_id)
                raise ValidationError(
                    {
                        "reports_to": _(
                            "Cannot move {person} under {manager}: {manager} reports to {person}, directly or indirectly."
                        ).format(person=person.name, manager=manager.name)
                    }
                )
        return _update(person_id, reports_to=new_manager_id)


def delete(person_id: int) -> None:
    """Remove a person; their direct reports move up to the deleted person's manager."""
    with database.atomic():
        person = Person.get_by_id(person_id)
        Person.update(reports_to=person.reports_to_id, updated_at=now()).where(Person.reports_to == person_id).execute()
        person.delete_instance()
        refresh_warning_count(person.account_id)


def set_influence(person_id: int, level: int | None) -> Person:
    if level is not None and level not in INFLUENCE_LEVELS:
        raise ValidationError({"influence": _("Influence is 1 (highest) to 5 (lowest).")})
    return _update(person_id, influence=level)


def shift_influence(person_id: int, delta: int) -> Person:
    """`+` raises influence (towards L1), `-` lowers it (towards L5); unrated starts at L3."""
    current = Person.get_by_id(person_id).influence
    level = 3 if current is None else min(5, max(1, current - delta))
    return set_influence(person_id, level)


def toggle_coach(person_id: int) -> Person:
    return _update(person_id, is_coach=not Person.get_by_id(person_id).is_coach)


def _cycle(values: tuple[str, ...], current: str, step: int) -> str:
    index = values.index(current) if current in values else -1
    return values[(index + step) % len(values)]


def cycle_attitude(person_id: int, step: int = 1) -> Person:
    """Step through mentor ... opponent (and unknown) with one key."""
    return _update(person_id, attitude=_cycle(("", *ATTITUDES), Person.get_by_id(person_id).attitude, step))


def cycle_coverage(person_id: int, step: int = 1) -> Person:
    return _update(person_id, coverage=_cycle(COVERAGES, Person.get_by_id(person_id).coverage, step))


def staff_names() -> list[str]:
    """Our people already named as owners (of accounts or relationships), for completion."""
    cursor = database.execute_sql(
        "SELECT owner FROM person WHERE owner != '' UNION SELECT owner FROM account WHERE owner != '' ORDER BY 1"
    )
    return [r[0] for r in cursor.fetchall()]


def subordinates(person_id: int) -> set[int]:
    person = Person.get_by_id(person_id)
    return descendants(parents(person.account_id), person_id)


# -- informal influence ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    id: int
    source_id: int
    source_name: str
    target_id: int
    target_name: str
    note: str


def links_for_account(account_id: int) -> list[Link]:
    cursor = database.execute_sql(
        "SELECT l.id, s.id, s.name, t.id, t.name, l.note FROM influencelink l "
        "JOIN person s ON s.id = l.source_id JOIN person t ON t.id = l.target_id "
        "WHERE l.account_id = ? ORDER BY s.name, t.name",
        (account_id,),
    )
    return [Link(*r) for r in cursor.fetchall()]


def add_link(source_id: int, target_id: int, note: str = "") -> InfluenceLink:
    """Record that `source` influences `target` (same account, not oneself, once)."""
    source, target = Person.get_by_id(source_id), Person.get_by_id(target_id)
    if source_id == target_id:
        raise ValidationError({"target": _("A person cannot influence themselves here.")})
    if source.account_id != target.account_id:
        raise ValidationError({"target": _("Both people must be at the same account.")})
    try:
        note = parse.text(note, max_len=500, single_line=True)
    except FieldError as exc:
        raise ValidationError({"note": str(exc)}) from None
    try:
        with database.atomic():
            return InfluenceLink.create(account=source.account_id, source=source_id, target=target_id, note=note)
    except IntegrityError:
        raise ValidationError(
            {
                "target": _("{source} is already recorded as influencing {target}.").format(
                    source=source.name, target=target.name
                )
            }
        ) from None


def remove_link(link_id: int) -> None:
    with database.atomic():
        InfluenceLink.delete().where(InfluenceLink.id == link_id).execute()
