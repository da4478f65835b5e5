"""The account list as a virtual table: only the visible rows are ever rendered.

Textual's DataTable measures every cell when rows are added, which takes seconds at
10,000 accounts; this widget draws lines on demand (Line API) from an AccountListing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from saletui.account_listing import AccountListing, Column, column_titles
from saletui.i18n import N_
from saletui.store.accounts import AccountRow
from saletui.ui.compat import SteadyScrollView

# Fixed widths in cells; the name column takes what is left.
_WIDTHS = {
    Column.ATTENTION: 2,
    Column.CLASS: 6,
    Column.TIER: 9,
    Column.STAGE: 16,
    Column.WARNINGS: 4,
    Column.OWNER: 12,
    Column.LAST_CONTACT: 12,
    Column.NEXT_STEP: 10,
    Column.NEXT_ACTION: 28,
    Column.REGION: 14,
    Column.INDUSTRY: 16,
}
_MIN_NAME = 18
_ROOMY_NAME = 40
# Left to right. The wide-only columns sit beside what they qualify: region and industry
# after the owner (who covers which territory), the next step's text after its date.
_ORDER = (
    Column.ATTENTION,
    Column.NAME,
    Column.CLASS,
    Column.TIER,
    Column.STAGE,
    Column.WARNINGS,
    Column.OWNER,
    Column.REGION,
    Column.INDUSTRY,
    Column.LAST_CONTACT,
    Column.NEXT_STEP,
    Column.NEXT_ACTION,
)
# Columns a wide terminal has room for, and the width from which each shows, in the order
# a key-account rep reads them: what was agreed to do next, then where the account is and
# what trade it is in (the list's filter already finds both). Widths are of the list's
# content, the scrollbar's two cells less than the terminal's: 140, 160 and 180 columns.
WIDE_COLUMNS = {Column.NEXT_ACTION: 138, Column.REGION: 158, Column.INDUSTRY: 178}
# Which columns give way first when the terminal is narrow. The marker, name, class, stage
# and last contact always stay: they say which account needs a call and why.
_DROP_ORDER = (Column.WARNINGS, Column.TIER, Column.NEXT_STEP, Column.OWNER)
KEPT_COLUMNS = (Column.ATTENTION, Column.NAME, Column.CLASS, Column.STAGE, Column.LAST_CONTACT)


class AccountTable(SteadyScrollView, can_focus=True):
    """Virtual list of accounts with a sticky header, a cursor and sortable columns."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", N_("Up"), show=False),
        Binding("down,j", "cursor(1)", N_("Down"), show=False),
        Binding("pageup", "page(-1)", N_("Page up"), show=False),
        Binding("pagedown", "page(1)", N_("Page down"), show=False),
        Binding("home", "jump(0)", N_("First"), show=False),
        Binding("end", "jump(-1)", N_("Last"), show=False),
        Binding("enter", "open", N_("Open"), id="accounts.open", tooltip=N_("Open the account with its deals")),
        Binding("s", "sort_next", N_("Sort"), id="accounts.sort", tooltip=N_("Sort by the next column")),
        Binding(
            "S", "sort_reverse", N_("Reverse"), id="accounts.reverse", tooltip=N_("Reverse the sort order"), show=False
        ),
    ]

    COMPONENT_CLASSES = {
        "account-table--header",
        "account-table--cursor",
        "account-table--attention",
        "account-table--overdue",
    }

    DEFAULT_CSS = """
    AccountTable {
        overflow-x: hidden;
        background: $surface;
        & > .account-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .account-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .account-table--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .account-table--attention { color: $error; text-style: bold; }
        & > .account-table--overdue { color: $warning; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another account (None when the list is empty)."""

        row: AccountRow | None

    @dataclass
    class Opened(Message):
        """The rep asked to open an account."""

        row: AccountRow

    def __init__(self, listing: AccountListing, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.listing = listing
        self.empty_hint: list[str] = []
        """Lines shown under the header while the list has no rows at all (set by the screen)."""

    # -- data changes ---------------------------------------------------------------
    def refresh_view(self, keep_id: int | None = None) -> None:
        """Call after the listing's rows, filter or sort changed."""
        if keep_id is None:
            current = self.listing.row_at(self.cursor)
            keep_id = current.id if current else None
        position = self.listing.index_of(keep_id) if keep_id is not None else None
        self._update_virtual_size()
        self.cursor = position if position is not None else 0
        self.refresh()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.listing.view) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()

    @property
    def selected(self) -> AccountRow | None:
        return self.listing.row_at(self.cursor)

    # -- cursor -------------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.listing.view) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.selected))

    def _scroll_cursor_into_view(self) -> None:
        body = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + body:
            self.scroll_to(y=self.cursor - body + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.cursor += delta

    def action_page(self, direction: int) -> None:
        self.cursor += direction * max(1, self.scrollable_content_region.height - 2)

    def action_jump(self, position: int) -> None:
        self.cursor = position if position >= 0 else len(self.listing.view) - 1

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Opened(self.selected))

    def action_sort_next(self) -> None:
        # A wide-only column takes its turn only while it is on show: a sort by a column
        # the rep cannot see would look like no sort at all.
        shown = {column for column, _width in self._layout(self.scrollable_content_region.width)}
        columns = [c for c in _ORDER if c not in WIDE_COLUMNS or c in shown or c == self.listing.sort_column]
        following = columns[(columns.index(self.listing.sort_column) + 1) % len(columns)]
        self.sort_by(following, reverse=False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.listing.sort_column, reverse=not self.listing.sort_reverse)

    def sort_by(self, column: Column, reverse: bool | None = None) -> None:
        current = self.selected
        self.listing.sort_by(column, reverse)
        self.refresh_view(current.id if current else None)

    # -- mouse ------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = self._column_at(event.x)
            if column is not None:
                self.sort_by(column)
            return
        position = int(self.scroll_y) + event.y - 1
        if position >= len(self.listing.view):
            return
        if position == self.cursor and event.chain >= 2:
            self.action_open()
        self.cursor = position

    def _column_at(self, x: int) -> Column | None:
        start = 0
        for column, width in self._layout(self.scrollable_content_region.width):
            if start <= x < start + width + 1:
                return column
            start += width + 1
        return None

    # -- rendering --------------------------------------------------------------------------
    def _layout(self, total: int) -> list[tuple[Column, int]]:
        """Visible columns and their widths: on a narrow terminal the least needed columns
        give way so that the name keeps at least _MIN_NAME cells; a wide one has more."""
        shown = [c for c in _ORDER if c not in WIDE_COLUMNS or total >= WIDE_COLUMNS[c]]
        for column in _DROP_ORDER:
            fixed = sum(_WIDTHS[c] for c in shown if c != Column.NAME) + len(shown) - 1
            if total - fixed >= _MIN_NAME:
                break
            shown.remove(column)
        fixed = sum(_WIDTHS[c] for c in shown if c != Column.NAME) + len(shown) - 1
        name = max(_MIN_NAME, total - fixed)
        widths = dict(_WIDTHS)
        if Column.NEXT_ACTION in shown and name > _ROOMY_NAME:
            # Past a roomy name, the next step's text gains: it is a sentence, names are short.
            widths[Column.NEXT_ACTION] += name - _ROOMY_NAME
            name = _ROOMY_NAME
        return [(c, name if c == Column.NAME else widths[c]) for c in shown]

    def _line(self, cells: tuple[str, ...], layout: list[tuple[Column, int]], styles: list[Style]) -> list[Segment]:
        segments: list[Segment] = []
        last = len(layout) - 1
        for i, (column, width) in enumerate(layout):
            text = cells[column]
            if cell_len(text) > width and width > 1:
                text = set_cell_size(text, width - 1) + "…"
            style = styles[column]
            segments.append(Segment(set_cell_size(text, width), style))
            if i < last:
                segments.append(Segment(" ", styles[Column.NAME]))
        return segments

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("account-table--header")
        titles = list(column_titles())
        arrow = "▼" if self.listing.sort_reverse else "▲"
        titles[self.listing.sort_column] = titles[self.listing.sort_column] + arrow
        layout = self._layout(width)
        return Strip(self._line(tuple(titles), layout, [style] * len(Column))).adjust_cell_length(width, style)

    _pass_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        # One style lookup per paint, not per line: `rich_style` walks the ancestors, and
        # per line it was half of the list's paint time (start-up paints the list twice).
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._pass_style or self.rich_style
        if y == 0:
            return self._header(width)
        position = int(self.scroll_y) + y - 1
        listing = self.listing
        if position >= len(listing.view):
            hint = self.empty_hint if not listing.rows else []
            if 0 < y <= len(hint):  # y 0 is the header; the hint starts on the next line
                return Strip([Segment(set_cell_size(" " + hint[y - 1], width), base)])
            return Strip.blank(width, base)
        index = listing.view[position]
        row_style = base
        if position == self.cursor:
            row_style = base + self.get_component_rich_style("account-table--cursor")
        styles = [row_style] * len(Column)
        if listing.reasons[index] or listing.reminders[index]:
            styles[Column.ATTENTION] = row_style + self.get_component_rich_style("account-table--attention")
        row = listing.rows[index]
        if row.next_step_date is not None and row.next_step_date < listing.today:
            styles[Column.NEXT_STEP] = row_style + self.get_component_rich_style("account-table--overdue")
        segments = self._line(listing.cells[index], self._layout(width), styles)
        return Strip(segments).adjust_cell_length(width, row_style)
