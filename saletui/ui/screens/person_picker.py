"""Pick a person of the account by part of their name, title or department."""

from __future__ import annotations

from rich.text import Text

from saletui.i18n import LiveText, _
from saletui.store.people import PersonRow
from saletui.text import display_text
from saletui.ui.screens.choice_picker import TOP_LEVEL, Choice, ChoicePicker

__all__ = ["TOP_LEVEL", "PersonPicker"]


def person_choice(p: PersonRow) -> Choice:
    label = Text(display_text(p.name), style="bold")
    detail = " · ".join(display_text(v) for v in (p.title, p.department) if v)
    if detail:
        label.append("  " + detail, style="dim")
    return Choice(p.id, label, f"{p.name} {p.title} {p.department}")


class PersonPicker(ChoicePicker):
    """Returns a person id, TOP_LEVEL, or None when cancelled."""

    def __init__(
        self, title: LiveText, people: list[PersonRow], *, allow_top: bool = False, exclude: set[int] | None = None
    ) -> None:
        choices = [person_choice(p) for p in people if p.id not in (exclude or set())]
        super().__init__(
            title, choices, top_label=(lambda: _("(top level: reports to nobody here)")) if allow_top else None
        )
