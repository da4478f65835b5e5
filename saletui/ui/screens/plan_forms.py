"""The forms of the 5+5+5 plan: the year's objective with its monthly split, an action,
and the objective for one contact. Each is one store write on Ctrl+S."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label

from saletui import money
from saletui.errors import ValidationError
from saletui.i18n import N_, Translated, _
from saletui.method.plan import ACTION_STATUSES, MONTHS, even_split, split_difference
from saletui.services.review import month_abbr
from saletui.store import accounts, parse, people, plans
from saletui.store.models import AccountPlan, PlanAction, PlanContact
from saletui.store.parse import FieldError
from saletui.store.plans import ActionDraft, ContactDraft, PlanDraft
from saletui.text import display_text
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import DraftFields, FormField, chosen
from saletui.ui.widgets.plan_timeline import status_label


class PlanForm(StaleEditForm[int | None]):
    """The year's objective and what is expected each month; returns the plan's id."""

    HELP = Translated(
        N_("""
## Plan: objective and monthly split
The revenue expected from this account in the year, and month by month. The months start
as an even split and follow the objective until you change one; **Ctrl+E** spreads the
objective evenly again. The months must add up to the year: the line under them says by
how much they miss. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    BINDINGS = [
        Binding("ctrl+e", "spread", N_("Spread evenly"), id="plan_form.spread", tooltip=N_("Even monthly split")),
    ]

    def __init__(self, account_id: int, year: int) -> None:
        super().__init__()
        self.account_id, self.year = account_id, year
        plan = plans.get(account_id, year)
        self.plan_id = plan.id if plan is not None else None
        self.currency = plans.currency_for(account_id, year)
        self.account_name = accounts.get(account_id).name
        self.draft = PlanDraft.from_plan(self.opened(plan), plans.months_of(plan.id)) if plan else PlanDraft()
        self._spread_for: str | None = self.draft.objective if self._is_even(self.draft) else None

    def _is_even(self, draft: PlanDraft) -> bool:
        """The months are the even split of the objective (or all empty): they follow it."""
        if all(not m.strip() for m in draft.months):
            return True
        try:
            objective = parse.amount(draft.objective, self.currency)
            months = [parse.amount(m, self.currency) or 0 for m in draft.months]
        except FieldError:
            return False
        return objective is not None and months == even_split(objective, self.currency)

    def compose(self) -> ComposeResult:
        d, c = self.draft, self.currency
        f = DraftFields(d)
        with Vertical(id="form-dialog", classes="plan-form"):
            yield Label(
                Content(_("Plan {year}: {account}").format(year=self.year, account=display_text(self.account_name))),
                classes="form-title",
            )
            with VerticalScroll(id="form-body"):
                with Horizontal(classes="form-row"):
                    yield f.text(
                        "objective", _("Objective for {year} ({currency}) *").format(year=self.year, currency=c)
                    )
                    yield f.text("goal", _("What the year is for"))
                yield Label(Content(_("Expected per month ({currency})").format(currency=c)), classes="plan-months")
                for start in (0, 6):
                    with Horizontal(classes="form-row plan-month-row"):
                        for m in range(start + 1, start + 7):
                            yield FormField(
                                month_abbr(m),
                                Input(d.months[m - 1], id=f"month-{m}", compact=True),
                                field=f"month-{m}",
                            )
                yield FormField("", Label("", id="split-sum"), field="months")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Spread evenly"), id="spread")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self._show_sum()
        self.query_one("#objective", Input).focus()

    def _collect(self) -> PlanDraft:
        return PlanDraft(
            objective=self.query_one("#objective", Input).value,
            goal=self.query_one("#goal", Input).value,
            months=[self.query_one(f"#month-{m}", Input).value for m in range(1, MONTHS + 1)],
        )

    def _fill(self, months: list[int]) -> None:
        for m, value in enumerate(months, start=1):
            box = self.query_one(f"#month-{m}", Input)
            with box.prevent(Input.Changed):
                box.value = parse.format_amount(value, self.currency)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        """Months that are still the even split follow the objective as it is typed; once
        the rep makes them differ, they are the rep's own split."""
        box = event.input.id or ""
        if box == "objective" and self._spread_for is not None:
            try:
                objective = parse.amount(event.value, self.currency)
            except FieldError:
                objective = None
            if objective is not None:
                self._fill(even_split(objective, self.currency))
                self._spread_for = event.value
        elif box.startswith("month-"):
            self._spread_for = self._collect().objective if self._is_even(self._collect()) else None
        self._show_sum()

    def _show_sum(self) -> None:
        """What the months add up to against the objective, as they are typed."""
        draft, c = self._collect(), self.currency
        try:
            objective = parse.amount(draft.objective, c)
            months = [parse.amount(m, c) or 0 for m in draft.months]
        except FieldError:
            self.query_one("#split-sum", Label).update("")
            return
        total = sum(months)
        if objective is None:
            text = _("The months add up to {total}.").format(total=money.format_money(total, c))
        elif split_difference(objective, months) == 0:
            text = _("The months add up to the year's objective: {total}.").format(total=money.format_money(total, c))
            self.query_one("#field-months", FormField).set_error(None)
        else:
            text = plans.split_message(objective, months, c)
        self.query_one("#split-sum", Label).update(Text(text))

    @on(Button.Pressed, "#spread")
    def action_spread(self) -> None:
        try:
            objective = parse.amount(self.query_one("#objective", Input).value, self.currency)
        except FieldError as exc:
            self.query_one("#field-objective", FormField).set_error(str(exc))
            return
        if objective is None:
            self.notify(_("Type the year's objective first."), severity="warning")
            return
        self._fill(even_split(objective, self.currency))
        self._spread_for = self.query_one("#objective", Input).value
        self._show_sum()

    def _show_refusal(self, exc: ValidationError) -> FormField | None:
        first = super()._show_refusal(exc)
        if first is not None and first.field == "months":
            return self.query_one("#field-month-1", FormField)  # where the split is corrected
        return first

    def check(self) -> None:
        plans.clean_plan(self._collect(), self.currency)

    def show_stored(self, current: AccountPlan) -> None:
        self.plan_id = current.id  # made meanwhile in another window: from now on, this one
        self.draft = PlanDraft.from_plan(current, plans.months_of(current.id))

    def after_recompose(self) -> None:
        super().after_recompose()
        self._show_sum()

    def action_save(self) -> None:
        draft = self._collect()
        plan = self.attempt_versioned(
            lambda v: plans.save_plan(
                self.account_id, self.year, draft, expected_version=v, expect_new=self.plan_id is None
            )
        )
        if plan is not None:
            self.dismiss(plan.id)


class ActionForm(StaleEditForm[int | None]):
    """An action of the plan: what, who on our side, by when, status; returns its id."""

    HELP = Translated(
        N_("""
## Plan action
What is to be done, who on our side answers for it, and by when (a date in the plan's
year). Open actions due within a week, or overdue, put the account on the
needs-attention list and in the brief. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, plan_id: int, action_id: int | None = None, owner: str = "") -> None:
        super().__init__()
        self.plan_id, self.action_id = plan_id, action_id
        plan = AccountPlan.get_by_id(plan_id)
        self.year = plan.year
        self.draft = (
            ActionDraft.from_action(self.opened(plans.get_action(action_id))) if action_id else ActionDraft(owner=owner)
        )

    def compose(self) -> ComposeResult:
        f = DraftFields(self.draft)
        with Vertical(id="form-dialog", classes="action-form"):
            yield Label(
                Content(_("Edit action") if self.action_id else _("New action for {year}").format(year=self.year)),
                classes="form-title",
            )
            with VerticalScroll(id="form-body"):
                yield f.text("what", _("What is to be done *"))
                with Horizontal(classes="form-row"):
                    yield f.text("owner", _("Owner on our side"), suggestions=accounts.owners())
                    yield f.text("due_on", _("Due *"), "YYYY-MM-DD")
                    yield f.select(
                        "status",
                        _("Status"),
                        [(status_label(s), s) for s in ACTION_STATUSES],
                        _("open"),
                        allow_blank=False,
                    )
                yield f.area("note", _("Note"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#what", Input).focus()

    def _collect(self) -> ActionDraft:
        from saletui.ui.widgets.form_field import control_text

        return ActionDraft(
            **{name: control_text(self.query_one(f"#{name}")) for name in ActionDraft.__dataclass_fields__}
        )

    def check(self) -> None:
        plans.clean_action(self._collect(), self.year)

    def show_stored(self, current: PlanAction) -> None:
        self.draft = ActionDraft.from_action(current)

    def action_save(self) -> None:
        draft = self._collect()
        action = self.attempt_versioned(
            lambda v: plans.save_action(self.plan_id, draft, self.action_id, expected_version=v)
        )
        if action is not None:
            self.dismiss(action.id)


class ContactObjectiveForm(StaleEditForm[int | None]):
    """What we want from one person this year; returns the objective's id."""

    HELP = Translated(
        N_("""
## Objective for a contact
Choose a person of the account and say what we want from them this year (to sponsor a
trial, to introduce us to the plant manager, to put us on the approved list).
**Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, plan_id: int, account_id: int, contact_id: int | None = None) -> None:
        super().__init__()
        self.plan_id, self.account_id, self.contact_id = plan_id, account_id, contact_id
        self.people = people.for_account(account_id)
        self.draft = ContactDraft()
        if contact_id is not None:
            self.show_stored(self.opened(plans.get_contact(contact_id)))

    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        options: list[tuple[Any, int]] = [
            (Text(display_text(p.name) + (f" — {display_text(p.title)}" if p.title else "")), p.id) for p in self.people
        ]
        with Vertical(id="form-dialog", classes="prompt-dialog"):
            yield Label(
                Content(_("Edit the objective") if self.contact_id else _("New objective for a contact")),
                classes="form-title",
            )
            yield FormField(
                _("Person *"),
                Select(
                    options,
                    value=self.draft.person_id if self.draft.person_id is not None else Select.NULL,
                    prompt=_("(choose a person)"),
                    id="person_id",
                    compact=True,
                ),
                field="person_id",
            )
            yield FormField(
                _("This year we want *"), Input(self.draft.objective, id="objective", compact=True), field="objective"
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#person_id").focus()

    def show_stored(self, current: PlanContact) -> None:
        self.draft = ContactDraft(current.person_id, current.objective)

    def _collect(self) -> ContactDraft:
        from textual.widgets import Select

        select: Select[int] = self.query_one("#person_id", Select)
        return ContactDraft(chosen(select), self.query_one("#objective", Input).value)

    def action_save(self) -> None:
        draft = self._collect()
        contact = self.attempt_versioned(
            lambda v: plans.save_contact(self.plan_id, draft, self.contact_id, expected_version=v)
        )
        if contact is not None:
            self.dismiss(contact.id)
