"""Each open deal's risk warnings (saletui.method.deal_risk), kept on the deal.

Migration 0014's triggers mark a deal's risks stale when anything they are read from
changes; `refresh` works out again the open deals that are stale or were worked out on
another day (the days-based risks move with the calendar), in a few queries for all of
them, so that the account list counts the deals at risk of 10,000 accounts without
working out every deal's risks as it opens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from saletui.method.deal_risk import DealFacts, Finding, RiskRules, assess, encode
from saletui.store.deal_contacts import for_deals
from saletui.store.models import database
from saletui.store.parse import stored_date

CHUNK = 500  # deals per query (SQLite's bound-parameter limit is far above)


def _marks(ids: Sequence[object]) -> str:
    return ",".join("?" * len(ids))


def _by_deal(sql: str, ids: Sequence[int], *before: object) -> dict[int, tuple[object, ...]]:
    return {r[0]: r[1:] for r in database.execute_sql(sql.format(marks=_marks(ids)), [*before, *ids])}


# The last thing done on a deal: a visit recorded for it or a milestone reached.
_ACTIVITY = """
SELECT deal_id, MAX(day) FROM (
    SELECT deal_id, date(planned_at) AS day FROM visit WHERE status = 'done' AND deal_id IN ({marks})
    UNION ALL
    SELECT deal_id, reached_on FROM milestone WHERE status = 'reached' AND deal_id IN ({marks})
) GROUP BY deal_id
"""
# Key nodes on the checklist of a visit whose day has passed, still not reached.
_KEY_NODES = """
SELECT m.deal_id, COUNT(DISTINCT m.id) FROM milestone m
JOIN visititem vi ON vi.milestone_id = m.id JOIN visit v ON v.id = vi.visit_id
WHERE m.key_node = 1 AND m.status = 'open' AND v.status != 'cancelled' AND date(v.planned_at) < ?
  AND m.deal_id IN ({marks})
GROUP BY m.deal_id
"""
# An L1-L2 person met on a visit done for the deal, or at its account since the deal began.
_POWER_MET = """
SELECT d.id, 1 FROM deal d
WHERE d.id IN ({marks}) AND EXISTS (
    SELECT 1 FROM visit v JOIN visitattendee a ON a.visit_id = v.id JOIN person p ON p.id = a.person_id
    WHERE v.status = 'done' AND p.influence IN (1, 2)
      AND (v.deal_id = d.id OR (v.account_id = d.account_id AND date(v.planned_at) >= date(d.created_at))))
"""
_PRICE = """
SELECT v.deal_id, MAX(o.worked = 1) FROM visitobjection o JOIN visit v ON v.id = o.visit_id
WHERE o.objection_id IN ({objections}) AND v.deal_id IN ({marks})
GROUP BY v.deal_id
"""


def facts(deal_ids: Sequence[int], rules: RiskRules, today: dt.date) -> dict[int, DealFacts]:
    """The facts the risk checks need, for each of these deals."""
    out: dict[int, DealFacts] = {}
    for start in range(0, len(deal_ids), CHUNK):
        ids = list(deal_ids[start : start + CHUNK])
        deals = database.execute_sql(
            f"SELECT id, stage, created_at, stage_on, expected_close FROM deal WHERE id IN ({_marks(ids)})", ids
        ).fetchall()
        activity = {r[0]: r[1] for r in database.execute_sql(_ACTIVITY.format(marks=_marks(ids)), ids + ids)}
        key_nodes = _by_deal(_KEY_NODES, ids, today.isoformat())
        power = _by_deal(_POWER_MET, ids)
        price: dict[int, tuple[object, ...]] = {}
        if rules.price_objections:
            objections = list(rules.price_objections)
            price = {
                r[0]: r[1:]
                for r in database.execute_sql(
                    _PRICE.format(objections=_marks(objections), marks=_marks(ids)), objections + ids
                )
            }
        contacts = for_deals(ids)
        coached = {
            r[0]
            for r in database.execute_sql(
                f"SELECT d.id FROM deal d WHERE d.id IN ({_marks(ids)}) AND EXISTS "
                "(SELECT 1 FROM person p WHERE p.account_id = d.account_id AND p.is_coach = 1)",
                ids,
            )
        }
        for deal_id, stage, created_at, stage_on, expected_close in deals:
            began = stored_date(created_at) or today
            out[deal_id] = DealFacts(
                stage=stage,
                began_on=began,
                stage_on=stored_date(stage_on),
                expected_close=stored_date(expected_close),
                last_activity=stored_date(activity.get(deal_id)),
                contacts=tuple(c.facts() for c in contacts.get(deal_id, [])),
                account_has_coach=deal_id in coached,
                key_nodes_overdue=int(str(key_nodes.get(deal_id, (0,))[0])),
                power_met=deal_id in power,
                price_raised=deal_id in price,
                price_answered=bool(price.get(deal_id, (0,))[0]),
            )
    return out


def refresh(rules: RiskRules, today: dt.date, account_id: int | None = None) -> int:
    """Store again the risks of the open deals (of one account, or all) that are stale or
    from another day; returns how many. One transaction, none when all are current."""
    signature = rules.signature()
    where = "status = 'open' AND (risks_on IS NULL OR risks_on != ?)"
    params: list[object] = [today.isoformat()]
    if account_id is not None:
        where += " AND account_id = ?"
        params.append(account_id)
    stored = database.execute_sql("SELECT rules FROM deal_risk_state WHERE id = 1").fetchone()
    if (
        stored is not None
        and stored[0] == signature
        and not database.execute_sql(f"SELECT 1 FROM deal WHERE {where} LIMIT 1", params).fetchone()
    ):
        return 0
    with database.atomic():
        stored = database.execute_sql("SELECT rules FROM deal_risk_state WHERE id = 1").fetchone()
        if stored is None or stored[0] != signature:
            database.execute_sql("UPDATE deal SET risks_on = NULL WHERE status = 'open'")
            database.execute_sql("INSERT OR REPLACE INTO deal_risk_state (id, rules) VALUES (1, ?)", (signature,))
        ids = [r[0] for r in database.execute_sql(f"SELECT id FROM deal WHERE {where}", params)]
        if not ids:
            return 0
        found = facts(ids, rules, today)
        database.connection().executemany(
            "UPDATE deal SET risks = ?, risks_on = ? WHERE id = ?",
            [(encode(assess(f, rules, today)), today.isoformat(), deal_id) for deal_id, f in found.items()],
        )
        return len(found)


def worked_out(deal_ids: Sequence[int], rules: RiskRules, today: dt.date) -> dict[int, tuple[Finding, ...]]:
    """These deals' risks worked out now, without storing them: what the deal's own views
    show (the deals table, its contacts, the brief) are reads, the rep's action before
    them its one transaction. Only the account list reads the stored ones."""
    return {deal_id: assess(f, rules, today) for deal_id, f in facts(list(deal_ids), rules, today).items()}


def open_deal_ids() -> list[int]:
    return [r[0] for r in database.execute_sql("SELECT id FROM deal WHERE status = 'open' ORDER BY id")]
