"""A rep who upgrades saletui keeps every account, deal and visit: a database built by any
earlier version is upgraded in place, after a backup of the old file, and the models
the code uses always describe the schema the migrations build."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from saletui.errors import ValidationError
from saletui.store import accounts, db, people
from saletui.store.accounts import AccountDraft
from saletui.store.db import open_database
from saletui.store.models import ALL_MODELS, Account, Deal, database

MIGRATIONS = db.known_migrations()
EARLIER = MIGRATIONS[:-1]

# Rows a rep could have saved with each schema version, added once that version is reached.
SEED_SQL: dict[str, list[str]] = {
    "0001_initial": [
        "INSERT INTO account (id, name, industry, region, owner, relationship, contribution, stability, "
        "tier, market_capacity, excluded_capacity, excluded_channels, credit_terms, payment_terms, "
        "rules_of_engagement, profile_notes, created_at, updated_at, archived_at) VALUES "
        "(1, '华为技术', 'Telecom', '深圳', 'Zhang', 'customer', 'high', 'low', 'top5', 300000000.0, 1200000.0, "
        "'online', '60 days', 'T/T', 'Consignment stock', 'State-owned since 1998', "
        "'2025-01-02 09:00:00', '2025-01-02 09:00:00', NULL)",
        "INSERT INTO account (id, name, industry, region, owner, relationship, tier, excluded_channels, "
        "credit_terms, payment_terms, rules_of_engagement, profile_notes, created_at, updated_at, archived_at) "
        "VALUES (2, 'Old Acme', '', '', '', 'prospect', '', '', '', '', '', '', "
        "'2025-01-02 09:00:00', '2025-01-02 09:00:00', '2025-06-01 12:00:00')",
        "INSERT INTO deal (id, account_id, title, value, expected_close, stage, status, close_reason, "
        "closed_at, created_at, updated_at) VALUES (1, 1, '5G core upgrade', 1500000.0, '2026-03-31', 4, "
        "'open', '', NULL, '2025-02-01 10:00:00', '2025-02-01 10:00:00')",
        "INSERT INTO deal (id, account_id, title, value, expected_close, stage, status, close_reason, "
        "closed_at, created_at, updated_at) VALUES (2, 1, 'Pilot', 80000.0, NULL, 6, 'won', "
        "'Coach backed us', '2025-05-01 10:00:00', '2025-02-01 10:00:00', '2025-05-01 10:00:00')",
    ],
    "0002_people_visits": [
        "UPDATE account SET next_step = 'Send the quote', next_step_date = '2026-12-01' WHERE id = 1",
        "INSERT INTO person (id, account_id, reports_to_id, name, title, department, influence, is_coach, "
        "attitude, coverage, buying_role, owner, phone, fax, email, interests, pains, good_supplier, "
        "responsibility, notes, last_contacted, created_at, updated_at) VALUES (1, 1, NULL, '王经理', "
        "'Purchasing manager', 'Purchasing', 1, 1, 'supporter', 'covered', 'buyer', 'Zhang', '', '', '', "
        "'', 'late deliveries', '', '', '', NULL, '2025-03-01 09:00:00', '2025-03-01 09:00:00')",
        "INSERT INTO visit (id, account_id, deal_id, planned_at, kind, status, purposes, objective, outcome, "
        "debrief, next_step, next_step_date, created_at, updated_at) VALUES (1, 1, 1, "
        "'2025-10-15 14:30:00', 'visit', 'done', 'progress', 'Agree the criteria', 'Agreed', '', '', NULL, "
        "'2025-10-01 09:00:00', '2025-10-15 18:00:00')",
        "INSERT INTO visitattendee (id, visit_id, person_id) VALUES (1, 1, 1)",
    ],
}


def build_at(path: Path, version: str) -> None:
    """A database file as saletui left it when `version` was its newest migration."""
    db._create_private(path)
    database.init(str(path), pragmas=db.PRAGMAS)
    database.connect()
    try:
        # As a rep's file would be: each version's rows written while it was current.
        for name in MIGRATIONS[: MIGRATIONS.index(version) + 1]:
            db.migrate(target=name)
            for sql in SEED_SQL.get(name, []):
                database.execute_sql(sql)
    finally:
        database.close()


# Columns an upgrade fills in by computing them rather than with a default.
DERIVED = {("account", "warning_count")}


def columns(conn, table: str) -> dict[str, tuple]:
    return {r[1]: r for r in conn.execute(f"PRAGMA table_info({table})")}


def test_every_migration_has_seed_rows_so_that_upgrades_are_tested_with_data():
    assert MIGRATIONS[0] == "0001_initial"
    assert set(SEED_SQL) <= set(MIGRATIONS)


@pytest.mark.parametrize("version", EARLIER)
def test_a_database_built_at_an_earlier_schema_version_upgrades_with_its_data(tmp_path, version):
    path = tmp_path / "saletui.sqlite3"
    build_at(path, version)
    with sqlite3.connect(path) as conn:
        old_columns = {m._meta.table_name: columns(conn, m._meta.table_name) for m in ALL_MODELS}
        old_accounts = conn.execute("SELECT * FROM account ORDER BY id").fetchall()
        old_deals = conn.execute("SELECT * FROM deal ORDER BY id").fetchall()
    conn.close()

    backup = open_database(path)

    # Every migration is now applied.
    applied = [r[0] for r in database.execute_sql(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
    assert applied == MIGRATIONS

    # The data is still there, column for column.
    conn = database.connection()
    for table, old_rows in (("account", old_accounts), ("deal", old_deals)):
        old_names = list(old_columns[table])
        keep = [i for i, name in enumerate(old_names) if (table, name) not in DERIVED]
        new_rows = conn.execute(f"SELECT {', '.join(old_names)} FROM {table} ORDER BY id").fetchall()
        assert [[r[i] for i in keep] for r in new_rows] == [[r[i] for i in keep] for r in old_rows]
    assert Account.get_by_id(1).name == "华为技术"
    assert [d.title for d in Deal.select().order_by(Deal.id)] == ["5G core upgrade", "Pilot"]

    # Columns added since then hold their defaults.
    for model in ALL_MODELS:
        table = model._meta.table_name
        added = [f for f in model._meta.sorted_fields if f.column_name not in old_columns[table]]
        for f in added:
            if (table, f.column_name) in DERIVED:
                continue
            values = {r[0] for r in conn.execute(f"SELECT {f.column_name} FROM {table}")}
            if not values:
                continue
            expected = None if f.default is None or callable(f.default) else f.db_value(f.default)
            assert values == {expected}, f"{table}.{f.column_name}"

    # Derived columns are computed right after the upgrade, not left empty.
    for account in Account.select():
        assert account.warning_count == len(people.warnings_for(account.id))

    # The app still works on it: the list query, and the one-active-name rule.
    rows = {r.id: r for r in accounts.list_rows()}
    assert rows[1].stage == 4 and rows[1].class_code == "EII"
    assert [r.id for r in accounts.list_rows(archived=True)] == [2]
    with pytest.raises(ValidationError):
        accounts.save(AccountDraft(name="华为技术"))
    accounts.save(AccountDraft(name="old acme"))  # the archived one does not block its name

    # Nothing points nowhere, nothing is corrupt.
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The old file was kept beside it, private, and still opens at the old version.
    assert backup is not None
    assert backup.parent == path.parent and backup.name.endswith(".bak")
    assert version in backup.name
    assert backup.stat().st_mode & 0o777 == 0o600
    with sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True) as old:
        kept = [r[0] for r in old.execute(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
        assert kept == MIGRATIONS[: MIGRATIONS.index(version) + 1]
        assert old.execute("SELECT * FROM account ORDER BY id").fetchall() == old_accounts
        assert old.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    old.close()


@pytest.mark.parametrize("version", EARLIER)
def test_an_upgrade_is_announced_once_only(tmp_path, version):
    """The second start after an upgrade finds nothing to do and makes no new backup."""
    path = tmp_path / "saletui.sqlite3"
    build_at(path, version)
    assert open_database(path) is not None
    db.close_database()
    assert open_database(path) is None
    assert len(list(tmp_path.glob("*.bak"))) == 1


def test_the_models_describe_the_schema_the_migrations_build(store):
    """models.py and migrations/ must never drift apart: same columns, same NULL rules,
    same foreign keys."""
    conn = database.connection()
    for model in ALL_MODELS:
        table = model._meta.table_name
        info = columns(conn, table)
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(fields) == set(info), table
        for name, f in fields.items():
            assert bool(info[name][3]) == (not f.null), f"{table}.{name} NOT NULL differs"
        migrated_fks = {(r[3], r[2], r[6].upper()) for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
        model_fks = {
            (f.column_name, f.rel_model._meta.table_name, (f.on_delete or "NO ACTION").upper())
            for f in model._meta.sorted_fields
            if hasattr(f, "rel_model")
        }
        assert migrated_fks == model_fks, table


def test_every_migration_can_be_undone_and_redone(store):
    """A broken upgrade can be rolled back by a developer without losing the schema."""
    from playhouse.migrations import Runner

    runner = Runner(database, str(db.MIGRATIONS_DIR), table_name=db.HISTORY_TABLE)
    runner.down(MIGRATIONS[0])
    assert runner.applied() == {}
    assert db.migrate() == MIGRATIONS
