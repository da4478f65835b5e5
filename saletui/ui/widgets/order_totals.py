"""The account's sales totals by month and by product, beside its order lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Container, Vertical
from textual.content import Content
from textual.widgets import DataTable, Label

from saletui import money
from saletui.i18n import _
from saletui.store.order_history import Total
from saletui.text import display_text
from saletui.ui.widgets.order_table import quantity_text


class OrderTotals(Container):
    """Two small tables: months newest first, products by amount. Renders what it is given."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._months: list[Total] = []
        self._products: list[Total] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="totals-column"):
            yield Label("", id="months-title", classes="section-title")
            yield DataTable[Text](id="months", cursor_type="row", zebra_stripes=True)
        with Vertical(classes="totals-column"):
            yield Label("", id="products-title", classes="section-title")
            yield DataTable[Text](id="products", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        self.query_one("#months-title", Label).update(Content(_("By month")))
        self.query_one("#products-title", Label).update(Content(_("By product")))
        for table, titles in (
            (self._table("months"), (_("Month"), _("Amount"), _("Lines"))),
            (self._table("products"), (_("Product"), _("Amount"), _("Qty"))),
        ):
            table.clear(columns=True)
            table.add_columns(*titles)
        self.show(self._months, self._products)

    def _table(self, name: str) -> DataTable[Text]:
        table: DataTable[Text] = self.query_one(f"#{name}", DataTable)
        return table

    def show(self, months: Sequence[Total], products: Sequence[Total]) -> None:
        self._months, self._products = list(months), list(products)
        table = self._table("months")
        table.clear()
        for t in self._months:
            table.add_row(
                Text(t.key),
                Text(money.format_money(t.amount, t.currency), justify="right"),
                Text(str(t.lines), justify="right"),
            )
        table = self._table("products")
        table.clear()
        for t in self._products:
            table.add_row(
                Text(display_text(t.key)),
                Text(money.format_money(t.amount, t.currency), justify="right"),
                Text(quantity_text(t.quantity), justify="right"),
            )
