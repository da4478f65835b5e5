"""Pick one item from a list by typing part of it (people, influence links, ...)."""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from saletui.i18n import N_, LiveText, _, say
from saletui.ui.language import RecomposedModal

TOP_LEVEL = 0  # the id returned for the optional "top level" choice


class Choice(NamedTuple):
    id: int
    label: Text  # rendered literally
    search: str = ""  # extra text the filter matches (defaults to the label)


def _choice_id(option: Option) -> int:
    """The id of the choice an option shows (every option `_fill` adds carries one)."""
    assert option.id is not None
    return int(option.id)


class ChoicePicker(RecomposedModal[int | None]):
    """Returns the chosen id (TOP_LEVEL for the top-level choice), or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel"), id="picker.cancel"),
        Binding("down", "focus_list", N_("To the list"), show=False, id="picker.list"),
    ]

    def __init__(self, title: LiveText, choices: list[Choice], *, top_label: LiveText | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.top_label = top_label

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="picker-dialog"):
            yield Label(Content(say(self.title_text)), classes="form-title")
            yield Input(placeholder=_("type to filter"), id="picker-filter", compact=True)
            yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-filter", Input).focus()

    def _fill(self, text: str) -> None:
        needle = text.casefold().strip()
        options: list[Option] = []
        if self.top_label and not needle:
            options.append(Option(Text(say(self.top_label)), id=str(TOP_LEVEL)))
        for choice in self.choices:
            if needle and needle not in (choice.search or choice.label.plain).casefold():
                continue
            options.append(Option(choice.label, id=str(choice.id)))
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
            self.dismiss(_choice_id(option_list.get_option_at_index(index)))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(_choice_id(event.option))

    def action_focus_list(self) -> None:
        self.query_one("#picker-options", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
