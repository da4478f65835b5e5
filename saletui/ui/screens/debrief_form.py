"""After the visit: tick what was reached, record the outcome and the next step."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, TextArea

from saletui.account_listing import display_text
from saletui.i18n import _
from saletui.method.milestones import kind_label
from saletui.method.stages import stage_label
from saletui.store import visits
from saletui.store.visits import Completion, Debrief
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField


class DebriefForm(FormScreen[Completion | None]):
    """Returns what recording changed (reached milestones, a stage to offer), or None."""

    HELP = _("""
## Record the visit
Tick each checklist item the visit reached (Space), with a note; then the outcome, the
commitment obtained, a short debrief, and the next step with its date (it becomes the
account's next step). **Ctrl+S** saves, **Esc** cancels.
""")

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.visit = visits.get(visit_id)
        self.items = visits.checklist(visit_id)

    def compose(self) -> ComposeResult:
        v = self.visit
        title = f"{_('Record')}: {kind_label(v.kind)} {v.planned_at:%Y-%m-%d %H:%M}"
        with Vertical(id="form-dialog", classes="debrief-form"):
            yield Label(Content(title), classes="form-title")
            if v.objective:
                yield Label(Content(f"{_('Objective')}: {display_text(v.objective)}"), classes="debrief-objective")
            with VerticalScroll(id="form-body"):
                if self.items:
                    yield Label(Content(_("Checklist: tick what this visit reached")), classes="section-title")
                for item, milestone in self.items:
                    with Horizontal(classes="checklist-row"):
                        yield Checkbox(Content(f"{stage_label(milestone.stage)} · {display_text(milestone.question)}"),
                                       item.result == "reached", id=f"reached-{milestone.id}", compact=True)
                        yield FormField(_("Note"), Input(item.note, id=f"note-{milestone.id}", compact=True),
                                        field=f"note-{milestone.id}")
                yield FormField(_("Outcome"), Input(v.outcome, id="outcome", compact=True), field="outcome")
                yield FormField(_("Commitment obtained"), Input(v.commitment, id="commitment", compact=True),
                                field="commitment")
                yield FormField(_("Debrief"), TextArea(v.debrief, id="debrief", soft_wrap=True, compact=True),
                                field="debrief")
                with Horizontal(classes="form-row"):
                    yield FormField(_("Next step"), Input(v.next_step, id="next_step", compact=True),
                                    field="next_step")
                    yield FormField(_("Next step date"), Input(
                        v.next_step_date.isoformat() if v.next_step_date else "", id="next_step_date",
                        placeholder="YYYY-MM-DD", compact=True), field="next_step_date")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Record visit"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        first = self.query(Checkbox)
        (first.first() if first else self.query_one("#outcome", Input)).focus()

    def _collect(self) -> Debrief:
        results = {
            milestone.id: (self.query_one(f"#reached-{milestone.id}", Checkbox).value,
                           self.query_one(f"#note-{milestone.id}", Input).value)
            for _item, milestone in self.items
        }
        return Debrief(
            results=results,
            outcome=self.query_one("#outcome", Input).value,
            commitment=self.query_one("#commitment", Input).value,
            debrief=self.query_one("#debrief", TextArea).text,
            next_step=self.query_one("#next_step", Input).value,
            next_step_date=self.query_one("#next_step_date", Input).value,
        )

    def action_save(self) -> None:
        completion = self.attempt(lambda: visits.record_outcome(self.visit_id, self._collect()))
        if completion is not None:
            self.dismiss(completion)
