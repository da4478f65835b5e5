"""How many SQL statements one user action runs (the trace of SQLite itself).

    python tests/perf/statements.py

Builds a small account in a temporary database (a CEO, two reports, a deal, a visit),
opens it in the real app headless and presses each key once, printing the statements
run from the key to the settled screen, and how many of them open a transaction.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from saletui.store.models import database


@contextmanager
def traced() -> Iterator[list[str]]:
    """Every statement SQLite runs on the app's connection while the block runs."""
    seen: list[str] = []
    conn = database.connection()
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def transactions(statements: list[str]) -> int:
    return sum(1 for s in statements if s.lstrip().upper().startswith(("BEGIN", "SAVEPOINT")))


async def main() -> None:
    from saletui.settings import load_settings
    from saletui.store import accounts, db, deals, people, visits
    from saletui.store.accounts import AccountDraft
    from saletui.store.deals import DealDraft
    from saletui.store.people import PersonDraft
    from saletui.ui.app import SaletuiApp
    from saletui.ui.widgets.org_chart import OrgChart

    path = Path(tempfile.mkdtemp()) / "statements.sqlite3"
    db.open_database(path)
    account = accounts.save(AccountDraft(name="Northwind"))
    ceo = people.save(account.id, PersonDraft(name="Anna CEO", influence="1"))
    people.save(account.id, PersonDraft(name="Ben Buyer", reports_to=ceo.id))
    people.save(account.id, PersonDraft(name="Cleo Controller", reports_to=ceo.id))
    app = SaletuiApp(load_settings(None), path, today=lambda: dt.date(2026, 11, 25))
    deals.save(account.id, DealDraft(title="MES", stage=1), process=app.process)
    visits.plan_visit(
        account.id,
        visits.VisitPlan(planned_at="2026-11-27 10:00", kind="visit", purposes=["care"], objective="Meet"),
    )
    results: list[tuple[str, int, int]] = []

    async with app.run_test(size=(140, 40)) as pilot:

        async def measure(label: str, *keys: str) -> None:
            with traced() as seen:
                await pilot.press(*keys)
                await pilot.pause()
            results.append((label, len(seen), transactions(seen)))
            if "-v" in sys.argv:
                print(label, *seen, sep="\n    ")

        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()
        chart = app.screen.query_one(OrgChart)
        chart.jump_to("Ben Buyer")
        await pilot.pause()
        await measure("c (coach)", "c")
        await measure("+ (influence)", "plus")
        await measure("t (attitude)", "t")
        await measure("v (coverage)", "v")
        await measure("e + save (edit person)", "e", "ctrl+s")
        await measure("a + name + save (add report)", "a", "Z", "o", "e", "ctrl+s")
        chart.jump_to("Zoe")
        await pilot.pause()
        await measure("m (move under Cleo)", "m", "C", "l", "e", "o", "enter")
        await measure("d + y (delete)", "d", "y")
        await measure("[ (back to overview)", "left_square_bracket")
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#status").value = "lost"
        app.screen.query_one("#reason").text = "Price"
        await measure("c ... ctrl+s (close deal, the save)", "ctrl+s")
        await measure("o (reopen deal)", "o")
        await pilot.press("left_square_bracket")  # Visits, the last tab
        await pilot.pause()
        await measure("x + y (cancel visit)", "x", "y")
        await measure("escape (back to the list)", "escape")
    print(f"{'action':40} {'statements':>10} {'transactions':>12}")
    for label, count, tx in results:
        print(f"{label:40} {count:>10} {tx:>12}")


if __name__ == "__main__":
    asyncio.run(main())
