"""Ask before something that cannot be undone."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label

from saletui.i18n import N_, LiveText, _, say
from saletui.ui.language import RecomposedModal


class ConfirmScreen(RecomposedModal[bool]):
    """Returns True only on an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: LiveText, yes_label: LiveText | None = None) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes_label

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="confirm-dialog"):
            yield Label(Content(say(self.question)), id="confirm-question")
            with Horizontal(classes="form-buttons"):
                yield Button(say(self.yes_label) if self.yes_label else _("Yes"), variant="error", id="yes")
                yield Button(_("No"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
