"""The trading history a rep imports from the ERP or types in: lines are written in
batches, re-imports update instead of doubling, bad values are refused with the reason,
and the summaries the reports read always agree with the lines underneath."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from saletui.errors import StaleEditError, ValidationError
from saletui.services import backup
from saletui.store import accounts, orders
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, OrderLine, database
from saletui.store.orders import LineDraft, LineValues

TODAY = dt.date.today()


def recomputed() -> dict[str, list[tuple]]:
    """The summaries as they must be, computed from the lines from scratch."""
    month = "CAST(strftime('%Y%m', ordered_on) AS INTEGER)"
    q = {
        "sales_month": f"SELECT account_id, {month}, rep, currency, sum(amount), sum(coalesce(quantity, 0)), "
        "count(*) FROM order_line GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        "product_month": f"SELECT product, category, {month}, currency, sum(amount), sum(coalesce(quantity, 0)), "
        "count(*) FROM order_line GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
        "account_trade": "SELECT account_id, min(ordered_on), max(ordered_on), count(DISTINCT ordered_on), "
        "count(*) FROM order_line GROUP BY 1 ORDER BY 1",
    }
    return {name: [_rounded(r) for r in database.execute_sql(sql).fetchall()] for name, sql in q.items()}


def stored() -> dict[str, list[tuple]]:
    return {
        name: [_rounded(r) for r in database.execute_sql(f"SELECT * FROM {name} ORDER BY 1, 2, 3, 4").fetchall()]
        for name in ("sales_month", "product_month")
    } | {"account_trade": database.execute_sql("SELECT * FROM account_trade ORDER BY 1").fetchall()}


def _rounded(row: tuple) -> tuple:
    return tuple(round(v, 6) if isinstance(v, float) else v for v in row)


def line(account_id: int, day: str, product: str, amount: int, **kw) -> LineValues:
    return LineValues(account_id, dt.date.fromisoformat(day), product, amount, kw.pop("currency", "CNY"), **kw)


@pytest.fixture
def two_accounts(store):
    a = accounts.save(AccountDraft(name="华东精密机械", relationship="customer"))
    b = accounts.save(AccountDraft(name="Acme Corp", relationship="customer", currency="USD"))
    return a.id, b.id


def test_an_erp_export_imported_twice_is_counted_once(two_accounts):
    a, _b = two_accounts
    batch = [
        line(a, "2026-01-15", "主轴", 120_000_00, quantity=2, order_no="SO-1", line_no="1", rep="张伟"),
        line(a, "2026-01-15", "服务", 5_000_00, order_no="SO-1", line_no="2", rep="张伟"),
        line(a, "2026-03-02", "主轴", 60_000_00, order_no="SO-2", line_no="1", rep="张伟"),
    ]
    with database.atomic():
        assert orders.upsert_lines(batch) == orders.WriteCount(inserted=3)
    with database.atomic():
        assert orders.upsert_lines(batch) == orders.WriteCount(unchanged=3)
    assert OrderLine.select().count() == 3
    assert {line.version for line in OrderLine.select()} == {0}  # nothing was rewritten

    corrected = [*batch[:2], line(a, "2026-03-02", "主轴", 66_000_00, order_no="SO-2", line_no="1", rep="张伟")]
    with database.atomic():
        assert orders.upsert_lines(corrected) == orders.WriteCount(updated=1, unchanged=2)
    assert OrderLine.get(OrderLine.order_no == "SO-2").amount == 66_000_00
    assert stored() == recomputed()
    trade = orders.trade()[a]
    assert (trade.first_on, trade.last_on, trade.order_days, trade.lines) == (
        dt.date(2026, 1, 15),
        dt.date(2026, 3, 2),
        2,
        3,
    )
    assert trade.reorder_days == 46


def test_lines_without_an_order_number_are_always_added(two_accounts):
    a, _b = two_accounts
    batch = [line(a, "2026-02-01", "Bolts", 100_00), line(a, "2026-02-01", "Bolts", 100_00)]
    with database.atomic():
        assert orders.upsert_lines(batch).inserted == 2
    assert orders.trade()[a].order_days == 1


def test_summaries_agree_with_the_lines_after_any_mix_of_writes(two_accounts):
    """Inserts, corrections that move a line to another month, account or product,
    deletions and a deleted account: the summaries never drift from the lines."""
    a, b = two_accounts
    c = accounts.save(AccountDraft(name="Gone Ltd", relationship="customer")).id
    rnd = random.Random(20261202)
    for round_ in range(30):
        batch = random_batch(rnd, [a, b, c])
        with database.atomic():
            orders.upsert_lines(batch)
        ids = [r.id for r in OrderLine.select(OrderLine.id)]
        if ids and round_ % 3 == 0:
            orders.delete(rnd.choice(ids))
        assert stored() == recomputed(), f"after round {round_}"
    Account.delete().where(Account.id == c).execute()  # cascades to its lines
    assert stored() == recomputed()
    assert c not in orders.trade()


def random_batch(rnd: random.Random, account_ids: list[int]) -> list[LineValues]:
    products = ["主轴", "Bolts", "服务", "Spindle 😀"]
    return [
        line(
            rnd.choice(account_ids),
            (dt.date(2025, 1, 1) + dt.timedelta(days=rnd.randrange(500))).isoformat(),
            rnd.choice(products),
            rnd.randrange(1, 10**7),
            currency=rnd.choice(["CNY", "USD"]),
            quantity=rnd.choice([None, 1.5, 3]),
            order_no=rnd.choice(["", f"SO-{rnd.randrange(40)}"]),
            line_no=str(rnd.randrange(3)),
            rep=rnd.choice(["张伟", "Ann", ""]),
        )
        for _ in range(rnd.randrange(1, 25))
    ]


@pytest.mark.parametrize("spill_keys", [orders.SummaryBatch.SPILL_KEYS, 3])
def test_an_import_sums_its_lines_in_memory_and_agrees_with_line_by_line(two_accounts, spill_keys, monkeypatch):
    """An import writes with the triggers off (orders.SummaryBatch): new lines, lines
    moved to another account, month or product, several batches in one transaction, over
    a history written line by line before; the summaries come out as a recompute says,
    the derived classes are marked for another look, the triggers are back, and a rolled-back import leaves everything as it was."""
    a, b = two_accounts
    monkeypatch.setattr(orders.SummaryBatch, "SPILL_KEYS", spill_keys)  # sums written at the end or often
    rnd = random.Random(161202)
    for _ in range(5):
        with database.atomic():
            orders.upsert_lines(random_batch(rnd, [a, b]))
    triggers = database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1").fetchall()
    for round_ in range(8):
        database.execute_sql("UPDATE class_derivation SET stale = 0")  # as if just derived
        with database.atomic():
            summaries = orders.SummaryBatch()
            for _ in range(rnd.randrange(1, 5)):
                orders.upsert_lines(random_batch(rnd, [a, b]), summaries)
            summaries.finish()
        assert stored() == recomputed(), f"after round {round_}"
        assert database.execute_sql("SELECT stale FROM class_derivation").fetchone() == (1,)
        assert (
            database.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY 1").fetchall()
            == triggers
        )

    before = stored()

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), database.atomic():
        summaries = orders.SummaryBatch()
        orders.upsert_lines(random_batch(rnd, [a, b]) * 3, summaries)
        raise Interrupted
    assert stored() == before == recomputed()
    with database.atomic():  # the triggers are back: a line typed in is summed at once
        orders.upsert_lines([line(b, "2026-01-02", "Bolts", 1)])
    assert stored() == recomputed() != before


def test_a_line_typed_in_is_checked_like_an_imported_one(two_accounts):
    a, b = two_accounts
    with pytest.raises(ValidationError) as bad:
        orders.add(
            a,
            LineDraft(ordered_on="2099-01-01", product="", amount="-5", quantity="lots", currency="XX"),
        )
    assert set(bad.value.errors) == {"ordered_on", "product", "currency", "quantity", "amount"}
    assert "2099-01-01" in bad.value.errors["ordered_on"]
    with pytest.raises(ValidationError) as old:
        orders.add(a, LineDraft(ordered_on="1899-12-30", product="x", amount="1"))
    assert "1899-12-30" in old.value.errors["ordered_on"]
    assert OrderLine.select().count() == 0

    # The account's currency is the default; its decimals apply.
    typed = orders.add(b, LineDraft(ordered_on="2026-11-30", product="Spindle", amount="1,250.50", quantity="2"))
    assert (typed.amount, typed.currency, typed.quantity) == (125050, "USD", 2.0)
    with pytest.raises(ValidationError) as cents:
        orders.add(b, LineDraft(ordered_on="2026-11-30", product="Spindle", amount="1.255"))
    assert "amount" in cents.value.errors


def test_a_correction_saved_in_another_window_meanwhile_is_not_overwritten(two_accounts):
    a, _b = two_accounts
    typed = orders.add(a, LineDraft(ordered_on="2026-11-01", product="主轴", amount="1000"))
    seen = typed.version
    draft = LineDraft.from_line(typed)
    orders.save(typed.id, LineDraft(**{**draft.__dict__, "amount": "1200"}), expected_version=seen)
    with pytest.raises(StaleEditError):
        orders.save(typed.id, LineDraft(**{**draft.__dict__, "amount": "900"}), expected_version=seen)
    assert OrderLine.get_by_id(typed.id).amount == 1200_00
    assert stored() == recomputed()


def test_two_lines_cannot_claim_the_same_order_and_line_number(two_accounts):
    a, _b = two_accounts
    orders.add(a, LineDraft(ordered_on="2026-11-01", product="主轴", amount="1", order_no="SO-9", line_no="1"))
    with pytest.raises(ValidationError) as twice:
        orders.add(a, LineDraft(ordered_on="2026-11-02", product="主轴", amount="2", order_no="SO-9", line_no="1"))
    assert "SO-9" in twice.value.errors["line_no"]


def test_a_backup_restores_the_history_and_the_summaries_follow(two_accounts, tmp_path):
    a, b = two_accounts
    with database.atomic():
        orders.upsert_lines(
            [line(a, "2026-01-15", "主轴", 1_00, order_no="SO-1"), line(b, "2026-02-01", "Bolts", 2_00, currency="USD")]
        )
    before = stored()
    path = tmp_path / "book.json"
    backup.write_backup(path)
    from saletui.store import db

    db.close_database()
    db.open_database(tmp_path / "restored.sqlite3")
    backup.restore_json(path)
    assert stored() == before == recomputed()


def test_an_account_whose_last_line_is_deleted_or_moved_has_no_history_left(two_accounts):
    a, b = two_accounts
    only = orders.add(a, LineDraft(ordered_on="2026-11-01", product="主轴", amount="1000"))
    moved = orders.add(b, LineDraft(ordered_on="2026-10-01", product="Bolts", amount="5"))
    orders.delete(only.id)
    assert a not in orders.trade() and stored() == recomputed()
    OrderLine.update(account=a).where(OrderLine.id == moved.id).execute()  # its only line moves on
    assert set(orders.trade()) == {a} and stored() == recomputed()


def test_the_orders_tab_reads_pages_that_join_up_exactly_even_within_one_day_and_order(two_accounts):
    """The tab reads 200 lines at a time after the last one shown: with lines of one day,
    of one order, and typed lines without a number, no line is skipped or shown twice."""
    from saletui.store import order_history

    a, _b = two_accounts
    batch = [
        line(
            a,
            "2026-11-01" if n % 3 else "2026-10-15",
            "主轴",
            100 + n,
            order_no=f"SO-{n % 4}" if n % 5 else "",
            line_no=str(n),
        )
        for n in range(60)
    ]
    with database.atomic():
        orders.upsert_lines(batch)
    everything = order_history.page(a, limit=1000)
    assert [r.id for r in everything] == [r.id for r in orders.for_account(a)]
    joined, last = [], None
    while page := order_history.page(a, after=last, limit=7):
        joined += page
        last = page[-1]
    assert joined == everything and len(joined) == 60
