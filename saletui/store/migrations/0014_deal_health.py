"""Deal health: contact roles per deal, the day a deal reached its stage, and its risk
warnings kept with it.

- `deal_contact`: which people of the account take part in a deal and as what (decision
  maker, economic buyer, technical buyer, user, coach, influencer, gatekeeper;
  saletui.method.deal_roles). One row per person and deal; `roles` holds that person's role
  keys in this deal, comma-separated in the method's order, so the same person may play
  different roles in different deals. One contact per deal is its primary: a partial
  unique index keeps it to one, and a trigger names the next one (the most influential)
  when the primary leaves the deal or is deleted from the org chart.
- `deal.stage_on`: the day the deal reached its stage (for "longer in its stage than the
  norm"). Open deals of older versions get the day they were last changed: a guess, but
  the closest one kept.
- `deal.risks` and `deal.risks_on`: the deal's risk warnings (saletui.method.deal_risk,
  "no-activity:45,no-coach") and the day they were worked out. Triggers set `risks_on` to
  NULL when anything they depend on changes (the deal, its contacts, milestones, visits,
  attendees, objections, or the account's people); store.deal_health works out again
  every open deal whose `risks_on` is not today. `deal_risk_state` holds the rules they
  were worked out with: other rules make all of them stale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from peewee import Database
    from playhouse.migrations import SchemaMigrator

TABLES = """
CREATE TABLE deal_contact (
    id INTEGER NOT NULL PRIMARY KEY,
    deal_id INTEGER NOT NULL REFERENCES deal (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    roles TEXT NOT NULL,
    is_primary INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX deal_contact_person ON deal_contact (deal_id, person_id);
CREATE UNIQUE INDEX deal_contact_primary ON deal_contact (deal_id) WHERE is_primary = 1;
CREATE INDEX deal_contact_person_id ON deal_contact (person_id);
ALTER TABLE deal ADD COLUMN stage_on DATE;
ALTER TABLE deal ADD COLUMN risks TEXT NOT NULL DEFAULT '';
ALTER TABLE deal ADD COLUMN risks_on DATE;
UPDATE deal SET stage_on = date(updated_at) WHERE status = 'open';
CREATE TABLE deal_risk_state (id INTEGER NOT NULL PRIMARY KEY, rules TEXT NOT NULL);
INSERT INTO deal_risk_state (id, rules) VALUES (1, '')
"""

_STALE_ACCOUNT = (
    "UPDATE deal SET risks_on = NULL WHERE account_id = {account} AND status = 'open' AND risks_on IS NOT NULL;"
)
_STALE_DEAL = "UPDATE deal SET risks_on = NULL WHERE id = {deal} AND risks_on IS NOT NULL;"
_VISIT_ACCOUNT = "(SELECT account_id FROM visit WHERE id = {row}.visit_id)"


def _on(event: str, table: str, sql: str) -> str:
    return f"{event} ON {table} FOR EACH ROW BEGIN {sql} END"


TRIGGERS = {
    "deal_contact_primary_gone": (
        "AFTER DELETE ON deal_contact WHEN old.is_primary = 1 BEGIN "
        "UPDATE deal_contact SET is_primary = 1 "
        "WHERE id = (SELECT c.id FROM deal_contact c JOIN person p ON p.id = c.person_id "
        "WHERE c.deal_id = old.deal_id ORDER BY p.influence IS NULL, p.influence, p.name, p.id LIMIT 1); END"
    ),
    # The deal itself: what its risks are read from (not `risks`, `risks_on`, `version`).
    "deal_risk_deal": _on(
        "AFTER UPDATE OF stage, status, expected_close, stage_on, created_at",
        "deal",
        _STALE_DEAL.format(deal="new.id"),
    ),
    **{
        f"deal_risk_contact_{event.lower()}": _on(
            f"AFTER {event}", "deal_contact", _STALE_DEAL.format(deal=f"{row}.deal_id")
        )
        for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    },
    **{
        f"deal_risk_milestone_{event.lower()}": _on(
            f"AFTER {event}", "milestone", _STALE_DEAL.format(deal=f"{row}.deal_id")
        )
        for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    },
    **{
        f"deal_risk_visit_{event.lower()}": _on(
            f"AFTER {event}", "visit", _STALE_ACCOUNT.format(account=f"{row}.account_id")
        )
        for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    },
    **{
        f"deal_risk_{table}_{event.lower()}": _on(
            f"AFTER {event}", table, _STALE_ACCOUNT.format(account=_VISIT_ACCOUNT.format(row=row))
        )
        for table in ("visitattendee", "visititem", "visitobjection")
        for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old"))
    },
    "deal_risk_person_update": _on(
        "AFTER UPDATE OF influence, is_coach", "person", _STALE_ACCOUNT.format(account="new.account_id")
    ),
}


def up(migrator: SchemaMigrator, db: Database) -> None:
    for statement in TABLES.split(";"):
        if statement.strip():
            db.execute_sql(statement)
    for name, body in TRIGGERS.items():
        db.execute_sql(f"CREATE TRIGGER {name} {body}")


def down(migrator: SchemaMigrator, db: Database) -> None:
    for name in TRIGGERS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    db.execute_sql("DROP TABLE IF EXISTS deal_risk_state")
    db.execute_sql("DROP TABLE IF EXISTS deal_contact")
    migrator.migrate(
        migrator.drop_column("deal", "stage_on"),
        migrator.drop_column("deal", "risks"),
        migrator.drop_column("deal", "risks_on"),
    )
