"""Stakeholders: the account's buying organisation, its edits, and the coverage-warning
count kept on the account so the list can show it without reading 100,000 people."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

from peewee import DoesNotExist, IntegrityError

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.org import (
    ATTITUDES,
    COVERAGES,
    INFLUENCE_LEVELS,
    ROLES,
    CoverageWarning,
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
    relationship_gap: int = 0  # method.relationship.best_gap of their relationships with us

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
            relationship_gap=self.relationship_gap,
        )


# How far a person's best relationship with our staff is below the highest target set.
_GAP = "(SELECT MAX(0, MAX(r.target) - MAX(r.level)) FROM person_relationship r WHERE r.person_id = person.id)"
_ROW_SQL = f"""
SELECT id, account_id, name, title, department, reports_to_id, influence, is_coach, attitude,
       coverage, buying_role, owner, last_contacted, {_GAP}
FROM person WHERE {{where}} ORDER BY (influence IS NULL), influence, name
"""


def _row(r: tuple[Any, ...]) -> PersonRow:
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
        r[13] or 0,
    )


# What the coverage warnings need, unsorted (they sort what they list themselves).
_FACTS_SQL = f"""
SELECT id, account_id, name, reports_to_id, influence, is_coach, attitude, coverage, buying_role, owner,
       last_contacted, {_GAP}
FROM person WHERE {{where}}
"""


def _facts(r: tuple[Any, ...]) -> PersonFacts:
    """A row of _FACTS_SQL as the warnings read it (the same defaults as `_row`), without
    the PersonRow in between: an import recounts the warnings of a million people."""
    return PersonFacts(
        r[0],
        r[2],
        r[3],
        r[4],
        bool(r[5]),
        r[6] or "",
        r[7] or "unknown",
        r[8] or "",
        r[9] or "",
        stored_date(r[10]),
        r[11] or 0,
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


def warnings_for(account_id: int) -> list[CoverageWarning]:
    return coverage_warnings([p.facts() for p in for_account(account_id)])


def refresh_warning_count(account_id: int) -> int:
    """Recompute and store the account's warning count (call inside the write's transaction)."""
    count = len(warnings_for(account_id))
    Account.update(warning_count=count).where(Account.id == account_id).execute()
    return count


def refresh_warning_counts(account_ids: Iterable[int]) -> None:
    """`refresh_warning_count` for many accounts (an import's), a few hundred per query
    (call inside the write's transaction)."""
    ids = sorted(set(account_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        by_account: dict[int, list[PersonFacts]] = {i: [] for i in chunk}
        marks = ", ".join("?" * len(chunk))
        for r in database.execute_sql(_FACTS_SQL.format(where=f"account_id IN ({marks})"), chunk).fetchall():
            by_account[r[1]].append(_facts(r))
        database.cursor().executemany(
            "UPDATE account SET warning_count = ? WHERE id = ?",
            [(len(coverage_warnings(people)), account_id) for account_id, people in by_account.items()],
        )


def refresh_missing_warning_counts() -> int:
    """Fill in counts never computed (after an upgrade or a bulk load); returns how many."""
    ids = [r[0] for r in database.execute_sql("SELECT id FROM account WHERE warning_count IS NULL").fetchall()]
    if not ids:
        return 0
    with database.atomic():
        by_account: dict[int, list[PersonFacts]] = {i: [] for i in ids}
        cursor = database.execute_sql(
            _FACTS_SQL.format(where="account_id IN (SELECT id FROM account WHERE warning_count IS NULL)")
        )
        for r in cursor.fetchall():
            by_account[r[1]].append(_facts(r))
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
        values: dict[str, Any] = {}  # column values of mixed types, one per draft field
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
        raise FieldError(_("Not a phone number: {value!r} (use digits, spaces and + ( ) - . / x).").format(value=value))
    return value


def _email(value: str) -> str:
    value = parse.text(value, max_len=254, single_line=True)
    if value and not _EMAIL.match(value):
        raise FieldError(_("Not an e-mail address: {value!r}.").format(value=value))
    return value


def _influence(value: str | int | None) -> int | None:
    raw = value or ""
    value = str(raw).strip().upper().removeprefix("L")
    if not value:
        return None
    if value.isdigit() and int(value) in INFLUENCE_LEVELS:
        return int(value)
    raise FieldError(_("Influence is 1 (highest) to 5 (lowest), not {value!r}.").format(value=str(raw).strip()))


# Each field's parser, in the order a form lists its problems; module-level functions,
# not closures made anew for every person (an import checks a million).
_PARSERS: tuple[tuple[str, Callable[[Any], object]], ...] = (
    *((n, partial(parse.text, max_len=200 if n == "name" else 500, single_line=True)) for n in _LINE_FIELDS),
    *((n, parse.text) for n in _TEXT_FIELDS),
    ("phone", _phone),
    ("fax", _phone),
    ("email", _email),
    ("influence", _influence),
    ("attitude", lambda v: parse.choice(v or "", ("", *ATTITUDES))),
    ("coverage", lambda v: parse.choice(v or "unknown", COVERAGES)),
    ("buying_role", lambda v: parse.choice(v or "", ("", *ROLES))),
)


def clean(account_id: int, draft: PersonDraft, person_id: int | None = None) -> dict[str, object]:
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    for name, fn in _PARSERS:
        try:
            out[name] = fn(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)
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


def save(
    account_id: int, draft: PersonDraft, person_id: int | None = None, expected_version: int | None = None
) -> Person:
    """Create or update a person; the account's warning count follows in the same transaction."""
    person = save_person(account_id, draft, person_id, expected_version).person
    assert person is not None
    return person


def save_person(
    account_id: int, draft: PersonDraft, person_id: int | None = None, expected_version: int | None = None
) -> PeopleChange:
    """The form's save: the person, everyone's rows and the warnings, in one transaction.

    With `expected_version` (the version the form read) an update is refused with
    StaleEditError when someone saved the person meanwhile; nothing is written then."""
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
            person.save(expected_version=expected_version)
        return _settle(account_id, person)


# -- quick edits on the chart ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeopleChange:
    """What the UI redraws after one change to an account's people, read in the change's
    own transaction: nothing has to be read again, and the warnings are computed once."""

    person: Person | None  # the person changed, every field (None after a delete)
    rows: list[PersonRow]  # everyone at the account afterwards, most influential first
    warnings: list[CoverageWarning]


def _settle(account_id: int, person: Person | None, rows: list[PersonRow] | None = None) -> PeopleChange:
    """Finish a change inside its transaction: the rows (read now unless given), the
    warnings computed once, and the account's stored count."""
    if rows is None:
        rows = for_account(account_id)
    warnings = coverage_warnings([p.facts() for p in rows])
    Account.update(warning_count=len(warnings)).where(Account.id == account_id).execute()
    return PeopleChange(person, rows, warnings)


def settle(account_id: int, person_id: int) -> PeopleChange:
    """After a change to what the warnings read about one person (e.g. a relationship of
    our staff with them): everyone's rows, the warnings and the stored count (call inside
    the write's transaction)."""
    return _settle(account_id, Person.get_by_id(person_id))


def _row_of(person: Person, relationship_gap: int = 0) -> PersonRow:
    return PersonRow(
        person.id,
        person.account_id,
        person.name,
        person.title,
        person.department,
        person.reports_to_id,
        person.influence,
        bool(person.is_coach),
        person.attitude or "",
        person.coverage or "unknown",
        person.buying_role or "",
        person.owner or "",
        person.last_contacted,
        relationship_gap,
    )


def _chart_order(row: PersonRow) -> tuple[bool, int, str]:
    return (row.influence is None, row.influence or 0, row.name)


def _rated_value(row: PersonRow, rating: str, value: int) -> tuple[str, object]:
    """The column a rating key changes and its new value, from the person as stored now."""
    if rating == "coach":
        return "is_coach", not row.is_coach
    if rating == "influence":  # 1-5, or 0 to clear
        if value and value not in INFLUENCE_LEVELS:
            raise ValidationError({"influence": _("Influence is 1 (highest) to 5 (lowest).")})
        return "influence", value or None
    if rating == "shift":  # + raises (towards L1), - lowers (towards L5); unrated starts at L3
        current = row.influence
        return "influence", 3 if current is None else min(5, max(1, current - value))
    if rating == "attitude":
        return "attitude", _cycle(("", *ATTITUDES), row.attitude, value)
    if rating == "coverage":
        return "coverage", _cycle(COVERAGES, row.coverage, value)
    raise ValueError(f"unknown rating {rating!r}")


def rate(account_id: int, person_id: int, rating: str, value: int = 0) -> PeopleChange:
    """One rating key on the chart (coach, influence, shift, attitude, coverage): the
    account's people read once, one UPDATE that returns the whole person, the count."""
    with database.atomic():
        rows = for_account(account_id)
        index = next((i for i, r in enumerate(rows) if r.id == person_id), None)
        if index is None:
            raise DoesNotExist(f"person {person_id} is not at account {account_id}")
        column, new = _rated_value(rows[index], rating, value)
        person = _returning_update(person_id, {column: new})
        rows[index] = _row_of(person, rows[index].relationship_gap)
        rows.sort(key=_chart_order)  # as for_account orders them: influence first, then name
        return _settle(account_id, person, rows)


def _returning_update(person_id: int, values: dict[str, object]) -> Person:
    """UPDATE ... RETURNING: the write and the fresh record in one statement."""
    values = {**values, "updated_at": now()}
    fields_ = [Person._meta.fields[name] for name in values]
    # The version grows in the same statement, as every UPDATE of a person does (models.VersionedModel).
    assignments = ", ".join([*(f'"{f.column_name}" = ?' for f in fields_), '"version" = "version" + 1'])
    params = [f.db_value(v) for f, v in zip(fields_, values.values(), strict=True)]
    query = Person.raw(f'UPDATE "person" SET {assignments} WHERE "id" = ? RETURNING *', *params, person_id)
    found: list[Person] = list(query)
    if not found:
        raise DoesNotExist(f"person {person_id}")
    return found[0]


def move(person_id: int, new_manager_id: int | None) -> Person:
    """Put a person under another manager (or at the top); cycles are refused."""
    person = move_person(Person.get_by_id(person_id).account_id, person_id, new_manager_id).person
    assert person is not None
    return person


def move_person(account_id: int, person_id: int, new_manager_id: int | None) -> PeopleChange:
    """Put a person under another manager (or at the top); cycles are refused.

    The check and the write share one transaction, so no other writer slips a cycle in.
    """
    with database.atomic():
        tree = parents(account_id)
        if person_id not in tree:
            raise DoesNotExist(f"person {person_id} is not at account {account_id}")
        if new_manager_id is not None:
            if new_manager_id not in tree:
                raise ValidationError({"reports_to": _("The manager must be someone at this account.")})
            name = Person.get_by_id(person_id).name
            if new_manager_id == person_id:
                raise ValidationError({"reports_to": _("{person} cannot report to themselves.").format(person=name)})
            if would_create_cycle(tree, person_id, new_manager_id):
                manager = Person.get_by_id(new_manager_id)
                raise ValidationError(
                    {
                        "reports_to": _(
                            "Cannot move {person} under {manager}: {manager} reports to {person}, directly or indirectly."
                        ).format(person=name, manager=manager.name)
                    }
                )
        person = _returning_update(person_id, {"reports_to": new_manager_id})
        return _settle(account_id, person)


def delete(person_id: int) -> None:
    """Remove a person; their direct reports move up to the deleted person's manager."""
    delete_person(Person.get_by_id(person_id).account_id, person_id)


def delete_person(account_id: int, person_id: int) -> PeopleChange:
    """Remove a person; their direct reports move up to the deleted person's manager."""
    with database.atomic():
        person = Person.get_by_id(person_id)
        if person.account_id != account_id:
            raise DoesNotExist(f"person {person_id} is not at account {account_id}")
        Person.update(reports_to=person.reports_to_id, updated_at=now()).where(Person.reports_to == person_id).execute()
        person.delete_instance()
        return _settle(account_id, None)


def set_influence(person_id: int, level: int | None) -> Person:
    return _rate_by_id(person_id, "influence", level or 0)


def shift_influence(person_id: int, delta: int) -> Person:
    """`+` raises influence (towards L1), `-` lowers it (towards L5); unrated starts at L3."""
    return _rate_by_id(person_id, "shift", delta)


def toggle_coach(person_id: int) -> Person:
    return _rate_by_id(person_id, "coach")


def _cycle(values: tuple[str, ...], current: str, step: int) -> str:
    index = values.index(current) if current in values else -1
    return values[(index + step) % len(values)]


def cycle_attitude(person_id: int, step: int = 1) -> Person:
    """Step through mentor ... opponent (and unknown) with one key."""
    return _rate_by_id(person_id, "attitude", step)


def cycle_coverage(person_id: int, step: int = 1) -> Person:
    return _rate_by_id(person_id, "coverage", step)


def _rate_by_id(person_id: int, rating: str, value: int = 0) -> Person:
    """The rating functions by person id alone (import, tests): `rate` does the work."""
    person = rate(Person.get_by_id(person_id).account_id, person_id, rating, value).person
    assert person is not None
    return person


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
