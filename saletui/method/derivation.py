"""Classes derived from the trading history (DOMAIN section 4).

The method places an existing customer by contribution x stability "from its trading
history: quarterly, monthly and single-order volumes". The numbers are ours to choose, so
they are rules with thresholds (the `classes:` section of the settings):

- **Contribution** is relative to the rep's portfolio, the way a rep thinks of it: the
  owner's active accounts are ranked by their revenue over the window (default the last 12
  months) and the accounts that together make the top `share` (default 80%, the Pareto
  rule) of the owner's revenue contribute highly (`rule: top_share`); or, with
  `rule: min_share`, every account whose own share reaches `share`. Amounts are never
  added across currencies: an account is ranked within its owner's portfolio of each
  currency it bought in, and is high when it is high in any of them.
- **Stability** is regularity: months of the window with an order (default at least 6 of
  12), quarters with an order (default all 4; quarters are counted back from the current
  month), and no single month carrying more than `max_month_share` of the revenue (the
  single-order volume: default 50%; 1 switches it off).

Plain data in, plain data out: the store aggregates `sales_month` in SQL and feeds the
figures here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass

from saletui.method.classes import classify
from saletui.method.prospect_score import DEFAULT_HIGH_FROM, DEFAULT_MIN_RATED, DEFAULT_WEIGHTS

RULES = ("top_share", "min_share")


@dataclass(frozen=True)
class ClassRules:
    window_months: int = 12
    """How many months, up to and including the current one, the classes look at."""
    contribution_rule: str = "top_share"
    """top_share: the accounts making the top `contribution_share` of the owner's revenue;
    min_share: each account with at least `contribution_share` of it."""
    contribution_share: float = 0.8
    """The share (0-1) the contribution rule uses."""
    min_months: int = 6
    """Months of the window with an order, at least, for high stability."""
    min_quarters: int = 4
    """Quarters of the window (counted back from the current month) with an order, at least."""
    max_month_share: float = 0.5
    """The largest month's share of the window's revenue, at most (1: no limit)."""
    prospect_weights: tuple[tuple[str, float], ...] = DEFAULT_WEIGHTS
    """Each factor's weight in a prospect's score (saletui.method.prospect_score); 0 leaves it out."""
    prospect_high_from: float = DEFAULT_HIGH_FROM
    """A score (1-5) at or above this is a high expected contribution."""
    prospect_min_rated: int = DEFAULT_MIN_RATED
    """Factors rated, at least, for a prospect to have a score."""

    @property
    def quarters(self) -> int:
        """Quarters in the window (a last, shorter one counts as a quarter)."""
        return -(-self.window_months // 3)

    def key(self) -> str:
        """The rules as text: derived classes worked out under other rules are stale."""
        return repr(astuple(self))


@dataclass(frozen=True)
class Revenue:
    """One account's revenue over the window in one currency (minor units)."""

    account_id: int
    owner: str
    currency: str
    amount: int
    peak_month: int  # the largest single month's amount


@dataclass(frozen=True)
class Regularity:
    """How often one account bought in the window, whatever the currency."""

    lines: int
    months: int
    quarters: int


@dataclass(frozen=True)
class Derived:
    contribution: str  # "high" / "low"
    stability: str
    lines: int
    months: int
    quarters: int


NOTHING = Regularity(0, 0, 0)


def month_index(yyyymm: int) -> int:
    """Months since year 0: consecutive months differ by one."""
    return (yyyymm // 100) * 12 + yyyymm % 100 - 1


def yyyymm(index: int) -> int:
    return (index // 12) * 100 + index % 12 + 1


def window(end: int, rules: ClassRules) -> tuple[int, int]:
    """First and last month (yyyymm) of the window ending with month `end`."""
    return yyyymm(month_index(end) - rules.window_months + 1), end


def high_contributors(revenues: Iterable[Revenue], rules: ClassRules) -> set[int]:
    """The accounts that contribute highly to their owner's portfolio in some currency."""
    portfolios: dict[tuple[str, str], list[Revenue]] = defaultdict(list)
    for r in revenues:
        if r.amount > 0:
            portfolios[(r.owner, r.currency)].append(r)
    high: set[int] = set()
    for members in portfolios.values():
        total = sum(r.amount for r in members)
        if rules.contribution_rule == "min_share":
            high.update(r.account_id for r in members if r.amount >= rules.contribution_share * total)
            continue
        before = 0
        for r in sorted(members, key=lambda r: (-r.amount, r.account_id)):
            if before >= rules.contribution_share * total:
                break
            high.add(r.account_id)  # the account that crosses the line belongs to the top
            before += r.amount
    return high


def stable(regularity: Regularity, peak_share: float, rules: ClassRules) -> bool:
    return (
        regularity.months >= rules.min_months
        and regularity.quarters >= rules.min_quarters
        and peak_share <= rules.max_month_share
    )


def derive(
    traded: Iterable[int], revenues: Iterable[Revenue], regularity: Mapping[int, Regularity], rules: ClassRules
) -> dict[int, Derived]:
    """The derived axes of every account in `traded` (those that ever bought): one with no
    order in the window contributes little and is not stable (a lapsed customer is EIV)."""
    revenues = list(revenues)
    high = high_contributors(revenues, rules)
    peak: dict[int, float] = defaultdict(float)
    for r in revenues:  # the worst currency counts
        if r.amount > 0:
            peak[r.account_id] = max(peak[r.account_id], r.peak_month / r.amount)
    out = {}
    for account_id in traded:
        reg = regularity.get(account_id, NOTHING)
        out[account_id] = Derived(
            contribution="high" if account_id in high else "low",
            stability="high" if reg.lines and stable(reg, peak[account_id], rules) else "low",
            lines=reg.lines,
            months=reg.months,
            quarters=reg.quarters,
        )
    return out


def derived_code(
    relationship: str,
    contribution: str | None,
    stability: str | None,
    expected_value: str | None,
    intent: str | None,
) -> str:
    """The class a derived_class row gives: a customer's from its orders' axes, a
    prospect's from its score's expected contribution and the intent typed by hand."""
    if relationship == "customer" and contribution:
        return classify("customer", contribution, stability)
    if relationship == "prospect" and expected_value:
        return classify("prospect", expected_value=expected_value, intent=intent)
    return ""


def effective(relationship: str, hand: str, derived: str, source: str) -> str:
    """The class shown: the derived one (a customer's from its orders, a prospect's from
    its score), unless set by hand."""
    if relationship in ("customer", "prospect") and derived and source != "hand":
        return derived
    return hand


def classes_of(
    relationship: str,
    axes: tuple[str | None, str | None, str | None, str | None],
    derived_axes: tuple[str | None, str | None, str | None],
    source: str,
) -> tuple[str, str, str]:
    """(shown, hand-set, derived) class codes of an account from its own axes
    (contribution, stability, expected value, intent), its derived_class row's
    (contribution, stability, expected value) and its class source."""
    contribution, stability, expected_value, intent = axes
    hand = classify(relationship, contribution, stability, expected_value, intent)
    derived = derived_code(relationship, derived_axes[0], derived_axes[1], derived_axes[2], intent)
    return effective(relationship, hand, derived, source), hand, derived
