"""Close a deal as won or lost, with the reason the win/loss review needs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, TextArea

from saletui.i18n import _
from saletui.store import deals
from saletui.store.accounts import ValidationError
from saletui.ui.database_errors import DatabaseError, report_database_error
from saletui.ui.widgets.form_field import FormField


class CloseDealForm(ModalScreen[bool]):
    """Returns True when the deal was closed."""

    BINDINGS = [
        Binding("ctrl+s", "save", _("Close deal"), id="form.save", tooltip=_("Record the result")),
        Binding("escape", "cancel", _("Cancel"), id="form.cancel", tooltip=_("Leave the deal open")),
    ]

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
            yield FormField(_("Why? (for the win/loss review)"), TextArea(id="reason", soft_wrap=True, compact=True),
                            field="reason")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Close deal"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#status", Select).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        status = self.query_one("#status", Select).value
        reason = self.query_one("#reason", TextArea).text
        for field in self.query(FormField):
            field.set_error(None)
        try:
            deals.close(self.deal.id, "" if status is Select.NULL else status, reason)
        except ValidationError as exc:
            for name, message in exc.errors.items():
                self.query_one(f"#field-{name}", FormField).set_error(message)
            return
        except DatabaseError as exc:
            report_database_error(self, exc)
            return
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
