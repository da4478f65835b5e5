"""The buying organisation (DOMAIN section 2): reporting tree, influence, coach, and the
coverage warnings the method asks for. Plain data in, plain data out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from saletui.i18n import _

ATTITUDES = ("mentor", "supporter", "neutral", "non-supporter", "opponent")  # "" = unknown
COVERAGES = ("unknown", "none", "brief", "multiple", "in-depth")
ROLES = ("decision-maker", "economic-buyer", "technical-evaluator", "user", "procurement", "gatekeeper")
INFLUENCE_LEVELS = (1, 2, 3, 4, 5)  # 1 is the highest
KEY_LEVELS = (1, 2)  # the people whose relationship decides the deal
ATTITUDE_SYMBOLS = {"mentor": "++", "supporter": "+", "neutral": "=", "non-supporter": "-", "opponent": "--", "": "?"}


def attitude_label(value: str) -> str:
    return {
        "mentor": _("mentor"),
        "supporter": _("supporter"),
        "neutral": _("neutral"),
        "non-supporter": _("non-supporter"),
        "opponent": _("opponent"),
        "": _("unknown"),
    }.get(value, value)


def coverage_label(value: str) -> str:
    return {
        "unknown": _("unknown"),
        "none": _("no contact"),
        "brief": _("brief"),
        "multiple": _("multiple"),
        "in-depth": _("in depth"),
    }.get(value, value)


def role_label(value: str) -> str:
    return {
        "decision-maker": _("decision maker"),
        "economic-buyer": _("economic buyer"),
        "technical-evaluator": _("technical evaluator"),
        "user": _("user"),
        "procurement": _("procurement"),
        "gatekeeper": _("gatekeeper"),
        "": "",
    }.get(value, value)


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What the warnings need to know about one person."""

    id: int
    name: str
    reports_to: int | None = None
    influence: int | None = None
    is_coach: bool = False
    attitude: str = ""
    coverage: str = "unknown"
    buying_role: str = ""
    owner: str = ""
    last_contacted: dt.date | None = None
    relationship_gap: int = 0  # levels our best relationship with them is below target

    @property
    def is_key(self) -> bool:
        return self.influence in KEY_LEVELS

    @property
    def in_contact(self) -> bool:
        """Seen on a visit, or the rep rates our coverage as at least brief."""
        return self.last_contacted is not None or self.coverage in ("brief", "multiple", "in-depth")


# -- the tree ----------------------------------------------------------------------------


def children_of(parents: Mapping[int, int | None]) -> dict[int | None, list[int]]:
    """Children per manager id; people whose manager is unknown here are roots (key None)."""
    children: dict[int | None, list[int]] = {None: []}
    for person, manager in parents.items():
        key = manager if manager in parents and manager != person else None
        children.setdefault(key, []).append(person)
    return children


def tree_order(
    parents: Mapping[int, int | None], sort_key: Callable[[int], Any]
) -> tuple[list[tuple[int, int, int | None]], set[int]]:
    """Everyone in drawing order, exactly once: (person, depth, manager drawn above), and
    the people caught in a corrupt reporting cycle (A under B under A), who have no root and
    are drawn from the top instead of being hidden. Iterative: a chain thousands of levels
    deep (an import gone wrong) must not hit Python's recursion limit."""
    children = children_of(parents)
    order: list[tuple[int, int, int | None]] = []
    seen: set[int] = set()

    def walk(start: int) -> None:
        stack: list[tuple[int, int, int | None]] = [(start, 0, None)]
        while stack:
            current, depth, above = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            order.append((current, depth, above))
            kids = sorted((k for k in children.get(current, []) if k not in seen), key=sort_key)
            stack.extend((k, depth + 1, current) for k in reversed(kids))

    for root in sorted(children[None], key=sort_key):
        walk(root)
    cut_off = [person for person in parents if person not in seen]  # in a cycle, or below one
    in_cycle = {person for person in cut_off if _in_cycle(parents, person)}
    for person in sorted(in_cycle, key=sort_key) + sorted(cut_off, key=sort_key):
        if person not in seen:
            walk(person)
    return order, in_cycle


def _in_cycle(parents: Mapping[int, int | None], person: int) -> bool:
    manager = parents.get(person)
    return manager is not None and person in ancestors(parents, manager)


def ancestors(parents: Mapping[int, int | None], person: int) -> list[int]:
    """Managers above `person`, nearest first (stops safely on a corrupt cycle)."""
    chain: list[int] = []
    seen = {person}
    current = parents.get(person)
    while current is not None and current in parents and current not in seen:
        chain.append(current)
        seen.add(current)
        current = parents.get(current)
    return chain


def would_create_cycle(parents: Mapping[int, int | None], person: int, new_manager: int | None) -> bool:
    """True when putting `person` under `new_manager` would make someone their own manager."""
    if new_manager is None:
        return False
    return new_manager == person or person in ancestors(parents, new_manager)


def descendants(parents: Mapping[int, int | None], person: int) -> set[int]:
    children = children_of(parents)
    found: set[int] = set()
    stack = list(children.get(person, []))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


# -- coverage warnings -----------------------------------------------------------------------


class WarningKind(StrEnum):
    NOBODY_MAPPED = "nobody"
    NO_COACH = "no-coach"
    NO_DECISION_MAKER = "no-decision-maker"
    KEY_PERSON_UNOWNED = "key-unowned"
    KEY_PERSON_UNCONTACTED = "key-uncontacted"
    SINGLE_THREADED = "single-threaded"
    NOBODY_CONTACTED = "nobody-contacted"
    KEY_OPPONENT = "key-opponent"
    RELATIONSHIP_BELOW_TARGET = "relationship-gap"  # an L1-L2 person's best relationship is below its target


@dataclass(frozen=True, slots=True)
class CoverageWarning:
    kind: WarningKind
    person_id: int | None = None
    person_name: str = ""
    influence: int | None = None

    @property
    def text(self) -> str:
        who = f"{self.person_name} (L{self.influence})" if self.influence else self.person_name
        return {
            WarningKind.NOBODY_MAPPED: lambda: _("Nobody at this account is mapped yet."),
            WarningKind.NO_COACH: lambda: _(
                "No coach: find an insider who guides you before approaching the decision maker."
            ),
            WarningKind.NO_DECISION_MAKER: lambda: _("No decision maker or economic buyer identified."),
            WarningKind.KEY_PERSON_UNOWNED: lambda: _("{who} has no owner on our side.").format(who=who),
            WarningKind.KEY_PERSON_UNCONTACTED: lambda: _("{who} has never been contacted or has no coverage.").format(
                who=who
            ),
            WarningKind.SINGLE_THREADED: lambda: _(
                "Single-threaded: {who} is our only contact; the relationship dies if they leave."
            ).format(who=who),
            WarningKind.KEY_OPPONENT: lambda: _("{who} opposes us.").format(who=who),
            WarningKind.RELATIONSHIP_BELOW_TARGET: lambda: _(
                "Our best relationship with {who} is below the target we set."
            ).format(who=who),
            WarningKind.NOBODY_CONTACTED: lambda: _("Nobody at this account has been contacted yet."),
        }[self.kind]()


def coverage_warnings(people: Sequence[PersonFacts]) -> list[CoverageWarning]:
    """Every gap the method warns about, account-level first, then person by person."""
    if not people:
        return [CoverageWarning(WarningKind.NOBODY_MAPPED)]
    warnings: list[CoverageWarning] = []
    if not any(p.is_coach for p in people):
        warnings.append(CoverageWarning(WarningKind.NO_COACH))
    if not any(p.buying_role in ("decision-maker", "economic-buyer") for p in people):
        warnings.append(CoverageWarning(WarningKind.NO_DECISION_MAKER))
    contacts = [p for p in people if p.in_contact]
    if not contacts:
        warnings.append(CoverageWarning(WarningKind.NOBODY_CONTACTED))
    elif len(contacts) == 1:
        only = contacts[0]
        warnings.append(CoverageWarning(WarningKind.SINGLE_THREADED, only.id, only.name, only.influence))
    for p in sorted((p for p in people if p.is_key), key=lambda p: (p.influence, p.name)):
        if not p.owner.strip():
            warnings.append(CoverageWarning(WarningKind.KEY_PERSON_UNOWNED, p.id, p.name, p.influence))
        # No sign of contact at all, or we know we have none.
        if p.coverage == "none" or (p.last_contacted is None and p.coverage == "unknown"):
            warnings.append(CoverageWarning(WarningKind.KEY_PERSON_UNCONTACTED, p.id, p.name, p.influence))
        if p.attitude == "opponent":
            warnings.append(CoverageWarning(WarningKind.KEY_OPPONENT, p.id, p.name, p.influence))
        if p.relationship_gap:
            warnings.append(CoverageWarning(WarningKind.RELATIONSHIP_BELOW_TARGET, p.id, p.name, p.influence))
    return warnings


def power_map(people: Iterable[PersonFacts]) -> dict[tuple[int | None, str], list[PersonFacts]]:
    """People placed by (influence level, attitude); unknowns under None and ""."""
    grid: dict[tuple[int | None, str], list[PersonFacts]] = {}
    for p in people:
        attitude = p.attitude if p.attitude in ATTITUDES else ""
        grid.setdefault((p.influence, attitude), []).append(p)
    return grid
