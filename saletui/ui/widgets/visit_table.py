"""The account's visits, newest first, with the keys to plan, record and cancel them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from saletui.i18n import N_, _
from saletui.method.milestones import kind_label, purpose_label
from saletui.store import visits
from saletui.store.visits import VisitRow
from saletui.text import display_text
from saletui.ui.widgets.record_table import RecordTable


def status_label(status: str) -> str:
    return {"planned": _("planned"), "done": _("done"), "cancelled": _("cancelled")}.get(status, status)


class VisitTable(RecordTable[VisitRow]):
    """Visit history; planned visits can be re-planned, recorded or cancelled, recorded ones
    read (Enter or r) and corrected (e)."""

    BINDINGS = [
        Binding(
            "p",
            "request('plan')",
            N_("Plan visit"),
            id="visits.plan",
            tooltip=N_("Plan a visit, call, e-mail or meeting"),
        ),
        Binding(
            "enter",
            "request('open')",
            N_("Open"),
            id="visits.open",
            tooltip=N_("Re-plan a planned visit; read a recorded one"),
        ),
        Binding(
            "r",
            "request('record')",
            N_("Record"),
            id="visits.record",
            tooltip=N_("After the visit: tick what was reached, outcome, next step"),
        ),
        Binding(
            "e",
            "request('edit')",
            N_("Correct"),
            id="visits.edit",
            tooltip=N_("Correct a recorded visit: everything recorded, in the record form"),
        ),
        Binding(
            "x",
            "request('cancel')",
            N_("Cancel visit"),
            id="visits.cancel",
            show=False,
            tooltip=N_("Cancel a planned visit"),
        ),
        Binding("b", "screen.brief", N_("Brief"), id="account.brief", tooltip=N_("The pre-call brief of this account")),
    ]

    @dataclass
    class Request(Message):
        """A visit key: the screen opens the form or asks, and writes. `visit` is the
        highlighted one (None for "plan" on an empty table)."""

        action: Literal["plan", "open", "view", "record", "edit", "cancel"]
        visit: VisitRow | None

    def read(self) -> list[VisitRow]:
        return visits.for_account(self.account_id)

    def titles(self) -> Sequence[str]:
        return (
            _("When"),
            _("Kind"),
            _("Status"),
            _("Deal"),
            _("Purpose"),
            _("Checklist"),
            _("Outcome / objective"),
            _("Next step"),
        )

    def key(self, record: VisitRow) -> int:
        return int(record.id)

    def cells(self, v: VisitRow) -> Sequence[Text]:
        purposes = ", ".join(purpose_label(p) for p in v.purposes.split(",") if p)
        checklist = f"{v.reached}/{v.checklist}" if v.checklist else ""
        summary = v.outcome if v.status == "done" else v.objective
        nxt = v.next_step + (f" ({v.next_step_date.isoformat()})" if v.next_step_date else "")
        return (
            Text(f"{v.planned_at:%Y-%m-%d %H:%M}"),
            Text(kind_label(v.kind)),
            Text(status_label(v.status), style={"planned": "cyan", "cancelled": "dim"}.get(v.status, "")),
            Text(display_text(v.deal_title)),
            Text(purposes),
            Text(checklist),
            Text(display_text(summary)),
            Text(display_text(nxt)),
        )

    def action_request(self, action: Literal["plan", "open", "record", "edit", "cancel"]) -> None:
        """Each key does what fits the visit's status; when it cannot, the message says
        which key does what the rep probably wants."""
        visit = self.selected
        if action == "plan" or visit is None:
            if action == "plan":
                self.post_message(self.Request(action, None))
            return
        status = visit.status
        if action == "open" and status != "planned":
            self.post_message(self.Request("view", visit))  # a record (or a cancelled plan) to read
        elif action == "record" and status == "done":
            self.post_message(self.Request("view", visit))  # never one keystroke from replacing it
        elif action == "record" and status == "cancelled":
            self.notify(_("This visit was cancelled: p plans a new one."), severity="warning")
        elif action == "edit" and status == "planned":
            self.notify(_("This visit is not recorded yet: r records it, Enter re-plans it."), severity="warning")
        elif action == "edit" and status == "cancelled":
            self.notify(_("This visit was cancelled; there is no record to correct."), severity="warning")
        elif action == "cancel" and status != "planned":
            self.notify(
                _("Only a planned visit can be cancelled; this one is {status}.").format(status=status_label(status)),
                severity="warning",
            )
        else:
            self.post_message(self.Request(action, visit))
