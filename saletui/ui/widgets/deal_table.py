"""The account's deals, with the keys that add, edit, close and reopen them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from saletui import money
from saletui.i18n import N_, _
from saletui.method.milestones import progress
from saletui.method.stages import stage_label
from saletui.store import deals, milestones
from saletui.text import display_text
from saletui.ui.database_errors import DatabaseError, report_database_error
from saletui.ui.language import relabel_table
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.screens.deal_milestones import DealMilestones


def _status_label(status: str) -> str:
    return {"open": _("open"), "won": _("won"), "lost": _("lost")}.get(status, status)


class DealTable(DataTable):
    """Open deals first (most advanced first), then closed ones with their reason."""

    BINDINGS = [
        Binding("n", "new_deal", N_("New"), id="deals.new", tooltip=N_("Add a deal to this account")),
        Binding("enter", "edit_deal", N_("Edit"), id="deals.edit", tooltip=N_("Edit the highlighted deal")),
        Binding("c", "close_deal", N_("Close"), id="deals.close", tooltip=N_("Mark the deal won or lost, with why")),
        Binding("o", "reopen_deal", N_("Reopen"), id="deals.reopen", tooltip=N_("Reopen a closed deal"), show=False),
        Binding(
            "m",
            "milestones",
            N_("Milestones"),
            id="deals.milestones",
            tooltip=N_("The deal's milestone list: the customer's questions, in order"),
        ),
        Binding("E", "screen.edit_account", N_("Account"), id="account.edit", tooltip=N_("Edit this account")),
        Binding("b", "screen.brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account")),
    ]

    @dataclass
    class Changed(Message):
        """A deal was added or changed: the account's stage may differ now."""

    def __init__(self, account_id: int, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.account_id = account_id

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Column titles and cells in the current language (also the first fill)."""
        relabel_table(
            self,
            (_("Deal"), _("Stage"), _("Progress"), _("Value"), _("Expected close"), _("Status"), _("Reason")),
            self.reload,
        )

    def reload(self) -> None:
        selected = self.cursor_row
        self.clear()
        currency = deals.currency_of(self.account_id)
        for deal in deals.for_account(self.account_id):
            stage_progress = progress(r.state() for r in milestones.for_deal(deal.id)).get(deal.stage)
            self.add_row(
                Text(display_text(deal.title)),
                Text(stage_label(deal.stage)),
                Text(str(stage_progress) if stage_progress else ""),
                Text(money.format_money(deal.value, currency), justify="right"),
                Text(deal.expected_close.isoformat() if deal.expected_close else ""),
                Text(_status_label(deal.status)),
                Text(display_text(deal.close_reason) if deal.status != "open" else ""),
                key=str(deal.id),
            )
        if self.row_count:
            self.move_cursor(row=min(selected, self.row_count - 1))

    @property
    def selected_deal(self) -> int | None:
        if not self.row_count:
            return None
        return int(self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value)

    def action_milestones(self) -> None:
        if self.selected_deal is not None:
            self.app.push_screen(DealMilestones(self.selected_deal), lambda _result: self._changed(True))

    def _changed(self, result: object) -> None:
        if result:
            self.reload()
            self.post_message(self.Changed())

    def action_new_deal(self) -> None:
        self.app.push_screen(DealForm(self.account_id), self._changed)

    def action_edit_deal(self) -> None:
        if self.selected_deal is not None:
            self.app.push_screen(DealForm(self.account_id, self.selected_deal), self._changed)

    def action_close_deal(self) -> None:
        deal_id = self.selected_deal
        if deal_id is None:
            self.notify(_("No deal selected."), severity="warning")
        elif deals.get(deal_id).status != "open":
            self.notify(_("This deal is already closed; press o to reopen it."), severity="warning")
        else:
            self.app.push_screen(CloseDealForm(deal_id), self._changed)

    def action_reopen_deal(self) -> None:
        deal_id = self.selected_deal
        if deal_id is None or deals.get(deal_id).status == "open":
            return
        try:
            deals.reopen(deal_id)
        except DatabaseError as exc:
            report_database_error(self, exc)
            return
        self._changed(True)
