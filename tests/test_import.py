"""Importing accounts and people from CSV files as reps have them: Excel's UTF-8 (with and
without BOM), Chinese Excel's GBK, European semicolons, English and Chinese headers.
Every value passes the form rules; bad rows are named by spreadsheet row number; an
import is all or nothing unless asked otherwise; importing again never duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saletui.services.csv_import import ImportFileError, RowError, import_csv
from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Person
from saletui.store.people import PersonDraft


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def by_name() -> dict[str, Account]:
    return {a.name: a for a in Account.select()}


def person(name: str) -> Person:
    return Person.get(Person.name == name)


GOOD = (
    "Name,Industry,Region,Owner,Relationship,Contribution,Stability,Tier,Market capacity,Next step,"
    "Next step date,Notes\n"
    'Acme Steel,Steel,EMEA,Sarah Chen,customer,high,low,top5,1.2M,Send quote,2026-12-01,"Founded 1950.\n'
    'Family owned."\n'
    "Globex,Chemicals,APAC,Tom Becker,prospect,,,,,,,\n"
)


# -- encodings and delimiters -------------------------------------------------------------------


def test_a_good_utf8_file_creates_every_account_with_its_values(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "accounts.csv", GOOD))
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.written and report.encoding == "utf-8" and report.delimiter == ","
    acme = by_name()["Acme Steel"]
    assert (acme.industry, acme.region, acme.owner, acme.relationship) == ("Steel", "EMEA", "Sarah Chen", "customer")
    assert (acme.contribution, acme.stability, acme.tier) == ("high", "low", "top5")
    assert acme.market_capacity == 1_200_000_00
    assert acme.next_step_date == dt.date(2026, 12, 1)
    assert acme.profile_notes == "Founded 1950.\nFamily owned."
    assert by_name()["Globex"].relationship == "prospect"
    assert [(r.row, r.action, r.name) for r in report.rows] == [(2, "create", "Acme Steel"), (3, "create", "Globex")]


def test_a_utf8_file_with_bom_is_read_and_its_first_header_recognised(store, tmp_path):
    report = import_csv(
        "accounts", write(tmp_path / "bom.csv", "name,行业\n华东精密机械有限公司,机械制造\n", "utf-8-sig")
    )
    assert report.errors == [] and report.created == 1
    assert report.encoding == "utf-8-sig"
    assert report.columns == {"name": "name", "industry": "行业"}
    assert by_name()["华东精密机械有限公司"].industry == "机械制造"


def test_a_gbk_file_from_chinese_excel_with_chinese_headers_and_values(store, tmp_path):
    text = (
        "客户名称,行业,区域,负责人,客户类型,贡献,稳定性,分级,市场容量,信用条件,付款条件,下一步,下一步日期,备注\n"
        "华东精密机械有限公司,机械制造,华东,李娜,现有客户,高,低,前5,120万,信用额度500万元,月结60天,发报价,"
        "2026/12/3,老客户\n"
        "成都天府新能源股份有限公司,新能源,西南,张伟,潜在客户,,,新5,3亿,,,,2026年12月9日,\n"
        "大连星海船舶配套有限公司,船舶配套,东北,王磊,未来客户,,,,,,,,,\n"
    )
    path = tmp_path / "客户.csv"
    path.write_text(text, encoding="gbk")
    report = import_csv("accounts", path)
    assert report.errors == [] and report.unknown_columns == []
    assert report.encoding == "gb18030"
    assert report.created == 3
    huadong = by_name()["华东精密机械有限公司"]
    assert (huadong.owner, huadong.relationship, huadong.contribution, huadong.stability) == (
        "李娜",
        "customer",
        "high",
        "low",
    )
    assert (huadong.tier, huadong.market_capacity) == ("top5", 1_200_000_00)
    assert (huadong.credit_terms, huadong.payment_terms, huadong.next_step) == ("信用额度500万元", "月结60天", "发报价")
    assert huadong.next_step_date == dt.date(2026, 12, 3)
    assert huadong.profile_notes == "老客户"
    tianfu = by_name()["成都天府新能源股份有限公司"]
    assert (tianfu.relationship, tianfu.tier, tianfu.market_capacity) == ("prospect", "new5", 300_000_000_00)
    assert tianfu.next_step_date == dt.date(2026, 12, 9)
    assert by_name()["大连星海船舶配套有限公司"].relationship == "future"


def test_semicolon_and_tab_separated_files_are_sniffed(store, tmp_path):
    semicolon = import_csv(
        "accounts", write(tmp_path / "eu.csv", 'Name;Industry;Market capacity\n"Müller; Söhne GmbH";Tools;1,500\n')
    )
    assert semicolon.delimiter == ";" and semicolon.errors == []
    assert by_name()["Müller; Söhne GmbH"].market_capacity == 1500_00
    tab = import_csv("accounts", write(tmp_path / "tab.txt", "Name\tRegion\nInitech, Inc.\tNorth America\n"))
    assert tab.delimiter == "\t" and tab.errors == []
    assert by_name()["Initech, Inc."].region == "North America"


def test_utf16_text_as_excel_saves_unicode_text(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "u16.txt", "\ufeffName\tRegion\n华东精密\t华东\n", "utf-16-le"))
    assert report.encoding == "utf-16" and report.errors == []
    assert by_name()["华东精密"].region == "华东"


def test_header_aliases_ignore_case_spaces_punctuation_and_units(store, tmp_path):
    text = (
        " COMPANY NAME ,Sector,Area,Sales Rep,Customer_Type,Expected-Value,INTENT,Tier,"
        "Market Capacity (CNY),Payment Terms,next_step_date,Remarks\n"
        "Vantage Robotics,Robotics,North America,Tom,Prospect,High,Low,Top 5,2m,Net 30,2026-12-01 00:00:00,hi\n"
    )
    report = import_csv("accounts", write(tmp_path / "aliases.csv", text))
    assert report.errors == [] and report.unknown_columns == []
    vantage = by_name()["Vantage Robotics"]
    assert (vantage.industry, vantage.region, vantage.owner) == ("Robotics", "North America", "Tom")
    assert (vantage.relationship, vantage.expected_value, vantage.intent, vantage.tier) == (
        "prospect",
        "high",
        "low",
        "top5",
    )
    assert (vantage.market_capacity, vantage.payment_terms, vantage.profile_notes) == (2_000_000_00, "Net 30", "hi")
    assert vantage.next_step_date == dt.date(2026, 12, 1)  # Excel's date cell with a midnight time


def test_an_unknown_column_is_reported_with_a_close_match_and_ignored(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "typo.csv", "name,Indsutry,Shoe size\nAcme,Steel,42\n"))
    assert report.written and report.created == 1
    assert [(c.column, c.position, c.suggestion) for c in report.unknown_columns] == [
        ("Indsutry", 2, "industry"),
        ("Shoe size", 3, None),
    ]
    assert by_name()["Acme"].industry == ""


def test_a_missing_required_column_stops_the_import(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "noname.csv", "industry,region\nSteel,EMEA\n"))
    assert not report.written
    assert [(e.row, e.column) for e in report.errors] == [(1, "name")]
    assert "Required column is missing" in report.errors[0].message
    assert Account.select().count() == 0
    report = import_csv("people", write(tmp_path / "people.csv", "name,title\nWang,CEO\n"))
    assert [(e.row, e.column) for e in report.errors] == [(1, "account")]


def test_a_column_given_twice_is_an_error(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "twice.csv", "name,客户名称\nAcme,Acme\n"))
    assert [(e.row, e.column) for e in report.errors] == [(1, "客户名称")]
    assert Account.select().count() == 0


def test_files_that_are_not_csv_text_are_refused_whole(store, tmp_path):
    with pytest.raises(ImportFileError, match="Excel workbook"):
        import_csv("accounts", write(tmp_path / "book.csv", "PK\x03\x04 zipped xml", "latin-1"))
    with pytest.raises(ImportFileError, match="empty"):
        import_csv("accounts", write(tmp_path / "empty.csv", "\n\n"))
    with pytest.raises(ImportFileError, match="cannot read"):
        import_csv("accounts", tmp_path / "missing.csv")


# -- bad rows ------------------------------------------------------------------------------------


BAD = (
    "name,relationship,contribution,market capacity,next step date,tier\n"
    "Good One,customer,high,1000,2026-12-01,top5\n"  # row 2
    '"Two\nLines",prospect,,,,\n'  # row 3: one spreadsheet row, two lines of text (joined)
    "Bad Relationship,friend,,,,\n"  # row 4
    ",customer,,,,\n"  # row 5: no name
    "Bad Values,customer,huge,lots,2026-02-30,top6\n"  # row 6
    "Good Two,future,,,,\n"  # row 7
    "good one,customer,,,,\n"  # row 8: same account as row 2
)


def test_every_bad_row_is_reported_with_its_spreadsheet_row_number_and_reasons(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "bad.csv", BAD))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (4, "relationship"),
        (5, "name"),
        (6, "contribution"),
        (6, "market capacity"),
        (6, "next step date"),
        (6, "tier"),
        (8, "name"),
    }
    assert report.bad_rows == 4
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(4, "relationship")] == (
        "Not one of customer, prospect, future, nor a CRM type in the README's table: 'friend'."
    )
    assert messages[(5, "name")] == "A name is required."
    assert messages[(6, "market capacity")].startswith("Not an amount: 'lots'")
    assert messages[(6, "next step date")].startswith("Not a date: '2026-02-30'")
    assert "row 2" in messages[(8, "name")]
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert str(RowError(4, "relationship", "x")) == "4: relationship: x"


def test_by_default_an_import_with_a_bad_row_writes_nothing(store, tmp_path):
    accounts.save(AccountDraft(name="Good One", relationship="prospect"))
    report = import_csv("accounts", write(tmp_path / "bad.csv", BAD))
    assert not report.written
    assert (report.created, report.updated) == (2, 1)  # what the good rows would have done
    assert sorted(by_name()) == ["Good One"]
    assert by_name()["Good One"].relationship == "prospect"
    assert "Nothing imported" in report.summary()


def test_skip_bad_rows_imports_the_good_ones_and_reports_the_rest(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "bad.csv", BAD), skip_bad_rows=True)
    assert report.written and report.bad_rows == 4
    assert sorted(by_name()) == ["Good One", "Good Two", "Two Lines"]
    assert by_name()["Good One"].market_capacity == 1000_00
    assert report.counts() == "3 created, 0 updated, 0 unchanged; 4 bad rows"


def test_a_dry_run_counts_everything_and_writes_nothing(store, tmp_path):
    accounts.save(AccountDraft(name="Acme Steel", industry="Iron"))
    report = import_csv("accounts", write(tmp_path / "accounts.csv", GOOD), dry_run=True)
    assert report.errors == [] and not report.written
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    assert sorted(by_name()) == ["Acme Steel"]
    assert by_name()["Acme Steel"].industry == "Iron"
    skipping = import_csv("accounts", write(tmp_path / "bad.csv", BAD), dry_run=True, skip_bad_rows=True)
    assert not skipping.written and skipping.created == 3
    assert sorted(by_name()) == ["Acme Steel"]


def test_a_row_with_more_cells_than_the_header_is_refused(store, tmp_path):
    report = import_csv(
        "accounts", write(tmp_path / "split.csv", "name,industry\nAcme, Inc.,Steel\nGlobex,Oil\n"), skip_bad_rows=True
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "(row)")]
    assert "comma" in report.errors[0].message
    assert sorted(by_name()) == ["Globex"]


def test_blank_lines_are_skipped_but_still_counted_as_rows(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "gaps.csv", "name,tier\n\nAcme,\n,,\nGlobex,top9\n"))
    assert [(e.row, e.column) for e in report.errors] == [(5, "tier")]


# -- importing again ------------------------------------------------------------------------------


def test_importing_the_same_file_again_creates_no_duplicates(store, tmp_path):
    path = write(tmp_path / "accounts.csv", GOOD)
    import_csv("accounts", path)
    before = {a.id: a.updated_at for a in Account.select()}
    again = import_csv("accounts", path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert {a.id: a.updated_at for a in Account.select()} == before
    changed = write(tmp_path / "changed.csv", GOOD.replace("Chemicals", "Plastics").replace("Globex", "GLOBEX"))
    third = import_csv("accounts", changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)
    assert Account.select().count() == 2
    assert (by_name()["GLOBEX"].industry, by_name()["GLOBEX"].id) == ("Plastics", min(before) + 1)


def test_an_update_changes_only_the_columns_the_file_has(store, tmp_path):
    account = accounts.save(
        AccountDraft(
            name="Acme Steel",
            relationship="customer",
            contribution="high",
            stability="high",
            currency="KWD",  # three decimals
            market_capacity="1234.567",
            profile_notes="keep me",
        )
    )
    report = import_csv("accounts", write(tmp_path / "owners.csv", "name,owner,relationship\nacme steel,Sarah,\n"))
    assert (report.updated, report.errors) == (1, [])
    acme = Account.get_by_id(account.id)
    assert (acme.name, acme.owner) == ("acme steel", "Sarah")
    assert (acme.relationship, acme.contribution, acme.profile_notes) == ("customer", "high", "keep me")
    assert (acme.currency, acme.market_capacity) == ("KWD", 1234567)  # exact through the round trip


def test_archived_accounts_are_not_matched(store, tmp_path):
    old = accounts.save(AccountDraft(name="Initech")).id
    accounts.archive(old)
    report = import_csv("accounts", write(tmp_path / "a.csv", "name\nInitech\n"))
    assert report.created == 1
    assert Account.select().where(Account.name == "Initech").count() == 2


def test_a_formula_guard_quote_from_the_export_is_removed(store, tmp_path):
    report = import_csv("accounts", write(tmp_path / "q.csv", "name,notes\nAcme,'=1+2\n'Quoted,'abc\n"))
    assert report.errors == []
    assert by_name()["Acme"].profile_notes == "=1+2"
    assert by_name()["'Quoted"].profile_notes == "'abc"


# -- people ----------------------------------------------------------------------------------------


@pytest.fixture
def two_accounts(store) -> dict[str, int]:
    return {name: accounts.save(AccountDraft(name=name)).id for name in ("华东精密机械有限公司", "Acme Steel")}


PEOPLE = (
    "客户名称,姓名,职务,部门,上级,影响力,教练,态度,角色,负责人,电话,邮箱,痛点\n"
    "华东精密机械有限公司,林明,工程部经理,技术部,谢永刚,L3,是,支持者,技术评估者,王磊,0512-5905 1763,"
    "lin@hdjm.com.cn,停线\n"  # row 2: the manager comes later in the file
    "华东精密机械有限公司,谢永刚,总工程师,技术部,赵秀英,1,否,中立,决策者,,,,\n"  # row 3
    "华东精密机械有限公司,赵秀英,总经理,总经办,,L1,0,mentor,decision maker,周明,,,\n"  # row 4
    "acme steel,Jane Doe,Buyer,Procurement,,5,yes,opponent,procurement,,+1 312 555 0100,jane@acme.com,\n"  # row 5
    "Umbrella Corp,Nobody,,,,,,,,,,,\n"  # row 6: no such account
)


def test_people_are_imported_with_their_reporting_lines_resolved_within_the_file(two_accounts, tmp_path):
    report = import_csv("people", write(tmp_path / "people.csv", PEOPLE, "gbk"), skip_bad_rows=True)
    assert [(e.row, e.column) for e in report.errors] == [(6, "客户名称")]
    assert "No active account called 'Umbrella Corp'" in report.errors[0].message
    assert report.created == 4
    lin, xie, zhao = person("林明"), person("谢永刚"), person("赵秀英")
    assert (lin.reports_to_id, xie.reports_to_id, zhao.reports_to_id) == (xie.id, zhao.id, None)
    assert (lin.influence, lin.is_coach, lin.attitude, lin.buying_role) == (3, True, "supporter", "technical-evaluator")
    assert (lin.owner, lin.phone, lin.email, lin.pains) == ("王磊", "0512-5905 1763", "lin@hdjm.com.cn", "停线")
    assert (zhao.influence, zhao.is_coach, zhao.attitude, zhao.buying_role) == (1, False, "mentor", "decision-maker")
    jane = person("Jane Doe")
    assert jane.account_id == two_accounts["Acme Steel"]
    assert (jane.influence, jane.is_coach, jane.attitude, jane.phone) == (5, True, "opponent", "+1 312 555 0100")
    assert Account.get_by_id(two_accounts["Acme Steel"]).warning_count == len(
        people.warnings_for(two_accounts["Acme Steel"])
    )


def test_an_unknown_account_stops_an_all_or_nothing_people_import(two_accounts, tmp_path):
    report = import_csv("people", write(tmp_path / "people.csv", PEOPLE))
    assert not report.written and report.bad_rows == 1
    assert Person.select().count() == 0


def test_importing_people_again_updates_instead_of_duplicating(two_accounts, tmp_path):
    path = write(tmp_path / "people.csv", PEOPLE)
    import_csv("people", path, skip_bad_rows=True)
    again = import_csv("people", path, skip_bad_rows=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    moved = write(
        tmp_path / "moved.csv",
        PEOPLE.replace(
            "华东精密机械有限公司,林明,工程部经理,技术部,谢永刚", "华东精密机械有限公司,林明,工程部经理,技术部,赵秀英"
        ),
    )
    third = import_csv("people", moved, skip_bad_rows=True)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 3)
    assert person("林明").reports_to_id == person("赵秀英").id
    assert Person.select().count() == 4


def test_reports_to_may_name_someone_already_saved(two_accounts, tmp_path):
    boss = people.save(two_accounts["Acme Steel"], PersonDraft(name="Big Boss")).id
    report = import_csv("people", write(tmp_path / "p.csv", "account,name,reports to\nAcme Steel,Jane,big boss\n"))
    assert report.errors == []
    assert person("Jane").reports_to_id == boss


def test_bad_people_rows_name_the_column_and_the_reason(two_accounts, tmp_path):
    text = (
        "account,name,influence,coach,attitude,buying role,email,phone,reports to\n"
        "Acme Steel,A,7,maybe,hostile,king,not-an-email,call me,\n"  # row 2
        "Acme Steel,B,,,,,,,Nobody\n"  # row 3
        "Acme Steel,C,,,,,,,D\n"  # row 4: C and D report to each other
        "Acme Steel,D,,,,,,,C\n"  # row 5
        ",E,,,,,,,\n"  # row 6
        "Acme Steel,B,,,,,,,\n"  # row 7: B again
    )
    report = import_csv("people", write(tmp_path / "p.csv", text))
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (2, "influence"),
        (2, "coach"),
        (2, "attitude"),
        (2, "buying role"),
        (2, "email"),
        (2, "phone"),
        (3, "reports to"),
        (5, "reports to"),
        (6, "account"),
        (7, "name"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    # Every refusal shows the value it refused.
    assert messages[(2, "influence")] == "Influence is 1 (highest) to 5 (lowest), not '7'."
    assert messages[(2, "phone")].startswith("Not a phone number: 'call me'")
    assert messages[(2, "attitude")].endswith(": 'hostile'.")
    assert messages[(2, "buying role")].endswith(": 'king'.")
    assert messages[(2, "coach")] == "Not yes or no: 'maybe'."
    assert "Nobody" in messages[(3, "reports to")]
    assert messages[(5, "reports to")].startswith("Cannot move D under C: C reports to D")
    assert not report.written and Person.select().count() == 0


def test_an_archived_account_is_named_as_such(two_accounts, tmp_path):
    accounts.archive(two_accounts["Acme Steel"])
    report = import_csv("people", write(tmp_path / "p.csv", "account,name\nAcme Steel,Jane\n"))
    assert "archived" in report.errors[0].message


def test_a_close_account_name_is_suggested(two_accounts, tmp_path):
    report = import_csv("people", write(tmp_path / "p.csv", "account,name\nAcme Steal,Jane\n"))
    assert report.errors[0].message.endswith("Did you mean 'Acme Steel'?")
