"""Ask for one line of text (a skip reason, a milestone's question)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from saletui.i18n import LiveText, _, say
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField


class TextPrompt(FormScreen[str | None]):
    """Returns what `save` returned (the write happens inside, so refusals show here)."""

    def __init__(
        self, title: LiveText, label: LiveText, save: Callable[[str], object], value: str = "", field: str = "text"
    ) -> None:
        super().__init__()
        self.title_text, self.label, self.save, self.value, self.field = title, label, save, value, field

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="prompt-dialog"):
            yield Label(Content(say(self.title_text)), classes="form-title")
            yield FormField(say(self.label), Input(self.value, id="prompt-text", compact=True), field=self.field)
            with Horizontal(classes="form-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#prompt-text", Input).focus()

    def action_save(self) -> None:
        text = self.query_one("#prompt-text", Input).value
        if self.attempt(lambda: self.save(text) or True):
            self.dismiss(text)

    def on_input_submitted(self) -> None:
        self.action_save()
