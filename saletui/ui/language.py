"""The interface language while the app runs: translated key descriptions, relabelled screens.

Binding descriptions and a screen's HELP are fixed when their classes are defined, so they
hold English msgids (marked with `N_`) and are translated here, each time the footer, the
key panel or the command palette asks for them. Switching the language relabels every
screen on the stack in place: lists, trees, cursors and typed text stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from saletui.i18n import current_language, translate
from saletui.ui.compat import with_binding

if TYPE_CHECKING:
    from textual import getters
    from textual.widgets import DataTable, Select

    from saletui.ui.app import SaletuiApp  # app.py imports the screens: for the checker only

ResultT = TypeVar("ResultT")


@lru_cache(maxsize=1024)
def _translated(binding: Binding, language: str) -> Binding:
    """`binding` with its texts in `language` (cached: the footer asks on every focus move)."""
    group = binding.group
    if group is not None and group.description:
        group = replace(group, description=translate(group.description))
    return replace(
        binding,
        description=translate(binding.description) if binding.description else "",
        tooltip=translate(binding.tooltip) if binding.tooltip else "",
        group=group,
    )


class Relabel:
    """Mixin for every saletui screen: keys in the current language, and `relabel()`."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        language = current_language()
        translated = {}
        for key, active in super().active_bindings.items():  # type: ignore[misc]
            translated[key] = with_binding(active, _translated(active.binding, language))
        return translated

    async def relabel(self) -> None:
        """Show this screen's own texts in the current language, losing nothing.

        Screens whose labels are set once (at compose or mount) override this and update
        them; texts drawn at render time only need the refresh done here.
        """
        screen: Screen = self  # type: ignore[assignment]
        screen.refresh_bindings()
        for widget in screen.walk_children(Widget):
            widget.refresh(layout=True)


class LocalizedScreen(Relabel, Screen[ResultT]):
    """A full screen of saletui."""

    if TYPE_CHECKING:  # saletui screens only ever run in SaletuiApp; no runtime cost or check
        app = getters.app(SaletuiApp)


class LocalizedModal(Relabel, ModalScreen[ResultT]):
    """A dialog of saletui."""

    if TYPE_CHECKING:  # as LocalizedScreen.app
        app = getters.app(SaletuiApp)


class RecomposedModal(LocalizedModal[ResultT]):
    """A dialog relabelled by composing it again, with what the user typed put back.

    Values are carried by widget id; `before_recompose` lets a dialog first move state that
    compose reads (e.g. the chosen deal) into its own attributes.
    """

    def before_recompose(self) -> None:
        """Hook: keep state that is not in a widget with an id."""

    def after_recompose(self) -> None:
        """Hook: fill what compose leaves empty; by default run on_mount again (the focus it
        sets is then moved back to where the user was)."""
        on_mount = getattr(self, "on_mount", None)
        if on_mount is not None:
            on_mount()

    async def relabel(self) -> None:
        values = capture_values(self)
        focused = self.focused.id if self.focused is not None else None
        self.before_recompose()
        await self.recompose()
        self.after_recompose()
        restore_values(self, values)
        if focused:
            matches = self.query(f"#{focused}")
            if matches:
                matches.first().focus()
        await super().relabel()


def capture_values(screen: Screen) -> dict[str, object]:
    """What the user has entered in the screen's form controls, by widget id."""
    # Imported here: TextArea brings tree-sitter, which the first frame does not need.
    from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

    values: dict[str, object] = {}
    for widget in screen.query("Input, TextArea, Select, Checkbox, SelectionList"):
        if not widget.id:
            continue
        if isinstance(widget, TextArea):
            values[widget.id] = widget.text
        elif isinstance(widget, SelectionList):
            values[widget.id] = list(widget.selected)
        elif isinstance(widget, (Input, Select, Checkbox)):
            values[widget.id] = widget.value
    return values


def restore_values(screen: Screen, values: dict[str, object]) -> None:
    """Put captured values back into the recomposed controls with the same ids."""
    from textual.widgets import Checkbox, Input, Select, SelectionList, TextArea

    for widget_id, value in values.items():
        matches = screen.query(f"#{widget_id}")
        if not matches:
            continue
        widget = matches.first()
        # The recomposed control with an id is of the same kind as the one captured, so
        # each value has the type its control gave capture_values.
        if isinstance(widget, TextArea):
            if isinstance(value, str) and widget.text != value:
                widget.load_text(value)
        elif isinstance(widget, SelectionList):
            widget.deselect_all()
            for item in value if isinstance(value, list) else ():
                widget.select(item)
        elif isinstance(widget, Select):
            if widget.value != value:
                widget.value = value
        elif isinstance(widget, Input):
            if isinstance(value, str) and widget.value != value:
                widget.value = value
        elif isinstance(widget, Checkbox) and isinstance(value, bool) and widget.value != value:
            widget.value = value


def relabel_table(table: DataTable, titles: Sequence[str], reload: Callable[[], None]) -> None:
    """Give a DataTable its column titles in the current language and read its rows again,
    keeping the cursor on the same row."""
    row = table.cursor_row
    table.clear(columns=True)
    table.add_columns(*titles)
    reload()
    if table.row_count:
        table.move_cursor(row=min(row, table.row_count - 1))


def relabel_select(select: Select, prompt: str, options: Sequence[tuple]) -> None:
    """New prompt and option labels for a Select; its value stays (no Changed is posted)."""
    from textual.widgets import Select

    value = select.value
    with select.prevent(Select.Changed):
        select.prompt = prompt
        select.set_options(options)
        if value is not Select.NULL and any(v == value for _label, v in options):
            select.value = value
