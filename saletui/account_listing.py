"""The account list as plain data: display cells, filtering and sorting of many rows.

Kept apart from the widget so that it is tested without a terminal, and so that a
keystroke only re-runs a substring test over precomputed text, never a query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING

from saletui.i18n import _
from saletui.method.attention import (
    Purchases,
    Reason,
    Thresholds,
    VisitReminder,
    attention_reasons,
    days_ago_text,
    visit_reminder,
)
from saletui.method.classes import CLASS_CODES
from saletui.method.implementation import Cadence, account_follow_up, parse_implementations
from saletui.method.stages import stage_label
from saletui.store.accounts import AccountRow
from saletui.text import display_text

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


class Column(IntEnum):
    ATTENTION = 0
    NAME = 1
    CLASS = 2
    TIER = 3
    STAGE = 4
    WARNINGS = 5
    OWNER = 6
    LAST_CONTACT = 7
    NEXT_STEP = 8
    # Shown only on wide terminals (see the account table's layout); appended so that the
    # cells of the columns above keep their positions.
    NEXT_ACTION = 9
    REGION = 10
    INDUSTRY = 11


def column_titles() -> tuple[str, ...]:
    return (
        "!",
        _("Name"),
        _("Class"),
        _("Tier"),
        _("Stage"),
        _("Warn"),
        _("Owner"),
        _("Last contact"),
        _("Next step"),
        _("Next action"),
        _("Region"),
        _("Industry"),
    )


def tier_labels() -> dict[str, str]:
    return {"top5": _("Top 5"), "middle5": _("Middle 5"), "new5": _("New 5"), "": ""}


DISAGREES = "*"
"""After the class: the orders say another class than the one set by hand."""


def purchases_of(row: AccountRow, trading: bool) -> Purchases | None:
    """A customer's buying, when the book holds orders (else no purchase reminders)."""
    if not trading or row.relationship != "customer":
        return None
    return Purchases(row.first_purchase, row.last_purchase, row.order_days)


_TIER_ORDER = {"top5": 0, "middle5": 1, "new5": 2, "": 3}
_CLASS_ORDER = {code: i for i, code in enumerate((*CLASS_CODES, "F", ""))}
_FAR = dt.date.max


@dataclass(frozen=True)
class Filters:
    """What the rep narrowed the list to. Empty values mean "any"."""

    text: str = ""
    class_code: str = ""
    tier: str = ""
    stage: int | None = None
    owner: str = ""
    attention_only: bool = False
    disagree_only: bool = False  # customers whose orders say another class than the hand-set one

    @property
    def active(self) -> bool:
        return bool(
            self.text
            or self.class_code
            or self.tier
            or self.stage
            or self.owner
            or self.attention_only
            or self.disagree_only
        )


@dataclass
class AccountListing:
    """All rows of the list plus the current filter and sort, and the visible order."""

    today: dt.date
    thresholds: Thresholds
    rows: list[AccountRow] = field(default_factory=list)
    trading: bool = False  # the book holds orders: purchase reminders apply
    filters: Filters = field(default_factory=Filters)
    sort_column: Column = Column.NAME
    sort_reverse: bool = False
    view: list[int] = field(default_factory=list)  # indices into rows, in display order
    cadence: Cadence = field(default_factory=Cadence)  # after signing: follow-ups per phase

    def __post_init__(self) -> None:
        self.set_rows(self.rows)

    # -- data ---------------------------------------------------------------------
    def set_rows(self, rows: list[AccountRow]) -> None:
        self.rows = rows
        tiers = tier_labels()
        self.reasons: list[tuple[Reason, ...]] = []
        self.reminders: list[VisitReminder | None] = []
        self.cells: list[tuple[str, ...]] = []
        self.haystacks: list[str] = []
        for r in rows:
            reasons, reminder, cells, haystack = self._derive(r, tiers)
            self.reasons.append(reasons)
            self.reminders.append(reminder)
            self.cells.append(cells)
            self.haystacks.append(haystack)
        self._count()
        self._sort()

    def _derive(
        self, r: AccountRow, tiers: dict[str, str]
    ) -> tuple[tuple[Reason, ...], VisitReminder | None, tuple[str, ...], str]:
        """One row's attention reasons, reminder, cells as shown, and filter text."""
        reasons = attention_reasons(
            r.class_code,
            r.last_contact,
            r.next_step_date,
            self.today,
            self.thresholds,
            next_action_due=r.next_action_due,
            purchases=purchases_of(r, self.trading),
            deals_at_risk=r.deals_at_risk,
        )
        if r.implementing and account_follow_up(
            parse_implementations(r.implementing), r.last_contact, self.today, self.cadence
        ):
            reasons = (*reasons, Reason.FOLLOW_UP_DUE)
        reminder = visit_reminder(r.next_planned, self.today)
        cells = (
            ("!" if reasons else " ") + ("»" if reminder else " "),
            display_text(r.name),
            (r.class_code if r.class_code != "F" else _("Future")) + (DISAGREES if r.disagrees else ""),
            tiers.get(r.tier, r.tier),
            stage_label(r.stage),
            str(r.warnings) if r.warnings else "",
            display_text(r.owner),
            days_ago_text(r.last_contact, self.today),
            r.next_step_date.isoformat() if r.next_step_date else "",
            display_text(r.next_step),
            display_text(r.region),
            display_text(r.industry),
        )
        haystack = f"{r.name}\n{r.industry}\n{r.region}\n{r.owner}".casefold()
        return reasons, reminder, cells, haystack

    def _count(self) -> None:
        self.attention_count = sum(1 for reasons in self.reasons if reasons)
        self.visits_due = sum(1 for r in self.reminders if r in (VisitReminder.TODAY, VisitReminder.TOMORROW))
        self._tier_counts = {"top5": 0, "middle5": 0, "new5": 0}
        for r in self.rows:
            if r.tier in self._tier_counts:
                self._tier_counts[r.tier] += 1

    def replace_row(self, row: AccountRow | None, account_id: int, *, archive_view: bool = False) -> None:
        """Refresh one account after an edit without re-reading the whole list: only its
        cells are built again (10,000 rows' cells took ~0.1 s); it stays only if it still
        belongs to the view (active accounts, or the archive). `today` may have moved on:
        call set_rows then."""
        index = next((i for i, r in enumerate(self.rows) if r.id == account_id), None)
        keep = row is not None and row.archived == archive_view
        if index is not None and not keep:
            for column in (self.rows, self.reasons, self.reminders, self.cells, self.haystacks):
                del column[index]
        elif row is not None and keep:
            reasons, reminder, cells, haystack = self._derive(row, tier_labels())
            if index is None:
                self.rows.append(row)
                self.reasons.append(reasons)
                self.reminders.append(reminder)
                self.cells.append(cells)
                self.haystacks.append(haystack)
            else:
                self.rows[index] = row
                self.reasons[index] = reasons
                self.reminders[index] = reminder
                self.cells[index] = cells
                self.haystacks[index] = haystack
        self._count()
        self._sort()

    # -- sort and filter ----------------------------------------------------------
    def _key(self, column: Column) -> Callable[[int], SupportsRichComparison]:
        rows = self.rows
        if column == Column.NAME:
            return lambda i: rows[i].name.casefold()
        if column == Column.ATTENTION:
            return lambda i: (not self.reasons[i], rows[i].name.casefold())
        if column == Column.CLASS:
            return lambda i: (_CLASS_ORDER.get(rows[i].class_code, 99), rows[i].name.casefold())
        if column == Column.TIER:
            return lambda i: (_TIER_ORDER.get(rows[i].tier, 9), rows[i].name.casefold())
        if column == Column.STAGE:
            return lambda i: (-(rows[i].stage or 0), rows[i].name.casefold())
        if column == Column.WARNINGS:
            return lambda i: (-rows[i].warnings, rows[i].name.casefold())
        if column == Column.OWNER:
            return lambda i: (rows[i].owner == "", rows[i].owner.casefold(), rows[i].name.casefold())
        if column == Column.LAST_CONTACT:
            # Longest without contact first: "never" before the oldest date.
            return lambda i: (rows[i].last_contact or dt.date.min, rows[i].name.casefold())
        if column in (Column.NEXT_ACTION, Column.REGION, Column.INDUSTRY):
            # Filled ones first, alphabetically; the cells hold the text as shown.
            cells = self.cells
            return lambda i: (cells[i][column] == "", cells[i][column].casefold(), rows[i].name.casefold())
        return lambda i: (rows[i].next_step_date or _FAR, rows[i].name.casefold())

    def _sort(self) -> None:
        self.order = sorted(range(len(self.rows)), key=self._key(self.sort_column), reverse=self.sort_reverse)
        self._filter()

    def sort_by(self, column: Column, reverse: bool | None = None) -> None:
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._sort()

    def set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self._filter()

    def _filter(self) -> None:
        f = self.filters
        if not f.active:
            self.view = list(self.order)
            return
        needles = f.text.casefold().split()
        rows, hay, reasons = self.rows, self.haystacks, self.reasons
        view = []
        for i in self.order:
            r = rows[i]
            if f.class_code and r.class_code != f.class_code:
                continue
            if f.tier and r.tier != f.tier:
                continue
            if f.stage and r.stage != f.stage:
                continue
            if f.owner and r.owner != f.owner:
                continue
            if f.attention_only and not reasons[i]:
                continue
            if f.disagree_only and not r.disagrees:
                continue
            if needles and not all(n in hay[i] for n in needles):
                continue
            view.append(i)
        self.view = view

    # -- summaries ----------------------------------------------------------------
    def tier_counts(self) -> dict[str, int]:
        return dict(self._tier_counts)

    def index_of(self, account_id: int) -> int | None:
        for pos, i in enumerate(self.view):
            if self.rows[i].id == account_id:
                return pos
        return None

    def row_at(self, position: int) -> AccountRow | None:
        if 0 <= position < len(self.view):
            return self.rows[self.view[position]]
        return None
