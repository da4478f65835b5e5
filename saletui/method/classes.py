"""Account classification (DOMAIN section 4): EI-EIV for customers, PI-PIV for prospects.

Existing customers are placed by contribution x stability, prospects by expected
contribution x intent. The class decides the strategy and how much of the rep's time
the account deserves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from saletui.i18n import _


class Relationship(StrEnum):
    CUSTOMER = "customer"
    PROSPECT = "prospect"
    FUTURE = "future"


class Level(StrEnum):
    HIGH = "high"
    LOW = "low"


class Tier(StrEnum):
    """The 5+5+5 tiered list: 15 focus accounts in three groups of five."""

    TOP = "top5"
    MIDDLE = "middle5"
    NEW = "new5"
    NONE = ""


@dataclass(frozen=True)
class AccountClass:
    code: str  # "EI" .. "EIV", "PI" .. "PIV"
    strategy_key: str

    @property
    def strategy(self) -> str:
        return _STRATEGIES[self.code]()


# Plain-string keys: classify runs for every row of a 10,000-account list at start-up.
_ROMAN = {
    ("high", "high"): "I",
    ("high", "low"): "II",
    ("low", "high"): "III",
    ("low", "low"): "IV",
}

# Callables so the text follows the active interface language.
_STRATEGIES = {
    "EI": lambda: _(
        "Consolidate: priority service, act as their business adviser, bring new products. Long-term plan."
    ),
    "EII": lambda: _(
        "Turn around: find why they drift (novelty, competitor offers, dissatisfaction) and fix it. Most of your time, short term."
    ),
    "EIII": lambda: _("Upgrade: regular visits and business analysis; help them grow."),
    "EIV": lambda: _("Liquidate: weigh cost against benefit; turn around or let go. Least time."),
    "PI": lambda: _("Close fast: remove the remaining obstacles."),
    "PII": lambda: _(
        "Cultivate long term: build relationships with the key people; find why they hold back (unknown to them, switching cost or risk, a stronger competitor)."
    ),
    "PIII": lambda: _("Convert efficiently: keen but small; win with little effort."),
    "PIV": lambda: _("Watch: low value and low intent; minimal effort until something changes."),
    "F": lambda: _("Future: watch the sources (media, referrals, untouched regions or channels, new products)."),
}

CLASS_CODES = ("EI", "EII", "EIII", "EIV", "PI", "PII", "PIII", "PIV")


def classify(
    relationship: str,
    contribution: str | None = None,
    stability: str | None = None,
    expected_value: str | None = None,
    intent: str | None = None,
) -> str:
    """The class code for an account, or "" when its axes are not rated yet.

    Future accounts have no class of their own: they are "F".
    """
    if relationship == "customer":
        prefix, a, b = "E", contribution, stability
    elif relationship == "prospect":
        prefix, a, b = "P", expected_value, intent
    elif relationship == "future":
        return "F"
    else:
        return ""
    if a is None or b is None:
        return ""
    roman = _ROMAN.get((a, b))
    return prefix + roman if roman else ""


def strategy_for(code: str) -> str:
    """The strategy the method prescribes for a class code ("" if unrated)."""
    factory = _STRATEGIES.get(code)
    return factory() if factory else ""


def target_capacity(total: float | None, excluded: float | None) -> float | None:
    """Target market capacity = total capacity minus channels we do not take part in."""
    if total is None:
        return None
    return total - (excluded or 0)
