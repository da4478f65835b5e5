"""The 5+5+5 one-year action plans and the monthly review of the 15 (DOMAIN section 4).

Each write is one transaction; plans, actions and contact objectives carry a version so a
form saved over a newer row is refused (StaleEditError), as for accounts and deals. The
review reads the plans' months and the `sales_month` summary (kept by triggers, migration
0009): a few dozen rows for the 15 accounts, whatever the size of the order history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from saletui import money
from saletui.errors import StaleEditError, ValidationError
from saletui.i18n import _
from saletui.method import plan as method
from saletui.method.plan import ACTION_STATUSES, MONTHS
from saletui.store import parse
from saletui.store.models import Account, AccountPlan, Person, PlanAction, PlanContact, PlanMonth, database, now
from saletui.store.parse import FieldError

TIERS = ("top5", "middle5", "new5")


# -- the plan: objective and monthly split ------------------------------------------------------
@dataclass
class PlanDraft:
    """A plan as typed: the objective, the goal in words and the twelve months (text)."""

    objective: str = ""
    goal: str = ""
    months: list[str] = field(default_factory=lambda: [""] * MONTHS)

    @classmethod
    def from_plan(cls, plan: AccountPlan, months: list[int]) -> PlanDraft:
        return cls(
            objective=parse.format_amount(plan.objective, plan.currency),
            goal=plan.goal,
            months=[parse.format_amount(m, plan.currency) for m in months],
        )


@dataclass(frozen=True)
class PlanValues:
    objective: int
    goal: str
    months: list[int]


def clean_plan(draft: PlanDraft, currency: str) -> PlanValues:
    """Typed values, or ValidationError naming each bad field (`month-N` for month N, and
    `months` when the split does not add up to the year, with the difference)."""
    errors: dict[str, str] = {}
    objective = None
    try:
        objective = parse.amount(draft.objective, currency)
        if objective is None:
            errors["objective"] = _("The year's objective is required (revenue in {currency}).").format(
                currency=currency
            )
    except FieldError as exc:
        errors["objective"] = str(exc)
    goal = ""
    try:
        goal = parse.text(draft.goal, max_len=2_000)
    except FieldError as exc:
        errors["goal"] = str(exc)
    months: list[int] = []
    for number, text in enumerate(draft.months, start=1):
        try:
            months.append(parse.amount(text, currency) or 0)
        except FieldError as exc:
            errors[f"month-{number}"] = str(exc)
    if len(draft.months) != MONTHS:
        errors["months"] = _("A plan has twelve months.")
    if not errors and objective is not None:
        difference = method.split_difference(objective, months)
        if difference:
            errors["months"] = split_message(objective, months, currency)
    if errors:
        raise ValidationError(errors)
    assert objective is not None
    return PlanValues(objective, goal, months)


def split_message(objective: int, months: list[int], currency: str) -> str:
    """Why a split is refused: what the months add up to, and by how much it misses."""
    total, difference = sum(months), method.split_difference(objective, months)
    values = {
        "total": money.format_money(total, currency),
        "objective": money.format_money(objective, currency),
        "difference": money.format_money(abs(difference), currency),
    }
    if difference > 0:
        return _("The months add up to {total}, {difference} more than the year's objective of {objective}.").format(
            **values
        )
    return _("The months add up to {total}, {difference} less than the year's objective of {objective}.").format(
        **values
    )


def get(account_id: int, year: int) -> AccountPlan | None:
    return AccountPlan.get_or_none((AccountPlan.account == account_id) & (AccountPlan.year == year))


def months_of(plan_id: int) -> list[int]:
    """The plan's twelve expected values (0 for a month without a row)."""
    out = [0] * MONTHS
    for month, expected in database.execute_sql(
        "SELECT month, expected FROM plan_month WHERE plan_id = ?", (plan_id,)
    ).fetchall():
        out[month - 1] = expected
    return out


def currency_for(account_id: int, year: int) -> str:
    """The currency a plan is (or will be) in: its own, else the account's now."""
    plan = get(account_id, year)
    if plan is not None:
        return str(plan.currency)
    return str(Account.get_by_id(account_id).currency)


def save_plan(
    account_id: int, year: int, draft: PlanDraft, expected_version: int | None = None, *, expect_new: bool = False
) -> AccountPlan:
    """Create or change the account's plan of `year` with its twelve months, in one
    transaction. A split that does not add up to the objective is refused (ValidationError
    with the difference); so is a save over a plan saved meanwhile (StaleEditError), and,
    with `expect_new` (a form that opened on no plan), over a plan made meanwhile."""
    with database.atomic():
        plan = get(account_id, year)
        if plan is not None and expect_new:
            raise StaleEditError(plan)
        currency = str(plan.currency) if plan is not None else str(Account.get_by_id(account_id).currency)
        values = clean_plan(draft, currency)
        if plan is None:
            plan = AccountPlan.create(
                account=account_id, year=year, currency=currency, objective=values.objective, goal=values.goal
            )
        else:
            plan.objective, plan.goal, plan.updated_at = values.objective, values.goal, now()
            plan.save(expected_version=expected_version)
        PlanMonth.delete().where(PlanMonth.plan == plan.id).execute()
        PlanMonth.insert_many(
            [{"plan": plan.id, "month": m, "expected": e} for m, e in enumerate(values.months, start=1)]
        ).execute()
        return plan


def delete_plan(plan_id: int) -> None:
    """The plan with its months, actions and contact objectives."""
    AccountPlan.delete().where(AccountPlan.id == plan_id).execute()


# -- actions -----------------------------------------------------------------------------------
@dataclass
class ActionDraft:
    what: str = ""
    owner: str = ""
    due_on: str = ""
    status: str = "open"
    note: str = ""

    @classmethod
    def from_action(cls, action: PlanAction) -> ActionDraft:
        return cls(
            what=action.what,
            owner=action.owner,
            due_on=action.due_on.isoformat() if action.due_on else "",
            status=action.status,
            note=action.note,
        )


def clean_action(draft: ActionDraft, year: int) -> dict[str, object]:
    """Column values for an action of a plan of `year`; the due date must be in that year
    (the plan is the year's: next year's actions belong to next year's plan)."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    for name, fn in (
        ("what", lambda v: parse.text(v, max_len=500, single_line=True)),
        ("owner", lambda v: parse.text(v, max_len=200, single_line=True)),
        ("note", lambda v: parse.text(v, max_len=5_000)),
        ("due_on", parse.date),
    ):
        try:
            out[name] = fn(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)
    if "what" in out and not out["what"]:
        errors["what"] = _("Say what is to be done.")
    due = out.get("due_on")
    if "due_on" in out and due is None:
        errors["due_on"] = _("A due date is required (YYYY-MM-DD).")
    elif isinstance(due, dt.date) and due.year != year:
        errors["due_on"] = _("The plan is for {year}: give a date in {year}.").format(year=year)
    if draft.status not in ACTION_STATUSES:
        errors["status"] = _("Choose open, done or dropped.")
    out["status"] = draft.status
    if errors:
        raise ValidationError(errors)
    return out


def actions(plan_id: int) -> list[PlanAction]:
    """By due date; open ones before done and dropped ones due the same day."""
    return list(
        PlanAction.select()
        .where(PlanAction.plan == plan_id)
        .order_by(PlanAction.due_on, PlanAction.status != "open", PlanAction.id)
    )


def save_action(
    plan_id: int, draft: ActionDraft, action_id: int | None = None, expected_version: int | None = None
) -> PlanAction:
    with database.atomic():
        plan = AccountPlan.get_by_id(plan_id)
        values = clean_action(draft, plan.year)
        if action_id is None:
            return PlanAction.create(plan=plan_id, **values)
        action = PlanAction.get_by_id(action_id)
        for key, value in values.items():
            setattr(action, key, value)
        action.updated_at = now()
        action.save(expected_version=expected_version)
        return action


def set_action_status(action_id: int, status: str) -> PlanAction:
    """One key on the plan: open -> done -> dropped -> open."""
    if status not in ACTION_STATUSES:
        raise ValidationError({"status": _("Choose open, done or dropped.")})
    with database.atomic():
        action = PlanAction.get_by_id(action_id)
        action.status, action.updated_at = status, now()
        action.save()
        return action


def next_status(status: str) -> str:
    return ACTION_STATUSES[(ACTION_STATUSES.index(status) + 1) % len(ACTION_STATUSES)]


def delete_action(action_id: int) -> None:
    PlanAction.delete().where(PlanAction.id == action_id).execute()


@dataclass(frozen=True)
class DueAction:
    """An open action that needs attention: due within the notice days, or overdue."""

    account_id: int
    what: str
    owner: str
    due_on: dt.date


def due_actions(account_id: int, today: dt.date, notice_days: int = method.ACTION_NOTICE_DAYS) -> list[DueAction]:
    """The account's open actions (of any year's plan) due by today + `notice_days`."""
    until = today + dt.timedelta(days=notice_days)
    rows = database.execute_sql(
        "SELECT p.account_id, a.what, a.owner, a.due_on FROM plan_action a JOIN account_plan p ON p.id = a.plan_id "
        "WHERE p.account_id = ? AND a.status = 'open' AND a.due_on <= ? ORDER BY a.due_on, a.id",
        (account_id, until.isoformat()),
    ).fetchall()
    out = []
    for account, what, owner, due in rows:
        day = parse.stored_date(due)
        assert day is not None  # NOT NULL
        out.append(DueAction(account, what, owner, day))
    return out


# -- contact objectives ------------------------------------------------------------------------
@dataclass
class ContactDraft:
    person_id: int | None = None
    objective: str = ""


@dataclass(frozen=True)
class ContactRow:
    id: int
    person_id: int
    name: str
    title: str
    objective: str
    version: int


def contacts(plan_id: int) -> list[ContactRow]:
    """What we want from each person this year, by the person's influence (L1 first), then name."""
    rows = database.execute_sql(
        "SELECT c.id, c.person_id, p.name, p.title, c.objective, c.version FROM plan_contact c "
        "JOIN person p ON p.id = c.person_id WHERE c.plan_id = ? "
        "ORDER BY p.influence IS NULL, p.influence, p.name, c.id",
        (plan_id,),
    ).fetchall()
    return [ContactRow(*r) for r in rows]


def save_contact(
    plan_id: int, draft: ContactDraft, contact_id: int | None = None, expected_version: int | None = None
) -> PlanContact:
    """One objective per person and plan: a second one for the same person is refused."""
    errors: dict[str, str] = {}
    objective = ""
    try:
        objective = parse.text(draft.objective, max_len=2_000)
        if not objective:
            errors["objective"] = _("Say what we want from this person this year.")
    except FieldError as exc:
        errors["objective"] = str(exc)
    with database.atomic():
        plan = AccountPlan.get_by_id(plan_id)
        person = Person.get_or_none(Person.id == draft.person_id) if draft.person_id else None
        if person is None or person.account_id != plan.account_id:
            errors["person_id"] = _("Choose a person of this account.")
        else:
            taken = PlanContact.select().where((PlanContact.plan == plan_id) & (PlanContact.person == person.id))
            if contact_id is not None:
                taken = taken.where(PlanContact.id != contact_id)
            if taken.exists():
                errors["person_id"] = _("{name} already has an objective in this plan: edit that one.").format(
                    name=person.name
                )
        if errors:
            raise ValidationError(errors)
        assert person is not None
        if contact_id is None:
            return PlanContact.create(plan=plan_id, person=person.id, objective=objective)
        contact = PlanContact.get_by_id(contact_id)
        contact.person_id, contact.objective, contact.updated_at = person.id, objective, now()
        contact.save(expected_version=expected_version)
        return contact


def get_contact(contact_id: int) -> PlanContact:
    return PlanContact.get_by_id(contact_id)


def get_action(action_id: int) -> PlanAction:
    return PlanAction.get_by_id(action_id)


def delete_contact(contact_id: int) -> None:
    PlanContact.delete().where(PlanContact.id == contact_id).execute()


# -- the plan as the account screen shows it -----------------------------------------------------
@dataclass(frozen=True)
class PlanView:
    """A plan with everything its tab shows: months expected and sold, actions, contacts."""

    plan: AccountPlan
    months: list[int]
    actual: list[int]  # sales per month of the plan's year, in the plan's currency
    actions: list[PlanAction]
    contacts: list[ContactRow]


def actual_months(account_id: int, year: int, currency: str) -> list[int]:
    """The account's sales per month of `year` in `currency` (other currencies apart)."""
    out = [0] * MONTHS
    for month, amount in database.execute_sql(
        "SELECT month, SUM(amount) FROM sales_month WHERE account_id = ? AND currency = ? AND month BETWEEN ? AND ? "
        "GROUP BY month",
        (account_id, currency, method.month_key(year, 1), method.month_key(year, 12)),
    ).fetchall():
        out[month % 100 - 1] = amount
    return out


def load(account_id: int, year: int) -> PlanView | None:
    plan = get(account_id, year)
    if plan is None:
        return None
    return PlanView(
        plan=plan,
        months=months_of(plan.id),
        actual=actual_months(account_id, year, plan.currency),
        actions=actions(plan.id),
        contacts=contacts(plan.id),
    )


def review_owners() -> list[str]:
    """The reps who have tiered accounts, for choosing whose review to show."""
    return [
        r[0]
        for r in database.execute_sql(
            "SELECT DISTINCT owner FROM account WHERE archived_at IS NULL AND tier IN (?, ?, ?) ORDER BY owner",
            TIERS,
        )
    ]


def plan_years(account_id: int) -> list[int]:
    return [r[0] for r in database.execute_sql("SELECT year FROM account_plan WHERE account_id = ?", (account_id,))]


# -- the monthly review of the 15 -------------------------------------------------------------
@dataclass(frozen=True)
class ReviewLine:
    """One tiered account in the review: expected (from its plan) against actual (orders)."""

    account_id: int
    name: str
    tier: str
    owner: str
    currency: str
    has_plan: bool
    objective: int
    expected_month: int
    actual_month: int
    expected_ytd: int
    actual_ytd: int
    open_actions: int
    behind: bool

    @property
    def gap_ytd(self) -> int:
        """Actual minus expected to date: negative when behind."""
        return self.actual_ytd - self.expected_ytd

    @property
    def percent_ytd(self) -> int | None:
        return method.achieved_percent(self.expected_ytd, self.actual_ytd)


@dataclass(frozen=True)
class ReviewTotal:
    """The review's sums in one currency (never added across currencies)."""

    currency: str
    objective: int
    expected_month: int
    actual_month: int
    expected_ytd: int
    actual_ytd: int
    behind: bool


@dataclass(frozen=True)
class Review:
    year: int
    month: int
    behind_percent: int
    lines: list[ReviewLine]
    owner: str | None = None  # one rep's accounts only

    @property
    def behind(self) -> list[ReviewLine]:
        return [line for line in self.lines if line.behind]

    def totals(self) -> list[ReviewTotal]:
        sums: dict[str, list[int]] = {}
        for line in self.lines:
            row = sums.setdefault(line.currency, [0, 0, 0, 0, 0])
            for i, value in enumerate(
                (line.objective, line.expected_month, line.actual_month, line.expected_ytd, line.actual_ytd)
            ):
                row[i] += value
        return [
            ReviewTotal(code, v[0], v[1], v[2], v[3], v[4], behind=method.is_behind(v[3], v[4], self.behind_percent))
            for code, v in sums.items()
        ]


def review(
    year: int, month: int, behind_percent: int = method.DEFAULT_BEHIND_PERCENT, owner: str | None = None
) -> Review:
    """The tiered (5+5+5) active accounts for `month` of `year`: expected by their plan of
    that year against their sales in the plan's currency, for the month and the year to
    date; behind when the year to date is more than `behind_percent`% short. Accounts
    without a plan are listed (nothing expected) so that the gap in the list shows. With
    `owner`, only that rep's accounts (a team database holds every rep's 15).
    Three queries: the accounts with their plans, the plans' months, the sales."""
    accounts = database.execute_sql(
        "SELECT a.id, a.name, a.tier, a.owner, a.currency, p.id, p.currency, p.objective, "
        "(SELECT COUNT(*) FROM plan_action x WHERE x.plan_id = p.id AND x.status = 'open') "
        "FROM account a LEFT JOIN account_plan p ON p.account_id = a.id AND p.year = ? "
        "WHERE a.archived_at IS NULL AND a.tier IN (?, ?, ?)" + (" AND a.owner = ?" if owner is not None else ""),
        (year, *TIERS, *((owner,) if owner is not None else ())),
    ).fetchall()
    plan_ids = [r[5] for r in accounts if r[5] is not None]
    expected: dict[int, list[int]] = {pid: [0] * MONTHS for pid in plan_ids}
    if plan_ids:
        marks = ", ".join("?" * len(plan_ids))
        for plan_id, m, value in database.execute_sql(
            f"SELECT plan_id, month, expected FROM plan_month WHERE plan_id IN ({marks})", plan_ids
        ).fetchall():
            expected[plan_id][m - 1] = value
    sold: dict[tuple[int, str], list[int]] = {}
    ids = [r[0] for r in accounts]
    if ids:
        marks = ", ".join("?" * len(ids))
        for account_id, currency, m, amount in database.execute_sql(
            f"SELECT account_id, currency, month, SUM(amount) FROM sales_month WHERE account_id IN ({marks}) "
            "AND month BETWEEN ? AND ? GROUP BY account_id, currency, month",
            (*ids, method.month_key(year, 1), method.month_key(year, month)),
        ).fetchall():
            sold.setdefault((account_id, currency), [0] * MONTHS)[m % 100 - 1] = amount
    order = {tier: i for i, tier in enumerate(TIERS)}
    lines = []
    for account_id, name, tier, owner, account_currency, plan_id, plan_currency, objective, open_actions in accounts:
        currency = plan_currency or account_currency
        months = expected.get(plan_id, [0] * MONTHS)
        actual = sold.get((account_id, currency), [0] * MONTHS)
        expected_ytd, actual_ytd = sum(months[:month]), sum(actual[:month])
        lines.append(
            ReviewLine(
                account_id=account_id,
                name=name,
                tier=tier,
                owner=owner,
                currency=currency,
                has_plan=plan_id is not None,
                objective=objective or 0,
                expected_month=months[month - 1],
                actual_month=actual[month - 1],
                expected_ytd=expected_ytd,
                actual_ytd=actual_ytd,
                open_actions=open_actions or 0,
                behind=method.is_behind(expected_ytd, actual_ytd, behind_percent),
            )
        )
    lines.sort(key=lambda line: (order[line.tier], line.name.casefold()))
    return Review(year, month, behind_percent, lines, owner)
