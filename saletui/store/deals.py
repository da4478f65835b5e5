"""Deals at an account: add, edit, close (won/lost with a reason) and reopen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Case

from saletui.errors import ValidationError
from saletui.i18n import _
from saletui.method.implementation import PHASES, Cadence, Phase, PhaseState, current_phase
from saletui.method.stages import STAGES
from saletui.money import DEFAULT_CURRENCY
from saletui.process.schema import Process
from saletui.store import parse
from saletui.store.milestones import apply_template
from saletui.store.models import Deal, database, now
from saletui.store.parse import FieldError

DEAL_STATUSES = ("open", "won", "lost")


@dataclass
class DealDraft:
    title: str = ""
    value: str = ""
    expected_close: str = ""
    stage: int = 1

    @classmethod
    def from_deal(cls, deal: Deal) -> DealDraft:
        return cls(
            title=deal.title,
            value=parse.format_amount(deal.value, currency_of(deal.account_id)),
            expected_close=deal.expected_close.isoformat() if deal.expected_close else "",
            stage=deal.stage,
        )


def currency_of(account_id: int) -> str:
    """The currency a deal's value is in: its account's."""
    row = database.execute_sql("SELECT currency FROM account WHERE id = ?", (account_id,)).fetchone()
    return str(row[0]) if row else DEFAULT_CURRENCY


def clean(draft: DealDraft, currency: str = DEFAULT_CURRENCY) -> dict[str, object]:
    """Typed column values for `draft`, the value in minor units of `currency`."""
    errors: dict[str, str] = {}
    out: dict[str, object] = {}
    for name, fn in (
        ("title", lambda v: parse.text(v, max_len=300, single_line=True)),
        ("value", lambda v: parse.amount(v, currency)),
        ("expected_close", parse.date),
    ):
        try:
            out[name] = fn(getattr(draft, name))
        except FieldError as exc:
            errors[name] = str(exc)
    if "title" in out and not out["title"]:
        errors["title"] = _("A title is required.")
    if draft.stage not in {s.number for s in STAGES}:
        errors["stage"] = _("Choose a stage.")
    out["stage"] = draft.stage
    if errors:
        raise ValidationError(errors)
    return out


def get(deal_id: int) -> Deal:
    return Deal.get_by_id(deal_id)


def for_account(account_id: int) -> list[Deal]:
    """Open deals first (most advanced first), then closed ones, newest first."""
    return list(
        Deal.select()
        .where(Deal.account == account_id)
        .order_by(
            (Deal.status != "open"),
            # Stage ranks open deals only: closed ones go by closing date.
            Case(None, [(Deal.status == "open", Deal.stage)], 0).desc(),
            Deal.closed_at.desc(),
            Deal.id.desc(),
        )
    )


def save(
    account_id: int,
    draft: DealDraft,
    deal_id: int | None = None,
    process: Process | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Deal:
    """Create or update a deal; a new one gets the process's milestones, in order.

    With `expected_version` (the version the form read) an update is refused with
    StaleEditError when someone saved the deal meanwhile; nothing is written then.
    A new stage is reached on `today` (the deal's risks count its days in the stage)."""
    with database.atomic():
        values = clean(draft, currency_of(account_id))
        if deal_id is None:
            deal = Deal.create(account=account_id, stage_on=today or dt.date.today(), **values)
            if process is not None:  # a deal entered mid-way has passed the earlier stages
                apply_template(deal.id, process, reached_before_stage=deal.stage)
            return deal
        deal = Deal.get_by_id(deal_id)
        if values["stage"] != deal.stage:
            deal.stage_on = today or dt.date.today()
        for key, value in values.items():
            setattr(deal, key, value)
        deal.updated_at = now()
        deal.save(expected_version=expected_version)
        return deal


def close(deal_id: int, status: str, reason: str, today: dt.date | None = None) -> Deal:
    """Mark a deal won or lost; the reason feeds the win/loss review, so it is required.
    A won deal starts its implementation at "new toy" on `today` (the won date)."""
    errors = {}
    if status not in ("won", "lost"):
        errors["status"] = _("Choose won or lost.")
    try:
        reason = parse.text(reason, max_len=5_000)
    except FieldError as exc:
        errors["reason"] = str(exc)
    else:
        if not reason:
            errors["reason"] = _("Say why: the win/loss review depends on it.")
    if errors:
        raise ValidationError(errors)
    with database.atomic():
        deal = Deal.get_by_id(deal_id)
        if deal.status != "open":
            raise ValidationError({"status": _("This deal is already closed; reopen it first.")})
        deal.status, deal.close_reason, deal.closed_at = status, reason, now()
        if status == "won":
            deal.phase, deal.phase_on = Phase.NEW_TOY.value, today or dt.date.today()
        deal.updated_at = now()
        deal.save()
        return deal


def reopen(deal_id: int) -> Deal:
    with database.atomic():
        deal = Deal.get_by_id(deal_id)
        # The old reason stays until the deal is closed again: reopening must not lose it.
        deal.status, deal.closed_at = "open", None
        deal.phase, deal.phase_on = "", None  # not being implemented any more
        deal.updated_at = now()
        deal.save()
        return deal


def set_phase(deal_id: int, phase: str, today: dt.date) -> Deal:
    """The rep moves a won deal's implementation to `phase`, from `today` on (the clock
    counts that phase's days from here). Refused for a deal that is not won."""
    if phase not in PHASES:
        raise ValidationError({"phase": _("Choose a phase.")})
    with database.atomic():
        deal = Deal.get_by_id(deal_id)
        if deal.status != "won":
            raise ValidationError({"phase": _("Only a won deal is being implemented; close it as won first.")})
        deal.phase, deal.phase_on = phase, today
        deal.updated_at = now()
        deal.save()
        return deal


def phase_of(deal: Deal, today: dt.date, cadence: Cadence) -> PhaseState | None:
    """Where a won deal's implementation stands today (None for an open or lost deal)."""
    if deal.status != "won":
        return None
    since = deal.phase_on or (deal.closed_at.date() if deal.closed_at else today)
    return current_phase(deal.phase or Phase.NEW_TOY.value, since, today, cadence)
