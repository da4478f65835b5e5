"""The pipeline: open deals across accounts by stage or by expected-close month, with
their value and their value weighted by the chance a deal in its stage is won. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Percent chance that an open deal in each stage is won: our defaults (a process file's
# `probability:` per stage overrides them). Implementation: signed, being delivered.
DEFAULT_PROBABILITY = {1: 10, 2: 20, 3: 40, 4: 60, 5: 80, 6: 100}
NO_DATE = 0  # the month bucket of deals without an expected close date


@dataclass(frozen=True, slots=True)
class PipelineDeal:
    deal_id: int
    title: str
    account_id: int
    account: str
    owner: str
    region: str
    tier: str
    class_code: str
    stage: int
    value: int | None  # minor units of `currency`
    currency: str
    expected_close: dt.date | None
    at_risk: bool


@dataclass
class Bucket:
    """One row of the pipeline: a stage or an expected-close month."""

    key: int  # the stage number, or the month as yyyymm (NO_DATE: none given)
    deals: int = 0
    at_risk: int = 0
    value: dict[str, int] = field(default_factory=dict)  # per currency
    weighted: dict[str, int] = field(default_factory=dict)


def weighted_value(value: int | None, stage: int, probability: Mapping[int, int]) -> int:
    """The value times the stage's chance, rounded to whole minor units."""
    return round((value or 0) * probability.get(stage, 0) / 100)


def buckets(deals: Iterable[PipelineDeal], by: str, probability: Mapping[int, int]) -> list[Bucket]:
    """Rows by "stage" (1-6, each shown even when empty) or by "month" (in date order,
    deals without a date last)."""
    rows: dict[int, Bucket] = {n: Bucket(n) for n in range(1, 7)} if by == "stage" else {}
    for d in deals:
        if by == "stage":
            key = d.stage
        else:
            key = d.expected_close.year * 100 + d.expected_close.month if d.expected_close else NO_DATE
        row = rows.setdefault(key, Bucket(key))
        row.deals += 1
        row.at_risk += d.at_risk
        row.value[d.currency] = row.value.get(d.currency, 0) + (d.value or 0)
        row.weighted[d.currency] = row.weighted.get(d.currency, 0) + weighted_value(d.value, d.stage, probability)
    return sorted(rows.values(), key=lambda b: (b.key == NO_DATE, b.key))


def total(rows: Iterable[Bucket]) -> Bucket:
    out = Bucket(-1)
    for row in rows:
        out.deals += row.deals
        out.at_risk += row.at_risk
        for currency, amount in row.value.items():
            out.value[currency] = out.value.get(currency, 0) + amount
        for currency, amount in row.weighted.items():
            out.weighted[currency] = out.weighted.get(currency, 0) + amount
    return out
