"""The account screen's Plan tab: the 5+5+5 one-year action plan (objective, monthly
split, actions on a timeline, objectives per contact). A mixin of AccountScreen, kept in
its own file: the screen owns the writes, the timeline and the contacts table post
requests."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Label

from saletui import money
from saletui.i18n import _, labelled
from saletui.method.plan import achieved_percent
from saletui.store import accounts, plans
from saletui.store.models import PlanAction
from saletui.store.plans import PlanView
from saletui.text import display_text
from saletui.ui.guarded_write import guarded_write
from saletui.ui.language import LocalizedScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.plan_forms import ActionForm, ContactObjectiveForm, PlanForm
from saletui.ui.widgets.plan_contacts import PlanContacts
from saletui.ui.widgets.plan_timeline import PlanTimeline, status_label, status_mark


class PlanTab(LocalizedScreen[None]):
    """The Plan tab's part of AccountScreen (which subclasses it and sets `account_id`)."""

    account_id: int
    plan_view: PlanView | None = None
    _plan_year: int | None = None

    @property
    def plan_year(self) -> int:
        return self._plan_year if self._plan_year is not None else self.app.today().year

    def plan_widgets(self) -> list[Widget]:
        return [
            Label("", id="plan-summary"),
            PlanTimeline(id="plan-timeline"),
            Label("", id="plan-detail"),
            Label(Content(_("Objectives per contact")), classes="section-title", id="plan-contacts-title"),
            PlanContacts(self.account_id, id="plan-contacts"),
        ]

    def _plan_timeline(self) -> PlanTimeline | None:
        """None until the tab was first shown (it is composed then)."""
        return next(self.query(PlanTimeline).results(), None)

    def show_plan(self, select_action: int | None = None) -> None:
        """Read this year's plan (one store read) and draw the tab; nothing before it is shown."""
        timeline = self._plan_timeline()
        if timeline is None:
            return
        year, today = self.plan_year, self.app.today()
        view = plans.load(self.account_id, year)
        self.plan_view = view
        actual = (
            view.actual
            if view
            else plans.actual_months(self.account_id, year, plans.currency_for(self.account_id, year))
        )
        timeline.show(view, actual, year, today)
        if select_action is not None:
            timeline.select_action(select_action)
        contacts = self.query_one("#plan-contacts", PlanContacts)
        contacts.source = view.contacts if view else []
        contacts.reload()
        summary = self.query_one("#plan-summary", Label)
        summary.update(Text(self._plan_summary(view, actual)))
        self._plan_detail()

    def _plan_summary(self, view: PlanView | None, actual: list[int]) -> str:
        year = self.plan_year
        if view is None:
            text = _(
                "No plan for {year} yet: e sets the year's objective and its monthly split, then a adds actions."
            ).format(year=year)
            if not accounts.get(self.account_id).tier:
                text += " " + _("(Plans are for the 5+5+5 accounts: give this one a tier with E.)")
            return text
        plan, c = view.plan, view.plan.currency
        today = self.app.today()
        through = 12 if year < today.year else 0 if year > today.year else today.month
        expected, sold = sum(view.months[:through]), sum(actual[:through])
        parts = [
            labelled(_("Plan {year}").format(year=year), money.format_money(plan.objective, c)),
        ]
        if through:
            percent = achieved_percent(expected, sold)
            parts.append(
                _("to date {actual} of {expected} expected").format(
                    actual=money.format_money(sold, c), expected=money.format_money(expected, c)
                )
                + (f" ({percent}%)" if percent is not None else "")
            )
        open_actions = sum(1 for a in view.actions if a.status == "open")
        parts.append(_("{n} open actions").format(n=open_actions))
        if plan.goal:
            parts.append(display_text(plan.goal))
        return " · ".join(parts)

    def _plan_detail(self) -> None:
        """The highlighted line of the timeline in words."""
        timeline = self._plan_timeline()
        if timeline is None:
            return
        detail = self.query_one("#plan-detail", Label)
        action = timeline.selected
        if action is None:
            detail.update(Text(_("a adds an action · e or Enter edits the objective and the months · < > other years")))
            return
        detail.update(Text(self._action_text(action)))

    def _action_text(self, action: PlanAction) -> str:
        parts = [f"{status_mark(action, self.app.today())} {display_text(action.what)}"]
        if action.owner:
            parts.append(labelled(_("Owner"), display_text(action.owner)))
        parts.append(labelled(_("Due"), action.due_on.isoformat()))
        parts.append(status_label(action.status))
        if action.note:
            parts.append(display_text(action.note))
        return " · ".join(parts)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if isinstance(event.data_table, PlanTimeline):
            self._plan_detail()

    # -- requests from the timeline and the contacts table -------------------------------------
    def _plan_saved(self, result: int | None, select_action: int | None = None) -> None:
        if result is not None:
            self.show_plan(select_action)
            self.plan_changed()

    def plan_changed(self) -> None:
        """Hook: what else on the screen follows a plan change (the title's attention)."""

    def action_plan_edit(self) -> None:
        self.app.push_screen(PlanForm(self.account_id, self.plan_year), self._plan_saved)

    def on_plan_timeline_request(self, event: PlanTimeline.Request) -> None:
        request, action = event.request, event.action
        view = self.plan_view
        if request == "edit_plan":
            self.action_plan_edit()
        elif request in ("prev_year", "next_year"):
            self._plan_year = self.plan_year + (1 if request == "next_year" else -1)
            self.show_plan()
        elif request == "add_action":
            if view is None:
                self.notify(_("Set the year's objective first: press e."), severity="warning")
                return
            owner = accounts.get(self.account_id).owner
            self.app.push_screen(
                ActionForm(view.plan.id, owner=owner), lambda saved: self._plan_saved(saved, select_action=saved)
            )
        elif action is None or view is None:
            return
        elif request == "edit_action":
            self.app.push_screen(
                ActionForm(view.plan.id, action.id), lambda saved: self._plan_saved(saved, select_action=saved)
            )
        elif request == "status":
            with guarded_write(self, refusals=True) as write:
                changed = plans.set_action_status(action.id, plans.next_status(action.status))
            if write.ok:
                self._plan_saved(changed.id, select_action=changed.id)
                self.notify(status_label(changed.status), timeout=1.5)
            elif write.gone:
                self.show_plan()
        elif request == "delete_action":

            def answered(yes: bool | None) -> None:
                if yes:
                    with guarded_write(self) as write:
                        plans.delete_action(action.id)
                    if write.ok:
                        self._plan_saved(0)

            what = display_text(action.what)
            self.app.push_screen(
                ConfirmScreen(lambda: _("Delete the action {what!r}?").format(what=what), lambda: _("Delete")),
                answered,
            )

    def on_plan_contacts_request(self, event: PlanContacts.Request) -> None:
        view = self.plan_view
        if view is None:
            self.notify(_("Set the year's objective first: press e."), severity="warning")
            return
        contact = event.contact
        if event.action == "add":
            self.app.push_screen(ContactObjectiveForm(view.plan.id, self.account_id), self._plan_saved)
        elif contact is None:
            return
        elif event.action == "edit":
            self.app.push_screen(ContactObjectiveForm(view.plan.id, self.account_id, contact.id), self._plan_saved)
        elif event.action == "delete":

            def answered(yes: bool | None) -> None:
                if yes:
                    with guarded_write(self) as write:
                        plans.delete_contact(contact.id)
                    if write.ok:
                        self._plan_saved(0)

            name = display_text(contact.name)
            self.app.push_screen(
                ConfirmScreen(lambda: _("Delete the objective for {name}?").format(name=name), lambda: _("Delete")),
                answered,
            )
