"""The footer of key bindings, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer makes and styles every key again after each change of focus or
    screen, several times for one tab switch; this one skips a rebuild that would show
    the same keys in the same state."""

    _shown: tuple | None = None

    def _keys(self) -> tuple:
        bindings = tuple((key, binding, enabled, tooltip)
                         for key, (_namespace, binding, enabled, tooltip) in self.screen.active_bindings.items())
        return self.compact, self.show_command_palette, bindings

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        self._shown = keys if self.children else None  # nothing shown yet: bindings not ready
