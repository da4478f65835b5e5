"""A labelled form input with its validation message shown beside it, and the one factory
that builds such fields from a draft."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content, ContentText
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Label, Select, TextArea
from textual.widgets.select import NoSelection

T = TypeVar("T")


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

    def __init__(self, label: str, control: Widget, *, field: str, **kwargs: Any) -> None:
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
        self._refused = self._value() if message else None

    _refused: str | None = None
    """The value the shown message is about; editing it away clears the message."""

    def _value(self) -> str | None:
        try:
            return control_text(self.control)
        except TypeError:  # a checkbox or a list: no text to compare
            return None

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _edited(self) -> None:
        """ "A name is required." goes once a name is typed: the message was about the value
        refused, and the next save checks the new one. The same value put back (a language
        switch restores what was typed) keeps it."""
        if self.has_class("-invalid") and self._refused is not None and self._value() != self._refused:
            self.set_error(None)


class DraftFields:
    """Builds the FormFields of a form from a draft object: each field's control starts
    with the draft's value, and the control's id is the draft's attribute name, which is
    also the key a ValidationError names it by."""

    def __init__(self, draft: object) -> None:
        self.draft = draft

    def text(self, field: str, label: str, placeholder: str = "", suggestions: list[str] | None = None) -> FormField:
        """One line of text; `suggestions` complete what the rep types (values already used)."""
        suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        return FormField(
            label,
            Input(getattr(self.draft, field), placeholder=placeholder, id=field, compact=True, suggester=suggester),
            field=field,
        )

    def select(
        self,
        field: str,
        label: str,
        options: Iterable[tuple[ContentText, Any]],
        prompt: str,
        *,
        allow_blank: bool = True,
    ) -> FormField:
        """A choice; an empty draft value shows `prompt` (or the first option without a blank)."""
        value = getattr(self.draft, field)
        value = value if value not in ("", None) else Select.NULL
        return FormField(
            label,
            Select(options, value=value, allow_blank=allow_blank, id=field, prompt=prompt, compact=True),
            field=field,
        )

    def area(self, field: str, label: str) -> FormField:
        """Several lines of notes, wrapped to the form's width."""
        return FormField(
            label, TextArea(getattr(self.draft, field), id=field, soft_wrap=True, compact=True), field=field
        )


def chosen(select: Select[T]) -> T | None:
    """The Select's value, or None while it shows its prompt (no choice made)."""
    value = select.value
    return None if isinstance(value, NoSelection) else value


def control_text(control: Widget) -> str:
    """What a text-valued form control holds, as a draft's field takes it ("" for no choice)."""
    if isinstance(control, Select):
        value = chosen(control)
        return "" if value is None else str(value)
    if isinstance(control, TextArea):
        return control.text
    if isinstance(control, Input):
        return control.value
    raise TypeError(f"#{control.id} is a {type(control).__name__}, not a text form control")
