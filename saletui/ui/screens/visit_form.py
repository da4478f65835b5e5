"""Plan a visit: when, who, which deal, why, and the checklist of milestones it must settle."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select, SelectionList
from textual.widgets.selection_list import Selection

from saletui.i18n import N_, Translated, _
from saletui.method.milestones import KINDS, OPEN, PURPOSES, kind_label, purpose_label
from saletui.method.stages import stage_label
from saletui.store import deal_contacts, deals, milestones, people, visits
from saletui.store.models import Visit
from saletui.store.visits import VisitPlan
from saletui.text import display_text
from saletui.ui.guarded_write import guarded_write
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import DraftFields, FormField, chosen


class VisitForm(StaleEditForm[int | None]):
    """Returns the planned visit's id, or None when cancelled (nothing written)."""

    HELP = Translated(
        N_("""
## Plan a visit
Each contact has its own objective: who, how, when, why and for what. The checklist
pre-selects the deal's next open milestones in order; Space toggles one. Also note what
you will give (information, proof), what you need to learn, and the commitment you will
ask for: the best outcome and the minimum you accept. **Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(
        self, account_id: int, visit_id: int | None = None, deal_id: int | None = None, today: dt.date | None = None
    ) -> None:
        super().__init__()
        self.account_id = account_id
        self.visit_id = visit_id
        if visit_id is not None:
            self.plan = VisitPlan.from_visit(self.opened(visits.get(visit_id)))
        else:
            tomorrow = (today or dt.date.today()) + dt.timedelta(days=1)
            open_deals = [d for d in deals.for_account(account_id) if d.status == "open"]
            chosen = deal_id if deal_id is not None else (open_deals[0].id if open_deals else None)
            self.plan = VisitPlan(planned_at=f"{tomorrow.isoformat()} 09:00", deal_id=chosen, purposes=["progress"])
            if chosen is not None:
                self.plan.milestone_ids = visits.proposed_checklist(chosen)
                self.plan.attendee_ids = self._deal_people(chosen)

    def compose(self) -> ComposeResult:
        p = self.plan
        open_deals = [d for d in deals.for_account(self.account_id) if d.status == "open" or d.id == p.deal_id]
        everyone = people.for_account(self.account_id)

        f = DraftFields(p)

        with Vertical(id="form-dialog", classes="visit-form"):
            yield Label(Content(_("Re-plan visit") if self.visit_id else _("Plan a visit")), classes="form-title")
            with VerticalScroll(id="form-body"):
                with Horizontal(classes="form-row"):
                    yield f.text("planned_at", _("When *"), "YYYY-MM-DD HH:MM")
                    yield FormField(
                        _("Kind"),
                        Select(
                            [(kind_label(k), k) for k in KINDS],
                            value=p.kind,
                            allow_blank=False,
                            id="kind",
                            compact=True,
                        ),
                        field="kind",
                    )
                    yield FormField(
                        _("For the deal"),
                        Select(
                            [(Content(display_text(d.title)), d.id) for d in open_deals],
                            value=p.deal_id if p.deal_id is not None else Select.NULL,
                            prompt=_("(no deal)"),
                            id="deal_id",
                            compact=True,
                        ),
                        field="deal_id",
                    )
                with Horizontal(classes="form-row tall-row"):
                    yield FormField(
                        _("Purpose *"),
                        SelectionList[str](
                            *[Selection(Content(purpose_label(k)), k, k in p.purposes) for k in PURPOSES],
                            id="purposes",
                            compact=True,
                        ),
                        field="purposes",
                    )
                    yield FormField(
                        _("Attendees"),
                        SelectionList[int](
                            *[
                                Selection(Content(self.person_label(person)), person.id, person.id in p.attendee_ids)
                                for person in everyone
                            ],
                            id="attendee_ids",
                            compact=True,
                        ),
                        field="attendee_ids",
                    )
                yield FormField(
                    _("Checklist: milestones this visit must settle"),
                    SelectionList[int](id="milestone_ids", compact=True),
                    field="milestone_ids",
                )
                yield f.text("objective", _("Objective: for what (the result this contact must bring)"))
                with Horizontal(classes="form-row"):
                    yield f.text("objective_who", _("Who"))
                    yield f.text("objective_how", _("How"))
                    yield f.text("objective_when", _("When"))
                    yield f.text("objective_why", _("Why"))
                with Horizontal(classes="form-row"):
                    yield f.text("give", _("We give (information, proof)"))
                    yield f.text("learn", _("We need to learn"))
                with Horizontal(classes="form-row"):
                    yield f.text("ask_best", _("Commitment to ask: best outcome"))
                    yield f.text("ask_minimum", _("Minimum acceptable"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save plan"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    @staticmethod
    def _deal_people(deal_id: int) -> list[int]:
        """The attendees a visit for the deal suggests: its contacts (store.deal_contacts)."""
        return [row.person_id for row in deal_contacts.for_deal(deal_id)]

    @staticmethod
    def person_label(person: people.PersonRow) -> str:
        label = display_text(person.name)
        if person.title:
            label += " · " + display_text(person.title)
        if person.influence:
            label += f" · L{person.influence}"
        return label

    def before_recompose(self) -> None:
        # The checklist is filled for the plan's deal: keep the deal and ticks as they are now.
        self.plan = self._collect()

    def on_mount(self) -> None:
        self._fill_checklist(self.plan.deal_id, self.plan.milestone_ids)
        self.query_one("#planned_at", Input).focus()

    def _fill_checklist(self, deal_id: int | None, selected: list[int]) -> None:
        self._deal_shown = deal_id
        checklist = self.query_one("#milestone_ids", SelectionList)
        checklist.clear_options()
        if deal_id is None:
            return
        with guarded_write(self):
            if milestones.ensure(deal_id, self.app.process):
                selected = visits.proposed_checklist(deal_id, self.visit_id)
        options = []
        for row in milestones.for_deal(deal_id):
            mine = row.id in selected
            if row.status != OPEN and not mine:
                continue
            elsewhere = row.planned_visit_id not in (None, self.visit_id)
            label = f"{stage_label(row.stage)} · {display_text(row.question)}"
            if elsewhere:
                label += "  " + _("(on another planned visit)")
            options.append(Selection(Content(label), row.id, mine))
        checklist.add_options(options)

    @on(Select.Changed, "#deal_id")
    def _deal_changed(self, event: Select.Changed) -> None:
        deal_id = event.value if isinstance(event.value, int) else None  # a deal's id, or Select.NULL
        if deal_id == getattr(self, "_deal_shown", object()):
            return  # the Select announcing its first value: keep the visit's own checklist
        proposed = visits.proposed_checklist(deal_id, self.visit_id) if deal_id is not None else []
        attendees = self.query_one("#attendee_ids", SelectionList)
        before = self._deal_people(self._deal_shown) if self._deal_shown is not None else []
        if sorted(attendees.selected) == sorted(before):  # as suggested: follow the deal
            attendees.deselect_all()
            for person_id in self._deal_people(deal_id) if deal_id is not None else []:
                attendees.select(person_id)
        self._fill_checklist(deal_id, proposed)

    def _collect(self) -> VisitPlan:
        deal: Select[int] = self.query_one("#deal_id", Select)
        values = {name: self.query_one(f"#{name}", Input).value for name in ("planned_at", *visits.PLAN_TEXT)}
        return VisitPlan(
            kind=str(self.query_one("#kind", Select).value),
            deal_id=chosen(deal),
            purposes=list(self.query_one("#purposes", SelectionList).selected),
            attendee_ids=list(self.query_one("#attendee_ids", SelectionList).selected),
            milestone_ids=self._checklist_in_order(),
            **values,
        )

    def _checklist_in_order(self) -> list[int]:
        checklist = self.query_one("#milestone_ids", SelectionList)
        chosen = set(checklist.selected)
        return [
            checklist.get_option_at_index(i).value
            for i in range(checklist.option_count)
            if checklist.get_option_at_index(i).value in chosen
        ]

    def show_stored(self, current: Visit) -> None:
        self.plan = VisitPlan.from_visit(current)

    def action_save(self) -> None:
        visit = self.attempt_versioned(
            lambda v: visits.plan_visit(self.account_id, self._collect(), self.visit_id, expected_version=v)
        )
        if visit is not None:
            self.dismiss(visit.id)
