"""The footer of key bindings, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer makes and styles every key again after each change of focus or
    screen, several times for one tab switch; this one skips a rebuild that would show
    the same keys in the same state."""

    _shown: tuple | None = None

    def on_mount(self) -> None:
        # Footer shows keys once the screen announces its bindings (on a focus change). A
        # footer mounted after the screen's first frame may never hear that: show them now.
        self.bindings_changed(self.screen)

    def _keys(self) -> tuple:
        bindings = tuple(
            (key, binding, enabled, tooltip)
            for key, (_namespace, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )
        return self.compact, self.show_command_palette, bindings

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        self._shown = keys if self.children else None  # nothing shown yet: bindings not ready
