"""The account's visits, newest first, with the keys to plan, record and cancel them."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from saletui.i18n import N_, _
from saletui.method.milestones import kind_label, purpose_label
from saletui.method.stages import stage_label
from saletui.store import visits
from saletui.store.visits import Completion, VisitRow
from saletui.text import display_text
from saletui.ui.database_errors import DatabaseError, report_database_error
from saletui.ui.language import relabel_table
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.debrief_form import DebriefForm
from saletui.ui.screens.visit_form import VisitForm


def status_label(status: str) -> str:
    return {"planned": _("planned"), "done": _("done"), "cancelled": _("cancelled")}.get(status, status)


class VisitTable(DataTable):
    """Visit history; planned visits can be re-planned, recorded or cancelled."""

    BINDINGS = [
        Binding("p", "plan", N_("Plan visit"), id="visits.plan", tooltip=N_("Plan a visit, call, e-mail or meeting")),
        Binding("enter", "open", N_("Re-plan"), id="visits.open", tooltip=N_("Change a planned visit")),
        Binding(
            "r",
            "record",
            N_("Record"),
            id="visits.record",
            tooltip=N_("After the visit: tick what was reached, outcome, next step"),
        ),
        Binding(
            "x",
            "cancel_visit",
            N_("Cancel visit"),
            id="visits.cancel",
            show=False,
            tooltip=N_("Cancel a planned visit"),
        ),
        Binding("b", "screen.brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account")),
    ]

    @dataclass
    class Changed(Message):
        """Visits changed: last contacts, next step, milestones and maybe the stage too."""

    def __init__(self, account_id: int, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.account_id = account_id
        self.visit_rows: list[VisitRow] = []

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Column titles and cells in the current language (also the first fill)."""
        relabel_table(
            self,
            (
                _("When"),
                _("Kind"),
                _("Status"),
                _("Deal"),
                _("Purpose"),
                _("Checklist"),
                _("Outcome / objective"),
                _("Next step"),
            ),
            self.reload,
        )

    def reload(self) -> None:
        selected = self.cursor_row
        self.visit_rows = visits.for_account(self.account_id)
        self.clear()
        for v in self.visit_rows:
            purposes = ", ".join(purpose_label(p) for p in v.purposes.split(",") if p)
            checklist = f"{v.reached}/{v.checklist}" if v.checklist else ""
            summary = v.outcome if v.status == "done" else v.objective
            nxt = v.next_step + (f" ({v.next_step_date.isoformat()})" if v.next_step_date else "")
            self.add_row(
                Text(f"{v.planned_at:%Y-%m-%d %H:%M}"),
                Text(kind_label(v.kind)),
                Text(status_label(v.status), style={"planned": "cyan", "cancelled": "dim"}.get(v.status, "")),
                Text(display_text(v.deal_title)),
                Text(purposes),
                Text(checklist),
                Text(display_text(summary)),
                Text(display_text(nxt)),
                key=str(v.id),
            )
        if self.row_count:
            self.move_cursor(row=min(selected, self.row_count - 1))

    @property
    def selected(self) -> VisitRow | None:
        if not self.visit_rows or self.cursor_row >= len(self.visit_rows):
            return None
        return self.visit_rows[self.cursor_row]

    def _changed(self, result: object) -> None:
        if result is not None and result is not False:
            self.reload()
            self.post_message(self.Changed())

    def action_plan(self) -> None:
        self.app.push_screen(VisitForm(self.account_id, today=self.app.today()), self._changed)

    def action_open(self) -> None:
        v = self.selected
        if v is None:
            return
        if v.status != "planned":
            self.notify(_("Only planned visits can be re-planned."), severity="warning")
            return
        self.app.push_screen(VisitForm(self.account_id, v.id), self._changed)

    def action_record(self) -> None:
        v = self.selected
        if v is None:
            return
        if v.status == "cancelled":
            self.notify(_("This visit was cancelled."), severity="warning")
            return
        self.app.push_screen(DebriefForm(v.id), self._recorded)

    def _recorded(self, completion: Completion | None) -> None:
        if completion is None:
            return
        self._changed(True)
        if completion.offer_stage is not None:
            deal_id = completion.reached[0].deal_id

            def answer(yes: bool) -> None:
                if yes:
                    try:
                        visits.set_deal_stage(deal_id, completion.offer_stage)
                    except DatabaseError as exc:
                        report_database_error(self, exc)
                        return
                    self._changed(True)

            self.app.push_screen(
                ConfirmScreen(
                    lambda: _("A key node was reached. Advance the deal to {stage}?").format(
                        stage=stage_label(completion.offer_stage)
                    ),
                    lambda: _("Advance"),
                ),
                answer,
            )

    def action_cancel_visit(self) -> None:
        v = self.selected
        if v is None or v.status != "planned":
            return

        def answer(yes: bool) -> None:
            if yes:
                try:
                    visits.cancel(v.id)
                except DatabaseError as exc:
                    report_database_error(self, exc)
                    return
                self._changed(True)

        self.app.push_screen(ConfirmScreen(lambda: _("Cancel this planned visit?"), lambda: _("Cancel visit")), answer)
