"""`saletui import deals`, `saletui import people FILE.vcf` and `saletui export people
--format vcf` as a rep runs them in a shell: FILE:ROW: column: reason lines, the summary,
exit codes, and a settings file whose deal_stages maps a custom stage."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from saletui.store import accounts
from saletui.store import db as store_db
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account
from tests.conftest import run_cli, stderr_of, stdout_of

DATA = Path(__file__).parent / "data" / "vcard"
REPORT = (
    "Opportunity Name,Account Name,Stage,Amount,Close Date,Probability (%),Opportunity Owner\n"
    'Line 3 retrofit,Acme Steel,Negotiation/Review,"USD 125,000.00",12/15/2026,90,Li Wei\n'
    "Pilot,Acme Steel,Technical Evaluation,,2027-03-01,20,Li Wei\n"
)


@pytest.fixture
def crm_db(store: Path) -> Path:
    saved = accounts.save(AccountDraft(name="Acme Steel", currency="USD"))
    Account.update(source="salesforce", source_id="0015g00000XyZabAAB").where(Account.id == saved.id).execute()
    accounts.save(AccountDraft(name="Northwind Traders"))
    store_db.close_database()
    return store


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_an_unknown_stage_names_the_value_and_the_setting_then_the_setting_maps_it(crm_db, tmp_path):
    home = tmp_path / "home"
    (tmp_path / "opps.csv").write_text(REPORT, encoding="utf-8")
    result = run_cli("import", "deals", "opps.csv", db=crm_db, home=home, cwd=tmp_path)
    assert result.returncode == 1, stderr_of(result)
    out = stdout_of(result).splitlines()
    assert out[0] == "opps.csv:1: read as a Salesforce export"
    assert out[1] == "opps.csv:1: Probability (%), Opportunity Owner: no place for these in saletui, not kept"
    assert out[2].startswith("opps.csv:3: Stage: Unknown stage 'Technical Evaluation': map it under deal_stages in ")
    assert str(home / "config" / "settings.yaml") in out[2]
    assert rows(crm_db, "SELECT count(*) FROM deal") == [(0,)]
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.yaml").write_text('deal_stages:\n  "Technical Evaluation": 3\n', encoding="utf-8")
    result = run_cli("import", "deals", "opps.csv", db=crm_db, home=home, cwd=tmp_path)
    assert result.returncode == 0, stdout_of(result)
    assert stdout_of(result).splitlines()[-1] == "Imported: 2 created, 0 updated, 0 unchanged; 0 bad rows"
    assert rows(crm_db, "SELECT title, stage, value, expected_close FROM deal ORDER BY title") == [
        ("Line 3 retrofit", 5, 12500000, "2026-12-15"),
        ("Pilot", 3, None, "2027-03-01"),
    ]
    assert rows(crm_db, "SELECT count(*) > 0 FROM milestone") == [(1,)]


def test_a_bad_deal_stages_value_stops_before_anything_with_file_and_line(crm_db, tmp_path):
    settings = tmp_path / "s.yaml"
    settings.write_text("deal_stages:\n  Signed: maybe\n", encoding="utf-8")
    (tmp_path / "opps.csv").write_text(REPORT, encoding="utf-8")
    result = run_cli("--config", str(settings), "import", "deals", "opps.csv", db=crm_db, home=tmp_path, cwd=tmp_path)
    assert result.returncode == 2
    assert stderr_of(result).startswith(f"saletui: {settings}:2:")
    assert "deal_stages.Signed" in stderr_of(result) and "'maybe'" in stderr_of(result)


def test_people_come_in_from_a_vcf_and_go_back_out_as_vcard(crm_db, tmp_path):
    home = tmp_path / "home"
    result = run_cli("import", "people", str(DATA / "iphone-3.0.vcf"), db=crm_db, home=home, cwd=tmp_path)
    assert result.returncode == 0, stdout_of(result) + stderr_of(result)
    assert stdout_of(result) == "Imported: 2 created, 0 updated, 0 unchanged; 0 bad rows\n"
    refused = run_cli("import", "people", str(DATA / "android-4.0.vcf"), db=crm_db, home=home, cwd=tmp_path)
    assert refused.returncode == 1
    shown = str(DATA / "android-4.0.vcf")
    assert stdout_of(refused).splitlines()[:2] == [
        f"{shown}:1: ORG: [bold]Priya[/bold] Sharma 🚀: no active account called 'Initech'; import or add it first "
        "(or use --create-accounts).",
        f"{shown}:16: ORG: Card Without Company: the card has no ORG (company); saletui keeps people under their "
        "account.",
    ]
    created = run_cli(
        "import", "people", str(DATA / "chinese-phone.vcf"), "--create-accounts", db=crm_db, home=home, cwd=tmp_path
    )
    assert created.returncode == 0, stdout_of(created)
    export = run_cli("export", "people", "-o", "team.vcf", db=crm_db, home=home, cwd=tmp_path)
    assert export.returncode == 0, stderr_of(export)
    assert stderr_of(export) == "Wrote team.vcf: 4 people\n"
    text = (tmp_path / "team.vcf").read_bytes().decode("utf-8")
    assert text.count("BEGIN:VCARD\r\n") == 4 and "ORG:华东精密机械有限公司;总经办\r\n" in text
    wrong = run_cli("export", "accounts", "--format", "vcf", db=crm_db, home=home, cwd=tmp_path)
    assert wrong.returncode == 2 and "--format vcf is for people only" in stderr_of(wrong)


def test_a_chinese_rep_reads_the_refusals_in_chinese(crm_db, tmp_path):
    (tmp_path / "项目.csv").write_text(
        "客户名称,项目名称,阶段,金额,预计成交日期\nAcme Steel,三号线改造,技术交流,120万,2026/12/31\n", encoding="gbk"
    )
    result = run_cli("--lang", "zh_CN", "import", "deals", "项目.csv", db=crm_db, home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 1
    line = stdout_of(result).splitlines()[0]
    assert line.startswith("项目.csv:2: 阶段: 未知阶段 '技术交流'：请在 ") and "deal_stages" in line
