"""A rep brings their pipeline over from Salesforce or HubSpot, unedited: each opportunity
lands on its account (found by the CRM's id, else by name), its stage mapped to one of the
six (or won/lost) through a table the settings can extend, its amount exact in the
account's currency, and a second import updates instead of duplicating."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saletui.config_error import ConfigError
from saletui.method.milestones import OPEN, REACHED
from saletui.process.load import builtin_path, load_process
from saletui.services.deal_import import close_date, import_deals
from saletui.settings import load_settings
from saletui.store import accounts, milestones
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Deal, Milestone
from saletui.store.parse import FieldError

SF_ACME = "0015g00000XyZabAAB"
SF_GLOBEX = "0015g00000Globe1AAB"[:18]

DATA_LOADER = (
    "Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon,Probability,Type,LeadSource,Description,"
    "CurrencyIsoCode\n"
    f"0065g00000Opp001AAB,{SF_ACME},Line 3 retrofit,Negotiation/Review,125000.50,2026-12-15,false,false,90,"
    "New Customer,Web,Three presses,USD\n"
    f"0065g00000Opp002AAB,{SF_ACME},Spare parts 2026,Closed Won,40000,2026-06-30,true,true,100,"
    "Existing Customer - Upgrade,Partner,,USD\n"
    f"0065g00000Opp003AAB,{SF_GLOBEX},Pilot cell,Prospecting,,2027-03-01,false,false,10,,,,CNY\n"
)


@pytest.fixture
def process():
    return load_process(builtin_path("en"))


def account(name: str, *, currency: str = "CNY", source: str = "", source_id: str = "") -> int:
    saved = accounts.save(AccountDraft(name=name, currency=currency))
    Account.update(source=source, source_id=source_id).where(Account.id == saved.id).execute()
    return saved.id


def write(tmp_path: Path, text: str, name: str = "deals.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_a_data_loader_export_lands_on_the_accounts_by_their_salesforce_ids(store, tmp_path, process):
    acme = account("Acme Steel", currency="USD", source="salesforce", source_id=SF_ACME)
    globex = account("Globex 中国", source="salesforce", source_id=SF_GLOBEX)
    report = import_deals(write(tmp_path, DATA_LOADER), process=process)
    assert report.ok, report.errors
    assert report.source == "salesforce"
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert set(report.not_kept) == {"Probability", "Type", "LeadSource", "Description"}
    retrofit = Deal.get(Deal.source_id == "0065g00000Opp001AAB")
    assert (retrofit.account_id, retrofit.stage, retrofit.status, retrofit.value) == (acme, 5, "open", 12500050)
    assert retrofit.expected_close == dt.date(2026, 12, 15)
    assert retrofit.source == "salesforce"
    spares = Deal.get(Deal.title == "Spare parts 2026")
    assert (spares.status, spares.stage, spares.closed_at) == ("won", 6, dt.datetime(2026, 6, 30))
    assert spares.close_reason == "Imported as 'Closed Won' from Salesforce."
    pilot = Deal.get(Deal.title == "Pilot cell")
    assert (pilot.account_id, pilot.stage, pilot.value) == (globex, 1, None)


def test_a_new_deal_gets_its_milestones_as_the_new_deal_form_gives_them(store, tmp_path, process):
    account("Acme Steel", currency="USD", source="salesforce", source_id=SF_ACME)
    account("Globex 中国", source="salesforce", source_id=SF_GLOBEX)
    import_deals(write(tmp_path, DATA_LOADER), process=process)
    retrofit = Deal.get(Deal.title == "Line 3 retrofit")
    rows = milestones.for_deal(retrofit.id)
    assert len(rows) == sum(len(s.milestones) for s in process.stages)
    assert {r.status for r in rows if r.stage < 5} == {REACHED}  # entered at stage 5
    assert {r.status for r in rows if r.stage >= 5} == {OPEN}


def test_a_second_import_updates_by_source_id_and_keeps_the_reps_milestones(store, tmp_path, process):
    account("Acme Steel", currency="USD", source="salesforce", source_id=SF_ACME)
    account("Globex 中国", source="salesforce", source_id=SF_GLOBEX)
    import_deals(write(tmp_path, DATA_LOADER), process=process)
    again = import_deals(write(tmp_path, DATA_LOADER), process=process)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    pilot = Deal.get(Deal.title == "Pilot cell")
    first = milestones.for_deal(pilot.id)[0]
    Milestone.update(status=REACHED).where(Milestone.id == first.id).execute()
    moved = DATA_LOADER.replace("Pilot cell,Prospecting,,", "Pilot cell (phase 1),Value Proposition,800000,")
    report = import_deals(write(tmp_path, moved), process=process)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Deal.select().count() == 3
    pilot = Deal.get_by_id(pilot.id)
    assert (pilot.title, pilot.stage, pilot.value) == ("Pilot cell (phase 1)", 3, 80000000)
    statuses = [r.status for r in milestones.for_deal(pilot.id)]
    assert statuses[0] == REACHED and statuses[1] == OPEN  # only the stage moved, as the deal form does


def test_an_unknown_stage_is_refused_with_its_value_and_the_setting_that_maps_it(store, tmp_path, process):
    account("Acme Steel", currency="USD", source="salesforce", source_id=SF_ACME)
    account("Globex 中国", source="salesforce", source_id=SF_GLOBEX)
    bad = DATA_LOADER.replace("Negotiation/Review", "Negotiation/Review2")
    report = import_deals(write(tmp_path, bad), process=process, settings_file="/home/rep/settings.yaml")
    assert not report.written and Deal.select().count() == 0  # all or nothing
    (error,) = report.errors
    assert (error.row, error.column) == (2, "StageName")
    assert "'Negotiation/Review2'" in error.message
    assert "deal_stages in /home/rep/settings.yaml" in error.message
    mapped = import_deals(write(tmp_path, bad), process=process, stages={"Negotiation/Review2": "4"})
    assert mapped.ok and Deal.get(Deal.title == "Line 3 retrofit").stage == 4


def test_the_settings_map_a_custom_stage_and_refuse_a_bad_target_at_its_line(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text('deal_stages:\n  "Technical Evaluation": 3\n  Signed: won\n  Bogus: 7\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}:4:")
    assert "deal_stages.Bogus" in str(caught.value) and "got 7" in str(caught.value)
    path.write_text('deal_stages:\n  "Technical Evaluation": 3\n  Signed: won\n  Review: proposal\n', encoding="utf-8")
    assert load_settings(path).deal_stages == {"Technical Evaluation": "3", "Signed": "won", "Review": "3"}


def test_a_currency_that_is_not_the_accounts_is_refused_with_both(store, tmp_path, process):
    account("Acme Steel", currency="EUR", source="salesforce", source_id=SF_ACME)
    account("Globex 中国", source="salesforce", source_id=SF_GLOBEX)
    report = import_deals(write(tmp_path, DATA_LOADER), process=process)
    messages = [(e.row, e.column, e.message) for e in report.errors]
    assert messages[0][:2] == (2, "CurrencyIsoCode")
    assert "'USD'" in messages[0][2] and "EUR" in messages[0][2] and "'Acme Steel'" in messages[0][2]
    assert not report.written


def test_a_hubspot_export_links_by_company_id_or_name_and_maps_the_default_pipeline(store, tmp_path, process):
    northwind = account("Northwind Traders", source="hubspot", source_id="9876543210")
    initech = account("Initech")
    text = (
        "Record ID,Deal Name,Deal Stage,Amount,Close Date,Pipeline,Deal owner,Associated Company,"
        "Associated Company IDs\n"
        "15551234567,Fleet renewal,Contract Sent,1200000,2026-12-20 00:00,Sales Pipeline,Li Wei,"
        "Northwind (old name),9876543210\n"
        "15551234568,ERP rollout,Decision Maker Bought-In,3500000.5,2027-01-31,Sales Pipeline,Li Wei,Initech,\n"
        "15551234569,Old tender,closedlost,900000,2026-05-02,Sales Pipeline,Li Wei,Initech,\n"
    )
    report = import_deals(write(tmp_path, text), process=process)
    assert report.ok, report.errors
    assert report.source == "hubspot"
    fleet = Deal.get(Deal.source_id == "15551234567")
    assert (fleet.account_id, fleet.stage, fleet.value) == (northwind, 5, 120000000)
    assert fleet.expected_close == dt.date(2026, 12, 20)
    erp = Deal.get(Deal.title == "ERP rollout")
    assert (erp.account_id, erp.stage, erp.value) == (initech, 4, 350000050)
    lost = Deal.get(Deal.title == "Old tender")
    assert (lost.status, lost.closed_at.date()) == ("lost", dt.date(2026, 5, 2))


def test_a_chinese_sheet_without_ids_matches_by_account_and_title(store, tmp_path, process):
    account("华东精密机械有限公司")
    text = "客户名称,项目名称,阶段,金额,预计成交日期\n华东精密机械有限公司,三号线改造,提案,120万,2026/12/31\n"
    path = write(tmp_path, text, encoding="gbk")
    report = import_deals(path, process=process)
    assert report.ok and report.encoding == "gb18030"
    deal = Deal.get(Deal.title == "三号线改造")
    assert (deal.stage, deal.value, deal.source, deal.expected_close) == (3, 120000000, "", dt.date(2026, 12, 31))
    won = write(tmp_path, text.replace(",提案,", ",赢单,"), encoding="gbk")
    report = import_deals(won, process=process)
    assert (report.created, report.updated) == (0, 1)
    assert Deal.get_by_id(deal.id).status == "won" and Deal.select().count() == 1


def test_a_deal_of_an_unknown_account_names_the_account_and_a_close_match(store, tmp_path, process):
    account("Initech")
    text = "Opportunity Name,Account Name,Stage,Amount,Close Date\nERP,Initec,Prospecting,1000,2026-12-01\n"
    report = import_deals(write(tmp_path, text), process=process)
    (error,) = report.errors
    assert error.column == "Account Name"
    assert error.message == "No active account called 'Initec'; import or add it first. Did you mean 'Initech'?"


def test_a_dry_run_counts_but_writes_nothing_and_skip_bad_rows_keeps_the_good(store, tmp_path, process):
    account("Initech")
    text = (
        "Opportunity Name,Account Name,Stage,Amount,Close Date\n"
        "ERP,Initech,Prospecting,1000,2026-12-01\n"
        "CRM,Initech,Perhaps,1000,2026-12-01\n"
    )
    dry = import_deals(write(tmp_path, text), process=process, dry_run=True)
    assert (dry.created, dry.bad_rows, dry.written) == (1, 1, False) and Deal.select().count() == 0
    kept = import_deals(write(tmp_path, text), process=process, skip_bad_rows=True)
    assert kept.written and [d.title for d in Deal.select()] == ["ERP"]
    assert Milestone.select().count() > 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-31", dt.date(2026, 3, 31)),
        ("2026-03-31 00:00", dt.date(2026, 3, 31)),
        ("2026-03-31T00:00:00Z", dt.date(2026, 3, 31)),
        ("31/03/2026", dt.date(2026, 3, 31)),
        ("3/31/2026", dt.date(2026, 3, 31)),
        ("2026年3月31日", dt.date(2026, 3, 31)),
        ("", None),
    ],
)
def test_close_dates_as_the_crms_write_them(text, expected):
    assert close_date(text) == expected


def test_an_ambiguous_day_and_month_is_refused_not_guessed():
    with pytest.raises(FieldError, match="'03/04/2026' day/month or month/day"):
        close_date("03/04/2026")


def test_a_salesforce_report_with_15_character_ids_and_a_custom_closed_stage(store, tmp_path, process):
    acme = account("Acme Steel", currency="USD", source="salesforce", source_id=SF_ACME)
    text = (
        "Opportunity ID,Account ID,Opportunity Name,Stage,Amount,Close Date,Closed,Won\n"
        f'0065g00000Opp001,{SF_ACME[:15]},Line 3 retrofit,Signed by Customer,"$125,000.00",2026-11-30,true,true\n'
    )
    report = import_deals(write(tmp_path, text), process=process)
    assert report.ok, report.errors  # an unmapped stage is settled by Salesforce's own Closed/Won
    deal = Deal.get(Deal.title == "Line 3 retrofit")
    assert (deal.account_id, deal.status, deal.value, deal.source_id) == (acme, "won", 12500000, "0065g00000Opp001")


def test_hubspots_stage_label_with_the_pipeline_in_brackets_is_mapped(store, tmp_path, process):
    account("Initech")
    text = "Record ID,Deal Name,Deal Stage,Associated Company\n1,ERP,Contract Sent (Sales Pipeline),Initech\n"
    report = import_deals(write(tmp_path, text), process=process)
    assert report.ok and Deal.get(Deal.title == "ERP").stage == 5


def test_a_deal_won_in_saletui_that_the_crm_still_has_open_is_reopened_keeping_its_reason(store, tmp_path, process):
    initech = account("Initech")
    text = "Record ID,Deal Name,Deal Stage,Associated Company\n1,ERP,qualifiedtobuy,Initech\n"
    import_deals(write(tmp_path, text), process=process)
    deal = Deal.get(Deal.title == "ERP")
    Deal.update(status="won", close_reason="Best references", closed_at=dt.datetime(2026, 11, 1)).where(
        Deal.id == deal.id
    ).execute()
    report = import_deals(write(tmp_path, text), process=process)
    assert report.updated == 1
    deal = Deal.get_by_id(deal.id)
    assert (deal.account_id, deal.status, deal.closed_at, deal.close_reason) == (
        initech,
        "open",
        None,
        "Best references",
    )


def test_a_missing_title_or_account_column_stops_before_any_row(store, tmp_path, process):
    report = import_deals(write(tmp_path, "Stage,Amount\nProspecting,1\n"), process=process)
    assert [(e.row, e.column) for e in report.errors] == [(1, "title"), (1, "account")]
    assert "'Opportunity Name'" in report.errors[0].message and not report.rows


def test_a_deal_whose_account_id_and_name_both_miss_names_both(store, tmp_path, process):
    account("Initech", source="hubspot", source_id="111")
    text = "Record ID,Deal Name,Deal Stage,Associated Company,Associated Company IDs\n1,ERP,closedwon,Initec,222\n"
    (error,) = import_deals(write(tmp_path, text), process=process).errors
    assert error.message == (
        "No active account called 'Initec'; import or add it first. "
        "No account imported from HubSpot has the id '222' either. Did you mean 'Initech'?"
    )


def test_a_mapping_sends_a_column_elsewhere_or_nowhere_as_the_app_asks(store, tmp_path, process):
    """The app's column list: the rep ignores the amounts and takes the close reason from
    a column the import does not know; a field deals do not have is refused."""
    initech = account("Initech")
    text = "Deal Name,Deal Stage,Amount,Associated Company,Why\nERP,closedlost,900000,Initech,Price too high\n"
    path = write(tmp_path, text)
    plain = import_deals(path, process=process, dry_run=True)
    assert [u.column for u in plain.unknown_columns] == ["Why"]
    report = import_deals(path, process=process, mapping={"Amount": "", "Why": "close_reason"})
    assert report.ok, report.errors
    assert report.detection is not None and report.detection.kind == "deals"
    assert {c.column: c.field for c in report.detection.columns}["Why"] == "close_reason"
    erp = Deal.get(Deal.title == "ERP")
    assert (erp.account_id, erp.value, erp.status, erp.close_reason) == (initech, None, "lost", "Price too high")
    with pytest.raises(ValueError, match="industry"):
        import_deals(path, process=process, mapping={"Why": "industry"})


def test_a_deals_header_is_told_from_accounts_and_people_by_its_columns():
    from saletui.services.import_columns import detect, fields

    assert detect(DATA_LOADER.splitlines()[0].split(",")).kind == "deals"
    assert detect(["Record ID", "Deal Name", "Deal Stage", "Associated Company"]).source == "hubspot"
    assert detect(["客户名称", "项目名称", "阶段", "金额"]).kind == "deals"
    assert detect(["Name", "Industry", "Type"]).kind == "accounts"  # a title alone is no deal
    assert detect(["account", "name", "title"]).kind == "people"
    assert "stage" in fields("deals") and "industry" not in fields("deals")
