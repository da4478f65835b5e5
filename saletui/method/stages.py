"""The six sales stages, one per step of the customer's procurement (DOMAIN section 1)."""

from __future__ import annotations

from dataclasses import dataclass

from saletui.i18n import _


@dataclass(frozen=True)
class Stage:
    number: int
    key: str

    @property
    def label(self) -> str:
        return _STAGE_LABELS[self.key]()

    @property
    def key_node(self) -> str:
        return _KEY_NODES[self.key]()


STAGES = (
    Stage(1, "development"),
    Stage(2, "entry"),
    Stage(3, "proposal"),
    Stage(4, "bidding"),
    Stage(5, "negotiation"),
    Stage(6, "implementation"),
)

_STAGE_LABELS = {
    "development": lambda: _("Development"),
    "entry": lambda: _("Entry"),
    "proposal": lambda: _("Proposal"),
    "bidding": lambda: _("Bidding"),
    "negotiation": lambda: _("Negotiation"),
    "implementation": lambda: _("Implementation"),
}

_KEY_NODES = {
    "development": lambda: _("Accurate project information"),
    "entry": lambda: _("Pre-sales project approved; customer org and roles understood"),
    "proposal": lambda: _("Relationships with key people advanced; criteria influenced"),
    "bidding": lambda: _("Bid submitted or negotiated"),
    "negotiation": lambda: _("Contract approved and signed"),
    "implementation": lambda: _("Acceptance and project closure"),
}


def stage(number: int) -> Stage:
    """The stage with this number (1-6); ValueError otherwise."""
    if not 1 <= number <= len(STAGES):
        raise ValueError(f"stage must be 1-{len(STAGES)}, got {number}")
    return STAGES[number - 1]


def stage_label(number: int | None) -> str:
    """Short label for a stage number, "" for none."""
    if number is None:
        return ""
    return f"{number} {stage(number).label}"
