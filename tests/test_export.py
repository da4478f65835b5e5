"""Getting data out: CSV that Excel opens correctly (Chinese included) and that cannot run
formulas, and a JSON backup that restores into an empty database exactly — every field of
every table, compared value by value on the raw SQLite rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pytest

from saletui.services.backup import RestoreError, backup_json, read_backup, restore_json
from saletui.services.csv_export import default_file_name, export_csv, neutralise
from saletui.services.csv_import import import_csv, unescape_formula
from saletui.store import accounts, people
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.models import ALL_MODELS, Account, Deal, Person, Visit, VisitObjection
from saletui.store.objection_log import RaisedObjection, save_for_visit
from saletui.store.people import PersonDraft


def read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel then reads UTF-8, not the ANSI code page
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def book(store) -> dict[str, int]:
    huadong = accounts.save(
        AccountDraft(
            name="华东精密机械有限公司",
            industry="机械制造",
            region="华东",
            relationship="customer",
            contribution="high",
            stability="high",
            tier="top5",
            market_capacity="120万",
            next_step="发报价",
            next_step_date="2026-12-03",
            profile_notes="第一行\n第二行",
        )
    ).id
    boss = people.save(huadong, PersonDraft(name="赵秀英", title="总经理", influence="1", attitude="mentor")).id
    people.save(huadong, PersonDraft(name="林明", reports_to=boss, is_coach=True, phone="+86 512 5905 1763"))
    evil = accounts.save(
        AccountDraft(
            name='=HYPERLINK("http://x")',
            owner="@boss",
            industry="-5%",
            region="+region",
            profile_notes="'=already quoted",
        )
    ).id
    return {"huadong": huadong, "evil": evil}


# -- CSV ----------------------------------------------------------------------------------------


def test_a_csv_export_is_utf8_with_bom_and_crlf_with_chinese_intact(book, tmp_path):
    target = tmp_path / "accounts.csv"
    assert export_csv("accounts", target) == 2
    data = target.read_bytes()
    assert data.startswith("\ufeffname,industry,region,owner,relationship".encode("utf-8"))
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\r" not in line for line in lines)  # every record ends with CRLF
    rows = read_csv(target)
    header = rows[0]
    huadong = dict(zip(header, next(r for r in rows if r[0] == "华东精密机械有限公司"), strict=False))
    assert (huadong["industry"], huadong["region"], huadong["class"], huadong["tier"]) == (
        "机械制造",
        "华东",
        "EI",
        "top5",
    )
    assert (huadong["market capacity"], huadong["next step date"]) == ("1200000", "2026-12-03")
    assert huadong["notes"] == "第一行\n第二行"  # a line break inside a quoted cell stays one cell


def test_cells_that_look_like_formulas_are_neutralised(book, tmp_path):
    export_csv("accounts", tmp_path / "accounts.csv")
    export_csv("people", tmp_path / "people.csv")
    rows = read_csv(tmp_path / "accounts.csv")
    evil = dict(zip(rows[0], next(r for r in rows if "HYPERLINK" in r[0]), strict=False))
    assert evil["name"] == '\'=HYPERLINK("http://x")'
    assert (evil["owner"], evil["industry"], evil["region"]) == ("'@boss", "'-5%", "'+region")
    assert evil["notes"] == "''=already quoted"
    people_rows = read_csv(tmp_path / "people.csv")
    lin = dict(zip(people_rows[0], next(r for r in people_rows if r[1] == "林明"), strict=False))
    assert lin["phone"] == "'+86 512 5905 1763"
    assert (lin["reports to"], lin["coach"], lin["account"]) == ("赵秀英", "yes", "华东精密机械有限公司")
    for row in rows + people_rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize(
    "value", ["=1+2", "+49 40", "-3", "@SUM(A1)", "\tx", "\rx", "'=x", "''x", "'abc", "'", "", "plain", "a=b", "华东"]
)
def test_neutralising_is_undone_exactly_by_the_import(value):
    guarded = neutralise(value)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_formula(guarded) == value


def test_an_exported_file_imports_back_unchanged(book, tmp_path):
    export_csv("accounts", tmp_path / "accounts.csv")
    export_csv("people", tmp_path / "people.csv")
    back = import_csv("accounts", tmp_path / "accounts.csv")
    assert (back.errors, back.unknown_columns) == ([], [])
    assert (back.created, back.updated, back.unchanged) == (0, 0, 2)
    back = import_csv("people", tmp_path / "people.csv")
    assert (back.errors, back.unknown_columns) == ([], [])
    assert (back.created, back.updated, back.unchanged) == (0, 0, 2)


def test_the_demo_book_exports_and_imports_back_unchanged(demo_store, tmp_path):
    for kind in ("accounts", "people"):
        export_csv(kind, tmp_path / f"{kind}.csv")
        back = import_csv(kind, tmp_path / f"{kind}.csv")
        assert back.errors == [] and back.created == back.updated == 0, kind


def test_visits_are_exported_with_account_deal_and_attendees(demo_store, tmp_path):
    count = export_csv("visits", tmp_path / "visits.csv")
    rows = read_csv(tmp_path / "visits.csv")
    assert count == Visit.select().count() == len(rows) - 1
    header = rows[0]
    assert header[:6] == ["account", "planned at", "kind", "status", "deal", "attendees"]
    with_people = [dict(zip(header, r, strict=False)) for r in rows[1:] if r[5]]
    assert with_people and all(r["account"] for r in with_people)
    assert dt.datetime.strptime(rows[1][1], "%Y-%m-%d %H:%M")


def test_archived_accounts_and_their_people_stay_out_of_the_csv(book, tmp_path):
    accounts.archive(book["huadong"])
    export_csv("accounts", tmp_path / "a.csv")
    export_csv("people", tmp_path / "p.csv")
    assert [r[0] for r in read_csv(tmp_path / "a.csv")[1:]] == ['\'=HYPERLINK("http://x")']
    assert read_csv(tmp_path / "p.csv")[1:] == []


def test_default_file_names_carry_the_date():
    day = dt.date(2026, 11, 25)
    assert default_file_name("accounts", day) == "saletui-accounts-2026-11-25.csv"
    assert default_file_name("backup", day) == "saletui-backup-2026-11-25.json"


# -- backup and restore -------------------------------------------------------------------------


def raw_tables(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of ALL_MODELS exactly as SQLite stores it: column names and typed values."""
    conn = sqlite3.connect(path)
    try:
        out = {}
        for model in ALL_MODELS:
            table = model._meta.table_name
            cursor = conn.execute(f"SELECT *, typeof(id) FROM {table} ORDER BY id")
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            typed = [tuple((v, type(v).__name__) for v in row) for row in rows]
            out[table] = (columns, typed)
        return out
    finally:
        conn.close()


@pytest.fixture
def full_book(tmp_path, open_demo) -> Path:
    """The demo book plus what the demo lacks: archived account, influence links, objections,
    an amount that is not a round number, a person whose manager has a higher id."""
    source = open_demo(tmp_path / "source.sqlite3")
    account = Account.select().order_by(Account.id).first()
    staff = list(Person.select().where(Person.account == account.id).order_by(Person.id))
    people.add_link(staff[-1].id, staff[0].id, note="old classmates")
    people.add_link(staff[1].id, staff[2].id)
    late_boss = people.save(account.id, PersonDraft(name="New CEO"))
    people.move(staff[0].id, late_boss.id)  # a manager inserted after the person
    visit = Visit.select().where(Visit.status == "done").first()
    save_for_visit(
        visit.id,
        [
            RaisedObjection("price", "Too expensive", "tco", "Total cost", True, "it worked"),
            RaisedObjection("timing", "Not now", worked=None),
        ],
    )
    Account.update(market_capacity=30, excluded_capacity=1).where(Account.id == account.id).execute()  # 0.30, 0.01
    accounts.archive(Account.select().order_by(Account.id.desc()).first().id)
    store_db.close_database()
    return source


def test_backup_then_restore_into_an_empty_database_is_exact(full_book, tmp_path):
    store_db.open_database(full_book)
    backup = tmp_path / "backup.json"
    counts = backup_json(backup)
    store_db.close_database()
    assert counts["influencelink"] == 2 and counts["visitobjection"] == 2 and counts["milestone"] > 0

    target = tmp_path / "restored.sqlite3"
    store_db.open_database(target)
    restored = restore_json(backup)
    store_db.close_database()
    assert restored == counts

    before, after = raw_tables(full_book), raw_tables(target)
    assert list(after) == list(before)
    for table in before:
        assert after[table][0] == before[table][0], table  # same columns
        assert len(after[table][1]) == len(before[table][1]), table
        for old, new in zip(before[table][1], after[table][1], strict=False):
            assert new == old, table  # same ids, same values, same SQLite storage types
    assert sum(len(rows) for _columns, rows in before.values()) == sum(counts.values())


def test_the_restored_database_reads_the_same_through_the_models(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    expected = {
        m.__name__: [
            tuple(
                getattr(row, f.name if not hasattr(f, "rel_model") else f.name + "_id") for f in m._meta.sorted_fields
            )
            for row in m.select().order_by(m.id)
        ]
        for m in ALL_MODELS
    }
    store_db.close_database()
    store_db.open_database(tmp_path / "r.sqlite3")
    restore_json(tmp_path / "b.json")
    actual = {
        m.__name__: [
            tuple(
                getattr(row, f.name if not hasattr(f, "rel_model") else f.name + "_id") for f in m._meta.sorted_fields
            )
            for row in m.select().order_by(m.id)
        ]
        for m in ALL_MODELS
    }
    assert actual == expected
    assert Account.get_by_id(1).market_capacity == 30


def test_the_backup_file_names_schema_version_and_uses_iso_dates(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert data["format"] == "saletui-backup" and data["saletui_version"]
    assert data["schema"] == store_db.known_migrations()
    assert set(data["tables"]) == {m._meta.table_name for m in ALL_MODELS}
    account = data["tables"]["account"]
    first = dict(zip(account["columns"], account["rows"][0], strict=False))
    assert dt.datetime.fromisoformat(first["created_at"]).isoformat() == first["created_at"]
    assert "T" in first["created_at"]
    assert (first["market_capacity"], first["excluded_capacity"], first["currency"]) == (30, 1, "CNY")  # exact fen
    assert data["format_version"] == 2
    assert "华东精密机械有限公司" in (tmp_path / "b.json").read_text(encoding="utf-8")  # readable, not \\u escapes
    assert (tmp_path / "b.json").stat().st_mode & 0o077 == 0  # personal data: owner only


def test_restore_refuses_a_database_that_is_not_empty(full_book, tmp_path, store):
    store_db.close_database()
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    store_db.close_database()
    store_db.open_database(store)
    accounts.save(AccountDraft(name="Already here"))
    with pytest.raises(RestoreError, match=r"not empty.*account"):
        restore_json(tmp_path / "b.json")
    assert [a.name for a in Account.select()] == ["Already here"]
    assert Person.select().count() == 0


def edit_backup(source: Path, target: Path, change) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    change(data)
    target.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_restore_refuses_a_backup_from_a_newer_schema(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    store_db.close_database()
    newer = edit_backup(
        tmp_path / "b.json", tmp_path / "newer.json", lambda d: d["schema"].append("0099_something_new")
    )
    with pytest.raises(RestoreError, match=r"newer saletui.*0099_something_new"):
        read_backup(newer)
    newer_format = edit_backup(tmp_path / "b.json", tmp_path / "format.json", lambda d: d.update(format_version=3))
    with pytest.raises(RestoreError, match="newer saletui"):
        read_backup(newer_format)
    store_db.open_database(tmp_path / "empty.sqlite3")
    with pytest.raises(RestoreError, match="newer"):
        restore_json(newer)
    assert all(not m.select().exists() for m in ALL_MODELS)


def test_restore_refuses_files_that_are_not_backups(store, tmp_path):
    (tmp_path / "x.json").write_text('{"hello": 1}')
    with pytest.raises(RestoreError, match="not a saletui backup"):
        restore_json(tmp_path / "x.json")
    (tmp_path / "y.json").write_text("{not json")
    with pytest.raises(RestoreError, match="invalid JSON"):
        restore_json(tmp_path / "y.json")
    with pytest.raises(RestoreError, match="no such file"):
        restore_json(tmp_path / "missing.json")


def test_an_inconsistent_backup_restores_nothing(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    store_db.close_database()

    def orphan(data):
        person = data["tables"]["person"]
        row = person["rows"][0]
        row[person["columns"].index("account_id")] = 99999

    broken = edit_backup(tmp_path / "b.json", tmp_path / "broken.json", orphan)
    store_db.open_database(tmp_path / "empty.sqlite3")
    with pytest.raises(RestoreError, match="refers to a missing account"):
        restore_json(broken)
    assert all(not m.select().exists() for m in ALL_MODELS)
    assert VisitObjection.select().count() == 0


# -- money --------------------------------------------------------------------------------------


def test_amounts_go_out_as_exact_decimals_with_their_currency_and_come_back_identical(store, tmp_path):
    cny = accounts.save(AccountDraft(name="Huadong", market_capacity="1,234,567.89", excluded_capacity="0.1"))
    usd = accounts.save(AccountDraft(name="Fabrikam", currency="USD", market_capacity="1.2M"))
    yen = accounts.save(AccountDraft(name="Nippon Gear", currency="JPY", market_capacity="120万"))
    export_csv("accounts", tmp_path / "a.csv")
    rows = read_csv(tmp_path / "a.csv")
    by = {r[0]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    assert (by["Huadong"]["currency"], by["Huadong"]["market capacity"], by["Huadong"]["excluded capacity"]) == (
        "CNY",
        "1234567.89",
        "0.10",
    )
    assert (by["Fabrikam"]["currency"], by["Fabrikam"]["market capacity"]) == ("USD", "1200000")
    assert (by["Nippon Gear"]["currency"], by["Nippon Gear"]["market capacity"]) == ("JPY", "1200000")

    report = import_csv("accounts", tmp_path / "a.csv")
    assert (report.unchanged, report.errors) == (3, [])
    assert [(a.currency, a.market_capacity) for a in Account.select().order_by(Account.id)] == [
        ("CNY", 123456789),
        ("USD", 120000000),
        ("JPY", 1200000),
    ]
    assert [cny.id, usd.id, yen.id] == [a.id for a in Account.select().order_by(Account.id)]


def _format_1_backup(source: Path, target: Path) -> Path:
    """The backup as saletui wrote it before amounts were exact: floats of yuan, no currency,
    schema up to 0005, format version 1."""

    def downgrade(data):
        data["format_version"] = 1
        data["schema"] = [s for s in data["schema"] if s < "0006"]
        account = data["tables"]["account"]
        cols = account["columns"]
        at = cols.index("currency")
        del cols[at]
        for row in account["rows"]:
            del row[at]
        legacy = {0: 0.1 + 0.2, 1: 1.1 * 1e6, 2: None, 3: 123456789012.345}
        for i, row in enumerate(account["rows"][:4]):
            row[cols.index("market_capacity")] = legacy[i]
            row[cols.index("excluded_capacity")] = None
        deal = data["tables"]["deal"]
        for row in deal["rows"]:
            value = row[deal["columns"].index("value")]
            row[deal["columns"].index("value")] = None if value is None else value / 100
        deal["rows"][0][deal["columns"].index("value")] = 2.675

    return edit_backup(source, target, downgrade)


def test_an_old_backup_with_float_amounts_restores_as_exact_minor_units(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    deals_before = [d.value for d in Deal.select().order_by(Deal.id)]
    store_db.close_database()
    old = _format_1_backup(tmp_path / "b.json", tmp_path / "old.json")

    store_db.open_database(tmp_path / "r.sqlite3")
    restore_json(read_backup(old), currency="EUR")
    first = list(Account.select().order_by(Account.id))[:4]
    assert [a.market_capacity for a in first] == [30, 110000000, None, 12345678901234]  # half-even: .345 -> .34
    assert {a.currency for a in Account.select()} == {"EUR"}
    values = [d.value for d in Deal.select().order_by(Deal.id)]
    assert values[0] == 268  # 2.675 as typed: a tie, rounded to even
    assert values[1:] == deals_before[1:]
    assert all(isinstance(v, int) for v in values if v is not None)


def test_a_backup_whose_format_and_schema_disagree_is_refused(full_book, tmp_path):
    store_db.open_database(full_book)
    backup_json(tmp_path / "b.json")
    store_db.close_database()
    mixed = edit_backup(tmp_path / "b.json", tmp_path / "m.json", lambda d: d.update(format_version=1))
    with pytest.raises(RestoreError, match="does not match its schema"):
        read_backup(mixed)
    floats = edit_backup(
        tmp_path / "b.json",
        tmp_path / "f.json",
        lambda d: d["tables"]["deal"]["rows"][0].__setitem__(d["tables"]["deal"]["columns"].index("value"), 1.5),
    )
    store_db.open_database(tmp_path / "empty.sqlite3")
    with pytest.raises(RestoreError, match="not a whole number"):
        restore_json(floats)
    assert all(not m.select().exists() for m in ALL_MODELS)
