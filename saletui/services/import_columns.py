"""Which field each column of an import file goes to, and which CRM wrote the file.

From the header row alone, `detect` recognises the kind of file (accounts or people; other
kinds, such as deals, plug in with `register_kind`), the system that exported it
(Salesforce, HubSpot, Dynamics 365, 企业微信, or a plain spreadsheet: "csv") and proposes a
column -> field mapping. The command line and the app's import screen both use it, and the
rep may override any column's field (`import_csv(mapping=...)`).

Each CRM's own column names come first (its table below), then the plain spellings every
file may use. Besides the stored fields there are a few fields the import combines:
`first_name`/`last_name` (joined into the name), `street`, `city`, `state`, `postal_code`,
`country` (the region, the rest of the address kept in notes), fallbacks used only when
their field is empty (`nickname` -> name, `mobile` -> phone, `domain` -> website,
`company` -> account, `lifecycle` -> relationship), the source's own ids (`source_id`,
`account_id`, `reports_to_id`), and `note`: any number of columns kept as "Column: value"
lines in the notes instead of being dropped.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from saletui.i18n import N_, translate

KINDS = ("accounts", "people")
SOURCES = ("salesforce", "hubspot", "dynamics", "wecom", "csv")
SOURCE_NAMES = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "dynamics": "Microsoft Dynamics 365",
    "wecom": N_("WeCom (企业微信)"),
    "csv": N_("spreadsheet"),
}
NOTE = "note"  # the one field that takes many columns
IGNORE = ""  # a column deliberately left out
FALLBACKS = {
    "nickname": "name",
    "mobile": "phone",
    "domain": "website",
    "company": "account",
    "lifecycle": "relationship",
}
DO_NOT_MODIFY = "(do not modify)"  # Dynamics 365's hidden columns: the record's id, checksum, date


def column_key(text: str) -> str:
    """A header or choice as compared: width-folded, case-folded, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)  # "Market capacity (CNY)"
    return re.sub(r"[\s_\-./:：*#]+", "", text.casefold())


# -- plain spellings (any file) -----------------------------------------------------------------

ACCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "name",
        "account",
        "account name",
        "company",
        "company name",
        "customer",
        "customer name",
        "客户名称",
        "公司名称",
        "客户",
        "客户名",
        "公司",
        "单位名称",
        "企业名称",
        "名称",
    ),
    "industry": ("industry", "sector", "行业", "所属行业"),
    "region": ("region", "area", "territory", "区域", "地区", "大区", "片区"),
    "owner": (
        "owner",
        "rep",
        "sales rep",
        "account owner",
        "salesperson",
        "负责人",
        "销售",
        "销售代表",
        "客户经理",
        "业务员",
    ),
    "relationship": (
        "relationship",
        "status",
        "customer type",
        "account type",
        "type",
        "客户类型",
        "关系",
        "客户状态",
        "类型",
    ),
    "contribution": ("contribution", "贡献", "贡献度"),
    "stability": ("stability", "稳定性"),
    "expected_value": ("expected value", "expected contribution", "预期贡献", "预期价值"),
    "intent": ("intent", "intention", "意向", "合作意向"),
    "tier": ("tier", "5+5+5", "分级", "层级", "客户分级"),
    "currency": ("currency", "currency code", "币种", "货币"),
    "market_capacity": ("market capacity", "capacity", "market size", "市场容量", "容量"),
    "excluded_capacity": ("excluded capacity", "排除容量", "不参与容量"),
    "excluded_channels": ("excluded channels", "排除渠道", "不参与渠道"),
    "credit_terms": ("credit terms", "credit", "信用条件", "信用"),
    "payment_terms": ("payment terms", "payment", "付款条件", "付款方式", "账期"),
    "next_step": ("next step", "next action", "下一步", "下一步行动"),
    "next_step_date": ("next step date", "next step due", "下一步日期"),
    "rules_of_engagement": ("rules of engagement", "交往规则", "合作规则"),
    "profile_notes": (
        "notes",
        "profile",
        "profile notes",
        "note",
        "remarks",
        "comments",
        "description",
        "备注",
        "简介",
        "客户简介",
        "客户概况",
    ),
    "phone": ("phone", "telephone", "tel", "main phone", "电话", "联系电话", "座机", "总机"),
    "website": ("website", "web site", "web", "url", "网站", "官网", "网址"),
    "annual_revenue": ("annual revenue", "revenue", "turnover", "年收入", "年营业额", "营业收入", "营收"),
    "employees": ("employees", "number of employees", "headcount", "staff", "员工数", "员工人数", "人数"),
    "street": ("street", "address", "street address", "地址", "详细地址", "街道"),
    "city": ("city", "town", "城市", "市"),
    "state": ("state", "province", "state/province", "省", "省份"),
    "postal_code": ("postal code", "zip", "zip code", "postcode", "邮编", "邮政编码"),
    "country": ("country", "国家"),
}

PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "account": ("account", "account name", "company", "customer", "客户名称", "客户", "公司名称", "公司", "单位"),
    "name": ("name", "person", "contact", "contact name", "full name", "姓名", "联系人", "名字"),
    "first_name": ("first name", "given name", "forename", "名"),
    "last_name": ("last name", "surname", "family name", "姓"),
    "title": ("title", "job title", "position", "职务", "职位", "头衔"),
    "department": ("department", "dept", "部门"),
    "reports_to": ("reports to", "manager", "boss", "上级", "直接上级", "汇报给", "汇报对象"),
    "influence": ("influence", "影响力", "影响力等级"),
    "is_coach": ("coach", "is coach", "教练", "是否教练"),
    "attitude": ("attitude", "态度"),
    "coverage": ("coverage", "覆盖", "接触程度", "覆盖程度"),
    "buying_role": ("buying role", "role", "角色", "采购角色"),
    "owner": ("owner", "our owner", "relationship owner", "负责人", "我方负责人"),
    "phone": ("phone", "telephone", "tel", "business phone", "电话", "联系电话", "办公电话"),
    "mobile": ("mobile", "mobile phone", "cell", "cell phone", "手机", "手机号", "手机号码"),
    "fax": ("fax", "传真"),
    "email": ("email", "e-mail", "mail", "邮箱", "电子邮件", "电子邮箱"),
    "interests": ("interests", "hobbies", "兴趣", "爱好", "兴趣爱好"),
    "pains": ("pains", "pain points", "痛点"),
    "good_supplier": ("good supplier", "ideal supplier", "好供应商标准", "理想供应商"),
    "responsibility": ("responsibility", "responsibilities", "职责"),
    "notes": ("notes", "note", "remarks", "comments", "description", "备注"),
}

# Written by `saletui export` for reading only; a re-import ignores them without a word.
EXPORT_ONLY = {
    "accounts": ("id", "class", "分类", "created at", "updated at", "archived at", "warnings", "source"),
    "people": ("id", "last contacted", "created at", "updated at", "source"),
}

# -- each CRM's own columns (research notes in tests/test_crm_import.py) -------------------------
# column -> field; IGNORE for columns known to carry nothing worth keeping (dates, checksums).

_SALESFORCE_ACCOUNTS = {
    # Data Loader (API names)
    "Id": "source_id",
    "Name": "name",
    "Type": "relationship",
    "Industry": "industry",
    "BillingStreet": "street",
    "BillingCity": "city",
    "BillingState": "state",
    "BillingPostalCode": "postal_code",
    "BillingCountry": "country",
    "Phone": "phone",
    "Website": "website",
    "Description": "profile_notes",
    "AnnualRevenue": "annual_revenue",
    "NumberOfEmployees": "employees",
    "Owner.Name": "owner",
    "CurrencyIsoCode": "currency",
    "OwnerId": IGNORE,  # a user id, meaningless outside Salesforce (Owner.Name is the name)
    "ParentId": NOTE,
    "Fax": NOTE,
    "AccountNumber": NOTE,
    "AccountSource": NOTE,
    "Rating": NOTE,
    "Site": NOTE,
    "Sic": NOTE,
    "TickerSymbol": NOTE,
    "Ownership": NOTE,
    "ShippingStreet": NOTE,
    "ShippingCity": NOTE,
    "ShippingState": NOTE,
    "ShippingPostalCode": NOTE,
    "ShippingCountry": NOTE,
    "IsDeleted": IGNORE,
    "MasterRecordId": IGNORE,
    "CreatedDate": IGNORE,
    "CreatedById": IGNORE,
    "LastModifiedDate": IGNORE,
    "LastModifiedById": IGNORE,
    "SystemModstamp": IGNORE,
    "LastActivityDate": IGNORE,
    "LastViewedDate": IGNORE,
    "LastReferencedDate": IGNORE,
    "PhotoUrl": IGNORE,
    # report exports (field labels)
    "Account ID": "source_id",
    "Account Name": "name",
    "Account Type": "relationship",
    "Account Owner": "owner",
    "Billing Street": "street",
    "Billing City": "city",
    "Billing State/Province": "state",
    "Billing Zip/Postal Code": "postal_code",
    "Billing Country": "country",
    "Employees": "employees",
    "Annual Revenue": "annual_revenue",
    "Account Number": NOTE,
    "Account Source": NOTE,
    "Parent Account": NOTE,
    "Last Activity": IGNORE,
    "Created Date": IGNORE,
    "Last Modified Date": IGNORE,
}

_SALESFORCE_PEOPLE = {
    "Id": "source_id",
    "AccountId": "account_id",
    "Account.Name": "account",
    "Name": "name",
    "FirstName": "first_name",
    "LastName": "last_name",
    "Salutation": NOTE,
    "Title": "title",
    "Department": "department",
    "Phone": "phone",
    "MobilePhone": "mobile",
    "Fax": "fax",
    "Email": "email",
    "ReportsToId": "reports_to_id",
    "ReportsTo.Name": "reports_to",
    "Owner.Name": "owner",
    "Description": "notes",
    "OwnerId": IGNORE,
    "HomePhone": NOTE,
    "OtherPhone": NOTE,
    "AssistantName": NOTE,
    "AssistantPhone": NOTE,
    "Birthdate": NOTE,
    "LeadSource": NOTE,
    "MailingStreet": NOTE,
    "MailingCity": NOTE,
    "MailingState": NOTE,
    "MailingPostalCode": NOTE,
    "MailingCountry": NOTE,
    "IsDeleted": IGNORE,
    "MasterRecordId": IGNORE,
    "CreatedDate": IGNORE,
    "CreatedById": IGNORE,
    "LastModifiedDate": IGNORE,
    "LastModifiedById": IGNORE,
    "SystemModstamp": IGNORE,
    "LastActivityDate": IGNORE,
    "PhotoUrl": IGNORE,
    # report exports
    "Contact ID": "source_id",
    "Account ID": "account_id",
    "Account Name": "account",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Reports To": "reports_to",
    "Mobile": "mobile",
    "Contact Owner": "owner",
    "Lead Source": NOTE,
    "Mailing City": NOTE,
    "Mailing State/Province": NOTE,
    "Mailing Country": NOTE,
    "Created Date": IGNORE,
    "Last Activity": IGNORE,
}

_HUBSPOT_ACCOUNTS = {
    "Record ID": "source_id",
    "Company name": "name",
    "Name": "name",
    "Company Domain Name": "domain",
    "Website URL": "website",
    "Type": "relationship",
    "Lifecycle Stage": "lifecycle",
    "Industry": "industry",
    "Street Address": "street",
    "City": "city",
    "State/Region": "state",
    "Postal Code": "postal_code",
    "Country/Region": "country",
    "Annual Revenue": "annual_revenue",
    "Number of Employees": "employees",
    "Phone Number": "phone",
    "Company owner": "owner",
    "Description": "profile_notes",
    "About Us": NOTE,
    "Lead Status": NOTE,
    "Time Zone": NOTE,
    "LinkedIn Company Page": NOTE,
    "Year Founded": NOTE,
    "Create Date": IGNORE,
    "Last Activity Date": IGNORE,
    "Last Modified Date": IGNORE,
    "Associated Contact": IGNORE,
    "Associated Deal": IGNORE,
}

_HUBSPOT_PEOPLE = {
    "Record ID": "source_id",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Email": "email",
    "Phone Number": "phone",
    "Mobile Phone Number": "mobile",
    "Job Title": "title",
    "Associated Company": "account",
    "Company Name": "company",
    "Associated Company IDs": "account_id",
    "Associated Company ID": "account_id",
    "Contact owner": "owner",
    "Lifecycle Stage": NOTE,
    "Lead Status": NOTE,
    "Job Function": NOTE,
    "City": NOTE,
    "State/Region": NOTE,
    "Country/Region": NOTE,
    "Create Date": IGNORE,
    "Last Activity Date": IGNORE,
    "Last Modified Date": IGNORE,
    "Associated Deal": IGNORE,
    "Marketing contact status": IGNORE,
}

_DYNAMICS_ACCOUNTS = {
    "Account Name": "name",
    "Main Phone": "phone",
    "Address 1: Street 1": "street",
    "Address 1: City": "city",
    "Address 1: State/Province": "state",
    "Address 1: ZIP/Postal Code": "postal_code",
    "Address 1: Country/Region": "country",
    "Relationship Type": "relationship",
    "Primary Contact": NOTE,
    "Industry": "industry",
    "Website": "website",
    "Annual Revenue": "annual_revenue",
    "Number of Employees": "employees",
    "Owner": "owner",
    "Description": "profile_notes",
    "Email": NOTE,
    "Account Number": NOTE,
    "Parent Account": NOTE,
    "Currency": NOTE,  # "US Dollar", a name rather than a code
    "Status": NOTE,  # Active / Inactive, not the relationship
    "Status Reason": NOTE,
    "Created On": IGNORE,
    "Modified On": IGNORE,
}

_DYNAMICS_PEOPLE = {
    "Full Name": "name",
    "First Name": "first_name",
    "Last Name": "last_name",
    "Company Name": "account",
    "Job Title": "title",
    "Department": "department",
    "Business Phone": "phone",
    "Mobile Phone": "mobile",
    "Email": "email",
    "Manager": "reports_to",
    "Owner": "owner",
    "Description": "notes",
    "Address 1: City": NOTE,
    "Address 1: State/Province": NOTE,
    "Address 1: Country/Region": NOTE,
    "Status": NOTE,
    "Created On": IGNORE,
    "Modified On": IGNORE,
}

# The admin console's customer list (客户联系 -> 客户) export: a customer there is a person
# (an external contact), the company is a column of theirs.
_WECOM_PEOPLE = {
    "客户名称": "nickname",
    "客户昵称": "nickname",
    "昵称": "nickname",
    "备注名": "name",
    "姓名": "name",
    "客户姓名": "name",
    "企业": "account",
    "公司": "account",
    "企业名称": "account",
    "公司名称": "account",
    "备注企业名称": "account",
    "所在企业": "account",
    "职务": "title",
    "职位": "title",
    "电话": "phone",
    "备注手机号": "phone",
    "手机": "mobile",
    "手机号": "mobile",
    "备注": "notes",
    "描述": NOTE,
    "添加人": "owner",
    "负责人": "owner",
    "跟进人": "owner",
    "所属员工": "owner",
    "标签": NOTE,
    "企业标签": NOTE,
    "客户标签": NOTE,
    "个人标签": NOTE,
    "添加时间": NOTE,
    "来源": NOTE,
    "添加渠道": NOTE,
    "来源渠道": NOTE,
    "添加方式": NOTE,
    "客户类型": IGNORE,  # 微信用户 / 企业微信用户, not customer or prospect
    "性别": NOTE,
    "邮箱": "email",
    "外部联系人ID": "source_id",
    "客户ID": "source_id",
    "external_userid": "source_id",
    "添加人所属部门": IGNORE,
    "添加人账号": IGNORE,
}

_WECOM_ACCOUNTS = {
    "企业": "name",
    "企业名称": "name",
    "备注企业名称": "name",
    "所在企业": "name",
    "客户名称": IGNORE,
    "客户昵称": IGNORE,
    "备注名": IGNORE,
    "添加人": "owner",
}

SOURCE_COLUMNS: dict[str, dict[str, dict[str, str]]] = {
    "salesforce": {"accounts": _SALESFORCE_ACCOUNTS, "people": _SALESFORCE_PEOPLE},
    "hubspot": {"accounts": _HUBSPOT_ACCOUNTS, "people": _HUBSPOT_PEOPLE},
    "dynamics": {"accounts": _DYNAMICS_ACCOUNTS, "people": _DYNAMICS_PEOPLE},
    "wecom": {"accounts": _WECOM_ACCOUNTS, "people": _WECOM_PEOPLE},
}

# Header keys that only one system writes: they tell the source apart.
_SIGNATURES: dict[str, tuple[str, ...]] = {
    "salesforce": (
        "AccountId",
        "ReportsToId",
        "OwnerId",
        "Owner.Name",
        "BillingStreet",
        "BillingCity",
        "BillingState",
        "BillingPostalCode",
        "BillingCountry",
        "Billing State/Province",
        "Billing Zip/Postal Code",
        "Account Owner",
        "Account Type",
        "Contact ID",
        # not "Reports To": saletui's own people header has it too
        "MailingCity",
        "Mailing State/Province",
        "LeadSource",
        "AccountSource",
        "IsDeleted",
        "SystemModstamp",
        "MasterRecordId",
    ),
    "hubspot": (
        "Record ID",
        "Company Domain Name",
        "Associated Company",
        "Associated Company IDs",
        "Company owner",
        "Lifecycle Stage",
        "State/Region",
        "Country/Region",
        "Phone Number",
        "Mobile Phone Number",
        "Create Date",
        "Lead Status",
        "Website URL",
    ),
    "dynamics": (
        "Main Phone",
        "Relationship Type",
        "Primary Contact",
        "Business Phone",
        "Address 1: City",
        "Address 1: State/Province",
        "Address 1: Country/Region",
        "Address 1: Street 1",
        "Created On",
        "Status Reason",
    ),
    "wecom": (
        "添加人",
        "添加时间",
        "备注名",
        "企业标签",
        "外部联系人ID",
        "添加渠道",
        "客户昵称",
        "备注企业名称",
        "备注手机号",
        "添加人所属部门",
        "external_userid",
    ),
}

# -- the fields a column can go to (for the app's picker) ----------------------------------------

FIELD_LABELS: dict[str, str] = {
    IGNORE: N_("(ignore)"),
    NOTE: N_("keep in notes"),
    "name": N_("Name"),
    "industry": N_("Industry"),
    "region": N_("Region"),
    "owner": N_("Owner"),
    "relationship": N_("Relationship"),
    "lifecycle": N_("Relationship, if empty"),
    "contribution": N_("Contribution"),
    "stability": N_("Stability"),
    "expected_value": N_("Expected value"),
    "intent": N_("Intent"),
    "tier": N_("5+5+5 tier"),
    "currency": N_("Currency"),
    "market_capacity": N_("Market capacity"),
    "excluded_capacity": N_("Excluded capacity"),
    "excluded_channels": N_("Excluded channels"),
    "credit_terms": N_("Credit terms"),
    "payment_terms": N_("Payment terms"),
    "next_step": N_("Next step"),
    "next_step_date": N_("Next step date"),
    "rules_of_engagement": N_("Rules of engagement"),
    "profile_notes": N_("Profile notes"),
    "phone": N_("Phone"),
    "website": N_("Website"),
    "domain": N_("Website, if empty"),
    "annual_revenue": N_("Annual revenue"),
    "employees": N_("Employees"),
    "street": N_("Street (kept in notes)"),
    "city": N_("City"),
    "state": N_("State or province"),
    "postal_code": N_("Postal code (kept in notes)"),
    "country": N_("Country"),
    "source_id": N_("Id in the CRM"),
    "account": N_("Account"),
    "company": N_("Account, if empty"),
    "account_id": N_("Account's id in the CRM"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "nickname": N_("Name, if empty"),
    "title": N_("Title"),
    "department": N_("Department"),
    "reports_to": N_("Reports to (name)"),
    "reports_to_id": N_("Reports to (id in the CRM)"),
    "influence": N_("Influence"),
    "is_coach": N_("Coach"),
    "attitude": N_("Attitude"),
    "coverage": N_("Coverage"),
    "buying_role": N_("Buying role"),
    "mobile": N_("Mobile (phone, if empty)"),
    "fax": N_("Fax"),
    "email": N_("E-mail"),
    "interests": N_("Interests"),
    "pains": N_("Pains"),
    "good_supplier": N_("Good supplier"),
    "responsibility": N_("Responsibility"),
    "notes": N_("Notes"),
    # deals (saletui.services.deal_import registers their kind)
    "stage": N_("Stage"),
    "amount": N_("Amount"),
    "close_date": N_("Close date"),
    "is_closed": N_("Closed (true/false)"),
    "is_won": N_("Won (true/false)"),
    "close_reason": N_("Close reason"),
    "pipeline": N_("Pipeline (not kept)"),
    # order lines (saletui.services.order_import registers their kind)
    "ordered_on": N_("Order date"),
    "product": N_("Product"),
    "category": N_("Product category"),
    "quantity": N_("Quantity"),
    "order_no": N_("Order number"),
    "line_no": N_("Line number"),
    "rep": N_("Sales rep"),
}

_ID_FIELDS = {"accounts": ("source_id",), "people": ("source_id", "account_id", "reports_to_id")}
_EXTRA_FIELDS = {"accounts": ("domain", "lifecycle"), "people": ("nickname", "company")}


def fields(kind: str) -> tuple[str, ...]:
    """Every field a column of a `kind` file can go to, the ignore and notes choices first
    (a registered kind: its own fields, after the ignore choice)."""
    if kind in _KIND_FIELDS:
        return (IGNORE, *_KIND_FIELDS[kind])
    table = ACCOUNT_COLUMNS if kind == "accounts" else PERSON_COLUMNS
    return (IGNORE, NOTE, *table, *_EXTRA_FIELDS[kind], *_ID_FIELDS[kind])


# Where a field means something else in a kind of file: a deal's title is no job title.
KIND_FIELD_LABELS: dict[str, dict[str, str]] = {
    "deals": {"title": N_("Deal title"), "source_id": N_("Deal's id in the CRM")},
    "orders": {
        "account_id": N_("Account's id (as the CRM gave it)"),
        "amount": N_("Line amount"),
        "note": N_("Note on the line"),
    },
}


def field_english(name: str, kind: str = "") -> str:
    """A field's label in English (what the picker also finds when typed)."""
    return KIND_FIELD_LABELS.get(kind, {}).get(name) or FIELD_LABELS.get(name, "")


def field_label(name: str, kind: str = "") -> str:
    """A field as the rep reads it, in the interface language (`kind`: as that kind of
    file means it)."""
    label = field_english(name, kind)
    return translate(label) if label else name.replace("_", " ")


def source_label(source: str) -> str:
    return translate(SOURCE_NAMES.get(source, source))


# -- detection ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """One column of the file and the field it goes to (IGNORE: left out)."""

    column: str  # the header as in the file
    position: int  # 1-based, as the spreadsheet's A, B, C ... counts
    field: str
    known: bool = True  # False: a header nobody recognised (reported, with a suggestion)
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Detection:
    """What a header says: the kind of file, the system that wrote it, each column's field."""

    kind: str
    source: str
    columns: tuple[ColumnMap, ...]
    score: int = 0  # how sure: the higher, the more columns fit this kind

    def mapping(self) -> dict[str, str]:
        """Column -> field, as `import_csv(mapping=...)` takes it (first of equal headers)."""
        out: dict[str, str] = {}
        for c in self.columns:
            out.setdefault(c.column, c.field)
        return out

    def with_field(self, position: int, field: str) -> Detection:
        """The same detection with one column sent to another field (the rep's choice)."""
        columns = tuple(
            ColumnMap(c.column, c.position, field, True, None) if c.position == position else c for c in self.columns
        )
        return Detection(self.kind, self.source, columns, self.score)

    def remapped(self, mapping: Mapping[str, str], allowed: Collection[str]) -> Detection:
        """The rep's column -> field choices applied (the first column of a name, when a
        header repeats it); a field outside `allowed` is a ValueError naming it."""
        for column, field_name in mapping.items():
            if field_name not in allowed:
                raise ValueError(f"{column!r}: not a field of {self.kind}: {field_name!r}")
        detection = self
        seen: set[str] = set()
        for c in self.columns:
            if c.column in mapping and c.column not in seen:
                seen.add(c.column)
                detection = detection.with_field(c.position, mapping[c.column])
        return detection


Detector = Callable[[Sequence[str]], "Detection | None"]
_DETECTORS: list[Detector] = []
_KIND_FIELDS: dict[str, tuple[str, ...]] = {}


def register_kind(detector: Detector, kind: str | None = None, kind_fields: Sequence[str] = ()) -> None:
    """Let another kind of file (deals) take part in `detect`: the detector returns its
    Detection for a header (with a score) or None when the header is not of its kind.
    `kind_fields` are the fields its columns can go to (for the app's column picker)."""
    if detector not in _DETECTORS:
        _DETECTORS.append(detector)
    if kind is not None:
        _KIND_FIELDS[kind] = tuple(kind_fields)


def _keyed(table: Mapping[str, str]) -> dict[str, str]:
    return {column_key(k): v for k, v in table.items()}


def aliases_of(columns: Mapping[str, Sequence[str]], key: Callable[[str], str] = column_key) -> dict[str, str]:
    """Every spelling of every field (its own name too), as `key` compares headers -> the
    field; the first field to claim a spelling keeps it. One table for every kind's columns."""
    out: dict[str, str] = {}
    for name, spellings in columns.items():
        for spelling in (name, *spellings):
            out.setdefault(key(spelling), name)
    return out


def _aliases(kind: str) -> dict[str, str]:
    return aliases_of(ACCOUNT_COLUMNS if kind == "accounts" else PERSON_COLUMNS)


def detect_source(header: Sequence[str]) -> str:
    """The system that wrote a file with this header; "csv" when none is recognisable."""
    keys = {column_key(h) for h in header}
    scores = {source: len(keys & {column_key(s) for s in signs}) for source, signs in _SIGNATURES.items()}
    if any(h.strip().casefold().startswith(DO_NOT_MODIFY) for h in header):
        scores["dynamics"] += 5
    best = max(scores, key=lambda s: scores[s])
    return best if scores[best] else "csv"


def _entity(kind: str) -> tuple[str, ...]:
    return ("account",) if kind == "accounts" else ("contact",)


def detect_kind_columns(kind: str, header: Sequence[str], source: str | None = None) -> Detection:
    """The mapping of `header` for a `kind` file (accounts or people) from `source`."""
    source = source or detect_source(header)
    own = _keyed(SOURCE_COLUMNS.get(source, {}).get(kind, {}))
    plain = _aliases(kind)
    quiet = {column_key(c) for c in EXPORT_ONLY[kind]}
    columns: list[ColumnMap] = []
    score = 0
    other = set(PERSON_COLUMNS if kind == "accounts" else ACCOUNT_COLUMNS)
    taken: set[str] = set()
    for index, raw in enumerate(header):
        header_text = raw.strip()
        key = column_key(header_text)
        lowered = header_text.casefold()
        if lowered.startswith(DO_NOT_MODIFY):  # "(Do Not Modify) Account": the record's own id
            entity = lowered.removeprefix(DO_NOT_MODIFY).strip()
            field = "source_id" if entity in _entity(kind) else IGNORE
            columns.append(ColumnMap(header_text, index + 1, field))
            score += 3 if field else 0
            continue
        field_name = own.get(key)
        if field_name is None:
            field_name = plain.get(key)
        if field_name is None:
            if key in quiet or not key:
                columns.append(ColumnMap(header_text, index + 1, IGNORE, bool(key)))
                continue
            close = difflib.get_close_matches(key, list(plain), n=1, cutoff=0.75)
            columns.append(
                ColumnMap(header_text, index + 1, IGNORE, False, _display(close[0], kind) if close else None)
            )
            continue
        columns.append(ColumnMap(header_text, index + 1, field_name))
        if field_name and field_name != NOTE:
            score += 1 if field_name not in taken else 0
            if field_name not in other:
                score += 2  # a field only this kind has: "first name", "industry"
            taken.add(field_name)
    if source == "wecom":  # a WeCom customer is a person
        score += 5 if kind == "people" else -5
    return Detection(kind, source, tuple(columns), score)


def detect(header: Sequence[str], kind: str | None = None) -> Detection:
    """The kind (unless given), source and mapping that fit `header` best; accounts on a tie."""
    candidates = [detect_kind_columns(k, header) for k in KINDS if kind in (None, k)]
    for detector in _DETECTORS:
        found = detector(header)
        if found is not None and kind in (None, found.kind):
            candidates.append(found)
    if not candidates:
        raise ValueError(kind)
    return max(candidates, key=lambda d: d.score)


def _display(key: str, kind: str) -> str:
    """The spelling of a header key as the user would type it."""
    table = ACCOUNT_COLUMNS if kind == "accounts" else PERSON_COLUMNS
    for name, spellings in table.items():
        for spelling in (name, *spellings):
            if column_key(spelling) == key:
                return spelling if spelling != name else name.replace("_", " ")
    return key


# -- relationship types ---------------------------------------------------------------------------

# ONE table for every CRM's account type, relationship type and lifecycle stage (README:
# "Type table"). Partners, resellers, consultants and the like become "future": in the
# method, a future customer is a source to watch (referrals, channels), not a prospect yet;
# the original value is kept in the notes. A value not here (and not a plain spelling) is
# refused, showing the value.
RELATIONSHIP_TYPES: dict[str, str] = {
    # Salesforce Account.Type (default picklist)
    "Customer - Direct": "customer",
    "Customer - Channel": "customer",
    "Channel Partner / Reseller": "future",
    "Installation Partner": "future",
    "Technology Partner": "future",
    "Prospect": "prospect",
    "Other": "future",
    # HubSpot company Type
    "Partner": "future",
    "Reseller": "future",
    "Vendor": "future",
    # HubSpot lifecycle stages (labels and internal names)
    "Subscriber": "prospect",
    "Lead": "prospect",
    "Marketing Qualified Lead": "prospect",
    "marketingqualifiedlead": "prospect",
    "Sales Qualified Lead": "prospect",
    "salesqualifiedlead": "prospect",
    "Opportunity": "prospect",
    "Customer": "customer",
    "Evangelist": "customer",
    # Dynamics 365 Relationship Type
    "Competitor": "future",
    "Consultant": "future",
    "Investor": "future",
    "Influencer": "future",
    "Press": "future",
    "Supplier": "future",
    # Chinese CRMs and spreadsheets
    "成交客户": "customer",
    "签约客户": "customer",
    "合作客户": "customer",
    "意向客户": "prospect",
    "目标客户": "prospect",
    "线索": "prospect",
    "商机": "prospect",
    "合作伙伴": "future",
    "渠道商": "future",
    "代理商": "future",
    "经销商": "future",
    "供应商": "future",
    "竞争对手": "future",
    "其他": "future",
}
