"""The account's deals, with the keys that add, edit, close and reopen them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import getters
from textual.binding import Binding
from textual.message import Message

from saletui import money
from saletui.i18n import N_, _
from saletui.method.deal_risk import Finding
from saletui.method.implementation import phase_label
from saletui.method.milestones import progress
from saletui.method.qualification import FAILED, QUALIFIED, KeyState
from saletui.method.stages import stage_label
from saletui.store import deal_health, deals, milestones
from saletui.store.models import Deal
from saletui.text import display_text
from saletui.ui.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from saletui.ui.app import SaletuiApp  # app.py imports the screens: for the checker only


IMPLEMENTATION = 6  # the stage a signed deal is in


def qualification_text(states: Sequence[KeyState]) -> Text:
    """ "B✓ A✓ N· T✗", qualified keys green, failed ones red."""
    text = Text()
    for state in states:
        if text:
            text.append(" ")
        style = {QUALIFIED: "green", FAILED: "red"}.get(state.mark, "dim")
        text.append(f"{state.key.letter}{state.mark}", style=style)
    return text


def _status_label(status: str) -> str:
    return {"open": _("open"), "won": _("won"), "lost": _("lost")}.get(status, status)


class DealTable(RecordTable[Deal]):
    """Open deals first (most advanced first), then closed ones with their reason; a won
    one with the implementation phase it is in today."""

    if TYPE_CHECKING:  # as LocalizedScreen.app
        app = getters.app(SaletuiApp)

    BINDINGS = [
        Binding("n", "request('new')", N_("New"), id="deals.new", tooltip=N_("Add a deal to this account")),
        Binding("enter", "request('edit')", N_("Edit"), id="deals.edit", tooltip=N_("Edit the highlighted deal")),
        Binding(
            "c", "request('close')", N_("Close"), id="deals.close", tooltip=N_("Mark the deal won or lost, with why")
        ),
        Binding(
            "o", "request('reopen')", N_("Reopen"), id="deals.reopen", tooltip=N_("Reopen a closed deal"), show=False
        ),
        Binding(
            "m",
            "request('milestones')",
            N_("Milestones"),
            id="deals.milestones",
            tooltip=N_("The deal's milestone list: the customer's questions, in order"),
        ),
        Binding(
            "r",
            "request('contacts')",
            N_("Contacts"),
            id="deals.contacts",
            tooltip=N_("Who takes part in the deal and as what; its risks"),
        ),
        Binding(
            "i",
            "request('phase')",
            N_("Phase"),
            id="deals.phase",
            show=False,  # a key for a few won deals: in the help, the palette and the deal form's note
            tooltip=N_("After signing: set the won deal's implementation phase (new toy, learning, effectiveness)"),
        ),
        Binding("E", "screen.edit_account", N_("Account"), id="account.edit", tooltip=N_("Edit this account")),
        Binding("b", "screen.brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account")),
    ]

    @dataclass
    class Request(Message):
        """A deal key: the screen opens the form (or reopens) and writes. `deal` is the
        highlighted one (None on an empty table)."""

        action: Literal["new", "edit", "close", "reopen", "milestones", "phase", "contacts"]
        deal: Deal | None

    currency = ""  # the account's, read with the deals: every deal is in its account's currency

    found: dict[int, tuple[Finding, ...]] = {}  # each open deal's risks, read with the deals
    qualified: dict[int, tuple[KeyState, ...]] = {}  # each open deal's qualification

    def read(self) -> list[Deal]:
        self.currency = deals.currency_of(self.account_id)
        records = deals.for_account(self.account_id)
        open_ids = [d.id for d in records if d.status == "open"]
        self.found = deal_health.worked_out(open_ids, self.app.settings.deal_risks, self.app.today())
        self.qualified = milestones.qualification(open_ids, self.app.process)
        return records

    def titles(self) -> Sequence[str]:
        return (
            _("Deal"),
            _("Stage"),
            _("Risks"),
            _("Qualified"),
            _("Progress"),
            _("Value"),
            _("Expected close"),
            _("Status"),
            _("Reason"),
        )

    def risks(self, deal: Deal | None) -> tuple[Finding, ...]:
        """An open deal's risk warnings as of today (none for a closed one)."""
        return self.found.get(deal.id, ()) if deal is not None else ()

    def key(self, record: Deal) -> int:
        return int(record.id)

    def cells(self, deal: Deal) -> Sequence[Text]:
        stage_progress = progress(r.state() for r in milestones.for_deal(deal.id)).get(deal.stage)
        return (
            Text(display_text(deal.title)),
            self._stage(deal),
            Text(f"⚠ {n}", style="bold yellow") if (n := len(self.risks(deal))) else Text(""),
            qualification_text(self.qualified.get(deal.id, ())),
            Text(str(stage_progress) if stage_progress else ""),
            Text(money.format_money(deal.value, self.currency), justify="right"),
            Text(deal.expected_close.isoformat() if deal.expected_close else ""),
            Text(_status_label(deal.status)),
            Text(display_text(deal.close_reason) if deal.status != "open" else ""),
        )

    def _stage(self, deal: Deal) -> Text:
        """The sales stage; for a won deal, the implementation phase it is in today: signed,
        it is in stage 6 (implementation), whose phases the rep watches."""
        state = deals.phase_of(deal, self.app.today(), self.app.settings.after_signing)
        if state is None:
            return Text(stage_label(deal.stage))
        return Text(f"{IMPLEMENTATION} {phase_label(state.phase)}")

    def action_request(
        self, action: Literal["new", "edit", "close", "reopen", "milestones", "phase", "contacts"]
    ) -> None:
        deal = self.selected
        if action in ("close", "phase") and deal is None:
            self.notify(_("No deal selected."), severity="warning")
        elif action == "phase" and deal is not None and deal.status != "won":
            self.notify(_("Only a won deal has implementation phases: c closes it as won."), severity="warning")
        elif action == "new" or deal is not None:
            self.post_message(self.Request(action, deal))
