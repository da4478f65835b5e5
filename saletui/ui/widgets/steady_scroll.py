"""A ScrollView that refreshes its scrollbar only when the list or its size changed."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


class SteadyScrollView(ScrollView):
    """Textual's ScrollView (8.2) compares the size the compositor gives it (the view)
    with its own virtual size (all the lines) on every layout of the screen; for a list
    longer than the view they always differ, so every layout, even one that only changed
    another pane, refreshes the scrollbar and costs one more frame, which a key pressed
    then has to wait for. The scrollbar is updated when this view's own virtual size,
    size or container changed, as before; otherwise the compositor's figure is ignored."""

    _scrollbars_for: Size | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        own = self.virtual_size
        if own == self._scrollbars_for:
            virtual_size = own  # nothing new for the scrollbar
        self._scrollbars_for = own
        return super()._size_updated(size, virtual_size, container_size, layout)
