"""A labelled form input with its validation message shown beside it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Label


class FormField(Vertical):
    """Label, the input widget, and an error line that is hidden while empty."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 1;
        & > .form-field--label { color: $text-muted; }
        & > .form-field--error { color: $text-error; display: none; }
        &.-invalid > .form-field--error { display: block; }
        &.-invalid > Input, &.-invalid > Select, &.-invalid > TextArea { background: $error 25%; }
    }
    """

    def __init__(self, label: str, control: Widget, *, field: str, **kwargs) -> None:
        super().__init__(id=f"field-{field}", **kwargs)
        self.field = field
        self.control = control
        self._label = label

    def compose(self) -> ComposeResult:
        yield Label(Content(self._label), classes="form-field--label")
        yield self.control
        yield Label("", classes="form-field--error")

    def set_error(self, message: str | None) -> None:
        """Show `message` (plain text, never markup) under the control, or clear it."""
        self.query_one(".form-field--error", Label).update(Content(message or ""))
        self.set_class(bool(message), "-invalid")
