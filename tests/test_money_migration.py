"""A rep who upgrades keeps every amount, now exact: migration 0006 turns the floats of
yuan that saletui stored before into integers of fen, gives each account a currency (the
`currency:` setting), and if any amount cannot be converted it changes nothing at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from saletui.store import db
from saletui.store.db import StoreError, open_database
from saletui.store.models import Account, Deal, database

MONEY = "0006_money_minor_units"
BEFORE = db.known_migrations()[db.known_migrations().index(MONEY) - 1]  # 0005

# (id, market capacity, excluded capacity) as floats, the way saletui 0005 stored them.
ACCOUNTS = [
    (1, 0.1 + 0.2, None),  # 0.30000000000000004
    (2, 1.2 * 1e6, 1.1 * 1e6),  # 1.2M; 1.1M was 1100000.0000000002
    (3, 120 * 1e4, 0.0),  # 120万
    (4, 123456789012.345, 2.675),  # a tie at the typed digits: half-even
    (5, 1e14, 2.665),  # very large, still exact: 10^16 fen
    (6, None, None),
]
DEALS = [(1, 1, 1500000.5), (2, 2, None), (3, 4, 0.005), (4, 5, 999999999999.99)]


def insert(table: str, values: dict[str, object]) -> None:
    """A row as the 0005 form would have saved it: every required column filled."""
    row = dict(values)
    for _cid, name, kind, notnull, default, _pk in database.execute_sql(f"PRAGMA table_info({table})"):
        if notnull and default is None and name not in row and name != "id":
            row[name] = "2025-01-02 09:00:00" if kind == "DATETIME" else 1 if kind == "INTEGER" else ""
    marks = ", ".join("?" for _ in row)
    database.execute_sql(f"INSERT INTO {table} ({', '.join(row)}) VALUES ({marks})", list(row.values()))


def build_at_0005(path: Path, accounts=ACCOUNTS, deals=DEALS) -> None:
    """A database file as saletui left it at schema 0005, with awkward amounts."""
    db._create_private(path)
    database.init(str(path), pragmas=db.PRAGMAS)
    database.connect()
    try:
        db.migrate(target=BEFORE)
        for account_id, total, excluded in accounts:
            insert(
                "account",
                {
                    "id": account_id,
                    "name": f"Account {account_id}",
                    "relationship": "prospect",
                    "market_capacity": total,
                    "excluded_capacity": excluded,
                },
            )
        for deal_id, account_id, value in deals:
            insert(
                "deal",
                {"id": deal_id, "account_id": account_id, "title": f"Deal {deal_id}", "status": "open", "value": value},
            )
    finally:
        database.close()


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_old_float_amounts_become_exact_fen_rounded_half_even(tmp_path):
    path = tmp_path / "saletui.sqlite3"
    build_at_0005(path)
    assert open_database(path, currency="CNY") is not None  # upgraded, after a backup

    rows = database.execute_sql(
        "SELECT id, market_capacity, excluded_capacity, currency, typeof(market_capacity) FROM account ORDER BY id"
    ).fetchall()
    assert [r[:4] for r in rows] == [
        (1, 30, None, "CNY"),
        (2, 120000000, 110000000, "CNY"),
        (3, 120000000, 0, "CNY"),
        (4, 12345678901234, 268, "CNY"),
        (5, 10**16, 266, "CNY"),
        (6, None, None, "CNY"),
    ]
    assert {r[4] for r in rows if r[1] is not None} == {"integer"}  # stored as INTEGER, not REAL
    deals = database.execute_sql("SELECT id, value, typeof(value) FROM deal ORDER BY id").fetchall()
    assert deals == [(1, 150000050, "integer"), (2, None, "null"), (3, 0, "integer"), (4, 99999999999999, "integer")]
    # The models read them as ints, and the schema says INTEGER.
    assert Account.get_by_id(2).market_capacity == 120000000
    assert Deal.get_by_id(1).value == 150000050
    types = {r[1]: r[2] for r in database.execute_sql("PRAGMA table_info(account)")}
    assert (types["market_capacity"], types["excluded_capacity"]) == ("INTEGER", "INTEGER")
    assert database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
    db.close_database()


def test_existing_accounts_take_the_currency_setting_of_the_upgrade(tmp_path):
    path = tmp_path / "saletui.sqlite3"
    build_at_0005(path, deals=[])
    open_database(path, currency="JPY")
    assert {a.currency for a in Account.select()} == {"JPY"}
    # JPY has no minor unit: 1.2M yen is 1,200,000 units, 0.30 rounds to 0.
    assert Account.get_by_id(2).market_capacity == 1_200_000
    assert Account.get_by_id(1).market_capacity == 0
    db.close_database()


@pytest.mark.parametrize(
    ("bad", "where"),
    [(float("inf"), "account 7 'Account 7'"), (1e300, "account 7 'Account 7'"), ("lots", "account 7 'Account 7'")],
)
def test_an_amount_that_cannot_be_converted_stops_the_upgrade_and_changes_nothing(tmp_path, bad, where):
    path = tmp_path / "saletui.sqlite3"
    build_at_0005(path, accounts=[*ACCOUNTS, (7, bad, None)])
    before = dump(path)

    with pytest.raises(StoreError) as exc:
        open_database(path)
    assert where in str(exc.value) and "cannot be stored exactly" in str(exc.value)

    # Every row and the schema as they were: still at 0005, amounts still floats.
    assert dump(path) == before
    conn = sqlite3.connect(path)
    try:
        applied = [r[0] for r in conn.execute(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
        assert applied[-1] == BEFORE
        assert conn.execute("SELECT market_capacity FROM account WHERE id = 2").fetchone() == (1.2e6,)
        assert "currency" not in {r[1] for r in conn.execute("PRAGMA table_info(account)")}
    finally:
        conn.close()


def test_a_deal_that_cannot_be_converted_also_leaves_everything_as_it_was(tmp_path):
    path = tmp_path / "saletui.sqlite3"
    build_at_0005(path, deals=[*DEALS, (5, 3, -1e300)])  # (SQLite keeps a NaN as NULL)
    before = dump(path)
    with pytest.raises(StoreError, match="deal 5 'Deal 5'"):
        open_database(path)
    assert dump(path) == before


def test_the_upgrade_can_be_undone_back_to_floats(tmp_path):
    """A developer rolling 0006 back gets the yuan floats again (exact below 2^53 fen)."""
    from playhouse.migrations import Runner

    path = tmp_path / "saletui.sqlite3"
    build_at_0005(path)
    open_database(path)
    Runner(database, str(db.MIGRATIONS_DIR), table_name=db.HISTORY_TABLE).down(MONEY)
    rows = database.execute_sql("SELECT id, market_capacity, excluded_capacity FROM account ORDER BY id").fetchall()
    assert rows[:3] == [(1, 0.3, None), (2, 1.2e6, 1.1e6), (3, 1.2e6, 0.0)]
    assert database.execute_sql("SELECT value FROM deal WHERE id = 1").fetchone() == (1500000.5,)
    db.close_database()
