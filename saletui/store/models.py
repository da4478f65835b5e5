"""The current schema as peewee models, bound to the deferred `database`.

Schema changes go through a numbered script in `migrations/`; these models must always
describe the schema that the newest script produces.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, NoReturn

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CompositeKey,
    DateField,
    DateTimeField,
    DoesNotExist,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    ModelUpdate,
    SqliteDatabase,
    TextField,
)

from saletui.errors import StaleEditError
from saletui.money import DEFAULT_CURRENCY


class TolerantSqliteDatabase(SqliteDatabase):
    """SQLite whose text is read even when a byte in it is not UTF-8 (another tool wrote it,
    or a disk damaged it): such a value comes back with U+FFFD in place of the bad bytes,
    and is counted, instead of one row making every list, export and backup fail."""

    undecodable = 0  # text values read with replacement characters since the process began

    def _connect(self) -> Any:
        # peewee's hook for a new connection (one per thread); not in its type stubs.
        conn = super()._connect()  # type: ignore[misc]
        conn.text_factory = self._decode
        # Case folding for the search (saletui.store.search), which SQLite does for ASCII only.
        conn.create_function("saletui_fold", 1, _fold, deterministic=True)
        return conn

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")  # the usual case: as fast as sqlite3's own decoding
        except UnicodeDecodeError:
            type(self).undecodable += 1
            return raw.decode("utf-8", "replace")


def _fold(value: object) -> object:
    return value.casefold() if isinstance(value, str) else value


# Deferred: initialised by saletui.store.db.open_database, never at import.
database: SqliteDatabase = TolerantSqliteDatabase(None)


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    # Declared rather than implicit, so that type checkers know every row has an id (the
    # column is the same INTEGER PRIMARY KEY peewee adds by itself).
    id = AutoField()

    class Meta:
        database = database


class VersionedModel(BaseModel):
    """A row the user edits in a form, possibly in two windows at once: every UPDATE of it
    adds one to `version` in the same statement (migration 0008), so a save can say which
    version it was typed over and be refused when another window saved first.
    `updated_at` cannot do that: it has one-second resolution."""

    version = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])

    # Columns that are caches of other rows (not edited by anyone): changing only them
    # leaves the version alone, so a form open on the row is not told of a change it
    # cannot see.
    DERIVED: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> ModelUpdate:
        data: dict[Any, Any] = {}
        for key, value in {**(__data or {}), **update}.items():
            data[cls._meta.combined[key] if isinstance(key, str) else key] = value
        data.pop(cls.version, None)  # never set by value: it only ever grows by one
        if any(getattr(f, "name", None) not in cls.DERIVED for f in data):
            data[cls.version] = cls.version + 1
        return ModelUpdate(cls, data)

    def save(self, force_insert: bool = False, only: Any = None, expected_version: int | None = None) -> int | bool:
        """peewee's save; an update with `expected_version` writes only if the row is still
        at that version, else raises StaleEditError with the row as stored now (or
        DoesNotExist when it was deleted). The instance then holds the new version."""
        if self.id is None or force_insert:
            return super().save(force_insert=force_insert, only=only)
        model = type(self)
        names = [getattr(f, "name", f) for f in only] if only is not None else list(self.__data__)
        data = {name: self.__data__[name] for name in names if name in self.__data__ and name != "id"}
        where = model.id == self.id
        if expected_version is not None:
            where &= model.version == expected_version
        rows: int = model.update(**data).where(where).execute()
        if not rows:
            refuse_stale(model, self.id)
        self.version = model.select(model.version).where(model.id == self.id).scalar()
        return rows


def refuse_stale(model: type[VersionedModel], row_id: int) -> NoReturn:
    """Why an UPDATE guarded by a version matched nothing: gone, or saved by someone else."""
    current = model.get_or_none(model.id == row_id)
    if current is None:
        raise DoesNotExist(f"{model.__name__.lower()} {row_id}")
    raise StaleEditError(current)


class Account(VersionedModel):
    """A customer, prospect or future customer organisation."""

    name = TextField()
    industry = TextField(default="")
    region = TextField(default="")
    owner = TextField(default="")  # our rep
    relationship = TextField(default="prospect")  # customer / prospect / future
    contribution = TextField(null=True)  # customers: high / low
    stability = TextField(null=True)  # customers: high / low
    expected_value = TextField(null=True)  # prospects: high / low
    intent = TextField(null=True)  # prospects: high / low
    tier = TextField(default="")  # 5+5+5: top5 / middle5 / new5 / ""
    # Amounts are exact integers of minor units (cents, 分) of `currency`: see saletui.money.
    market_capacity = IntegerField(null=True)
    excluded_capacity = IntegerField(null=True)  # channels we do not take part in
    excluded_channels = TextField(default="")
    credit_terms = TextField(default="")
    payment_terms = TextField(default="")
    rules_of_engagement = TextField(default="")
    profile_notes = TextField(default="")
    next_step = TextField(default="")
    next_step_date = DateField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    archived_at = DateTimeField(null=True)
    warning_count = IntegerField(null=True)  # coverage warnings; kept current by store.people
    currency = TextField(default=DEFAULT_CURRENCY)  # ISO 4217; the account's deals are in it too
    source = TextField(default="")  # the CRM it was imported from (migration 0007)
    source_id = TextField(default="")  # ...and its id there: a re-import updates this row
    phone = TextField(default="")
    website = TextField(default="")
    annual_revenue = IntegerField(null=True)  # minor units of `currency`
    employees = IntegerField(null=True)
    # "derived": the class comes from the orders when there are any; "hand": the hand-set
    # axes above win (the rep's override). Migration 0012.
    class_source = TextField(default="derived")
    # A prospect's ratings, 1-5, of the method's factors (saletui.method.prospect_score);
    # enough of them make its expected contribution a score. Migration 0013.
    rating_size = IntegerField(null=True)
    rating_management = IntegerField(null=True)
    rating_network = IntegerField(null=True)
    rating_buying_power = IntegerField(null=True)
    rating_marketing = IntegerField(null=True)
    rating_growth = IntegerField(null=True)
    rating_advantage = IntegerField(null=True)

    DERIVED = frozenset({"warning_count"})


class Deal(VersionedModel):
    """A project or opportunity at an account; stage and milestones belong to it."""

    account_id: int  # the foreign keys' raw ids, which peewee adds as `<name>_id`

    DERIVED = frozenset({"risks", "risks_on"})

    account = ForeignKeyField(Account, backref="deals", on_delete="CASCADE", index=True)
    title = TextField()
    value = IntegerField(null=True)  # minor units of the account's currency
    expected_close = DateField(null=True)
    stage = IntegerField(default=1)  # 1-6, see saletui.method.stages
    status = TextField(default="open")  # open / won / lost
    close_reason = TextField(default="")
    closed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    source = TextField(default="")
    source_id = TextField(default="")
    # After signing (migration 0011): the implementation phase set when won or by the rep,
    # and the day it began; the phase today follows from them (method.implementation).
    phase = TextField(default="")
    phase_on = DateField(null=True)
    stage_on = DateField(null=True)  # the day it reached its stage (migration 0014)
    # Its risk warnings (saletui.method.deal_risk) and the day they were worked out; NULL
    # when something they depend on changed (store.deal_health keeps them current).
    risks = TextField(default="")
    risks_on = DateField(null=True)


class Person(VersionedModel):
    """Someone in the customer's buying organisation."""

    account_id: int
    reports_to_id: int | None

    account = ForeignKeyField(Account, backref="people", on_delete="CASCADE", index=True)
    reports_to = ForeignKeyField("self", null=True, on_delete="SET NULL", backref="reports", index=True)
    name = TextField()
    title = TextField(default="")
    department = TextField(default="")
    influence = IntegerField(null=True)  # 1 (highest) - 5
    is_coach = BooleanField(default=False)
    attitude = TextField(default="")
    coverage = TextField(default="unknown")
    buying_role = TextField(default="")
    owner = TextField(default="")  # our staff member who owns the relationship
    phone = TextField(default="")
    fax = TextField(default="")
    email = TextField(default="")
    interests = TextField(default="")
    pains = TextField(default="")
    good_supplier = TextField(default="")
    responsibility = TextField(default="")
    notes = TextField(default="")
    last_contacted = DateField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    source = TextField(default="")
    source_id = TextField(default="")


class Visit(VersionedModel):
    """A planned or completed contact: visit, call, email or meeting."""

    account_id: int
    deal_id: int | None

    account = ForeignKeyField(Account, backref="visits", on_delete="CASCADE")
    deal = ForeignKeyField(Deal, null=True, on_delete="SET NULL", index=True)
    planned_at = DateTimeField()
    kind = TextField(default="visit")
    status = TextField(default="planned")  # planned / done / cancelled
    purposes = TextField(default="")  # comma-separated contact functions
    objective = TextField(default="")  # for what: the result this contact must bring
    objective_who = TextField(default="")
    objective_how = TextField(default="")
    objective_when = TextField(default="")
    objective_why = TextField(default="")
    give = TextField(default="")  # information and proof we bring
    learn = TextField(default="")  # what we need to find out
    ask_best = TextField(default="")  # the commitment we ask for: best outcome
    ask_minimum = TextField(default="")  # ...and the minimum we accept
    commitment = TextField(default="")  # the commitment actually obtained
    outcome = TextField(default="")
    debrief = TextField(default="")
    next_step = TextField(default="")
    next_step_date = DateField(null=True)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)


class VisitAttendee(BaseModel):
    visit_id: int
    person_id: int

    visit = ForeignKeyField(Visit, backref="attendees", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE", index=True)

    class Meta:
        indexes = ((("visit", "person"), True),)


class InfluenceLink(BaseModel):
    """ "Source influences target": informal influence, apart from the reporting line."""

    account_id: int
    source_id: int
    target_id: int

    account = ForeignKeyField(Account, on_delete="CASCADE", index=True)
    source = ForeignKeyField(Person, on_delete="CASCADE", index=True, backref="influences")
    target = ForeignKeyField(Person, on_delete="CASCADE", index=True, backref="influenced_by")
    note = TextField(default="")
    created_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("source", "target"), True),)


class Milestone(VersionedModel):
    """One question the customer must settle, on one deal, in order."""

    deal_id: int
    reached_visit_id: int | None

    deal = ForeignKeyField(Deal, on_delete="CASCADE", backref="milestones")
    stage = IntegerField()
    position = IntegerField()  # order within the stage
    template_id = TextField(default="")
    question = TextField()
    key_node = BooleanField(default=False)
    status = TextField(default="open")  # open / reached / skipped
    skip_reason = TextField(default="")
    reached_visit = ForeignKeyField(Visit, null=True, on_delete="SET NULL", index=True)
    reached_on = DateField(null=True)
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("deal", "stage", "position"), False),)


class VisitItem(BaseModel):
    """A milestone on a visit's checklist, and whether the visit reached it."""

    visit_id: int
    milestone_id: int

    visit = ForeignKeyField(Visit, on_delete="CASCADE", backref="items")
    milestone = ForeignKeyField(Milestone, on_delete="CASCADE", index=True)
    position = IntegerField(default=0)
    result = TextField(default="pending")  # pending / reached / not_reached
    note = TextField(default="")

    class Meta:
        indexes = ((("visit", "milestone"), True),)


class VisitObjection(BaseModel):
    """An objection raised on a visit, the technique answered with, and whether it worked.

    Ids refer to the playbook; titles are kept too, so history survives playbook edits.
    """

    visit_id: int

    visit = ForeignKeyField(Visit, on_delete="CASCADE", index=True, backref="objections")
    objection_id = TextField()
    objection_title = TextField(default="")
    technique_id = TextField(default="")
    technique_name = TextField(default="")
    worked = BooleanField(null=True)
    note = TextField(default="")
    created_at = DateTimeField(default=now)


class OrderLine(VersionedModel):
    """One line of an order the account placed with us (from the ERP, or typed in): the
    trading history that contribution, stability and purchase reminders come from.

    `order_no` + `line_no` identify a line from the ERP (unique when there is an order
    number), so importing the same export twice updates instead of doubling the sales.
    The summaries below are kept current by triggers (migration 0009)."""

    account_id: int

    account = ForeignKeyField(Account, backref="orders", on_delete="CASCADE")
    ordered_on = DateField()
    product = TextField()
    category = TextField(default="")
    quantity = FloatField(null=True)  # counts or kilograms: not money, so a float is exact enough
    amount = IntegerField()  # minor units of `currency`
    currency = TextField()
    order_no = TextField(default="")
    line_no = TextField(default="")
    rep = TextField(default="")  # our rep who sold it
    source = TextField(default="")  # the ERP/file it came from, or "" when typed in
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "order_line"


class AccountPlan(VersionedModel):
    """An account's one-year action plan of the 5+5+5 list (migration 0010): the year's
    objective in `currency` (the account's when the plan was made), spread over the months
    as expected values (`PlanMonth`), with its actions and contact objectives.

    Saving the plan's monthly split bumps its version too: the months are part of it."""

    account_id: int

    account = ForeignKeyField(Account, backref="plans", on_delete="CASCADE")
    year = IntegerField()
    currency = TextField()
    objective = IntegerField()  # minor units of `currency`
    goal = TextField(default="")  # what the year is for, in words
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "account_plan"
        indexes = ((("account", "year"), True),)


class PlanMonth(BaseModel):
    """The revenue expected from the plan's account in one month (1-12) of its year."""

    plan_id: int

    plan = ForeignKeyField(AccountPlan, backref="months", on_delete="CASCADE")
    month = IntegerField()
    expected = IntegerField()  # minor units of the plan's currency

    class Meta:
        table_name = "plan_month"
        indexes = ((("plan", "month"), True),)


class PlanAction(VersionedModel):
    """One action of a plan: what, who on our side answers for it, by when, and its status."""

    plan_id: int

    plan = ForeignKeyField(AccountPlan, backref="actions", on_delete="CASCADE")
    what = TextField()
    owner = TextField(default="")
    due_on = DateField()
    status = TextField(default="open")  # open / done / dropped
    note = TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "plan_action"


class PlanContact(VersionedModel):
    """What we want from one person of the account this year (an objective per contact)."""

    plan_id: int
    person_id: int

    plan = ForeignKeyField(AccountPlan, backref="contacts", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    objective = TextField()
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "plan_contact"
        indexes = ((("plan", "person"), True),)


class DealContact(VersionedModel):
    """A person of the account taking part in a deal, with their roles in it (migration
    0014): `roles` is their role keys, comma-separated in saletui.method.deal_roles order."""

    deal_id: int
    person_id: int

    deal = ForeignKeyField(Deal, backref="contacts", on_delete="CASCADE")
    person = ForeignKeyField(Person, on_delete="CASCADE")
    roles = TextField()
    is_primary = BooleanField(default=False)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "deal_contact"
        indexes = ((("deal", "person"), True),)


class PersonRelationship(VersionedModel):
    """One of our staff's relationship with a person, now and as aimed for (migration 0015;
    levels in saletui.method.relationship)."""

    person_id: int

    person = ForeignKeyField(Person, on_delete="CASCADE", backref="relationships")
    staff = TextField()
    level = IntegerField()
    target = IntegerField()
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "person_relationship"
        indexes = ((("person", "staff"), True),)


class _Summary(Model):
    """A summary row maintained by the database's triggers: read, never written by us."""

    class Meta:
        database = database


class SalesMonth(_Summary):
    """Sales per account, month (yyyymm), rep and currency."""

    account_id: int

    account = ForeignKeyField(Account, on_delete="CASCADE")
    month = IntegerField()
    rep = TextField()
    currency = TextField()
    amount = IntegerField()
    quantity = FloatField()
    lines = IntegerField()

    class Meta:
        table_name = "sales_month"
        primary_key = CompositeKey("account", "month", "rep", "currency")


class ProductMonth(_Summary):
    """Sales per product, category, month (yyyymm) and currency."""

    product = TextField()
    category = TextField()
    month = IntegerField()
    currency = TextField()
    amount = IntegerField()
    quantity = FloatField()
    lines = IntegerField()

    class Meta:
        table_name = "product_month"
        primary_key = CompositeKey("product", "category", "month", "currency")


class AccountTrade(_Summary):
    """Per account: first and last order date, distinct order days, lines (reorder interval
    = (last - first) / (order_days - 1))."""

    account_id: int

    account = ForeignKeyField(Account, primary_key=True, on_delete="CASCADE")
    first_on = DateField()
    last_on = DateField()
    order_days = IntegerField()
    lines = IntegerField()

    class Meta:
        table_name = "account_trade"


class DerivedClass(_Summary):
    """Per account that has bought: the class axes its recent orders give (store.derived
    rewrites the table as a whole) and the figures behind them; per prospect rated on
    enough factors, the expected contribution its score gives (contribution and
    stability '')."""

    account_id: int

    account = ForeignKeyField(Account, primary_key=True, on_delete="CASCADE")
    contribution = TextField()
    stability = TextField()
    lines = IntegerField()  # order lines in the window
    months = IntegerField()  # months of the window with an order
    quarters = IntegerField()  # quarters of the window with an order
    expected_value = TextField(null=True)  # a rated prospect's (migration 0013)
    score = FloatField(null=True)

    class Meta:
        table_name = "derived_class"


class ClassDerivation(_Summary):
    """One row: the window end (yyyymm) and rules `derived_class` was worked out for, and
    whether the orders changed since (set by triggers)."""

    window_end = IntegerField()
    rules = TextField()
    stale = IntegerField()
    generation = IntegerField()  # one more at every refresh

    class Meta:
        table_name = "class_derivation"


class DealRiskState(_Summary):
    """One row: the rules the deals' stored risks were worked out with (store.deal_health)."""

    rules = TextField()

    class Meta:
        table_name = "deal_risk_state"


ALL_MODELS = (
    Account,
    Deal,
    Person,
    Visit,
    VisitAttendee,
    InfluenceLink,
    Milestone,
    VisitItem,
    VisitObjection,
    OrderLine,
    AccountPlan,
    PlanMonth,
    PlanAction,
    PlanContact,
    DealContact,
    PersonRelationship,
)
"""The tables a backup holds: what people entered or imported."""

SUMMARY_MODELS = (SalesMonth, ProductMonth, AccountTrade, DerivedClass, ClassDerivation, DealRiskState)
"""Tables derived from order lines, by the database itself (triggers) or by store.derived
(the derived classes, worked out again whenever the triggers mark them stale), and the
state of the deals' stored risks: not backed up, and rebuilt when a backup's lines are
restored (the risks are worked out again whenever they are read on another day)."""
