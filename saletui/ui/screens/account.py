"""One account: its profile and its deals, with the keys to edit both."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, TabbedContent, TabPane

from saletui.account_listing import display_text
from saletui.i18n import _
from saletui.method.stages import stage_label
from saletui.store import accounts, deals, parse
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.close_deal_form import CloseDealForm
from saletui.ui.screens.deal_form import DealForm
from saletui.ui.database_errors import DatabaseError, report_database_error
from saletui.ui.widgets.account_profile import AccountProfile


def _status_label(status: str) -> str:
    return {"open": _("open"), "won": _("won"), "lost": _("lost")}.get(status, status)


class AccountScreen(Screen[None]):
    """Profile and deals of one account."""

    HELP = _("""
## Account
The account's class and the strategy it calls for, its deals and its profile.

- **n** adds a deal, **Enter** edits the highlighted deal, **c** closes it as won or
  lost (the reason feeds the win/loss review), **o** reopens it.
- **e** edits the account, **Esc** goes back to the list.
""")

    BINDINGS = [
        Binding("escape", "app.pop_screen", _("Back"), id="account.back", tooltip=_("Back to the account list")),
        Binding("e", "edit_account", _("Edit account"), id="account.edit", tooltip=_("Edit this account")),
        Binding("n", "new_deal", _("New deal"), id="account.new_deal", tooltip=_("Add a deal to this account")),
        Binding("c", "close_deal", _("Close deal"), id="account.close_deal", tooltip=_("Mark won or lost")),
        Binding("o", "reopen_deal", _("Reopen"), id="account.reopen_deal", tooltip=_("Reopen a closed deal")),
    ]

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("", id="account-title")
        with TabbedContent(id="account-tabs"):
            with TabPane(_("Overview"), id="tab-overview"):
                yield Label(Content(_("Deals")), classes="section-title")
                yield DataTable(id="deals", cursor_type="row", zebra_stripes=True)
                yield Label(Content(_("Profile")), classes="section-title")
                with VerticalScroll(id="profile-scroll"):
                    yield AccountProfile(id="profile")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#deals", DataTable)
        table.add_columns(_("Deal"), _("Stage"), _("Value"), _("Expected close"), _("Status"), _("Reason"))
        self.reload()
        table.focus()

    def reload(self) -> None:
        account = accounts.get(self.account_id)
        row = accounts.get_row(self.account_id)
        self.sub_title = display_text(account.name)
        title = display_text(account.name)
        if row and row.class_code:
            title += f"  [{row.class_code}]"
        if account.archived_at:
            title += "  " + _("(archived)")
        self.query_one("#account-title", Label).update(Content(title))
        self.query_one("#profile", AccountProfile).show(account, row, self.app.today())
        table = self.query_one("#deals", DataTable)
        selected = table.cursor_row
        table.clear()
        for deal in deals.for_account(self.account_id):
            table.add_row(
                Text(display_text(deal.title)),
                Text(stage_label(deal.stage)),
                Text(parse.format_amount(deal.value), justify="right"),
                Text(deal.expected_close.isoformat() if deal.expected_close else ""),
                Text(_status_label(deal.status)),
                Text(display_text(deal.close_reason)),
                key=str(deal.id),
            )
        if table.row_count:
            table.move_cursor(row=min(selected, table.row_count - 1))

    def _selected_deal(self) -> int | None:
        table = self.query_one("#deals", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value)

    def action_edit_account(self) -> None:
        self.app.push_screen(AccountForm(self.account_id), lambda saved: saved and self.reload())

    def action_new_deal(self) -> None:
        self.app.push_screen(DealForm(self.account_id), lambda saved: saved and self.reload())

    @on(DataTable.RowSelected, "#deals")
    def _edit_deal(self) -> None:
        deal_id = self._selected_deal()
        if deal_id is not None:
            self.app.push_screen(DealForm(self.account_id, deal_id), lambda saved: saved and self.reload())

    def action_close_deal(self) -> None:
        deal_id = self._selected_deal()
        if deal_id is None:
            self.notify(_("No deal selected."), severity="warning")
            return
        if deals.get(deal_id).status != "open":
            self.notify(_("This deal is already closed; press o to reopen it."), severity="warning")
            return
        self.app.push_screen(CloseDealForm(deal_id), lambda closed: closed and self.reload())

    def action_reopen_deal(self) -> None:
        deal_id = self._selected_deal()
        if deal_id is None or deals.get(deal_id).status == "open":
            return
        try:
            deals.reopen(deal_id)
        except DatabaseError as exc:
            report_database_error(self, exc)
            return
        self.reload()
