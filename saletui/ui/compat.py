"""Every place saletui leans on Textual's private or undocumented behaviour, in one module.

saletui pins textual==8.2.8. Each hook below says what it relies on and why it exists (the
frame counts are in the README's Performance section); tests/test_textual_compat.py holds
one canary per hook that fails naming the hook and what to check. Upgrading Textual is
therefore: bump the pin, run that file, and revisit only the hooks it names.

Hooks used by the app:
- `SteadyScrollView`: overrides `ScrollView._size_updated` (private).
- `BatchedTree`: overrides `Tree._invalidate` (private), which every node change calls.
- `KeyFooter`: relies on `Footer` redrawing through `recompose()` when its screen's
  `bindings_updated_signal` fires (`Footer.bindings_changed`), and showing nothing until then
  (`_bindings_ready`); it composes Footer's own `FooterKey`, `FooterLabel` and `KeyGroup`
  (private `textual.widgets._footer`) and fits them to its width.
- `OneLineCrashApp`: overrides `App._handle_exception` (private) and replaces the
  traceback Textual keeps in `App._exit_renderables` with one line (the traceback, with its
  local variables, goes to the log file instead: saletui.crash_log).
- `with_binding`: screens override `Screen.active_bindings`, which `Footer`, `KeyPanel` and
  the command palette read, and rebuild each `ActiveBinding` with a translated `Binding`.

Hooks used by the tests, so no test imports a private Textual module or attribute:
`footer_items`, `footer_item_text` (`FooterKey`/`FooterLabel` live in the private
`textual.widgets._footer`), `notifications` (`App._notifications`) and
`tree_line_guides` (`Tree._tree_lines`, `_TreeLine._get_guide_width`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING, Any, TypeVar

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widgets import Footer, Tree

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.notifications import Notification
    from textual.screen import Screen
    from textual.widget import Widget
    from textual.widgets.tree import TreeNode

TEXTUAL_VERSION = "8.2.8"
"""The Textual release these hooks were written and checked against (pyproject pins it)."""

NodeData = TypeVar("NodeData")


class SteadyScrollView(ScrollView):
    """A ScrollView that refreshes its scrollbar only when the list or its size changed.

    Textual's ScrollView (8.2) compares the size the compositor gives it (the view) with its
    own virtual size (all the lines) on every layout of the screen; for a list longer than
    the view they always differ, so every layout, even one that only changed another pane,
    refreshes the scrollbar and costs one more frame, which a key pressed then has to wait
    for. The scrollbar is updated when this view's own virtual size, size or container
    changed, as before; otherwise the compositor's figure is ignored.

    Hook: `ScrollView._size_updated(size, virtual_size, container_size, layout) -> bool`,
    called by the compositor's layout for every widget it places.
    """

    _scrollbars_for: Size | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        own = self.virtual_size
        if own == self._scrollbars_for:
            virtual_size = own  # nothing new for the scrollbar
        self._scrollbars_for = own
        return super()._size_updated(size, virtual_size, container_size, layout)


class BatchedTree(Tree[NodeData]):
    """A Tree that can take many node changes and rebuild its lines once.

    Tree (Textual 8.2) clears its lines and refreshes the whole widget on every node added
    or expanded, 500 times for a large org chart; inside `batched_changes()` that is done
    once, when the block ends.

    Hook: `Tree._invalidate()`, which `TreeNode.add`, `expand`, `collapse` and friends call.
    """

    _batching = False

    @contextmanager
    def batched_changes(self) -> Iterator[None]:
        """Add, expand or collapse nodes inside the block; the tree is invalidated once."""
        self._batching = True
        try:
            yield
        finally:
            self._batching = False
            self._invalidate()

    def _invalidate(self) -> None:
        if not self._batching:
            super()._invalidate()


def shown_keys(screen: Screen[Any]) -> tuple[tuple[str, Binding, bool, str], ...]:
    """The keys a footer on `screen` would show: (key, binding, enabled, tooltip) each.

    Read by field name from the public `ActiveBinding` tuple, not by position."""
    return tuple(
        (key, active.binding, active.enabled, active.tooltip) for key, active in screen.active_bindings.items()
    )


HELP_ACTION = "toggle_help"
"""The action of the key kept in the footer whatever else gives way: it shows every other."""


@dataclass(frozen=True)
class _FooterItem:
    """One thing the footer can show (a key, or a group of keys with its label)."""

    widgets: Callable[[], list[Widget]]
    width: int  # cells, with the gap after it
    keep: bool = False  # shown whatever else is dropped


class KeyFooter(Footer):
    """The footer of key bindings: keys that fit, with a gap between them, rebuilt only when
    what it shows changes.

    Textual's Footer lays every key in one row and lets the last ones run under the docked
    palette key ("? Help^p palette") and a group's label touch the next key ("Influencec
    Coach"). This one gives every item a gap and, when the row is too narrow, drops whole
    items from the end (the focused widget's keys come first, then the screen's, then the
    app's), keeping the help key, which lists everything. It also skips a rebuild that
    would show the same keys in the same state at the same width.

    Hooks: Footer redraws by calling `self.recompose()` (scheduled from
    `Footer.bindings_changed(screen)`, its `bindings_updated_signal` subscriber), its
    `compose` yields nothing until `bindings_changed` has run once (`_bindings_ready`), and
    its items are `FooterKey`, `FooterLabel` and `KeyGroup` of `textual.widgets._footer`.
    """

    GAP = 2
    DEFAULT_CSS = """
    KeyFooter.-compact {
        FooterKey { margin-right: 2; }
        FooterKey.-grouped { margin: 0; }
        KeyGroup.-compact { margin: 0 1 0 0; padding-left: 0; }
        FooterLabel { margin: 0 2 0 0; }
        FooterKey.-command-palette { margin-right: 0; }
    }
    """

    _shown: tuple[object, ...] | None = None

    def on_mount(self) -> None:
        # Footer shows keys once the screen announces its bindings (on a focus change). A
        # footer mounted after the screen's first frame may never hear that: show them now.
        self.bindings_changed(self.screen)

    def on_resize(self) -> None:
        if self._shown is not None and self._shown[-1] != self._width():
            self.call_after_refresh(self.recompose)

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _keys(self) -> tuple[object, ...]:
        return self.compact, self.show_command_palette, shown_keys(self.screen), self._width()

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        await super().recompose()
        self._shown = keys if self.children else None  # nothing shown yet: bindings not ready

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        items = self._items()
        palette = self._palette_key()
        room = self._width() - (palette[1] + 1 if palette else 0)
        shown = set()
        for index in sorted(range(len(items)), key=lambda i: (not items[i].keep, i)):
            if items[index].width - (self.GAP if self.compact else 0) <= room:
                shown.add(index)
                room -= items[index].width
        for index, item in enumerate(items):
            if index in shown:
                yield from item.widgets()
        if palette:
            yield palette[0]()

    def _key_width(self, key_display: str, description: str) -> int:
        if self.compact:  # "k description" and the gap
            return cell_len(key_display) + (1 + cell_len(description) if description else 0) + self.GAP
        return cell_len(key_display) + 2 + (cell_len(description) + 1 if description else 0)

    def _items(self) -> list[_FooterItem]:
        """What Footer.compose shows, as items with their widths, in the same order."""
        from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

        by_action: dict[str, list[tuple[Binding, bool, str]]] = {}
        for _key, binding, enabled, tooltip in shown_keys(self.screen):
            if binding.show:
                by_action.setdefault(binding.action, []).append((binding, enabled, tooltip))
        compact = self.compact
        items: list[_FooterItem] = []

        def key(binding: Binding, enabled: bool, tooltip: str, grouped: bool) -> Widget:
            return FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                "" if grouped else binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip or (binding.description if grouped else ""),
                classes="-grouped" if grouped else "",
            ).data_bind(compact=Footer.compact)

        for group, same_group in groupby(by_action.values(), lambda bindings: bindings[0][0].group):
            members = [bindings[0] for bindings in same_group]
            if group is not None and len(members) > 1:
                keys_width = sum(cell_len(self.app.get_key_display(b)) for b, _e, _t in members)
                if not (compact and group.compact):
                    keys_width += 2 * len(members)
                width = keys_width + 1 + cell_len(group.description) + (self.GAP if compact else 1)

                def grouped(members: list[tuple[Binding, bool, str]] = members, group: Any = group) -> list[Widget]:
                    keys = [key(b, e, t, grouped=True) for b, e, t in members]
                    box = KeyGroup(*keys, classes="-compact" if group.compact else "")
                    return [box, FooterLabel(group.description)]

                items.append(_FooterItem(grouped, width))
            else:
                for binding, enabled, tooltip in members:

                    def single(b: Binding = binding, e: bool = enabled, t: str = tooltip) -> list[Widget]:
                        return [key(b, e, t, grouped=False)]

                    width = self._key_width(self.app.get_key_display(binding), binding.description)
                    items.append(_FooterItem(single, width, keep=binding.action == HELP_ACTION))
        return items

    def _palette_key(self) -> tuple[Callable[[], Widget], int] | None:
        """The command palette's key, docked right, and its width (with its border)."""
        from textual.widgets._footer import FooterKey

        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        active = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if active is None:
            return None
        binding = active.binding
        display = self.app.get_key_display(binding)

        def build() -> Widget:
            return FooterKey(
                binding.key,
                display,
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not active.enabled,
                tooltip=binding.tooltip or binding.description,
            )

        width = 1 + cell_len(display) + 1 + cell_len(binding.description) + (0 if self.compact else 2)
        return build, width


ReturnType = TypeVar("ReturnType")


class OneLineCrashApp(App[ReturnType]):
    """An app that, on an unhandled error, exits with code 1 (Textual's own behaviour) but
    prints one line naming the log file instead of a screenful of traceback and locals."""

    def _handle_exception(self, error: Exception) -> None:
        from saletui import crash_log

        super()._handle_exception(error)  # sets the return code; Pilot re-raises it in tests
        self._exit_renderables[:] = [crash_log.one_line(error)]


def with_binding(active: ActiveBinding, binding: Binding) -> ActiveBinding:
    """`active` showing `binding` instead (e.g. its texts translated), tooltip included.

    Hook: `Footer`, `KeyPanel` and the command palette take what a screen's
    `active_bindings` property returns, so a screen that overrides it changes what they show.
    """
    # By keyword (the fields are checked by a canary), not _replace: 3x slower, and the
    # footer asks for every binding on each focus move.
    return ActiveBinding(node=active.node, binding=binding, enabled=active.enabled, tooltip=binding.tooltip)


# -- for the tests ----------------------------------------------------------------------------
FOOTER_ITEMS = "FooterKey, FooterLabel"
"""The Footer's children by type name: the classes are in the private textual.widgets._footer."""


def footer_items(node: DOMNode) -> list[Widget]:
    """The keys and group labels of every footer under `node`, in order."""
    return list(node.query(FOOTER_ITEMS))


def footer_keys(node: DOMNode) -> list[Widget]:
    """The keys (not the group labels) of every footer under `node`, in order."""
    return list(node.query("FooterKey"))


def footer_item_text(item: Widget) -> str:
    """What a footer key says (its description) or a group label's text."""
    description = getattr(item, "description", None)
    if description is not None:
        return str(description)
    return str(item.render())


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications the app holds now (shown, or about to be)."""
    return list(app._notifications)


def tree_line_guides(tree: Tree[NodeData]) -> list[tuple[TreeNode[NodeData], int]]:
    """Each visible line of `tree`: its node and the width of the guides before the label."""
    return [(line.node, line._get_guide_width(tree.guide_depth, tree.show_root)) for line in tree._tree_lines]
