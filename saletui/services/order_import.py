"""Order lines (the trading history) from an ERP's CSV export (#16 part 1).

Reading is csv_import's (the same encodings, delimiters and streaming, a batch at a time);
what is specific to orders lives here:

- **Columns** in English or Chinese (订单日期, 客户, 产品, 产品类别, 数量, 金额, 币种, 订单号,
  行号, 业务员 ...); the app's import screen tells an orders file from its columns.
- **Accounts** are matched by name like the other imports (case and width ignored), or by
  an account id column holding the id the CRM gave the account (`source_id`); accounts
  are never created here: import or add them first.
- **Values**: the date is not in the future nor before 1990; the amount is exact, in minor
  units of the currency (saletui.money: no floats), not negative; a currency column must
  be the account's own currency (amounts are never converted); a quantity is a number.
- **Idempotent**: a line with an order number is keyed by order number + line number, so
  importing the same export again updates the lines (or leaves them unchanged) instead
  of doubling the sales; a line without an order number is always added.
- **All or nothing**, as the other imports: one transaction, any bad row and nothing is
  written, unless `skip_bad_rows`; a dry run always rolls back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from saletui.i18n import _
from saletui.services.csv_import import (
    BATCH_ROWS,
    ImportReport,
    Progress,
    RowError,
    RowOutcome,
    Table,
    UnknownColumn,
    fold_name,
    import_all_or_nothing,
    unescape_formula,
    with_redecode,
)
from saletui.services.import_columns import IGNORE, ColumnMap, Detection, aliases_of, column_key, register_kind
from saletui.store import orders, parse
from saletui.store.bulk import KeyTable, select_in
from saletui.store.models import database
from saletui.store.parse import FieldError

ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "ordered_on": (
        "order date",
        "date",
        "ordered on",
        "invoice date",
        "document date",
        "订单日期",
        "日期",
        "下单日期",
        "销售日期",
        "单据日期",
        "开票日期",
    ),
    "account": ("account", "customer", "account name", "customer name", "client", "客户", "客户名称", "购货单位"),
    "account_id": ("account id", "customer id", "customer no", "customer number", "客户编号", "客户编码", "客户id"),
    "product": ("product", "product name", "item", "item name", "产品", "产品名称", "商品", "商品名称", "物料名称"),
    "category": ("category", "product category", "product group", "产品类别", "类别", "产品分类", "商品类别"),
    "quantity": ("quantity", "qty", "数量", "销售数量"),
    "amount": (
        "amount",
        "sales",
        "revenue",
        "line amount",
        "total",
        "金额",
        "销售额",
        "含税金额",
        "销售金额",
        "价税合计",
    ),
    "currency": ("currency", "currency code", "币种", "货币"),
    "order_no": ("order no", "order number", "order", "order id", "订单号", "单据编号", "订单编号", "销售订单号"),
    "line_no": ("line", "line no", "line number", "item no", "行号", "序号", "明细行号"),
    "rep": ("sales rep", "rep", "salesperson", "owner", "业务员", "销售员", "销售代表", "负责人"),
    "note": ("note", "notes", "remarks", "comment", "备注"),
}
# Fields only an orders file has: how the app tells it from an accounts or a deals file.
_OWN = {"ordered_on": 3, "product": 3, "quantity": 2, "order_no": 2, "line_no": 2, "category": 2}
_CURRENCY_NAMES = {
    "rmb": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "英镑": "GBP",
    "日元": "JPY",
    "港币": "HKD",
    "港元": "HKD",
}
_CURRENCY_MARK = re.compile(r"^\s*(?:([A-Za-z]{3})\s+(?=[\d.,])|[$¥￥€£]\s*)")
_MIDNIGHT = re.compile(r"^(\S+)[ T]+0?0:00(?::00(?:\.0+)?)?$")


def _aliases() -> dict[str, str]:
    return aliases_of(ORDER_COLUMNS)


def detect_order_columns(header: Sequence[str]) -> Detection:
    """Each column's field in an orders file; the score says how much it looks like one."""
    aliases = _aliases()
    columns: list[ColumnMap] = []
    score = 0
    taken: set[str] = set()
    for index, raw in enumerate(header):
        key = column_key(raw.strip())
        field_name = aliases.get(key, IGNORE)
        columns.append(ColumnMap(raw.strip(), index + 1, field_name, bool(field_name) or not key))
        if field_name and field_name not in taken:
            taken.add(field_name)
            score += 1 + _OWN.get(field_name, 0)
    return Detection("orders", "csv", tuple(columns), score)


def _detector(header: Sequence[str]) -> Detection | None:
    detection = detect_order_columns(header)
    found = {c.field for c in detection.columns}
    if not {"ordered_on", "product"} <= found or not found & {"amount", "quantity"}:
        return None  # no order date and product: not an orders file
    return detection


register_kind(_detector, "orders", tuple(ORDER_COLUMNS))


def _currency(value: str) -> str:
    raw = value.strip()
    return _CURRENCY_NAMES.get(raw.casefold(), raw.upper())


def import_orders(
    path: Path,
    *,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    encoding: str | None = None,
    mapping: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> ImportReport:
    """Import the order lines of the CSV file at `path` into the open database (see the
    module's docstring); `progress` and `limit` as for csv_import.import_csv. Raises
    ImportFileError when the file cannot be read at all."""
    options = (dry_run or limit is not None, skip_bad_rows, mapping, progress, limit)
    return with_redecode(Path(path), encoding, lambda table: _import_table(table, Path(path), *options))


def _import_table(
    table: Table,
    path: Path,
    dry_run: bool,
    skip_bad_rows: bool,
    mapping: Mapping[str, str] | None,
    progress: Progress | None,
    limit: int | None,
) -> ImportReport:
    report = ImportReport(
        "orders", path, encoding=table.encoding, delimiter=table.delimiter, dry_run=dry_run, skip_bad_rows=skip_bad_rows
    )
    detection = detect_order_columns(table.header)
    if mapping:
        detection = detection.remapped(mapping, {IGNORE, *ORDER_COLUMNS})
    report.detection = detection
    at: dict[str, int] = {}
    blank: list[ColumnMap] = []
    for c in detection.columns:
        if not c.field:
            if not c.known and c.column:
                report.unknown_columns.append(UnknownColumn(c.column, c.position, c.suggestion))
            elif not c.known:
                blank.append(c)
            continue
        if c.field in at:
            report.errors.append(
                RowError(
                    table.header_row,
                    c.column,
                    _("Same column as {other!r}: give it once.").format(other=table.header[at[c.field]]),
                )
            )
            continue
        at[c.field] = c.position - 1
        report.columns[c.field] = c.column
    for required, label, names in (
        ("ordered_on", "order date", "'Order Date', '订单日期'"),
        ("product", "product", "'Product', '产品'"),
        ("amount", "amount", "'Amount', '金额'"),
    ):
        if required not in at:
            report.errors.append(
                RowError(
                    table.header_row,
                    label,
                    _("Required column is missing (call it e.g. {names}).").format(names=names),
                )
            )
    if "account" not in at and "account_id" not in at:
        report.errors.append(
            RowError(
                table.header_row,
                "account",
                _("Required column is missing (call it e.g. {names}).").format(names="'Account', 'Customer', '客户'"),
            )
        )
    if report.errors:
        return report
    import_all_or_nothing(
        table,
        report,
        blank,
        lambda: _OrderImport(report, at, len(table.header), path.name),
        dry_run=dry_run,
        skip_bad_rows=skip_bad_rows,
        progress=progress,
        limit=limit,
    )
    report.done()
    return report


def _order_day(value: str, today: dt.date) -> dt.date:
    midnight = _MIDNIGHT.match(value) if len(value) > 10 else None  # Excel's "2026-03-01 00:00:00"
    return orders.order_date(midnight.group(1) if midnight else value, today)


_short_text = partial(parse.text, max_len=200, single_line=True)


# Each cell's parser (after the order date), in the order a row's problems are listed.
_PARSERS: tuple[tuple[str, Callable[[str], object]], ...] = (
    ("product", _short_text),
    ("category", _short_text),
    ("order_no", _short_text),
    ("line_no", _short_text),
    ("rep", _short_text),
    ("note", parse.text),
)
_CODE = re.compile(r"[A-Z]{3}")


ACCOUNTS_CACHED = 50_000  # names remembered between batches (bounded memory)


class _OrderImport:
    """Rows a batch at a time: the batch's accounts and stored lines read in one query each,
    its lines written by `orders.upsert_lines`; the file's order + line keys so far in a
    temporary table (a million lines in bounded memory)."""

    def __init__(self, report: ImportReport, at: dict[str, int], width: int, source: str) -> None:
        self.report = report
        self.at = at
        self.width = width
        self.source = source
        self.pending: list[tuple[int, dict[str, str]]] = []
        self.accounts = KeyTable("saletui_import_order_accounts")  # folded name -> id (b = archived)
        cursor = database.execute_sql("SELECT id, name, archived_at IS NOT NULL FROM account")
        while chunk := cursor.fetchmany(5_000):
            self.accounts.add((fold_name(name), account_id, int(archived)) for account_id, name, archived in chunk)
        self.seen = KeyTable("saletui_import_order_seen")  # order no + line no -> row
        self.summaries = orders.SummaryBatch()
        # The accounts of the batches so far: an ERP export names the same few thousand
        # accounts again and again (the import writes no account: nothing goes stale).
        self.by_name: dict[str, list[tuple[int | None, int | None]]] = {}
        self.account_info: dict[int, tuple[str, str]] = {}
        self.today = dt.date.today()

    def close(self) -> None:
        self.summaries.close()
        self.accounts.drop()
        self.seen.drop()

    def column(self, name: str) -> str:
        return self.report.column(name)

    def row(self, number: int, cells: list[str]) -> None:
        extra = [c for c in cells[self.width :] if c.strip()]
        if extra:
            self.report.fail(
                number,
                {"(row)": _("{n} more cells than the header has columns.").format(n=len(cells) - self.width)},
                "",
            )
            return
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        # unescape_formula only where a cell starts with its quote: a million rows' worth of calls
        values = {name: unescape_formula(cells[i]) if cells[i][:1] == "'" else cells[i] for name, i in self.at.items()}
        self.pending.append((number, values))
        if len(self.pending) >= BATCH_ROWS:
            self.flush()

    def finish(self) -> None:
        self.flush()
        self.summaries.finish()

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        names = [fold_name(v.get("account", "")) for _n, v in batch]
        if len(self.by_name) > ACCOUNTS_CACHED:
            self.by_name.clear()
            self.account_info.clear()
        by_name = self.by_name
        missing = {n for n in names if n and n not in by_name}
        if missing:
            found = self.accounts.lookup(missing)
            for n in missing:
                by_name[n] = found.get(n, [])
        sids = sorted({v.get("account_id", "").strip() for _n, v in batch} - {""})
        by_sid: dict[str, list[int]] = {}
        for sid, account_id in select_in(
            "SELECT source_id, id FROM account WHERE archived_at IS NULL AND source_id IN ({in_})", sids
        ):
            by_sid.setdefault(sid, []).append(account_id)
        wanted = sorted(
            ({a for n in names if n for a, _b in by_name[n] if a is not None} | {a for v in by_sid.values() for a in v})
            - self.account_info.keys()
        )
        self.account_info.update(
            (i, (name, currency))
            for i, name, currency in select_in("SELECT id, name, currency FROM account WHERE id IN ({in_})", wanted)
        )
        keys = [self.key(v) for _n, v in batch]
        seen = {k: v[0][0] or 0 for k, v in self.seen.lookup(k for k in keys if k).items()}
        checked = [self.check(v, by_name.get(folded, []), by_sid) for (_n, v), folded in zip(batch, names, strict=True)]
        stored = orders.stored_lines(c.order_no for c in checked if isinstance(c, orders.LineValues))
        lines: list[orders.LineValues] = []
        new_seen: list[tuple[str, int | None, int | None]] = []
        for (number, _values), key, line in zip(batch, keys, checked, strict=True):
            if not isinstance(line, orders.LineValues):
                self.report.fail(number, *line)
                continue
            if key:
                if key in seen:
                    self.report.fail(
                        number,
                        {"line_no": _("Same order line as row {row}: give each line once.").format(row=seen[key])},
                        line.product,
                    )
                    continue
                seen[key] = number
                new_seen.append((key, number, None))
            action = orders.action(line, stored.get((line.order_no, line.line_no)) if key else None)
            self.report.count(number, action, line.product)
            if action != "unchanged":
                lines.append(line)
        orders.upsert_lines(lines, self.summaries, stored)
        self.seen.add(new_seen)

    @staticmethod
    def key(values: dict[str, str]) -> str:
        order_no = values.get("order_no", "").strip()
        return f"{order_no}\x1f{values.get('line_no', '').strip()}" if order_no else ""

    def account(
        self, values: dict[str, str], by_name: list[tuple[int | None, int | None]], by_sid: dict[str, list[int]]
    ) -> tuple[int | None, str, str]:
        """(account id, "", "") or (None, field, message)."""
        sid = values.get("account_id", "").strip()
        if sid:
            found = by_sid.get(sid, [])
            if len(found) == 1:
                return found[0], "", ""
            if len(found) > 1:
                return None, "account_id", _("{n} accounts have the id {id!r}.").format(n=len(found), id=sid)
        name = values.get("account", "").strip()
        if not name:
            if sid:
                return (
                    None,
                    "account_id",
                    _("No active account has the id {id!r}; import the accounts first.").format(id=sid),
                )
            return None, "account" if "account" in self.at else "account_id", _("Which account? This cell is empty.")
        active = [a for a, archived in by_name if a is not None and not archived]
        if len(active) > 1:
            exact = [a for a in active if self.account_info[a][0] == name]
            active = exact if len(exact) == 1 else active
        if len(active) == 1:
            return active[0], "", ""
        if active:
            return None, "account", _("{n} active accounts are called {name!r}.").format(n=len(active), name=name)
        if by_name:
            return None, "account", _("The account {name!r} is archived; restore it first.").format(name=name)
        return None, "account", _("No active account called {name!r}; import or add it first.").format(name=name)

    def check(
        self,
        values: dict[str, str],
        by_name: list[tuple[int | None, int | None]],
        by_sid: dict[str, list[int]],
    ) -> orders.LineValues | tuple[dict[str, str], str]:
        """The row as a line to write, or its problems by column and the product shown."""
        product_shown = values.get("product", "").strip()
        account_id, where, problem = self.account(values, by_name, by_sid)
        if account_id is None:
            return {where: problem}, product_shown
        account_name, account_currency = self.account_info[account_id]
        errors: dict[str, str] = {}
        out: dict[str, Any] = {}
        try:
            out["ordered_on"] = _order_day(values.get("ordered_on", "").strip(), self.today)
        except FieldError as exc:
            errors["ordered_on"] = str(exc)
        for name, parser in _PARSERS:
            try:
                out[name] = parser(values.get(name, ""))
            except FieldError as exc:
                errors[name] = str(exc)
        amount = values.get("amount", "")
        currency = _currency(values.get("currency", ""))
        mark = _CURRENCY_MARK.match(amount)
        if mark:
            if mark.group(1):  # "USD 1200.00": the amount's own code, unless a column gives one
                currency = currency or mark.group(1).upper()
            amount = amount[mark.end() :]
        if currency and not _CODE.fullmatch(currency):
            errors["currency"] = _("Not a currency: {value!r} (a code such as CNY, USD, EUR).").format(
                value=values.get("currency", "").strip()
            )
        elif currency and currency != account_currency:
            errors["currency" if "currency" in self.at else "amount"] = _(
                "The line is in {value} but {account!r} keeps its amounts in {currency}: "
                "convert it, or change the account's currency first."
            ).format(value=currency, account=account_name, currency=account_currency)
        try:
            out["amount"] = orders.order_amount(amount, account_currency)
        except FieldError as exc:
            errors["amount"] = str(exc)
        try:
            out["quantity"] = orders.quantity(values.get("quantity", ""))
        except FieldError as exc:
            errors["quantity"] = str(exc)
        if "product" in out and not out["product"]:
            errors["product"] = _("A product is required.")
        if out.get("line_no") and not out.get("order_no") and "order_no" not in errors:
            errors["order_no"] = _("A line number belongs to an order: give the order number too.")
        if errors:
            return errors, product_shown
        get = out.__getitem__
        # Positional, in LineValues' field order: keywords cost a tenth of the whole check.
        return orders.LineValues(
            account_id,
            get("ordered_on"),
            get("product"),
            get("amount"),
            account_currency,
            get("category"),
            get("quantity"),
            get("order_no"),
            get("line_no"),
            get("rep"),
            self.source,
            get("note"),
        )


__all__ = ["ORDER_COLUMNS", "RowOutcome", "detect_order_columns", "import_orders"]
