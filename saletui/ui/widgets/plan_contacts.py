"""The plan's objectives per contact: what we want from each person of the account this year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.binding import Binding
from textual.message import Message

from saletui.i18n import N_, _
from saletui.store.plans import ContactRow
from saletui.text import display_text
from saletui.ui.widgets.record_table import RecordTable


class PlanContacts(RecordTable[ContactRow]):
    """One row per person with an objective; the screen gives the rows (`rows`)."""

    DEFAULT_CSS = """
    PlanContacts { height: auto; max-height: 40%; }
    """

    BINDINGS = [
        Binding(
            "a",
            "request('add')",
            N_("Add objective"),
            id="plan.add_contact",
            tooltip=N_("What we want from a person this year"),
        ),
        Binding("enter", "request('edit')", N_("Edit"), id="plan.edit_contact", tooltip=N_("Edit the objective")),
        Binding(
            "d",
            "request('delete')",
            N_("Delete"),
            id="plan.delete_contact",
            tooltip=N_("Delete the highlighted objective"),
            show=False,
        ),
        Binding(
            "e",
            "screen.plan_edit",
            N_("Objective"),
            id="plan.edit",
            tooltip=N_("The year's objective and its monthly split"),
        ),
    ]

    @dataclass
    class Request(Message):
        action: Literal["add", "edit", "delete"]
        contact: ContactRow | None

    source: list[ContactRow] = []  # set by the screen before reload()

    def read(self) -> list[ContactRow]:
        return list(self.source)

    def titles(self) -> Sequence[str]:
        return (_("Person"), _("Title"), _("This year we want"))

    def key(self, record: ContactRow) -> int:
        return record.id

    def cells(self, record: ContactRow) -> Sequence[Text]:
        return (Text(display_text(record.name)), Text(display_text(record.title)), Text(display_text(record.objective)))

    def action_request(self, action: Literal["add", "edit", "delete"]) -> None:
        contact = self.selected
        if action == "add" or contact is not None:
            self.post_message(self.Request(action, contact))
