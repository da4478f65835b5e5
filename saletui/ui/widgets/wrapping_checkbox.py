"""A checkbox whose long label wraps onto more lines instead of being cut."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Checkbox


class WrappingCheckbox(Checkbox):
    """A checklist item names a whole milestone question; Textual's Checkbox is one line
    high and ends a long label with "…". This one is as high as its wrapped label."""

    DEFAULT_CSS = """
    WrappingCheckbox {
        height: auto;
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Measured as drawn: the button and the label, wrapped by this widget's own rules.
        return max(1, self.render().get_height(self.styles, width))  # type: ignore[arg-type]  # as Widget does
