"""Close a deal as won or lost, with the reason the win/loss review needs."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Select, TextArea

from saletui.i18n import _
from saletui.store import deals
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField, chosen


class CloseDealForm(FormScreen[bool]):
    """Returns True when the deal was closed."""

    cancel_result = False

    def __init__(self, deal_id: int) -> None:
        super().__init__()
        self.deal = deals.get(deal_id)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="close-deal-form"):
            yield Label(Content(_("Close deal: {title}").format(title=self.deal.title)), classes="form-title")
            yield FormField(
                _("Result"),
                Select([(_("Won"), "won"), (_("Lost"), "lost")], id="status", prompt=_("Won or lost?"), compact=True),
                field="status",
            )
            yield FormField(
                _("Why? (for the win/loss review)"), TextArea(id="reason", soft_wrap=True, compact=True), field="reason"
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Close deal"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    def action_save(self) -> None:
        status: Select[str] = self.query_one("#status", Select)
        result, reason = chosen(status) or "", self.query_one("#reason", TextArea).text
        closed = self.attempt(lambda: deals.close(self.deal.id, result, reason, today=self.app.today()))
        if closed is not None:
            self.dismiss(True)
