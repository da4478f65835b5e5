"""Accounts: the list the UI shows, validation of a draft, and every write.

The list query returns light rows (plain tuples in a slotted dataclass), not model
instances: the UI keeps all of them in memory to filter and sort 10,000 without SQL.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from functools import partial
from typing import Any

from peewee import IntegrityError

from saletui import money
from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.classes import Level, Relationship, Tier
from saletui.method.derivation import classes_of
from saletui.method.org import coverage_warnings
from saletui.method.prospect_score import FACTORS, RATINGS
from saletui.money import DEFAULT_CURRENCY
from saletui.store import parse
from saletui.store.models import Account, database, now
from saletui.store.parse import FieldError, stored_date


@dataclass(slots=True)
class AccountRow:
    """One line of the account list."""

    id: int
    name: str
    industry: str
    region: str
    owner: str
    relationship: str
    class_code: str
    tier: str
    stage: int | None
    last_contact: dt.date | None
    next_step: str
    next_step_date: dt.date | None
    archived: bool
    warnings: int = 0  # coverage warnings of the account's people (store.people)
    next_planned: dt.datetime | None = None  # earliest visit still planned
    next_action_due: dt.date | None = None  # earliest open action of its 5+5+5 plans
    implementing: str = ""  # won deals not yet implemented: "phase@day,…" (method.implementation)
    hand_class: str = ""  # the class of the hand-set axes
    derived_class: str = ""  # the class the orders give (customers with orders; store.derived)
    class_source: str = "derived"  # "hand": the hand-set class wins (the rep's override)
    first_purchase: dt.date | None = None
    last_purchase: dt.date | None = None
    order_days: int = 0  # distinct days with an order
    deals_at_risk: int = 0  # open deals with risk warnings (store.deal_health)

    @property
    def disagrees(self) -> bool:
        """The orders say another class than the one set by hand."""
        return bool(self.derived_class and self.hand_class and self.derived_class != self.hand_class)


_LIST_SQL = """
SELECT a.id, a.name, a.industry, a.region, a.owner, a.relationship,
       a.contribution, a.stability, a.expected_value, a.intent, a.tier,
       a.next_step, a.next_step_date, a.archived_at IS NOT NULL,
       (SELECT MAX(d.stage) FROM deal d WHERE d.account_id = a.id AND d.status = 'open'),
       (SELECT MAX(v.planned_at) FROM visit v WHERE v.account_id = a.id AND v.status = 'done'),
       a.warning_count,
       (SELECT MIN(v.planned_at) FROM visit v WHERE v.account_id = a.id AND v.status = 'planned'),
       a.class_source, dc.contribution, dc.stability, t.first_on, t.last_on, t.order_days,
       (SELECT MIN(x.due_on) FROM account_plan p JOIN plan_action x ON x.plan_id = p.id
        WHERE p.account_id = a.id AND x.status = 'open'),
       (SELECT group_concat(COALESCE(NULLIF(d.phase, ''), 'new_toy') || '@'
                            || COALESCE(d.phase_on, date(d.closed_at), date(d.updated_at)), ',')
        FROM deal d WHERE d.account_id = a.id AND d.status = 'won' AND d.phase != 'done'),
       dc.expected_value,
       (SELECT COUNT(*) FROM deal d WHERE d.account_id = a.id AND d.status = 'open' AND d.risks != '')
FROM account a
LEFT JOIN derived_class dc ON dc.account_id = a.id
LEFT JOIN account_trade t ON t.account_id = a.id
WHERE {where}
"""


def _row(r: tuple[Any, ...]) -> AccountRow:
    shown, hand, derived = classes_of(r[5], (r[6], r[7], r[8], r[9]), (r[19], r[20], r[26]), r[18])
    return AccountRow(
        id=r[0],
        name=r[1],
        industry=r[2],
        region=r[3],
        owner=r[4],
        relationship=r[5],
        class_code=shown,
        tier=r[10],
        next_step=r[11],
        next_step_date=stored_date(r[12]),
        archived=bool(r[13]),
        stage=r[14],
        last_contact=stored_date(r[15]),
        warnings=r[16] or 0,
        next_planned=dt.datetime.fromisoformat(str(r[17])) if r[17] else None,
        hand_class=hand,
        derived_class=derived,
        class_source=r[18],
        first_purchase=stored_date(r[21]),
        last_purchase=stored_date(r[22]),
        order_days=r[23] or 0,
        next_action_due=stored_date(r[24]),
        implementing=r[25] or "",
        deals_at_risk=r[27],
    )


def list_rows(*, archived: bool = False, limit: int | None = None) -> list[AccountRow]:
    """Every active (or every archived) account as a list row, in one query.

    With `limit`, only the first rows by name: enough to paint the first screen.
    """
    where = "a.archived_at IS NOT NULL" if archived else "a.archived_at IS NULL"
    sql = _LIST_SQL.format(where=where)
    if limit is not None:
        sql += f" ORDER BY a.name COLLATE NOCASE LIMIT {int(limit)}"
    cursor = database.execute_sql(sql)
    return [_row(r) for r in cursor.fetchall()]


def rows_of(account_ids: Sequence[int]) -> list[AccountRow]:
    """These active accounts as list rows (for a few of them: the agenda's focus accounts)."""
    out: list[AccountRow] = []
    ids = list(dict.fromkeys(account_ids))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        where = f"a.archived_at IS NULL AND a.id IN ({','.join('?' * len(chunk))})"
        out.extend(_row(r) for r in database.execute_sql(_LIST_SQL.format(where=where), chunk).fetchall())
    return out


def get_row(account_id: int) -> AccountRow | None:
    cursor = database.execute_sql(_LIST_SQL.format(where="a.id = ?"), (account_id,))
    r = cursor.fetchone()
    return _row(r) if r else None


def get(account_id: int) -> Account:
    return Account.get_by_id(account_id)


@dataclass
class AccountDraft:
    """An account as typed in the form, before it is saved."""

    name: str = ""
    industry: str = ""
    region: str = ""
    owner: str = ""
    relationship: str = Relationship.PROSPECT.value
    contribution: str = ""
    stability: str = ""
    expected_value: str = ""
    intent: str = ""
    class_source: str = "derived"  # "hand": the axes above override the class the orders give
    tier: str = ""
    currency: str = DEFAULT_CURRENCY  # ISO 4217; the capacities and the deals are in it
    market_capacity: str = ""
    excluded_capacity: str = ""
    excluded_channels: str = ""
    credit_terms: str = ""
    payment_terms: str = ""
    next_step: str = ""
    next_step_date: str = ""
    rules_of_engagement: str = ""
    profile_notes: str = ""
    # A prospect's ratings, "1" to "5" or "" (saletui.method.prospect_score).
    rating_size: str = ""
    rating_management: str = ""
    rating_network: str = ""
    rating_buying_power: str = ""
    rating_marketing: str = ""
    rating_growth: str = ""
    rating_advantage: str = ""

    @classmethod
    def from_account(cls, account: Account) -> AccountDraft:
        values = {}
        for f in fields(cls):
            value = getattr(account, f.name)
            if f.name in ("market_capacity", "excluded_capacity"):
                value = parse.format_amount(value, account.currency)
            elif f.name == "next_step_date":
                value = value.isoformat() if value else ""
            elif f.name in RATING_FIELDS:
                value = "" if value is None else str(value)
            values[f.name] = value or ""
        return cls(**values)


_SINGLE_LINE = (
    "name",
    "industry",
    "region",
    "owner",
    "excluded_channels",
    "credit_terms",
    "payment_terms",
    "next_step",
)
_LEVELS = ("", Level.HIGH.value, Level.LOW.value)
CLASS_SOURCES = ("derived", "hand")
_RELATIONSHIPS = tuple(r.value for r in Relationship)
_TIERS = tuple(t.value for t in Tier)


RATING_FIELDS = tuple(f"rating_{f}" for f in FACTORS)


def _rating(value: str | int | None) -> int | None:
    """A factor's rating: 1 (poor) to 5 (excellent), or none."""
    raw = str(value if value is not None else "").strip()
    if not raw:
        return None
    if raw.isdigit() and int(raw) in RATINGS:
        return int(raw)
    raise FieldError(_("A rating is 1 (poor) to 5 (excellent), not {value!r}.").format(value=raw))


def _level_of(value: str | None) -> str | None:
    return parse.choice(value or "", _LEVELS) or None


# Each field's parser, in the order a form lists its problems; module-level functions,
# not closures made anew for every account (an import checks a million).
_PARSERS: tuple[tuple[str, Callable[[str], object]], ...] = (
    *((n, partial(parse.text, max_len=200 if n == "name" else 2_000, single_line=True)) for n in _SINGLE_LINE),
    ("rules_of_engagement", parse.text),
    ("profile_notes", parse.text),
    ("relationship", partial(parse.choice, allowed=_RELATIONSHIPS)),
    *((n, _level_of) for n in ("contribution", "stability", "expected_value", "intent")),
    ("class_source", lambda v: parse.choice(v or "derived", CLASS_SOURCES)),
    ("tier", lambda v: parse.choice(v or "", _TIERS)),
    ("currency", parse.currency),
)


def clean(draft: AccountDraft, account_id: int | None = None, *, names_checked: bool = False) -> dict[str, object]:
    """Typed column values for `draft`, or ValidationError naming every bad field.

    `names_checked`: the caller (an import, which knows every active name) has made sure
    the name is free and the account active, so no query is made for them."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    for name, fn in _PARSERS:
        try:
            out[name] = fn(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)
    # Amounts are read in the account's currency (its decimals); a bad code was reported above.
    code = str(out.get("currency", DEFAULT_CURRENCY))
    for name in ("market_capacity", "excluded_capacity"):
        try:
            out[name] = parse.amount(getattr(draft, name), code)
        except FieldError as exc:
            errors[name] = str(exc)
    try:
        out["next_step_date"] = parse.date(draft.next_step_date)
    except FieldError as exc:
        errors["next_step_date"] = str(exc)
    for name in RATING_FIELDS:
        try:
            out[name] = _rating(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)

    archived = not names_checked and account_id is not None and Account.get_by_id(account_id).archived_at is not None
    if "name" in out and not out["name"]:
        errors["name"] = _("A name is required.")
    elif "name" in out and not archived and not names_checked and name_taken(str(out["name"]), account_id):
        errors["name"] = _("Another active account is already called {name!r}.").format(name=out["name"])
    total, excluded = out.get("market_capacity"), out.get("excluded_capacity")
    if isinstance(total, int) and isinstance(excluded, int) and excluded > total:
        errors["excluded_capacity"] = _("Cannot exceed the total market capacity: {excluded} > {total}.").format(
            excluded=parse.format_amount(excluded, code), total=parse.format_amount(total, code)
        )
    if excluded is not None and total is None and "market_capacity" not in errors:
        errors["market_capacity"] = _("Give the total capacity before the excluded part.")
    if errors:
        raise ValidationError(errors)
    # Axes that do not apply to the relationship are kept out of the class.
    if out["relationship"] != Relationship.CUSTOMER:
        out["contribution"] = out["stability"] = None
    if out["relationship"] != Relationship.PROSPECT:
        out["expected_value"] = out["intent"] = None
    return out


def name_taken(name: str, exclude_id: int | None = None) -> bool:
    sql = "SELECT 1 FROM account WHERE name = ? COLLATE NOCASE AND archived_at IS NULL"
    params: list[object] = [name]
    if exclude_id is not None:
        sql += " AND id != ?"
        params.append(exclude_id)
    return database.execute_sql(sql, params).fetchone() is not None


def save(draft: AccountDraft, account_id: int | None = None, expected_version: int | None = None) -> Account:
    """Create or update an account in one transaction; ValidationError writes nothing.

    With `expected_version` (the version the form read) an update is refused with
    StaleEditError when someone saved the account meanwhile; nothing is written then."""
    with database.atomic():
        values = clean(draft, account_id)
        try:
            if account_id is None:
                # Nobody is mapped at a new account yet: that is its first coverage warning.
                return Account.create(**values, warning_count=len(coverage_warnings([])))
            account = Account.get_by_id(account_id)
            if values["currency"] != account.currency:
                _rescale_deals(account_id, account.currency, str(values["currency"]))
            for key, value in values.items():
                setattr(account, key, value)
            account.updated_at = now()
            account.save(expected_version=expected_version)
            return account
        except IntegrityError:
            raise ValidationError({"name": _("Another active account has this name.")}) from None


def _rescale_deals(account_id: int, old: str, new: str) -> None:
    """Keep each deal's amount when its account changes currency, in the new minor unit.

    The currency is a label being corrected (the amounts were typed in it), so 1,500.50
    stays 1,500.50; refused when the new currency has too few decimals to hold a value.
    """
    from saletui.store.models import Deal

    shift = money.minor_digits(new) - money.minor_digits(old)
    if not shift:
        return
    for deal in Deal.select().where((Deal.account == account_id) & Deal.value.is_null(False)):
        if shift < 0 and deal.value % 10**-shift:
            raise ValidationError(
                {
                    "currency": _("Deal {title!r} is worth {value}: {currency} cannot hold that exactly.").format(
                        title=deal.title, value=money.format_money(deal.value, old), currency=new
                    )
                }
            )
        deal.value = deal.value * 10**shift if shift > 0 else deal.value // 10**-shift
        deal.save(only=[Deal.value])


def archive(account_id: int) -> None:
    """Hide an account from the list; its people, deals and visits stay."""
    with database.atomic():
        Account.update(archived_at=now(), updated_at=now()).where(Account.id == account_id).execute()


def restore(account_id: int) -> None:
    """Bring an archived account back; refused if an active one took its name meanwhile."""
    with database.atomic():
        account = Account.get_by_id(account_id)
        if name_taken(account.name, account_id):
            raise ValidationError(
                {"name": _("Cannot restore {name!r}: another active account has that name.").format(name=account.name)}
            )
        account.archived_at = None
        account.updated_at = now()
        account.save()


def find(name_part: str) -> list[Account]:
    """Active accounts whose name contains `name_part`, ignoring case, sorted by name.

    When one name equals the query exactly (ignoring case) only that account is returned, so
    "Acme" still picks Acme when "Acme Steel" exists too. Matching is done in Python with
    `casefold` (SQLite's LIKE folds ASCII only); 10,000 names take a few milliseconds.
    """
    query = unicodedata.normalize("NFC", name_part).strip().casefold()
    rows = database.execute_sql("SELECT id, name FROM account WHERE archived_at IS NULL").fetchall()
    folded = [(account_id, unicodedata.normalize("NFC", name).casefold(), name) for account_id, name in rows]
    exact = [(account_id, name) for account_id, key, name in folded if key == query]
    if len(exact) > 1:  # names equal but for non-ASCII case: the one typed exactly wins
        exact = [(account_id, name) for account_id, name in exact if name == name_part.strip()] or exact
    matches = exact if exact else [(account_id, name) for account_id, key, name in folded if query in key]
    ids = [account_id for account_id, _name in sorted(matches, key=lambda m: (m[1].casefold(), m[0]))]
    by_id: dict[int, Account] = {}
    for start in range(0, len(ids), 500):  # stay below SQLite's limit on bound variables
        by_id.update((a.id, a) for a in Account.select().where(Account.id.in_(ids[start : start + 500])))
    return [by_id[i] for i in ids]


def owners() -> list[str]:
    """Every owner name in use, for filters and completion."""
    return distinct_values("owner")


_COMPLETABLE = ("owner", "industry", "region")


def distinct_values(column: str) -> list[str]:
    """Values already used in `column` of active accounts, for completion while typing."""
    if column not in _COMPLETABLE:
        raise ValueError(column)
    cursor = database.execute_sql(
        f"SELECT DISTINCT {column} FROM account WHERE {column} != '' AND archived_at IS NULL ORDER BY {column}"
    )
    return [r[0] for r in cursor.fetchall()]
