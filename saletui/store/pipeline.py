"""Open deals across accounts for the pipeline (saletui.method.pipeline), one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from saletui.method.deal_risk import RiskRules
from saletui.method.derivation import classes_of
from saletui.method.pipeline import PipelineDeal
from saletui.store.models import database
from saletui.store.parse import stored_date

_SQL = """
SELECT d.id, d.title, d.value, d.stage, d.expected_close, d.risks != '',
       a.id, a.name, a.owner, a.region, a.tier, a.currency,
       a.relationship, a.contribution, a.stability, a.expected_value, a.intent, a.class_source,
       dc.contribution, dc.stability, dc.expected_value
FROM deal d
JOIN account a ON a.id = d.account_id
LEFT JOIN derived_class dc ON dc.account_id = a.id
WHERE d.status = 'open' AND a.archived_at IS NULL
ORDER BY d.stage DESC, d.expected_close IS NULL, d.expected_close, a.name, d.id
"""


@dataclass(frozen=True)
class PipelineFilter:
    """Which open deals the pipeline holds ("" = any)."""

    owner: str = ""
    class_code: str = ""
    tier: str = ""
    region: str = ""

    def keeps(self, d: PipelineDeal) -> bool:
        return (
            (not self.owner or d.owner == self.owner)
            and (not self.class_code or d.class_code == self.class_code)
            and (not self.tier or d.tier == self.tier)
            and (not self.region or d.region == self.region)
        )


def open_deals(
    keep: PipelineFilter | None = None, *, risks: tuple[RiskRules, dt.date] | None = None
) -> list[PipelineDeal]:
    """Every open deal of the active accounts, most advanced first. Whether each is at risk
    comes from the risks stored with it (store.deal_health.refresh keeps them current),
    or, with `risks` (rules, today), is worked out now without writing (the CLI)."""
    rows = database.execute_sql(_SQL).fetchall()
    fresh: dict[int, bool] | None = None
    if risks is not None:
        from saletui.store.deal_health import worked_out

        fresh = {k: bool(v) for k, v in worked_out([r[0] for r in rows], *risks).items()}
    out = []
    for r in rows:
        shown, _hand, _derived = classes_of(r[12], (r[13], r[14], r[15], r[16]), (r[18], r[19], r[20]), r[17])
        deal = PipelineDeal(
            deal_id=r[0],
            title=r[1],
            account_id=r[6],
            account=r[7],
            owner=r[8],
            region=r[9],
            tier=r[10],
            class_code=shown,
            stage=r[3],
            value=r[2],
            currency=r[11],
            expected_close=stored_date(r[4]),
            at_risk=fresh.get(r[0], False) if fresh is not None else bool(r[5]),
        )
        if keep is None or keep.keeps(deal):
            out.append(deal)
    return out
