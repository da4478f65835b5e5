"""One of our staff's relationship with a key person: the level now and the target."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, Label, Select

from saletui.i18n import _
from saletui.method.relationship import LEVELS, level_label
from saletui.store import people, relationships
from saletui.text import display_text
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import DraftFields, chosen

REMOVE = 0  # the "now" choice that takes the staff member's relationship off the card


@dataclass
class RelationshipDraft:
    staff: str = ""
    level: int | str = ""
    target: int | str = ""


class RelationshipForm(FormScreen[people.PeopleChange | None]):
    """Returns the account's people and warnings after a relationship was saved or removed."""

    def __init__(self, person_id: int) -> None:
        super().__init__()
        self.person = people.get(person_id)
        self.known = relationships.for_person(person_id)
        mine = next((r for r in self.known if r.staff == self.person.owner), None)
        self.draft = RelationshipDraft(
            staff=self.person.owner, level=mine.level if mine else "", target=mine.target if mine else ""
        )

    def compose(self) -> ComposeResult:
        f = DraftFields(self.draft)
        levels = [(level_label(n), n) for n in LEVELS]
        with Vertical(id="form-dialog", classes="picker-dialog"):
            yield Label(
                Content(_("Our relationship with {name}").format(name=display_text(self.person.name))),
                classes="form-title",
            )
            if self.known:
                lines = [
                    f"{display_text(r.staff)}: {level_label(r.level)} → {level_label(r.target)}" for r in self.known
                ]
                yield Label(Content("\n".join(lines)), classes="form-note")
            with VerticalScroll(id="form-body"):
                yield f.text("staff", _("Our staff member *"), suggestions=people.staff_names())
                with Horizontal(classes="form-row"):
                    yield f.select(
                        "level", _("Now *"), [*levels, (_("(remove this relationship)"), REMOVE)], _("Choose…")
                    )
                    yield f.select("target", _("Target *"), levels, _("Choose…"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#staff", Input).focus()

    def action_save(self) -> None:
        staff = self.query_one("#staff", Input).value
        level: Select[int] = self.query_one("#level", Select)
        target: Select[int] = self.query_one("#target", Select)
        now, aim = chosen(level), chosen(target)

        def write() -> people.PeopleChange:
            if now == REMOVE:
                return relationships.remove(self.person.id, staff.strip())
            return relationships.save(self.person.id, staff, now or 0, aim or 0)

        change = self.attempt(write)
        if change is not None:
            self.dismiss(change)
