"""A rep leaving another CRM imports its exports unedited, one command per file.

The files under tests/data/crm/ are made for these tests, with the columns each system
really writes (values invented):
- Salesforce Data Loader exports use the API field names of the Account and Contact objects
  (Id, Name, Type, BillingCity, AnnualRevenue, NumberOfEmployees, AccountId, ReportsToId...;
  Salesforce's object reference, developer.salesforce.com "Contact" and the field reference);
  report exports use the field labels ("Account Name", "Billing State/Province", "Reports To").
- HubSpot exports use property labels ("Record ID", "Company name", "Company Domain Name",
  "Lifecycle Stage" with internal values such as "marketingqualifiedlead": developers.hubspot.com,
  CRM companies guide; "Associated Company IDs" for the contact's company).
- Dynamics 365 "Export to Excel" adds three hidden columns first: "(Do Not Modify) <entity>"
  (the record's GUID), "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On"
  (nishantrana.me, "Import Data wizard - few key points", 2022), then the view's column labels
  ("Main Phone", "Address 1: City", "Relationship Type").
- 企业微信's customer list (客户联系 -> 客户) exports people (external contacts): 客户名称 (their
  WeChat name), 备注名, 企业, 职务, 电话, 描述, 添加人, 添加时间, 标签, 来源; its API names the
  id external_userid (omnisockit.com WeCom CRM notes).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from saletui.services.csv_import import import_csv, join_name, region_of
from saletui.services.import_columns import detect
from saletui.store import db as store_db
from saletui.store.models import Account, Person
from tests.conftest import run_cli, stdout_of

CRM = Path(__file__).parent / "data" / "crm"


@pytest.fixture
def empty_db(store: Path) -> Path:
    store_db.close_database()
    return store


def cli_import(kind: str, file: str | Path, db: Path, tmp_path: Path):
    path = file if isinstance(file, Path) else CRM / file
    return run_cli("import", kind, str(path), db=db, home=tmp_path / "home", cwd=tmp_path)


def opened(db: Path) -> None:
    store_db.close_database()
    store_db.open_database(db)


def account(name: str) -> Account:
    return Account.get(Account.name == name)


def person(name: str) -> Person:
    return Person.get(Person.name == name)


def test_salesforce_data_loader_accounts_and_contacts_come_in_unedited(empty_db, tmp_path):
    accounts = cli_import("accounts", "salesforce_accounts.csv", empty_db, tmp_path)
    assert accounts.returncode == 0, stdout_of(accounts)
    assert stdout_of(accounts).splitlines() == [
        "Read as a Salesforce export.",
        "Imported: 4 created, 0 updated, 0 unchanged; 0 bad rows",
    ]
    contacts = cli_import("people", "salesforce_contacts.csv", empty_db, tmp_path)
    assert contacts.returncode == 0, stdout_of(contacts)
    opened(empty_db)
    buckeye = account("Buckeye Fasteners Inc.")
    assert (buckeye.relationship, buckeye.region, buckeye.industry, buckeye.owner) == (
        "customer",
        "Ohio, US",
        "Manufacturing",
        "Dana Whitfield",
    )
    assert (buckeye.phone, buckeye.website) == ("+1 614 555 0100", "https://buckeye-fasteners.example")
    assert (buckeye.annual_revenue, buckeye.employees) == (48_000_000_00, 320)  # minor units of CNY
    assert (buckeye.source, buckeye.source_id) == ("salesforce", "0015g00000XyZ1aAAF")
    notes = buckeye.profile_notes
    assert notes.startswith("Key plant supplier since 2019; [bold]renewal[/bold] in Q3.")  # kept literally
    assert "Type: Customer - Direct" in notes and "Address: 1200 Industrial Pkwy, 43215 Columbus, Ohio, US" in notes
    assert "AccountNumber: CD-4411" in notes and "Rating: Hot" in notes
    assert account("上海华东精密机械有限公司").region == "上海"
    assert account("Edge Install Partners").relationship == "future"  # an Installation Partner
    assert account("Edge Install Partners").annual_revenue == 12_500_000_00  # "1.25E7"
    assert account("Nordwind Logistik GmbH").relationship == "prospect"

    ann, bob = person("Ann Carter"), person("Bob Smith")  # FirstName + LastName
    assert ann.account_id == buckeye.id  # by AccountId alone: the file has no account name
    assert bob.reports_to_id == ann.id  # by ReportsToId
    assert (ann.title, ann.department, ann.email) == (
        "VP Operations",
        "Operations",
        "ann.carter@buckeye-fasteners.example",
    )
    assert "MobilePhone: +1 614 555 0191" in ann.notes and "Salutation: Ms." in ann.notes
    zhang = person("张伟")  # 姓 张 + 名 伟, no space
    assert zhang.account.name == "上海华东精密机械有限公司"
    assert person("王芳").reports_to_id == zhang.id
    assert person("王芳").phone == "139 0013 9000"  # the mobile, as there is no phone
    assert (zhang.source, zhang.source_id) == ("salesforce", "0035g00000QrSt3AAB")


def test_importing_the_same_export_again_updates_instead_of_duplicating_even_after_a_rename(empty_db, tmp_path):
    cli_import("accounts", "salesforce_accounts.csv", empty_db, tmp_path)
    cli_import("people", "salesforce_contacts.csv", empty_db, tmp_path)
    again = cli_import("accounts", "salesforce_accounts.csv", empty_db, tmp_path)
    assert stdout_of(again).splitlines()[-1] == "Imported: 0 created, 0 updated, 4 unchanged; 0 bad rows"
    people_again = cli_import("people", "salesforce_contacts.csv", empty_db, tmp_path)
    assert stdout_of(people_again).splitlines()[-1] == "Imported: 0 created, 0 updated, 4 unchanged; 0 bad rows"

    renamed = tmp_path / "renamed.csv"
    text = (CRM / "salesforce_accounts.csv").read_text(encoding="utf-8")
    renamed.write_text(
        text.replace('"Buckeye Fasteners Inc."', '"Buckeye Fasteners Holdings"').replace('"320"', '"345"'),
        encoding="utf-8",
    )
    result = cli_import("accounts", renamed, empty_db, tmp_path)
    assert stdout_of(result).splitlines()[-1] == "Imported: 0 created, 1 updated, 3 unchanged; 0 bad rows"
    opened(empty_db)
    assert Account.select().count() == 4
    holdings = Account.get(Account.source_id == "0015g00000XyZ1aAAF")
    assert (holdings.name, holdings.employees) == ("Buckeye Fasteners Holdings", 345)
    assert person("Ann Carter").account_id == holdings.id


def test_salesforce_report_exports_link_people_by_account_name_and_manager_name(empty_db, tmp_path):
    assert cli_import("accounts", "salesforce_account_report.csv", empty_db, tmp_path).returncode == 0
    result = cli_import("people", "salesforce_contact_report.csv", empty_db, tmp_path)
    assert result.returncode == 0, stdout_of(result)
    opened(empty_db)
    tooling = account("Great Lakes Tooling LLC")
    assert (tooling.relationship, tooling.region, tooling.owner) == ("customer", "Michigan, US", "Dana Whitfield")
    assert (tooling.annual_revenue, tooling.employees) == (22_500_000_00, 140)  # "USD 22,500,000.00"
    assert account("深圳海川电子有限公司").region == "广东"
    assert person("Tom Nguyen").reports_to_id == person("Maria Lopez").id
    assert person("Tom Nguyen").phone == "(313) 555-0180"
    assert person("陈海").account.name == "深圳海川电子有限公司"


def test_hubspot_companies_and_contacts(empty_db, tmp_path):
    companies = cli_import("accounts", "hubspot_companies.csv", empty_db, tmp_path)
    assert stdout_of(companies).splitlines()[0] == "Read as a HubSpot export."
    contacts = cli_import("people", "hubspot_contacts.csv", empty_db, tmp_path)
    assert contacts.returncode == 0, stdout_of(contacts)
    opened(empty_db)
    brightline = account("Brightline Packaging")
    assert (brightline.relationship, brightline.region, brightline.website) == (
        "prospect",
        "Oregon, United States",
        "brightline-packaging.example",  # the Company Domain Name, there being no Website URL
    )
    assert (brightline.annual_revenue, brightline.employees, brightline.owner) == (12_000_000_00, 95, "Kim Park")
    assert "Lifecycle Stage: Opportunity" in brightline.profile_notes  # the Type came first
    yunfan = account("杭州云帆科技有限公司")
    assert yunfan.relationship == "customer"  # no Type: the lifecycle stage says customer
    assert yunfan.region == "浙江" and yunfan.profile_notes.startswith("[b]SaaS[/b] 客户")
    assert account("Vantage Resellers AG").relationship == "future"  # a Partner
    grace = person("Grace Hopper")
    assert (grace.account_id, grace.title, grace.owner) == (brightline.id, "Head of Procurement", "Kim Park")
    assert person("Leo Brandt").phone == "+1 503 555 0199"
    assert person("刘磊").account_id == yunfan.id
    assert (grace.source, grace.source_id) == ("hubspot", "7410001")


def test_dynamics_365_accounts_and_contacts_saved_from_excel(empty_db, tmp_path):
    assert cli_import("accounts", "dynamics_accounts.csv", empty_db, tmp_path).returncode == 0
    result = cli_import("people", "dynamics_contacts.csv", empty_db, tmp_path)
    assert result.returncode == 0, stdout_of(result)
    opened(empty_db)
    contoso = account("Contoso Pharmaceuticals")
    assert (contoso.source, contoso.source_id) == ("dynamics", "b3f1c2a4-6d7e-ef11-8ee9-000d3a8b1c01")
    assert (contoso.relationship, contoso.region, contoso.phone) == (
        "customer",
        "Washington, United States",
        "425-555-0100",
    )
    assert (contoso.annual_revenue, contoso.employees) == (1_200_000_00, 800)
    assert "Primary Contact: Alice Wong" in contoso.profile_notes
    assert "Row Checksum" not in contoso.profile_notes
    assert account("北京东方医疗器械有限公司").region == "北京"
    assert account("Fabrikam Reseller Ltd").relationship == "future"
    assert person("Raj Patel").reports_to_id == person("Alice Wong").id  # "Manager", by name
    assert person("赵敏").title == "采购经理"


def test_a_wecom_customer_export_brings_people_with_their_companies(empty_db, tmp_path):
    result = cli_import("people", "wecom_customers.csv", empty_db, tmp_path)
    assert result.returncode == 0, stdout_of(result)
    assert stdout_of(result).splitlines() == [
        "Read as a WeCom (企业微信) export.",
        "Accounts created from the company column: 苏州金桥自动化设备有限公司, 宁波港兴物流有限公司.",
        "Imported: 3 created, 0 updated, 0 unchanged; 0 bad rows",
    ]
    opened(empty_db)
    lin = person("林晓晨")  # the 备注名, the WeChat name kept in the notes
    assert (lin.account.name, lin.title, lin.phone, lin.owner) == (
        "苏州金桥自动化设备有限公司",
        "采购主管",
        "13912345678",
        "周杰",
    )
    assert lin.notes.startswith("年底有新产线预算")
    assert "标签: 重要客户;华东" in lin.notes and "客户名称: 晨曦" in lin.notes and "[green]重点[/green]" in lin.notes
    assert person("Kevin").account.name == "宁波港兴物流有限公司"  # no 备注名: the WeChat name
    again = cli_import("people", "wecom_customers.csv", empty_db, tmp_path)
    assert stdout_of(again).splitlines()[-1] == "Imported: 0 created, 0 updated, 3 unchanged; 0 bad rows"


def test_an_unknown_type_is_refused_showing_the_value(empty_db, tmp_path):
    path = tmp_path / "Account.csv"
    path.write_text('"Id","Name","Type","BillingCity"\n"001A","Odd Co","Strategic Alliance","Lyon"\n', encoding="utf-8")
    result = cli_import("accounts", path, empty_db, tmp_path)
    assert result.returncode == 1
    assert stdout_of(result).splitlines()[0] == (
        f"{path}:2: Type: Not one of customer, prospect, future, nor a CRM type in the README's table: "
        "'Strategic Alliance'."
    )


def test_a_contact_whose_account_id_is_unknown_is_refused_with_the_id(empty_db, tmp_path):
    result = cli_import("people", "salesforce_contacts.csv", empty_db, tmp_path)
    assert result.returncode == 1
    assert f"{CRM / 'salesforce_contacts.csv'}:2: AccountId: No account with Salesforce id '0015g00000XyZ1aAAF'" in (
        stdout_of(result)
    )


@pytest.mark.parametrize(
    ("file", "kind", "source"),
    [
        ("salesforce_accounts.csv", "accounts", "salesforce"),
        ("salesforce_contacts.csv", "people", "salesforce"),
        ("salesforce_account_report.csv", "accounts", "salesforce"),
        ("salesforce_contact_report.csv", "people", "salesforce"),
        ("hubspot_companies.csv", "accounts", "hubspot"),
        ("hubspot_contacts.csv", "people", "hubspot"),
        ("dynamics_accounts.csv", "accounts", "dynamics"),
        ("dynamics_contacts.csv", "people", "dynamics"),
        ("wecom_customers.csv", "people", "wecom"),
    ],
)
def test_the_header_alone_tells_the_kind_and_the_source(file, kind, source):
    header = (CRM / file).read_text(encoding="utf-8-sig").splitlines()[0].replace('"', "").split(",")
    found = detect(header)
    assert (found.kind, found.source) == (kind, source)
    assert all(c.known for c in found.columns), [c.column for c in found.columns if not c.known]


def test_a_plain_spreadsheet_is_still_a_plain_spreadsheet():
    assert (detect(["客户名称", "行业", "区域", "客户类型"]).kind, detect(["客户名称", "行业"]).source) == (
        "accounts",
        "csv",
    )
    assert detect(["客户名称", "姓名", "职务", "上级"]).kind == "people"


def test_an_explicit_mapping_overrides_the_detected_one(store):
    import_csv("accounts", CRM / "salesforce_accounts.csv", mapping={"Industry": ""})
    assert account("Nordwind Logistik GmbH").industry == ""
    report = import_csv("accounts", CRM / "salesforce_accounts.csv", mapping={"Rating": "tier"}, dry_run=True)
    assert {(e.row, e.column) for e in report.errors} == {(2, "Rating"), (4, "Rating")}  # "Hot", "Warm"
    assert "'Hot'" in report.errors[0].message
    with pytest.raises(ValueError):
        import_csv("accounts", CRM / "salesforce_accounts.csv", mapping={"Rating": "no such field"})


def test_names_and_regions_are_put_together_as_each_language_writes_them():
    assert join_name("Ann", "Smith") == "Ann Smith"
    assert join_name("伟", "张") == "张伟"
    assert join_name("", "Smith") == "Smith"
    assert region_of("Columbus", "Ohio", "US") == "Ohio, US"
    assert region_of("上海", "上海", "中国") == "上海"
    assert region_of("深圳", "广东", "China") == "广东"
    assert region_of("Hamburg", "", "Germany") == "Hamburg, Germany"


def test_map_on_the_command_line_sends_a_column_elsewhere(empty_db, tmp_path):
    result = run_cli(
        "import",
        "accounts",
        str(CRM / "hubspot_companies.csv"),
        "--map",
        "Industry=note",
        "--map",
        "Time Zone=",
        db=empty_db,
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert result.returncode == 0, stdout_of(result)
    opened(empty_db)
    brightline = account("Brightline Packaging")
    assert brightline.industry == ""
    assert "Industry: PACKAGING_AND_CONTAINERS" in brightline.profile_notes
    assert "Time Zone" not in brightline.profile_notes
    wrong = run_cli(
        "import",
        "accounts",
        str(CRM / "hubspot_companies.csv"),
        "--map",
        "Industry=sector",
        db=empty_db,
        home=tmp_path / "home",
        cwd=tmp_path,
    )
    assert wrong.returncode == 2
    assert "--map 'Industry=sector': give COLUMN=FIELD, FIELD one of: note, name," in wrong.stderr.decode()


def test_values_refused_by_the_form_rules_are_shown_too(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "name,market capacity,excluded capacity,industry\nAcme,100,250,ok\nBeta,,,bad\x07bell\n", encoding="utf-8"
    )
    report = import_csv("accounts", path)
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(2, "excluded capacity")] == "Cannot exceed the total market capacity: 250 > 100."
    assert messages[(3, "industry")] == "Contains control characters; remove them: 'bad\\x07bell'."
