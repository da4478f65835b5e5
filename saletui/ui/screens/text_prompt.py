"""Ask for one line of text (a skip reason, a milestone's question)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label

from saletui.i18n import LiveText, _, say
from saletui.ui.screens.stale_edit import StaleEditForm
from saletui.ui.widgets.form_field import FormField


class TextPrompt(StaleEditForm[str | None]):
    """Returns what `save` returned (the write happens inside, so refusals show here).

    For an edit of a stored row, `stored` names the row's version and reads the text from
    the row as stored now: `save` then gets the version to check as a second argument.
    """

    def __init__(
        self,
        title: LiveText,
        label: LiveText,
        save: Callable[..., object],
        value: str = "",
        field: str = "text",
        stored: tuple[int, Callable[[Any], str]] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.label, self.save, self.value, self.field = title, label, save, value, field
        self.stored_text: Callable[[Any], str] | None = None
        if stored is not None:
            self.version, self.stored_text = stored

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
        if self.stored_text is None:
            saved = self.attempt(lambda: self.save(text) or True)
        else:
            saved = self.attempt_versioned(lambda v: self.save(text, v) or True)
        if saved:
            self.dismiss(text)

    def show_stored(self, current: Any) -> None:
        if self.stored_text is not None:
            self.value = self.stored_text(current)

    def on_input_submitted(self) -> None:
        self.action_save()
