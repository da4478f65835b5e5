"""The account's order lines, newest first, read a page at a time as the rep scrolls, with
the keys that add, correct and delete a line (the account screen asks and writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from saletui import money
from saletui.i18n import N_, _
from saletui.store import order_history
from saletui.store.order_history import LineRow
from saletui.text import display_text
from saletui.ui.language import relabel_table

MORE_BEFORE_END = 20  # read the next page when the cursor comes this close to the last line read


def quantity_text(quantity: float | None) -> str:
    return "" if quantity is None else f"{quantity:,.3f}".rstrip("0").rstrip(".")


class OrderTable(DataTable[Text]):
    """One row per order line; `records` holds the lines read so far (pages from the top)."""

    BINDINGS = [
        Binding("a", "request('add')", N_("Add line"), id="orders.add", tooltip=N_("Type in an order line")),
        Binding(
            "enter",
            "request('edit')",
            N_("Correct"),
            id="orders.edit",
            tooltip=N_("Correct the highlighted order line"),
        ),
        Binding(
            "d",
            "request('delete')",
            N_("Delete"),
            id="orders.delete",
            tooltip=N_("Delete the highlighted order line (asks first)"),
        ),
        Binding("E", "screen.edit_account", N_("Account"), id="account.edit", tooltip=N_("Edit this account")),
        Binding("b", "screen.brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account")),
    ]

    @dataclass
    class Request(Message):
        """An order key: the screen opens the form or asks, and writes. `line` is the
        highlighted one (None for "add" on an empty table)."""

        action: Literal["add", "edit", "delete"]
        line: LineRow | None

    def __init__(self, account_id: int, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.account_id = account_id
        self.records: list[LineRow] = []
        self.total = 0  # every line of the account, read or not

    def titles(self) -> Sequence[str]:
        return (_("Date"), _("Order / line"), _("Product"), _("Category"), _("Qty"), _("Amount"), _("Rep"))

    @staticmethod
    def cells(line: LineRow) -> Sequence[Text]:
        number = line.order_no + (f"/{line.line_no}" if line.line_no else "")
        return (
            Text(line.ordered_on.isoformat()),
            Text(display_text(number)),
            Text(display_text(line.product)),
            Text(display_text(line.category)),
            Text(quantity_text(line.quantity), justify="right"),
            Text(money.format_money(line.amount, line.currency), justify="right"),
            Text(display_text(line.rep)),
        )

    def on_mount(self) -> None:
        self.relabel()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()  # as RecordTable: rows redrawn at the new width

    def relabel(self) -> None:
        relabel_table(self, self.titles(), self.reload)

    def reload(self, select: int | None = None) -> None:
        """Read again as many lines as were read (at least a page), the cursor on the same
        line, else on `select` (a line just added or corrected), else on the same row."""
        line = self.cursor_row
        current = self.selected
        kept = select if select is not None else current.id if current is not None else None
        self.total = order_history.count(self.account_id)
        self.records = order_history.page(self.account_id, limit=max(order_history.PAGE, len(self.records)))
        self.clear()
        for record in self.records:
            self.add_row(*self.cells(record), key=str(record.id))
        if self.row_count:
            found = next((i for i, r in enumerate(self.records) if r.id == kept), None)
            self.move_cursor(row=found if found is not None else min(line, self.row_count - 1))

    def _read_more(self) -> None:
        """The next page, appended: the rep scrolled near the end of what was read."""
        more = order_history.page(self.account_id, after=self.records[-1]) if self.records else []
        self.records.extend(more)
        for record in more:
            self.add_row(*self.cells(record), key=str(record.id))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if len(self.records) < self.total and event.cursor_row >= len(self.records) - MORE_BEFORE_END:
            self._read_more()

    @property
    def selected(self) -> LineRow | None:
        if not self.records or not 0 <= self.cursor_row < len(self.records):
            return None
        return self.records[self.cursor_row]

    def action_request(self, action: Literal["add", "edit", "delete"]) -> None:
        line = self.selected
        if action == "add":
            self.post_message(self.Request(action, None))
        elif line is None:
            self.notify(_("No order line selected: a adds one."), severity="warning")
        else:
            self.post_message(self.Request(action, line))
