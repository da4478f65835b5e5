"""Deal risk warnings on a large database, timed in-process.

    python tests/perf/deal_risks.py DBPATH [--runs N]

Works on a temporary copy of DBPATH (upgraded to the current schema there; the file given
is never written). Per run, on the account with the most open deals:

- `edit_ms`: what follows one edit of a deal (a contact's roles changed): the deals table's
  risks worked out for the account's open deals, and the account's stored risks (the
  triggers made them stale) stored again, as the list does when the rep comes back.
  Target: 10 ms.
- `reference_ms`: the same account's deals read by `deals.for_account` (the one query the
  deals table made before it had risks), the ratio's reference in the same run.

Once: `refresh_all_ms`, the daily work of storing every open deal's risks again (the
list's worker, after the first frame). Medians and min-max over `--runs` (default 30), as
one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from saletui.method.deal_risk import RiskRules
    from saletui.method.deal_roles import ROLES
    from saletui.store import deal_contacts, deal_health, deals
    from saletui.store.db import close_database, open_database
    from saletui.store.models import database

    rules, today = RiskRules(), dt.date.today()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "risks.sqlite3"
        shutil.copyfile(args.db, copy)
        open_database(copy)
        database.execute_sql("UPDATE deal SET risks_on = NULL")
        t0 = time.perf_counter()
        refreshed = deal_health.refresh(rules, today)
        refresh_all_ms = (time.perf_counter() - t0) * 1000
        account_id, open_deals = database.execute_sql(
            "SELECT account_id, COUNT(*) AS n FROM deal WHERE status = 'open' GROUP BY account_id "
            "ORDER BY n DESC, account_id LIMIT 1"
        ).fetchone()
        deal_id = database.execute_sql(
            "SELECT id FROM deal WHERE account_id = ? AND status = 'open' ORDER BY id LIMIT 1", (account_id,)
        ).fetchone()[0]
        person_id = database.execute_sql(
            "SELECT id FROM person WHERE account_id = ? LIMIT 1", (account_id,)
        ).fetchone()[0]
        edit_ms, reference_ms = [], []
        for run in range(args.runs):
            deal_contacts.set_roles(deal_id, person_id, [ROLES[run % len(ROLES)]])
            t0 = time.perf_counter()
            ids = [d.id for d in deals.for_account(account_id) if d.status == "open"]
            deal_health.worked_out(ids, rules, today)
            deal_health.refresh(rules, today, account_id)
            t1 = time.perf_counter()
            deals.for_account(account_id)
            t2 = time.perf_counter()
            edit_ms.append((t1 - t0) * 1000)
            reference_ms.append((t2 - t1) * 1000)
        close_database()
    print(
        json.dumps(
            {
                "open_deals": refreshed,
                "account_open_deals": open_deals,
                "refresh_all_ms": refresh_all_ms,
                "edit_ms": spread(edit_ms),
                "reference_ms": spread(reference_ms),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
