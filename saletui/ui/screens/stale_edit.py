"""Editing in two windows: a form remembers the version of the row it opened, and when
another window (or program) saved the row since, the save is refused by the store and the
rep chooses: see what is stored now, save theirs over it anyway, or go on editing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label

from saletui.errors import StaleEditError
from saletui.i18n import N_, Translated, _
from saletui.ui.language import RecomposedModal
from saletui.ui.screens.form_screen import FormScreen

ResultT = TypeVar("ResultT")
T = TypeVar("T")
RowT = TypeVar("RowT")

Choice = Literal["reload", "overwrite", "keep"]


class StaleEditScreen(RecomposedModal[Choice]):
    """Asks what to do with a form saved over a newer version of its row."""

    BINDINGS = [
        Binding("r", "choose('reload')", N_("Reload"), id="stale.reload", tooltip=N_("Show what is stored now")),
        Binding("o", "choose('overwrite')", N_("Overwrite"), id="stale.overwrite", tooltip=N_("Save mine over it")),
        Binding("k,escape", "choose('keep')", N_("Keep editing"), id="stale.keep", tooltip=N_("Back to my form")),
    ]

    HELP = Translated(
        N_("""
## Changed in another window
Someone saved this record after you opened the form, perhaps in a second saletui window.
**r** shows what is stored now (what you typed is discarded), **o** saves what you typed
over it, **k** or **Esc** takes you back to your form, unsaved.
""")
    )

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="confirm-dialog"):
            yield Label(
                Content(
                    _(
                        "Changed meanwhile: this was saved elsewhere (perhaps in another window) after you "
                        "opened the form. Saving now would undo that change. Nothing was saved."
                    )
                ),
                id="stale-question",
            )
            with Horizontal(classes="form-buttons"):
                yield Button(_("Reload"), id="reload")
                yield Button(_("Overwrite"), variant="error", id="overwrite")
                yield Button(_("Keep editing"), variant="primary", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_choose(self, choice: Choice) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("reload", "overwrite", "keep"):
            event.stop()
            self.dismiss(event.button.id)  # type: ignore[arg-type]  # one of the three choices


class StaleEditForm(FormScreen[ResultT]):
    """A form over one stored row that keeps the version it opened with.

    A subclass reads its row through `opened(row)`, saves with `attempt_versioned(...)`
    (the write gets the version to check) and implements `show_stored(row)`: put the row
    as stored now into what `compose` reads.
    """

    version: int | None = None  # None: a new row, or a form that checks nothing

    def opened(self, row: RowT) -> RowT:
        """Remember the version of the row the form shows; returns the row."""
        self.version = getattr(row, "version", None)
        return row

    def attempt_versioned(self, write: Callable[[int | None], T]) -> T | None:
        """`attempt` with the version the form read; when the row was saved meanwhile, ask."""
        try:
            return self.attempt(lambda: write(self.version))
        except StaleEditError as exc:
            current = exc.current
            self.app.push_screen(StaleEditScreen(), lambda choice: self._resolve(choice, current))
            return None

    def show_stored(self, current: Any) -> None:
        """Hook: make compose show `current` (the row as stored now)."""
        raise NotImplementedError

    async def _resolve(self, choice: Choice | None, current: Any) -> None:
        if choice == "reload":
            self.version = current.version
            self.show_stored(current)
            await self.recompose()
            self.after_recompose()
            self.notify(_("Reloaded: the form shows what is stored now."))
        elif choice == "overwrite":
            self.version = current.version  # the change seen and overruled: save over it
            self.action_save()
