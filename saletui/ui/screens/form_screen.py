"""What every form shares: Ctrl+S / Esc, asking before changes are discarded, and how refused
values are shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import events, on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, OptionList

from saletui.errors import ValidationError
from saletui.i18n import N_, _
from saletui.ui.guarded_write import DatabaseError, guarded_write
from saletui.ui.language import RecomposedModal, capture_values
from saletui.ui.screens.discard_changes import DiscardChanges
from saletui.ui.widgets.form_field import FormField

ResultT = TypeVar("ResultT")
T = TypeVar("T")


class LeaveGuard:
    """Mixin for every screen where the rep types: leaving it asks first when anything differs
    from what it showed when it opened; an unchanged form closes at once.

    The values are every form control with an id (as a language switch carries them), read
    once the screen and its own on_mount have filled them, plus `unsaved_state()` for what
    lives outside a control (e.g. objections picked in a debrief).
    """

    _opened_with: dict[str, object] | None = None

    def _on_mount(self, event: events.Mount) -> None:
        # Textual runs this after the subclass's on_mount (handlers run down the MRO).
        self.remember_values()

    def unsaved_state(self) -> object:
        """Hook: state typed into the form that no control with an id holds."""
        return None

    def _current_values(self) -> dict[str, object]:
        screen: Screen[object] = self  # type: ignore[assignment]
        return {"controls": capture_values(screen), "state": self.unsaved_state()}

    def remember_values(self) -> None:
        """What counts as unchanged from now on (at open, and after a save that stays open)."""
        self._opened_with = self._current_values()

    def has_changes(self) -> bool:
        return self._opened_with is not None and self._current_values() != self._opened_with

    def leave(self, close: Callable[[], object]) -> None:
        """Run `close` at once when nothing changed, otherwise only after the rep says discard."""
        if not self.has_changes():
            close()
            return
        screen: Screen[object] = self  # type: ignore[assignment]

        def answered(discard: bool | None) -> None:
            if discard:
                close()

        screen.app.push_screen(DiscardChanges(), answered)


class FormScreen(LeaveGuard, RecomposedModal[ResultT]):
    """A modal form: subclasses implement `action_save` with `self.attempt(...)`.

    Cancel dismisses with `cancel_result`; nothing is written (asked first when changed).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save", tooltip=N_("Check and save")),
        Binding(
            "escape", "cancel", N_("Cancel"), id="form.cancel", tooltip=N_("Close without saving (asks when changed)")
        ),
    ]

    cancel_result: ResultT | None = None

    def on_mount(self) -> None:
        # The scrolling body is no Tab stop of its own: Tab goes from field to field, and
        # the body follows the focus (below), so nothing is reached blind.
        for body in self.query("#form-body").results(VerticalScroll):
            body.can_focus = False

    @on(events.DescendantFocus)
    def _keep_field_in_view(self, event: events.DescendantFocus) -> None:
        """Scroll the whole field (its label, control and message) into view, not only the
        control Textual scrolls to: a rep must see what a box is for before typing in it.
        After the next refresh, so the layout the focus change causes has been made."""
        field = _field_of(event.widget)
        if field is not None:
            self.call_after_refresh(field.scroll_visible, animate=False, immediate=True)
        control = event.widget
        if isinstance(control, OptionList) and control.highlighted is None and control.option_count:
            control.highlighted = 0  # a list filled after mounting: Space must tick something

    def attempt(self, write: Callable[[], T]) -> T | None:
        """Run a store write; on refusal show each message beside its field and return None."""
        for field in self.query(FormField):
            field.set_error(None)
        try:
            with guarded_write(self):
                return write()
        except ValidationError as exc:
            first = self._show_refusal(exc)
            if first is not None:
                first.control.focus()
                first.scroll_visible()
            self.notify(_("Not saved: {n} field(s) need attention.").format(n=len(exc.errors)), severity="error")
        return None

    def _show_refusal(self, exc: ValidationError) -> FormField | None:
        """Each message beside its field (others as notifications); returns the first field."""
        first = None
        for name, message in exc.errors.items():
            matches = self.query(f"#field-{name}")
            if matches:
                field = matches.first(FormField)
                field.set_error(message)
                first = first or field
            else:  # an error about no single field
                self.notify(message, severity="error")
        return first

    def check(self) -> None:
        """Hook: check the values as typed without writing anything (raise ValidationError).
        A form that has it shows its refusals again, translated, after a language switch."""

    async def relabel(self) -> None:
        refused = any(field.has_class("-invalid") for field in self.query(FormField))
        await super().relabel()
        if refused:
            try:
                self.check()
            except ValidationError as exc:
                self._show_refusal(exc)
            except DatabaseError:
                pass  # the next save reports it

    def action_save(self) -> None:
        raise NotImplementedError

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.leave(lambda: self.dismiss(self.cancel_result))


def _field_of(widget: Widget) -> FormField | None:
    """The form field `widget` belongs to (itself or an ancestor), if any."""
    node: Widget | None = widget
    while node is not None and not isinstance(node, FormField):
        parent = node.parent
        node = parent if isinstance(parent, Widget) else None
    return node
