"""Add or edit a deal: title, value, expected close and sales stage."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Select

from saletui.i18n import N_, Translated, _
from saletui.method.implementation import phase_label
from saletui.method.qualification import KeyState, moving_on_text, unqualified_before
from saletui.method.stages import STAGES, stage_label
from saletui.store import deals, milestones
from saletui.store.deals import DealDraft
from saletui.store.models import Deal
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import FormField, chosen

NO_STAGE = 0  # never a stage's number: deals.clean refuses it with "Choose a stage."


class DealForm(StaleEditForm[int | None]):
    """Returns the saved deal's id, or None when cancelled."""

    HELP = Translated(
        N_("""
## Deal
A project or opportunity at this account. The stage follows the customer's
procurement step; moving it past a stage whose qualification (budget, authority, need,
timing by default) is not settled asks first. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, account_id: int, deal_id: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.deal_id = deal_id
        self.deal = self.opened(deals.get(deal_id)) if deal_id else None
        self.draft = DealDraft.from_deal(self.deal) if self.deal is not None else DealDraft()
        self.currency = deals.currency_of(account_id)  # the value is in the account's currency

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical(id="form-dialog", classes="deal-form"):
            yield Label(Content(_("Edit deal") if self.deal_id else _("New deal")), classes="form-title")
            phase = self._phase_line()
            if phase:
                yield Label(Content(phase), id="deal-phase", classes="form-note")
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

    def _phase_line(self) -> str:
        """A won deal's implementation phase today, and when the clock moves it on."""
        if self.deal is None:
            return ""
        state = deals.phase_of(self.deal, self.app.today(), self.app.settings.after_signing)
        if state is None:
            return ""
        text = _("After signing: {phase} since {date}").format(
            phase=phase_label(state.phase), date=state.since.isoformat()
        )
        if state.until is not None:
            text += " · " + _("next phase on {date}").format(date=state.until.isoformat())
        return text + " · " + _("i on the deals table sets it")

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
        self.deal = current
        self.draft = DealDraft.from_deal(current)

    def _left_unqualified(self, stage: int) -> list[KeyState]:
        """The qualification keys a move of this deal to `stage` would pass unqualified (a
        new deal entered at a later stage has its earlier milestones reached)."""
        if self.deal is None or self.deal_id is None or stage <= self.deal.stage:
            return []
        states = milestones.qualification([self.deal_id], self.app.process)[self.deal_id]
        return unqualified_before(states, stage)

    def action_save(self) -> None:
        draft = self._collect()
        behind = self._left_unqualified(draft.stage)
        if not behind:
            self._save(draft)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._save(draft)

        self.app.push_screen(
            ConfirmScreen(
                lambda: (
                    moving_on_text(behind)
                    + " "
                    + _("Move the deal on to {stage} anyway?").format(stage=stage_label(draft.stage))
                ),
                lambda: _("Move on"),
            ),
            answered,
        )

    def _save(self, draft: DealDraft) -> None:
        deal = self.attempt_versioned(
            lambda v: deals.save(
                self.account_id,
                draft,
                self.deal_id,
                process=self.app.process,
                expected_version=v,
                today=self.app.today(),
            )
        )
        if deal is not None:
            self.dismiss(deal.id)
