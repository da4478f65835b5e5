"""After the visit: who was met, tick what was reached, record the outcome and the next step;
and later, correct that record."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, TextArea
from textual.widgets.selection_list import Selection

from saletui.i18n import N_, Translated, _, labelled
from saletui.method.milestones import kind_label
from saletui.method.stages import stage_label
from saletui.store import objection_log, parse, people, visits
from saletui.store.models import Visit
from saletui.store.objection_log import RaisedObjection
from saletui.store.parse import FieldError
from saletui.store.visits import Completion, Debrief
from saletui.text import display_text
from saletui.ui.screens.choice_picker import Choice, ChoicePicker
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.screens.visit_form import VisitForm
from saletui.ui.widgets.form_field import FormField
from saletui.ui.widgets.wrapping_checkbox import WrappingCheckbox


class DebriefForm(StaleEditForm[Completion | None]):
    """Returns what recording changed (reached milestones, a stage to offer), or None."""

    HELP = Translated(
        N_("""
## Record the visit
When it happened and who you met (their last contact moves to that day), then tick each
checklist item the visit reached (Space), with a note; then the outcome, the commitment
obtained, a short debrief, and the next step with its date (it becomes the account's next
step). **Ctrl+R** adds an objection raised, **Ctrl+D** removes one. A visit dated in the
future asks first. The same form corrects a recorded visit (**e** on the Visits tab).
**Ctrl+S** saves, **Esc** cancels (asking first when something changed).
""")
    )

    BINDINGS = [
        Binding(
            "ctrl+r",
            "add_objection",
            N_("Objection raised"),
            id="debrief.objection",
            tooltip=N_("Record an objection, the technique used and whether it worked"),
        ),
        Binding(
            "ctrl+d",
            "remove_objection",
            N_("Remove objection"),
            id="debrief.remove_objection",
            tooltip=N_("Remove an objection recorded by mistake"),
        ),
    ]

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.visit = self.opened(visits.get(visit_id))
        self.correcting = self.visit.status == "done"
        self.items = visits.checklist(visit_id)
        self.raised: list[RaisedObjection] = objection_log.for_visit(visit_id)
        self.attendees = visits.attendee_ids(visit_id)
        self._future_confirmed = ""  # the future date the rep already agreed to record

    def unsaved_state(self) -> object:
        return list(self.raised)

    def compose(self) -> ComposeResult:
        v = self.visit
        heading = _("Correct the record") if self.correcting else _("Record")
        title = labelled(heading, f"{kind_label(v.kind)} {v.planned_at:%Y-%m-%d %H:%M}")
        with Vertical(id="form-dialog", classes="debrief-form"):
            yield Label(Content(title), classes="form-title")
            if v.objective:
                yield Label(Content(labelled(_("Objective"), display_text(v.objective))), classes="debrief-objective")
            with VerticalScroll(id="form-body"):
                with Horizontal(classes="form-row tall-row"):
                    yield FormField(
                        _("When it happened"),
                        Input(
                            f"{v.planned_at:%Y-%m-%d %H:%M}",
                            id="happened_at",
                            placeholder="YYYY-MM-DD HH:MM",
                            compact=True,
                        ),
                        field="happened_at",
                    )
                    yield FormField(
                        _("Who you met"),
                        SelectionList[int](
                            *[
                                Selection(Content(VisitForm.person_label(p)), p.id, p.id in self.attendees)
                                for p in people.for_account(v.account_id)
                            ],
                            id="attendee_ids",
                            compact=True,
                        ),
                        field="attendee_ids",
                    )
                if self.items:
                    yield Label(Content(_("Checklist: tick what this visit reached")), classes="section-title")
                for item, milestone in self.items:
                    with Horizontal(classes="checklist-row"):
                        yield WrappingCheckbox(
                            Content(f"{stage_label(milestone.stage)} · {display_text(milestone.question)}"),
                            item.result == "reached",
                            id=f"reached-{milestone.id}",
                            compact=True,
                        )
                        yield FormField(
                            _("Note"),
                            Input(item.note, id=f"note-{milestone.id}", compact=True),
                            field=f"note-{milestone.id}",
                        )
                yield FormField(_("Outcome"), Input(v.outcome, id="outcome", compact=True), field="outcome")
                yield FormField(
                    _("Commitment obtained"), Input(v.commitment, id="commitment", compact=True), field="commitment"
                )
                yield FormField(
                    _("Debrief"), TextArea(v.debrief, id="debrief", soft_wrap=True, compact=True), field="debrief"
                )
                yield Label(
                    Content(_("Objections raised (Ctrl+R adds one, Ctrl+D removes one)")), classes="section-title"
                )
                yield Label("", id="raised-list")
                yield Button(_("+ Objection raised"), id="add-objection", compact=True)
                with Horizontal(classes="form-row"):
                    yield FormField(_("Next step"), Input(v.next_step, id="next_step", compact=True), field="next_step")
                    yield FormField(
                        _("Next step date"),
                        Input(
                            v.next_step_date.isoformat() if v.next_step_date else "",
                            id="next_step_date",
                            placeholder="YYYY-MM-DD",
                            compact=True,
                        ),
                        field="next_step_date",
                    )
            with Horizontal(classes="form-buttons"):
                yield Button(
                    _("Save corrections") if self.correcting else _("Record visit"), variant="primary", id="save"
                )
                yield Button(_("Cancel"), id="cancel")

    def _show_raised(self) -> None:
        lines = []
        for r in self.raised:
            verdict = {True: _("worked"), False: _("did not work"), None: ""}[r.worked]
            technique = f" → {display_text(r.technique_name)}" if r.technique_name else ""
            lines.append(f"• {display_text(r.objection_title)}{technique}  {verdict}".rstrip())
        self.query_one("#raised-list", Label).update(Content("\n".join(lines) or _("(none)")))

    @on(Button.Pressed, "#add-objection")
    def action_add_objection(self) -> None:
        """Objection, then the technique used, then whether it worked: three quick picks."""
        objections = self.app.playbook.objections
        if not objections:
            self.notify(_("The playbook has no objections."), severity="warning")
            return

        def objection_chosen(index: int | None) -> None:
            if index is None:
                return
            objection = objections[index - 1]
            choices = [Choice(i, Text(display_text(t.name))) for i, t in enumerate(objection.techniques, start=1)]

            def technique_chosen(t_index: int | None) -> None:
                if t_index is None:
                    return
                technique = objection.techniques[t_index - 1] if t_index else None

                def worked(answer: bool | None) -> None:
                    self.raised.append(
                        RaisedObjection(
                            objection.id,
                            objection.title,
                            technique.id if technique else "",
                            technique.name if technique else "",
                            answer if technique else None,
                        )
                    )
                    self._show_raised()

                if technique is None:
                    worked(False)
                else:
                    self.app.push_screen(
                        ConfirmScreen(
                            lambda: _("Did \u201c{name}\u201d work?").format(name=display_text(technique.name)),
                            lambda: _("It worked"),
                        ),
                        worked,
                    )

            self.app.push_screen(
                ChoicePicker(lambda: _("Technique used"), choices, top_label=lambda: _("(no technique)")),
                technique_chosen,
            )

        self.app.push_screen(
            ChoicePicker(
                lambda: _("Which objection was raised?"),
                [
                    Choice(i, Text(display_text(o.title)), " ".join((o.title, *o.aliases)))
                    for i, o in enumerate(objections, start=1)
                ],
            ),
            objection_chosen,
        )

    def action_remove_objection(self) -> None:
        if not self.raised:
            self.notify(_("No objection is recorded on this visit."), severity="warning")
            return
        choices = [
            Choice(i, Text(f"{display_text(r.objection_title)}  {display_text(r.technique_name)}".rstrip()))
            for i, r in enumerate(self.raised, start=1)
        ]

        def chosen(index: int | None) -> None:
            if index:
                del self.raised[index - 1]
                self._show_raised()

        self.app.push_screen(ChoicePicker(lambda: _("Remove which objection?"), choices), chosen)

    def on_mount(self) -> None:
        self._show_raised()
        first = self.query(Checkbox)
        (first.first() if first else self.query_one("#outcome", Input)).focus()

    def _collect(self) -> Debrief:
        results = {
            milestone.id: (
                self.query_one(f"#reached-{milestone.id}", Checkbox).value,
                self.query_one(f"#note-{milestone.id}", Input).value,
            )
            for _item, milestone in self.items
        }
        return Debrief(
            results=results,
            outcome=self.query_one("#outcome", Input).value,
            commitment=self.query_one("#commitment", Input).value,
            debrief=self.query_one("#debrief", TextArea).text,
            next_step=self.query_one("#next_step", Input).value,
            next_step_date=self.query_one("#next_step_date", Input).value,
            objections=list(self.raised),
            attendee_ids=list(self.query_one("#attendee_ids", SelectionList).selected),
            happened_at=self.query_one("#happened_at", Input).value,
        )

    def show_stored(self, current: Visit) -> None:
        self.visit, self.items = current, visits.checklist(self.visit_id)
        self.raised = objection_log.for_visit(self.visit_id)

    def action_save(self) -> None:
        typed = self.query_one("#happened_at", Input).value
        try:
            day = parse.moment(typed)
        except FieldError:
            day = None  # refused with its message by the save below
        if day is not None and day.date() > self.app.today() and typed != self._future_confirmed:
            self._ask_future(typed, day.date().isoformat())
            return
        completion = self.attempt_versioned(
            lambda v: visits.record_outcome(self.visit_id, self._collect(), self.app.today(), expected_version=v)
        )
        if completion is not None:
            self.dismiss(completion)

    def _ask_future(self, typed: str, day: str) -> None:
        """A visit cannot have happened in the future: a slip of the date, or recorded early."""

        def answered(yes: bool | None) -> None:
            if yes:
                self._future_confirmed = typed
                self.action_save()

        self.app.push_screen(
            ConfirmScreen(
                lambda: _("This visit is dated {day}, in the future. Record it as it is?").format(day=day),
                lambda: _("Record anyway"),
            ),
            answered,
        )
