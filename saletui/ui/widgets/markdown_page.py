"""A long Markdown page, drawn by Rich once per width and shown line by line."""

from __future__ import annotations

from typing import Any

from rich.markdown import Markdown
from textual.geometry import Size
from textual.strip import Strip

from saletui.ui.compat import SteadyScrollView


class MarkdownPage(SteadyScrollView, can_focus=True):
    """Read-only Markdown (the pre-call brief) as one scrolling widget.

    Textual's Markdown widget builds a widget per block (~2,000 for a 500-person brief,
    1.7 s); a Static holding Rich's Markdown renders the whole page twice per layout, once
    to measure its height and once to paint. Here Rich renders it once for the width it is
    shown at, and each frame copies the visible lines.
    """

    DEFAULT_CSS = """
    MarkdownPage {
        overflow-x: hidden;
        scrollbar-gutter: stable;  /* the scrollbar's arrival must not change the width: one render */
    }
    """

    def __init__(self, text: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.text = ""
        self.markdown = Markdown("")
        self._lines: list[Strip] = []
        self._drawn_for: tuple | None = None  # (width, style) self._lines were rendered with
        self.update(text)

    def update(self, text: str) -> None:
        self.text = text
        self.markdown = Markdown(text)
        self._drawn_for = None
        self.refresh()

    @property
    def rendered(self) -> bool:
        """The current text is drawn for the current width and style."""
        return self._drawn_for == (self.scrollable_content_region.width, self.rich_style)

    def _lines_for(self, width: int) -> list[Strip]:
        style = self.rich_style  # a theme change changes it: draw again
        if self._drawn_for != (width, style):
            console = self.app.console
            options = console.options.update(width=width, highlight=False)
            lines = console.render_lines(self.markdown, options, style=style, pad=True)
            self._lines = [Strip(line, width) for line in lines]
            self._drawn_for = (width, style)
            self.virtual_size = Size(width, len(self._lines))
        return self._lines

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width <= 0:
            return Strip.blank(0)
        lines = self._lines_for(width)
        index = int(self.scroll_y) + y
        return lines[index] if index < len(lines) else Strip.blank(width, self.rich_style)
