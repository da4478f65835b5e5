"""Horizontal bars drawn with block characters: a report's chart in the terminal.

Rich-native rather than textual-plotext: importing plotext alone takes about 0.3 s (measured
with `python -X importtime`, plotext 6.1.0) and it is one more dependency to lock; bars of
totals are what a sales report needs, and Rich measures a label's width in terminal cells,
so Chinese names (two cells a character) line up with Latin ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from saletui.text import display_text

_EIGHTHS = " ▏▎▍▌▋▊▉"  # a bar ends in one of these: eight steps inside a cell


@dataclass(frozen=True)
class Bar:
    label: str  # user text (a company, a region): shown literally, its control characters made visible
    value: int  # what the length is proportional to (never negative)
    shown: str  # the value as read beside the bar ("1,200,000")


@dataclass(frozen=True)
class BarGroup:
    """Bars on one scale (one currency: yuan and dollars are never drawn against each other)."""

    title: str
    bars: tuple[Bar, ...]


def bar_text(value: int, largest: int, width: int) -> str:
    """The bar for `value` when `largest` fills `width` cells, to an eighth of a cell."""
    if largest <= 0 or width <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value * width * 8 / largest))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


class Bars:
    """The renderable: each group's title, then label, bar and value on one line a bar."""

    def __init__(self, groups: list[BarGroup], empty: str = "") -> None:
        self.groups = groups
        self.empty = empty

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if not any(group.bars for group in self.groups):
            yield Text(self.empty, style="dim")
            return
        bars = [bar for group in self.groups for bar in group.bars]
        label_width = min(max(cell_len(display_text(b.label)) for b in bars), max(6, width // 3))
        value_width = max(cell_len(b.shown) for b in bars)
        room = max(1, width - label_width - value_width - 3)
        bar_style = console.get_style("bar.complete", default=Style(color="blue"))
        for index, group in enumerate(self.groups):
            if not group.bars:
                continue
            if index:
                yield Segment.line()
            yield Text(group.title, style="bold")
            largest = max(b.value for b in group.bars)
            for bar in group.bars:
                label = display_text(bar.label)
                if cell_len(label) > label_width:
                    label = set_cell_size(label, label_width - 1) + "…"
                drawn = bar_text(bar.value, largest, room)
                line = Text(no_wrap=True, overflow="crop")
                line.append(set_cell_size(label, label_width) + " ")
                line.append(drawn, style=bar_style)
                line.append(" " * (room - cell_len(drawn) + 1))
                line.append(" " * (value_width - cell_len(bar.shown)) + bar.shown)
                yield line


class BarChart(Static):
    """A report's chart; `show` replaces its bars."""

    DEFAULT_CSS = """
    BarChart {
        height: auto;
        padding: 0 1;
    }
    """

    groups: list[BarGroup] = []
    bars: Bars = Bars([])

    def show(self, groups: list[BarGroup], empty: str = "") -> None:
        self.groups = groups
        self.bars = Bars(groups, empty)
        self.update(self.bars)
