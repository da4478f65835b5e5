"""A recorded visit read back: who was met, what was reached, what was said and agreed."""

from __future__ import annotations

from typing import Literal

from rich.console import Group, RenderableType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Label, Static

from saletui.i18n import N_, Translated, _, labelled
from saletui.method.milestones import kind_label, purpose_label
from saletui.method.stages import stage_label
from saletui.store import visits
from saletui.store.visits import VisitRecord
from saletui.text import display_block, display_text
from saletui.ui.language import LocalizedModal
from saletui.ui.widgets.visit_table import status_label


def record_text(record: VisitRecord) -> RenderableType:
    """The whole record as plain text (user text never read as markup), section by section."""
    v = record.visit
    parts: list[RenderableType] = []

    def section(title: str, lines: list[Text]) -> None:
        parts.append(Text(title, style="bold"))
        parts.extend(lines or [Text("  " + _("(none)"), style="dim")])
        parts.append(Text(""))

    def block(value: str) -> list[Text]:
        return [Text("  " + line) for line in display_block(value).splitlines()] if value.strip() else []

    head = [Text(labelled(_("Status"), status_label(v.status)))]
    if record.deal_title:
        head.append(Text(labelled(_("Deal"), display_text(record.deal_title))))
    purposes = ", ".join(purpose_label(p) for p in v.purposes.split(",") if p)
    if purposes:
        head.append(Text(labelled(_("Purpose"), purposes)))
    if v.objective:
        head.append(Text(labelled(_("Objective"), display_text(v.objective))))
    if v.ask_best or v.ask_minimum:
        asked = " / ".join(display_text(x) for x in (v.ask_best, v.ask_minimum) if x)
        head.append(Text(labelled(_("Commitment asked"), asked)))
    parts.extend(head)
    parts.append(Text(""))
    section(
        _("Who you met"),
        [
            Text("  " + display_text(name) + (f" · {display_text(title)}" if title else ""))
            for name, title in record.attendees
        ],
    )
    checklist = []
    for item, milestone in record.checklist:
        mark = {"reached": "[x]", "not_reached": "[ ]"}.get(item.result, "[?]")
        line = Text(f"  {mark} ", style="green" if item.result == "reached" else "")
        line.append(f"{stage_label(milestone.stage)} · {display_text(milestone.question)}")
        checklist.append(line)
        if item.note:
            checklist.append(Text("      " + labelled(_("Note"), display_text(item.note)), style="dim"))
    section(_("Checklist"), checklist)
    section(_("Outcome"), block(v.outcome))
    section(_("Commitment obtained"), block(v.commitment))
    section(_("Debrief"), block(v.debrief))
    nxt = display_text(v.next_step) + (f" ({v.next_step_date.isoformat()})" if v.next_step_date else "")
    section(_("Next step"), [Text("  " + nxt.strip())] if nxt.strip() else [])
    raised = []
    for r in record.objections:
        line = Text("  • " + display_text(r.objection_title))
        if r.technique_name:
            line.append(" → " + display_text(r.technique_name))
        verdict = {True: _("worked"), False: _("did not work"), None: ""}[r.worked]
        if verdict:
            line.append("  " + verdict, style="green" if r.worked else "red")
        raised.append(line)
        if r.note:
            raised.append(Text("      " + display_text(r.note), style="dim"))
    section(_("Objections raised"), raised)
    return Group(*parts[:-1])


class VisitRecordScreen(LocalizedModal[Literal["edit"] | None]):
    """Read-only; returns "edit" when the rep asks to correct the record."""

    HELP = Translated(
        N_("""
## A recorded visit
Everything recorded for this visit, read-only: who you met, the checklist with what was
reached and the notes, outcome, commitment, debrief, next step and the objections with the
technique used and whether it worked. Arrows and Page Up/Down scroll. **e** corrects the
record, **Esc** closes.
""")
    )

    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="visit_record.close", tooltip=N_("Back to the visits")),
        Binding("e", "edit", N_("Correct"), id="visit_record.edit", tooltip=N_("Correct this visit's record")),
    ]

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="visit-record"):
            yield Label("", id="visit-record-title", classes="form-title")
            with VerticalScroll(id="form-body"):
                yield Static("", id="visit-record-text")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Correct (e)"), variant="primary", id="edit")
                yield Button(_("Close"), id="close")

    def on_mount(self) -> None:
        self._show()
        self.query_one("#form-body", VerticalScroll).focus()

    def _show(self) -> None:
        record = visits.record(self.visit_id)
        v = record.visit
        title = f"{kind_label(v.kind)} · {v.planned_at:%Y-%m-%d %H:%M}"
        self.query_one("#visit-record-title", Label).update(Content(title))
        self.query_one("#visit-record-text", Static).update(record_text(record))
        self.query_one("#edit", Button).display = v.status == "done"

    async def relabel(self) -> None:
        self.query_one("#edit", Button).label = _("Correct (e)")
        self.query_one("#close", Button).label = _("Close")
        self._show()
        await super().relabel()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_edit(self) -> None:
        if visits.get(self.visit_id).status != "done":
            self.notify(_("Only a recorded visit can be corrected."), severity="warning")
            return
        self.dismiss("edit")

    @on(Button.Pressed, "#edit")
    def _edit_pressed(self) -> None:
        self.action_edit()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()
