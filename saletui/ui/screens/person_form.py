"""Add or edit a person in the buying organisation: every field of the method."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, Select

from saletui.i18n import N_, Translated, _
from saletui.method.org import ATTITUDES, COVERAGES, INFLUENCE_LEVELS, ROLES, attitude_label, coverage_label, role_label
from saletui.store import people
from saletui.store.models import Person
from saletui.store.people import PersonDraft
from saletui.text import display_text
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import DraftFields, FormField, chosen, control_text


def influence_options() -> list[tuple[str, str]]:
    names = {1: _("highest"), 2: _("high"), 3: _("medium"), 4: _("low"), 5: _("lowest")}
    return [(f"L{level} · {names[level]}", str(level)) for level in INFLUENCE_LEVELS]


class PersonForm(StaleEditForm[people.PeopleChange | None]):
    """Returns the saved change (the person, the account's rows and warnings, for the
    chart to draw without reading again), or None when cancelled (nothing written)."""

    HELP = Translated(
        N_("""
## Person
Who they are, where they sit (reports to), how much they weigh in the decision
(influence L1 highest ... L5 lowest), whether they are our coach, their attitude to us,
how well we cover them, their buying role, and which of our staff owns the relationship.
**Ctrl+S** saves, **Esc** cancels.
""")
    )

    def __init__(self, account_id: int, person_id: int | None = None, reports_to: int | None = None) -> None:
        super().__init__()
        self.account_id = account_id
        self.person_id = person_id
        self.draft = (
            PersonDraft.from_person(self.opened(people.get(person_id)))
            if person_id
            else PersonDraft(reports_to=reports_to)
        )

    def compose(self) -> ComposeResult:
        d = self.draft
        everyone = people.for_account(self.account_id)
        excluded = {self.person_id, *people.subordinates(self.person_id)} if self.person_id else set()
        managers = [(Content(self._manager_label(p)), p.id) for p in everyone if p.id not in excluded]

        f = DraftFields(d)

        with Vertical(id="form-dialog", classes="person-form"):
            yield Label(Content(_("Edit person") if self.person_id else _("New person")), classes="form-title")
            with VerticalScroll(id="form-body"):
                yield f.text("name", _("Name *"))
                with Horizontal(classes="form-row"):
                    yield f.text("title", _("Title"))
                    yield f.text(
                        "department",
                        _("Department"),
                        suggestions=sorted({p.department for p in everyone if p.department}),
                    )
                with Horizontal(classes="form-row"):
                    yield f.select("reports_to", _("Reports to"), managers, _("(top level)"))
                    yield f.select("influence", _("Influence"), influence_options(), _("(not rated)"))
                    yield FormField(
                        _("Coach"),
                        Checkbox(_("our coach (guides us)"), d.is_coach, id="is_coach", compact=True),
                        field="is_coach",
                    )
                with Horizontal(classes="form-row"):
                    yield f.select(
                        "attitude", _("Attitude to us"), [(attitude_label(a), a) for a in ATTITUDES], _("(unknown)")
                    )
                    yield FormField(
                        _("Our coverage"),
                        Select(
                            [(coverage_label(c), c) for c in COVERAGES],
                            value=d.coverage or "unknown",
                            allow_blank=False,
                            id="coverage",
                            compact=True,
                        ),
                        field="coverage",
                    )
                    yield f.select("buying_role", _("Buying role"), [(role_label(r), r) for r in ROLES], _("(none)"))
                yield f.text("owner", _("Relationship owner (our staff)"), suggestions=people.staff_names())
                with Horizontal(classes="form-row"):
                    yield f.text("phone", _("Phone"))
                    yield f.text("fax", _("Fax"))
                    yield f.text("email", _("E-mail"))
                yield f.area("pains", _("Pains: what hurts them"))
                yield f.area("interests", _("Personal interests"))
                yield f.area("good_supplier", _("What a good supplier means to them"))
                yield f.area("responsibility", _("Their responsibility in this project"))
                yield f.area("notes", _("Notes"))
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    @staticmethod
    def _manager_label(p: people.PersonRow) -> str:
        """Name plus title, so two people with the same name can be told apart."""
        return display_text(p.name) + (f" · {display_text(p.title)}" if p.title else "")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def _collect(self) -> PersonDraft:
        reports_to: Select[int] = self.query_one("#reports_to", Select)
        texts = {
            name: control_text(self.query_one(f"#{name}"))
            for name in PersonDraft.__dataclass_fields__
            if name not in ("reports_to", "is_coach")
        }
        return PersonDraft(reports_to=chosen(reports_to), is_coach=self.query_one("#is_coach", Checkbox).value, **texts)

    def check(self) -> None:
        people.clean(self.account_id, self._collect(), self.person_id)

    def show_stored(self, current: Person) -> None:
        self.draft = PersonDraft.from_person(current)

    def action_save(self) -> None:
        change = self.attempt_versioned(
            lambda v: people.save_person(self.account_id, self._collect(), self.person_id, expected_version=v)
        )
        if change is not None:
            self.dismiss(change)
