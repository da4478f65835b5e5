"""Contact roles per deal: who takes part in a deal and as what, and what the method
warns about when a deal's buying centre is thin (DOMAIN section 2: every deal needs the
person who decides, more than one thread into the customer, and our coach)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from saletui.i18n import _

ROLES = (
    "decision-maker",
    "economic-buyer",
    "technical-buyer",
    "user",
    "coach",
    "influencer",
    "gatekeeper",
)
POWER_ROLES = frozenset({"decision-maker", "economic-buyer"})
# The role a person's buying role on the org chart (method.org.ROLES) suggests in a deal.
SUGGESTED = {
    "decision-maker": "decision-maker",
    "economic-buyer": "economic-buyer",
    "technical-evaluator": "technical-buyer",
    "user": "user",
    "gatekeeper": "gatekeeper",
}


def role_label(role: str) -> str:
    return {
        "decision-maker": _("decision maker"),
        "economic-buyer": _("economic buyer"),
        "technical-buyer": _("technical buyer"),
        "user": _("user"),
        "coach": _("coach"),
        "influencer": _("influencer"),
        "gatekeeper": _("gatekeeper"),
    }.get(role, role)


def suggested_roles(buying_role: str, is_coach: bool) -> tuple[str, ...]:
    """The roles to offer first when a person joins a deal: what the org chart says of them."""
    return in_order([SUGGESTED.get(buying_role, ""), "coach" if is_coach else ""])


def in_order(roles: Iterable[str]) -> tuple[str, ...]:
    """Known roles in the method's order, each once (unknown ones dropped)."""
    given = set(roles)
    return tuple(r for r in ROLES if r in given)


def roles_text(roles: Iterable[str]) -> str:
    return ", ".join(role_label(r) for r in in_order(roles))


@dataclass(frozen=True, slots=True)
class ContactFacts:
    """What the warnings need to know about one contact of a deal."""

    person_id: int
    roles: tuple[str, ...]
    is_coach: bool = False  # the person is the account's coach (the org chart's flag)


def no_power(contacts: Sequence[ContactFacts]) -> bool:
    """No decision maker or economic buyer among the deal's contacts."""
    return not any(POWER_ROLES.intersection(c.roles) for c in contacts)


def single_threaded(contacts: Sequence[ContactFacts]) -> bool:
    """All of the deal hangs on one person (or on nobody yet)."""
    return len(contacts) < 2


def coach_missing(contacts: Sequence[ContactFacts]) -> bool:
    """Nobody in the deal coaches us: neither a contact in the coach role nor the
    account's coach taking part."""
    return not any(c.is_coach or "coach" in c.roles for c in contacts)
