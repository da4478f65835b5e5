"""Pick a person of the account by typing part of their name (or pick "top level")."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from saletui.account_listing import display_text
from saletui.i18n import _
from saletui.store.people import PersonRow

TOP_LEVEL = 0  # returned when "top level" (no manager) is chosen


class PersonPicker(ModalScreen[int | None]):
    """Returns a person id, TOP_LEVEL, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="picker.cancel"),
        Binding("down", "focus_list", show=False),
    ]

    def __init__(self, title: str, people: list[PersonRow], *, allow_top: bool = False,
                 exclude: set[int] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.people = [p for p in people if p.id not in (exclude or set())]
        self.allow_top = allow_top

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="picker-dialog"):
            yield Label(Content(self.title_text), classes="form-title")
            yield Input(placeholder=_("type part of a name, title or department"), id="picker-filter",
                        compact=True)
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.casefold().strip()
        options: list[Option] = []
        if self.allow_top and not needle:
            options.append(Option(Text(_("(top level: reports to nobody here)")), id=str(TOP_LEVEL)))
        for p in self.people:
            hay = f"{p.name} {p.title} {p.department}".casefold()
            if needle and needle not in hay:
                continue
            label = Text(display_text(p.name), style="bold")
            detail = " · ".join(display_text(v) for v in (p.title, p.department) if v)
            if detail:
                label.append("  " + detail, style="dim")
            options.append(Option(label, id=str(p.id)))
        option_list = self.query_one("#picker-options", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit_first(self) -> None:
        option_list = self.query_one("#picker-options", OptionList)
        if option_list.option_count:
            index = option_list.highlighted or 0
            self.dismiss(int(option_list.get_option_at_index(index).id))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_focus_list(self) -> None:
        self.query_one("#picker-options", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
