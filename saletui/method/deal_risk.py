"""Deal risk warnings: what puts one open deal at risk, from its own facts (contacts,
visits, milestones, objections, dates) and the thresholds in the settings. Pure: the store
gathers the facts (store.deal_health) and keeps the result current."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from saletui.i18n import _
from saletui.method import deal_roles
from saletui.method.deal_risk_rules import RISK_KEYS, STAGE_KEYS, RiskRules
from saletui.method.deal_roles import ContactFacts

__all__ = ["RISK_KEYS", "STAGE_KEYS", "DealFacts", "Finding", "Risk", "RiskRules", "assess", "decode", "encode"]


class Risk(StrEnum):
    NO_POWER = "no-power"  # no decision maker or economic buyer among the contacts
    SINGLE_THREADED = "single-threaded"  # fewer than two contacts
    FEW_CONTACTS = "few-contacts"  # fewer than `min_contacts` (when not single-threaded)
    NO_COACH = "no-coach"  # the account's coach takes no part in the deal
    NO_ACTIVITY = "no-activity"  # nothing done on it for `no_activity_days`
    STALLED = "stalled"  # longer in its stage than the stage's norm
    CLOSE_PASSED = "close-passed"  # expected close date passed while open
    KEY_NODE_OVERDUE = "key-node-overdue"  # a key node on a past visit's checklist, not reached
    POWER_NOT_MET = "power-not-met"  # no L1-L2 person met since the deal began
    PRICE_UNANSWERED = "price-unanswered"  # a price objection raised, no technique worked


RISKS = tuple(Risk)


@dataclass(frozen=True, slots=True)
class DealFacts:
    """One open deal as the risk checks see it."""

    stage: int
    began_on: dt.date  # the day the deal was entered
    stage_on: dt.date | None = None  # the day it reached its stage (None: not known)
    expected_close: dt.date | None = None
    last_activity: dt.date | None = None  # a visit done for it, a milestone reached, a stage moved
    contacts: tuple[ContactFacts, ...] = ()
    # The account has a coach (the org chart's flag). Without one the account's coverage
    # warnings already say so: each of its deals does not repeat it.
    account_has_coach: bool = True
    key_nodes_overdue: int = 0
    power_met: bool = False
    price_raised: bool = False
    price_answered: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    risk: Risk
    figure: int | None = None  # days (or contacts) behind the warning, for its text


def assess(facts: DealFacts, rules: RiskRules, today: dt.date) -> tuple[Finding, ...]:
    """Every risk of an open deal, in the order of RISKS."""
    found: list[Finding] = []
    contacts = facts.contacts
    if deal_roles.no_power(contacts):
        found.append(Finding(Risk.NO_POWER))
    if deal_roles.single_threaded(contacts):
        found.append(Finding(Risk.SINGLE_THREADED, len(contacts)))
    elif len(contacts) < rules.min_contacts:
        found.append(Finding(Risk.FEW_CONTACTS, len(contacts)))
    if facts.account_has_coach and deal_roles.coach_missing(contacts):
        found.append(Finding(Risk.NO_COACH))
    last = max(d for d in (facts.last_activity, facts.began_on, facts.stage_on) if d is not None)
    idle = (today - last).days
    if idle > rules.no_activity_days:
        found.append(Finding(Risk.NO_ACTIVITY, idle))
    norm = rules.stage_days.get(STAGE_KEYS[facts.stage - 1]) if 1 <= facts.stage <= len(STAGE_KEYS) else None
    in_stage = (today - (facts.stage_on or facts.began_on)).days
    if norm is not None and in_stage > norm:
        found.append(Finding(Risk.STALLED, in_stage))
    if facts.expected_close is not None and facts.expected_close < today:
        found.append(Finding(Risk.CLOSE_PASSED, (today - facts.expected_close).days))
    if facts.key_nodes_overdue:
        found.append(Finding(Risk.KEY_NODE_OVERDUE, facts.key_nodes_overdue))
    if not facts.power_met:
        found.append(Finding(Risk.POWER_NOT_MET))
    if facts.price_raised and not facts.price_answered:
        found.append(Finding(Risk.PRICE_UNANSWERED))
    return tuple(f for f in found if f.risk.value not in rules.ignore)


def risk_text(finding: Finding, rules: RiskRules | None = None) -> str:
    risk, n = finding.risk, finding.figure
    if risk is Risk.NO_POWER:
        return _("no decision maker or economic buyer in the deal")
    if risk is Risk.SINGLE_THREADED:
        return _("single-threaded: one contact") if n else _("no contacts in the deal")
    if risk is Risk.FEW_CONTACTS:
        return _("only {n} contacts involved").format(n=n)
    if risk is Risk.NO_COACH:
        return _("coach not involved")
    if risk is Risk.NO_ACTIVITY:
        return _("no activity for {days} days").format(days=n)
    if risk is Risk.STALLED:
        return _("{days} days in its stage").format(days=n)
    if risk is Risk.CLOSE_PASSED:
        return _("expected close passed {days} days ago").format(days=n)
    if risk is Risk.KEY_NODE_OVERDUE:
        return _("key node overdue")
    if risk is Risk.POWER_NOT_MET:
        return _("no L1-L2 person met")
    return _("price objection without a technique that worked")


def encode(findings: Iterable[Finding]) -> str:
    """Findings as stored on the deal: "no-activity:45,no-coach"."""
    return ",".join(f.risk.value if f.figure is None else f"{f.risk.value}:{f.figure}" for f in findings)


def decode(stored: str) -> tuple[Finding, ...]:
    out = []
    for part in filter(None, stored.split(",")):
        key, _sep, figure = part.partition(":")
        try:
            risk = Risk(key)
        except ValueError:
            continue  # a risk a newer saletui knows: recomputed at the next change
        out.append(Finding(risk, int(figure) if figure.isdigit() else None))
    return tuple(out)
