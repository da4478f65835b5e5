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
    """Visit history; planned visits can be re-planned, recorded or cancelled."""

    BINDINGS = [
        Binding(
            "p",
            "request('plan')",
            N_("Plan visit"),
            id="visits.plan",
            tooltip=N_("Plan a visit, call, e-mail or meeting"),
        ),
        Binding("enter", "request('open')", N_("Re-plan"), id="visits.open", tooltip=N_("Change a planned visit")),
        Binding(
            "r",
            "request('record')",
            N_("Record"),
            id="visits.record",
            tooltip=N_("After the visit: tick what was reached, outcome, next step"),
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

        action: Literal["plan", "open", "record", "cancel"]
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

    def action_request(self, action: Literal["plan", "open", "record", "cancel"]) -> None:
        visit = self.selected
        if action != "plan" and visit is None:
            return
        if action == "open" and visit is not None and visit.status != "planned":
            self.notify(_("Only planned visits can be re-planned."), severity="warning")
        elif action == "record" and visit is not None and visit.status == "cancelled":
            self.notify(_("This visit was cancelled."), severity="warning")
        elif action == "cancel" and visit is not None and visit.status != "planned":
            return
        else:
            self.post_message(self.Request(action, visit))
