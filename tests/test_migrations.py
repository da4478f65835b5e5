"""A rep who upgrades saletui keeps every account, deal and visit: a database built by any
earlier version is upgraded in place, after a backup of the old file, and the models
the code uses always describe the schema the migrations build."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saletui.errors import ValidationError
from saletui.store import accounts, db, people
from saletui.store.accounts import AccountDraft
from saletui.store.db import open_database
from saletui.store.models import ALL_MODELS, SUMMARY_MODELS, Account, Deal, database

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
    "0003_influence_warnings": [
        "INSERT INTO person (id, account_id, reports_to_id, name, title, department, influence, is_coach, "
        "attitude, coverage, buying_role, owner, phone, fax, email, interests, pains, good_supplier, "
        "responsibility, notes, last_contacted, created_at, updated_at) VALUES (2, 1, 1, 'Li Gong', "
        "'Chief engineer', 'R&D', 2, 0, 'neutral', 'brief', 'user', 'Zhang', '+86 755 1234', '', "
        "'li@huawei.example', 'reliability', '', 'answers fast', 'specs', '', '2025-09-30', "
        "'2025-03-02 09:00:00', '2025-03-02 09:00:00')",
        "INSERT INTO influencelink (id, account_id, source_id, target_id, note, created_at) VALUES "
        "(1, 1, 2, 1, 'Her spec decides the shortlist', '2025-04-01 09:00:00')",
    ],
    "0004_milestones_checklists": [
        "UPDATE visit SET objective_who = '王经理', objective_how = 'on site', objective_when = 'before Q4', "
        "objective_why = 'budget is set in October', give = 'reference visit', learn = 'decision date', "
        "ask_best = 'trial order', ask_minimum = 'meeting with R&D', commitment = 'R&D meeting booked' "
        "WHERE id = 1",
        "INSERT INTO milestone (id, deal_id, stage, position, template_id, question, key_node, status, "
        "skip_reason, reached_visit_id, reached_on, note, created_at, updated_at) VALUES "
        "(1, 1, 2, 0, 'criteria', 'Do we know their buying criteria?', 1, 'reached', '', 1, '2025-10-15', "
        "'Written down in the visit', '2025-10-01 09:00:00', '2025-10-15 18:00:00')",
        "INSERT INTO milestone (id, deal_id, stage, position, template_id, question, key_node, status, "
        "skip_reason, reached_visit_id, reached_on, note, created_at, updated_at) VALUES "
        "(2, 1, 3, 0, '', 'Own question: who signs?', 0, 'skipped', 'Not relevant for a framework order', "
        "NULL, NULL, '', '2025-10-01 09:00:00', '2025-10-01 09:00:00')",
        "INSERT INTO visititem (id, visit_id, milestone_id, position, result, note) VALUES "
        "(1, 1, 1, 0, 'reached', 'criteria agreed')",
    ],
    "0005_objections_on_visits": [
        "INSERT INTO visitobjection (id, visit_id, objection_id, objection_title, technique_id, technique_name, "
        "worked, note, created_at) VALUES (1, 1, 'too-expensive', '太贵了', 'total-cost', "
        "'Show the total cost of ownership', 1, 'Worked with the energy figures', '2025-10-15 18:00:00')",
        "INSERT INTO visitobjection (id, visit_id, objection_id, objection_title, technique_id, technique_name, "
        "worked, note, created_at) VALUES (2, 1, 'no-budget', 'No budget this year', '', '', NULL, '', "
        "'2025-10-15 18:00:00')",
    ],
    "0006_money_minor_units": [
        "INSERT INTO account (id, name, industry, region, owner, relationship, tier, market_capacity, "
        "excluded_capacity, excluded_channels, credit_terms, payment_terms, rules_of_engagement, profile_notes, "
        "created_at, updated_at, archived_at, next_step, next_step_date, warning_count, currency) VALUES "
        "(3, 'Northwind GmbH', 'Logistics', 'EMEA', 'Tom', 'prospect', '', 250000050, NULL, '', '', '', '', '', "
        "'2026-01-05 09:00:00', '2026-01-05 09:00:00', NULL, '', NULL, NULL, 'EUR')",
        "UPDATE deal SET value = 8000050 WHERE id = 2",  # 80,000.50 in fen
    ],
    "0007_crm_sources": [
        "INSERT INTO account (id, name, industry, region, owner, relationship, tier, market_capacity, "
        "excluded_capacity, excluded_channels, credit_terms, payment_terms, rules_of_engagement, profile_notes, "
        "created_at, updated_at, archived_at, next_step, next_step_date, warning_count, currency, source, "
        "source_id, phone, website, annual_revenue, employees) VALUES "
        "(4, 'Acme Corp', 'Machinery', 'Ohio, US', 'Ann', 'customer', '', NULL, NULL, '', '', '', '', '', "
        "'2026-02-01 09:00:00', '2026-02-01 09:00:00', NULL, '', NULL, NULL, 'USD', 'salesforce', "
        "'001A000001', '+1 555 0100', 'acme.example', 1200000000, 850)",
        "UPDATE person SET source = 'vcard', source_id = 'urn:uuid:6a1c' WHERE id = 1",
        "UPDATE deal SET source = 'hubspot', source_id = '9001' WHERE id = 2",
    ],
    "0008_edit_versions": [
        # Rows saved a few times since the upgrade: each save added one to the version.
        "UPDATE account SET region = 'Guangdong', version = 3 WHERE id = 1",
        "UPDATE person SET notes = 'Prefers WeChat', version = 2 WHERE id = 1",
        "UPDATE deal SET stage = 5, version = 1 WHERE id = 1",
        "UPDATE visit SET outcome = 'Agreed, in writing', version = 1 WHERE id = 1",
        "UPDATE milestone SET note = 'Criteria signed off', version = 4 WHERE id = 1",
    ],
    "0009_orders": [
        # An ERP export of two months, one line corrected by hand later, one line typed in.
        "INSERT INTO order_line (id, account_id, ordered_on, product, category, quantity, amount, currency, "
        "order_no, line_no, rep, source, note, created_at, updated_at, version) VALUES "
        "(1, 1, '2026-01-15', '5G 基站', '无线', 2.0, 120000000, 'CNY', 'SO-1001', '1', 'Zhang', 'erp', '', "
        "'2026-01-16 08:00:00', '2026-01-16 08:00:00', 0), "
        "(2, 1, '2026-01-15', 'Service', '服务', 1.0, 5000000, 'CNY', 'SO-1001', '2', 'Zhang', 'erp', '', "
        "'2026-01-16 08:00:00', '2026-01-16 08:00:00', 0), "
        "(3, 1, '2026-03-02', '5G 基站', '无线', NULL, 60000000, 'CNY', '', '', 'Zhang', '', 'by phone', "
        "'2026-03-02 17:00:00', '2026-03-02 17:00:00', 0)",
        "UPDATE order_line SET amount = 4500000, version = 1 WHERE id = 2",
    ],
    "0010_account_plans": [
        # A plan for the top-5 account: CNY 1,200,000 over the year, front-loaded, with
        # one action done and one open, and what we want from its one contact.
        "INSERT INTO account_plan (id, account_id, year, currency, objective, goal, created_at, updated_at, "
        "version) VALUES (1, 1, 2026, 'CNY', 120000000, '成为首选供应商', '2026-01-05 09:00:00', "
        "'2026-02-01 09:00:00', 1)",
        "INSERT INTO plan_month (id, plan_id, month, expected) VALUES "
        + ", ".join(f"({m}, 1, {m}, {20000000 if m <= 2 else 8000000})" for m in range(1, 13)),
        "INSERT INTO plan_action (id, plan_id, what, owner, due_on, status, note, created_at, updated_at, version) "
        "VALUES (1, 1, 'Plant visit with QA', 'Zhang', '2026-02-15', 'done', '', '2026-01-05 09:00:00', "
        "'2026-02-16 09:00:00', 1), (2, 1, '年度合同续签', 'Zhang', '2026-11-30', 'open', '', "
        "'2026-01-05 09:00:00', '2026-01-05 09:00:00', 0)",
        "INSERT INTO plan_contact (id, plan_id, person_id, objective, created_at, updated_at, version) VALUES "
        "(1, 1, (SELECT MIN(id) FROM person), 'Sponsor the pilot line', '2026-01-05 09:00:00', "
        "'2026-01-05 09:00:00', 0)",
    ],
    "0012_derived_classes": [
        # The rep keeps Huawei's hand-set class although the orders were derived (refresh ran).
        "UPDATE account SET class_source = 'hand' WHERE id = 1",
        "INSERT INTO derived_class (account_id, contribution, stability, lines, months, quarters) "
        "VALUES (1, 'high', 'low', 3, 2, 2)",
        "UPDATE class_derivation SET window_end = 202603, rules = '(12,)', stale = 0, generation = 4 WHERE id = 1",
    ],
    "0011_deal_phases": [
        # The won pilot: the rep saw the customer struggle and set it to learning.
        "UPDATE deal SET phase = 'learning', phase_on = '2025-06-01', version = version + 1 WHERE id = 2",
    ],
    "0013_prospect_scores": [
        # The rep rates a prospect on four factors; its score was worked out (refresh ran).
        "UPDATE account SET relationship = 'prospect', rating_size = 5, rating_network = 4, rating_growth = 4, "
        "rating_advantage = 2, version = version + 1 WHERE id = 2",
        "INSERT INTO derived_class (account_id, contribution, stability, lines, months, quarters, expected_value, score) "
        "VALUES (2, '', '', 0, 0, 0, 'high', 3.75)",
    ],
    "0014_deal_health": [
        # 王经理 decides and pays for the 5G upgrade; Li Gong evaluates it. Its risks were
        # worked out on the day the rep last looked.
        "INSERT INTO deal_contact (id, deal_id, person_id, roles, is_primary, created_at, updated_at) VALUES "
        "(1, 1, 1, 'decision-maker,economic-buyer', 1, '2025-11-01 09:00:00', '2025-11-01 09:00:00')",
        "INSERT INTO deal_contact (id, deal_id, person_id, roles, is_primary, created_at, updated_at) VALUES "
        "(2, 1, 2, 'technical-buyer', 0, '2025-11-01 09:00:00', '2025-11-01 09:00:00')",
        "UPDATE deal SET stage_on = '2025-10-15', risks = 'few-contacts:2,no-coach', risks_on = '2025-11-01' "
        "WHERE id = 1",
        "UPDATE deal_risk_state SET rules = 'old rules' WHERE id = 1",
    ],
    "0015_relationships": [
        # Zhang is a credible source to 王经理 and aims to be their trusted advisor.
        "INSERT INTO person_relationship (id, person_id, staff, level, target, created_at, updated_at) VALUES "
        "(1, 1, 'Zhang', 2, 4, '2025-11-02 09:00:00', '2025-11-02 09:00:00')",
    ],
    "0016_search": [
        # Li Gong's new mobile number: the search index follows (a trigger).
        "UPDATE person SET phone = '+86 138 0013 8000', version = version + 1 WHERE id = 2",
    ],
    "0017_agenda_indexes": [
        # The next visit is planned for next week.
        "INSERT INTO visit (id, account_id, deal_id, planned_at, kind, status, purposes, objective, objective_who, "
        "objective_how, objective_when, objective_why, give, learn, ask_best, ask_minimum, commitment, outcome, "
        "debrief, next_step, next_step_date, created_at, updated_at, version) VALUES (2, 1, 1, "
        "'2026-12-07 10:00:00', 'visit', 'planned', 'progress', 'Walk the pilot line', '', '', '', '', '', '', "
        "'', '', '', '', '', '', NULL, '2026-11-30 09:00:00', '2026-11-30 09:00:00', 0)",
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
DERIVED = {("account", "warning_count"), ("deal", "phase"), ("deal", "phase_on"), ("deal", "stage_on")}


def _fen(yuan: float | None) -> int | None:
    return None if yuan is None else round(yuan * 100)


# Columns a migration rewrites, by migration: an upgrade across it must turn each old value
# into the one given here. A migration that converts data adds its columns beside its seeds.
CONVERTED: dict[str, dict[tuple[str, str], Callable[[Any], Any]]] = {
    # Floats of yuan become integers of fen (the conversion itself: tests/test_money_migration.py).
    "0006_money_minor_units": {
        ("account", "market_capacity"): _fen,
        ("account", "excluded_capacity"): _fen,
        ("deal", "value"): _fen,
    },
}


def columns(conn, table: str) -> dict[str, tuple]:
    return {r[1]: r for r in conn.execute(f"PRAGMA table_info({table})")}


def user_tables(conn) -> list[str]:
    """The tables holding what the rep saved: not the search index (migration 0016, built
    from them by triggers; tests/test_search.py checks it)."""
    names = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'"
    )
    return sorted(r[0] for r in names if r[0] != db.HISTORY_TABLE)


def _key(conn, table: str) -> str:
    """The primary key's columns: `id`, or those of a summary table's composite key."""
    key = sorted((r[5], r[1]) for r in columns(conn, table).values() if r[5])
    return ", ".join(name for _pos, name in key)


def snapshot(conn) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's columns and rows, in id order."""
    return {
        table: (
            list(columns(conn, table)),
            conn.execute(f"SELECT * FROM {table} ORDER BY {_key(conn, table)}").fetchall(),
        )
        for table in user_tables(conn)
    }


def expected_after_upgrade(
    table: str, names: list[str], rows: list[tuple], pending: list[str]
) -> tuple[list[str], list[tuple]]:
    """What the old rows must read as once the `pending` migrations ran: the same values,
    except derived columns (left out) and those a pending migration converts."""
    kept = [name for name in names if (table, name) not in DERIVED]

    def value(row: tuple, name: str) -> Any:
        result = row[names.index(name)]
        for migration in pending:
            result = CONVERTED.get(migration, {}).get((table, name), lambda v: v)(result)
        return result

    return kept, [tuple(value(row, name) for name in kept) for row in rows]


def test_every_migration_has_seed_rows_so_that_upgrades_are_tested_with_data():
    assert MIGRATIONS[0] == "0001_initial"
    assert set(SEED_SQL) == set(MIGRATIONS), "give each migration the rows a rep could have saved with it"
    assert all(SEED_SQL[name] for name in MIGRATIONS)


def test_the_seed_rows_fill_every_table_of_the_newest_schema(tmp_path):
    """Each table the upgrade test looks at holds data, so a migration that loses a row fails."""
    path = tmp_path / "saletui.sqlite3"
    build_at(path, MIGRATIONS[-1])
    with sqlite3.connect(path) as conn:
        assert set(user_tables(conn)) == {m._meta.table_name for m in (*ALL_MODELS, *SUMMARY_MODELS)}
        empty = [table for table, (_names, rows) in snapshot(conn).items() if not rows]
    conn.close()
    assert empty == []


@pytest.mark.parametrize("version", EARLIER)
def test_a_database_built_at_an_earlier_schema_version_upgrades_with_its_data(tmp_path, version):
    path = tmp_path / "saletui.sqlite3"
    build_at(path, version)
    with sqlite3.connect(path) as conn:
        old = snapshot(conn)
    conn.close()
    old_columns = {table: set(names) for table, (names, _rows) in old.items()}

    backup = open_database(path)

    # Every migration is now applied.
    applied = [r[0] for r in database.execute_sql(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
    assert applied == MIGRATIONS

    # Every row of every table is still there, column for column.
    conn = database.connection()
    assert old and all(rows for _names, rows in old.values())
    pending = MIGRATIONS[MIGRATIONS.index(version) + 1 :]
    for table, (names, rows) in old.items():
        new_names, expected = expected_after_upgrade(table, names, rows, pending)
        now = conn.execute(f"SELECT {', '.join(new_names)} FROM {table} ORDER BY {_key(conn, table)}").fetchall()
        assert now == expected, table
    assert Account.get_by_id(1).name == "华为技术"
    assert [d.title for d in Deal.select().order_by(Deal.id)] == ["5G core upgrade", "Pilot"]

    # Columns added since then hold their defaults.
    for model in ALL_MODELS:
        table = model._meta.table_name
        added = [f for f in model._meta.sorted_fields if f.column_name not in old_columns.get(table, set())]
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
    moved_on = MIGRATIONS.index(version) >= MIGRATIONS.index("0008_edit_versions")  # its seed moves the deal on
    assert rows[1].stage == (5 if moved_on else 4) and rows[1].class_code == "EII"
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
    with sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True) as kept_file:
        kept = [r[0] for r in kept_file.execute(f"SELECT name FROM {db.HISTORY_TABLE} ORDER BY name")]
        assert kept == MIGRATIONS[: MIGRATIONS.index(version) + 1]
        assert snapshot(kept_file) == old
        assert kept_file.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    kept_file.close()


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
    for model in (*ALL_MODELS, *SUMMARY_MODELS):
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
