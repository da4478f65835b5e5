"""Search results of the playbook as a virtual list: a keystroke redraws only the visible
lines from plain data (OptionList measured and re-rendered every option on each search)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from saletui.i18n import N_
from saletui.playbook.schema import Objection
from saletui.text import display_text
from saletui.ui.compat import SteadyScrollView

_BOLD = Style(bold=True)


class ObjectionList(SteadyScrollView, can_focus=True):
    """One line per objection: its title, then what customers say."""

    BINDINGS = [
        Binding("up,k", "move(-1)", N_("Up"), show=False),
        Binding("down,j", "move(1)", N_("Down"), show=False),
        Binding("pageup", "move(-10)", N_("Page up"), show=False),
        Binding("pagedown", "move(10)", N_("Page down"), show=False),
        Binding("enter", "select", N_("Techniques"), show=False),
    ]

    COMPONENT_CLASSES = {"objection-list--cursor", "objection-list--alias"}

    DEFAULT_CSS = """
    ObjectionList {
        overflow-x: hidden;
        & > .objection-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .objection-list--cursor { background: $block-cursor-background; color: $block-cursor-foreground; }
        & > .objection-list--alias { color: $text-muted; }
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        index: int

    @dataclass
    class Selected(Message):
        index: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lines: list[tuple[str, str]] = []

    def show(self, objections: list[Objection]) -> None:
        """Replace the results (titles and aliases made safe once, here)."""
        self.lines = [(display_text(o.title), display_text(" / ".join(o.aliases[:2]))) for o in objections]
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = 0
        self.refresh()

    @property
    def option_count(self) -> int:
        return len(self.lines)

    @property
    def highlighted(self) -> int | None:
        return self.cursor if self.lines else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.lines) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        height = max(1, self.scrollable_content_region.height)
        if new < self.scroll_y:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= self.scroll_y + height:
            self.scroll_to(y=new - height + 1, animate=False, immediate=True)
        self.refresh()
        if self.lines and old != new:
            self.post_message(self.Highlighted(new))

    def action_move(self, delta: int) -> None:
        self.cursor += delta

    def action_select(self) -> None:
        if self.lines:
            self.post_message(self.Selected(self.cursor))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if index < len(self.lines):
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = int(self.scroll_y) + y
        if index >= len(self.lines):
            return Strip.blank(width, base)
        style = base + self.get_component_rich_style("objection-list--cursor") if index == self.cursor else base
        title, aliases = self.lines[index]
        bold = style + _BOLD
        segments = [Segment(" "), Segment(title, bold)]
        used = 1 + cell_len(title)
        if aliases and used + 2 < width:
            rest = set_cell_size("  " + aliases, width - used)
            segments.append(Segment(rest, style + self.get_component_rich_style("objection-list--alias")))
        return Strip(segments).crop(0, width).adjust_cell_length(width, style)
