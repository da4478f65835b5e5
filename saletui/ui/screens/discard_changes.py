"""Ask before a changed form is closed: discard what was typed, or keep editing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label

from saletui.i18n import N_, _
from saletui.ui.language import RecomposedModal


class DiscardChanges(RecomposedModal[bool]):
    """Returns True only when the rep chose to discard; Esc (pressed once more) keeps editing,
    so a double Esc never loses what was typed."""

    BINDINGS = [
        Binding("d", "answer(True)", N_("Discard"), id="discard.discard", tooltip=N_("Close and lose the changes")),
        Binding("k,escape", "answer(False)", N_("Keep editing"), id="discard.keep", tooltip=N_("Back to the form")),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="confirm-dialog"):
            yield Label(Content(_("You changed this form. Discard the changes?")), id="confirm-question")
            with Horizontal(classes="form-buttons"):
                yield Button(_("Discard (d)"), variant="error", id="discard")
                yield Button(_("Keep editing (k)"), variant="primary", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")
