"""The thresholds of the settings' `deal_risks:` section (saletui.method.deal_risk applies
them). Apart from the risk checks, so that reading the settings at start-up does not
import them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

RISK_KEYS = (
    "no-power",
    "single-threaded",
    "few-contacts",
    "no-coach",
    "no-activity",
    "stalled",
    "close-passed",
    "key-node-overdue",
    "power-not-met",
    "price-unanswered",
)
STAGE_KEYS = ("development", "entry", "proposal", "bidding", "negotiation")  # implementation has no norm


@dataclass(frozen=True)
class RiskRules:
    """The thresholds of the settings' `deal_risks:` section."""

    ignore: frozenset[str] = frozenset()  # risks switched off
    no_activity_days: int = 30
    min_contacts: int = 3
    stage_days: Mapping[str, int] = field(
        default_factory=lambda: {"development": 90, "entry": 60, "proposal": 45, "bidding": 30, "negotiation": 30}
    )
    price_objections: tuple[str, ...] = ("too-expensive", "cheaper-please", "cheaper-elsewhere")

    def signature(self) -> str:
        """What the stored risks were worked out with: a change makes them all stale."""
        days = ",".join(f"{k}={v}" for k, v in sorted(self.stage_days.items()))
        return (
            f"{sorted(self.ignore)}|{self.no_activity_days}|{self.min_contacts}|{days}|{sorted(self.price_objections)}"
        )
