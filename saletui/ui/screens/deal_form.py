"""Add or edit a deal: title, value, expected close and sales stage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select

from saletui.i18n import N_, Translated, _
from saletui.method.stages import STAGES, stage_label
from saletui.store import deals
from saletui.store.deals import DealDraft
from saletui.store.models import Deal
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import FormField, chosen

NO_STAGE = 0  # never a stage's number: deals.clean refuses it with "Choose a stage."


class DealForm(StaleEditForm[int | None]):
    """Returns the saved deal's id, or None when cancelled."""

    HELP = Translated(
        N_("""
## Deal
A project or opportunity at this account. The stage follows the customer's
procurement step. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, account_id: int, deal_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.deal_id = deal_id
        self.draft = DealDraft.from_deal(self.opened(deals.get(deal_id))) if deal_id else DealDraft()
        self.currency = deals.currency_of(account_id)  # the value is in the account's currency

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="form-dialog", classes="deal-form"):
            yield Label(Content(_("Edit deal") if self.deal_id else _("New deal")), classes="form-title")
            yield FormField(_("Title *"), Input(d.title, id="title", compact=True), field="title")
            with Horizontal(classes="form-row"):
                yield FormField(
                    _("Value ({currency})").format(currency=self.currency),
                    Input(d.value, id="value", placeholder="1.2M / 120万", compact=True),
                    field="value",
                )
                yield FormField(
                    _("Expected close"),
                    Input(d.expected_close, id="expected_close", placeholder="YYYY-MM-DD", compact=True),
                    field="expected_close",
                )
            yield FormField(
                _("Sales stage"),
                Select(
                    [(stage_label(s.number), s.number) for s in STAGES],
                    value=d.stage,
                    allow_blank=False,
                    id="stage",
                    compact=True,
                ),
                field="stage",
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def _collect(self) -> DealDraft:
        stage: Select[int] = self.query_one("#stage", Select)
        return DealDraft(
            title=self.query_one("#title", Input).value,
            value=self.query_one("#value", Input).value,
            expected_close=self.query_one("#expected_close", Input).value,
            stage=chosen(stage) or NO_STAGE,
        )

    def check(self) -> None:
        deals.clean(self._collect(), self.currency)

    def show_stored(self, current: Deal) -> None:
        self.draft = DealDraft.from_deal(current)

    def action_save(self) -> None:
        draft = self._collect()
        deal = self.attempt_versioned(
            lambda v: deals.save(self.account_id, draft, self.deal_id, process=self.app.process, expected_version=v)
        )
        if deal is not None:
            self.dismiss(deal.id)
