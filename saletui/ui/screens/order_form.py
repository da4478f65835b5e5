"""Type in or correct one order line of the account's trading history."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label

from saletui.i18n import N_, Translated, _
from saletui.store import accounts, order_history, orders
from saletui.store.models import OrderLine
from saletui.store.orders import LineDraft
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import DraftFields, control_text


class OrderLineForm(StaleEditForm[int | None]):
    """Returns the saved line's id, or None when cancelled (nothing written)."""

    HELP = Translated(
        N_("""
## Order line
One line of an order the account placed: date, product, quantity and amount (in the
currency given, the account's by default). An order number with a line number identifies
a line from the ERP, so a later import of the same export updates it instead of adding it
twice. Returns and credit notes are not orders. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, account_id: int, line_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.line_id = line_id
        if line_id is not None:
            self.draft = LineDraft.from_line(self.opened(order_history.get(line_id)))
        else:
            account = accounts.get(account_id)
            self.draft = LineDraft(currency=account.currency, rep=account.owner)

    def compose(self) -> ComposeResult:
        f = DraftFields(self.draft)
        with Vertical(id="form-dialog", classes="order-form"):
            yield Label(Content(_("Correct order line") if self.line_id else _("New order line")), classes="form-title")
            with VerticalScroll(id="form-body"):
                with Horizontal(classes="form-row"):
                    yield f.text("ordered_on", _("Order date *"), placeholder="YYYY-MM-DD")
                    yield f.text("order_no", _("Order number"))
                    yield f.text("line_no", _("Line"))
                with Horizontal(classes="form-row"):
                    yield f.text("product", _("Product *"))
                    yield f.text("category", _("Category"))
                with Horizontal(classes="form-row"):
                    yield f.text("quantity", _("Quantity"), placeholder="12 / 2.5")
                    yield f.text("amount", _("Amount *"), placeholder="12,000.00 / 1.2万")
                    yield f.text("currency", _("Currency"), placeholder="CNY")
                with Horizontal(classes="form-row"):
                    yield f.text("rep", _("Our rep"))
                    yield f.text("note", _("Note"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        if self.line_id is None and not self.draft.ordered_on:
            self.query_one("#ordered_on", Input).value = self.app.today().isoformat()
        self.query_one("#ordered_on", Input).focus()

    def _collect(self) -> LineDraft:
        return LineDraft(**{name: control_text(self.query_one(f"#{name}")) for name in LineDraft.__dataclass_fields__})

    def check(self) -> None:
        orders.clean(self._collect(), self.account_id)

    def show_stored(self, current: OrderLine) -> None:
        self.draft = LineDraft.from_line(current)

    def action_save(self) -> None:
        draft = self._collect()
        if self.line_id is None:
            line = self.attempt(lambda: orders.add(self.account_id, draft))
        else:
            line_id = self.line_id
            line = self.attempt_versioned(lambda v: orders.save(line_id, draft, expected_version=v))
        if line is not None:
            self.dismiss(line.id)
