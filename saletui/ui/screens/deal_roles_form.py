"""Which roles a person plays in a deal: a tick list of the method's roles."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, SelectionList
from textual.widgets.selection_list import Selection

from saletui.i18n import _
from saletui.method.deal_roles import ROLES, role_label
from saletui.store import deal_contacts
from saletui.text import display_text
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField


class DealRolesForm(FormScreen[bool]):
    """Returns True when the person's roles in the deal were saved."""

    cancel_result = False

    def __init__(self, deal_id: int, person_id: int, name: str, roles: Sequence[str]) -> None:
        super().__init__()
        self.deal_id, self.person_id, self.person_name = deal_id, person_id, name
        self.roles = tuple(roles)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="picker-dialog"):
            yield Label(
                Content(_("Roles of {name} in this deal").format(name=display_text(self.person_name))),
                classes="form-title",
            )
            yield FormField(
                _("Space ticks a role; Ctrl+S saves"),
                SelectionList[str](
                    *[Selection(Content(role_label(r)), r, r in self.roles) for r in ROLES], id="roles", compact=True
                ),
                field="roles",
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#roles", SelectionList).focus()

    def action_save(self) -> None:
        chosen = list(self.query_one("#roles", SelectionList).selected)

        def write() -> bool:
            deal_contacts.set_roles(self.deal_id, self.person_id, chosen)
            return True

        if self.attempt(write):
            self.dismiss(True)
