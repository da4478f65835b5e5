"""Canaries for saletui/ui/compat.py: one per place saletui leans on Textual's private or
undocumented behaviour. When Textual is upgraded, a failure here names the hook and what
to check, so the upgrade is a short, known list instead of a hunt through odd test failures.
"""

from __future__ import annotations

import inspect
import io

from rich.console import Console
from textual.app import App, ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Footer, Label, Tree

from saletui.ui import compat
from saletui.ui.compat import (
    BatchedTree,
    KeyFooter,
    SteadyScrollView,
    footer_item_text,
    footer_items,
    footer_keys,
    notifications,
    tree_line_guides,
    with_binding,
)


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


# -- SteadyScrollView: ScrollView._size_updated ------------------------------------------------
class CountingScrollView(ScrollView):
    """A plain ScrollView that counts its scrollbar updates."""

    scrollbar_updates = 0

    def _scroll_update(self, virtual_size: Size) -> None:
        self.scrollbar_updates += 1
        super()._scroll_update(virtual_size)


class CountingSteadyView(SteadyScrollView, CountingScrollView):
    """SteadyScrollView, counting the scrollbar updates it lets through."""


class ListBesideALabel(App[None]):
    def __init__(self, view: ScrollView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield Label("status", id="status")
        yield self.view

    def on_mount(self) -> None:
        self.view.virtual_size = Size(20, 200)  # a list much longer than the view


async def scrollbar_updates_on_another_widgets_layout(view: CountingScrollView) -> int:
    app = ListBesideALabel(view)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        view.scrollbar_updates = 0
        for text in ("one", "two, longer", "three"):
            app.query_one("#status", Label).update(text)  # a layout of the screen
            await pilot.pause()
        return view.scrollbar_updates


def test_scroll_view_size_updated_keeps_the_signature_steady_scroll_view_overrides():
    assert parameters(ScrollView._size_updated) == ["self", "size", "virtual_size", "container_size", "layout"], (
        "Textual changed ScrollView._size_updated(size, virtual_size, container_size, layout): "
        "update compat.SteadyScrollView._size_updated to the new signature, or drop it if Textual "
        "no longer refreshes the scrollbar on every layout."
    )


async def test_textual_still_refreshes_a_scroll_views_scrollbar_on_every_layout():
    updates = await scrollbar_updates_on_another_widgets_layout(CountingScrollView())
    assert updates >= 3, (
        "A plain ScrollView no longer updates its scrollbar when another widget is laid out "
        f"({updates} updates for 3 layouts): compat.SteadyScrollView may be unnecessary; check "
        "ScrollView._size_updated and whether the account list's keys still take one frame."
    )


async def test_steady_scroll_view_skips_scrollbar_updates_its_list_did_not_cause():
    view = CountingSteadyView()
    updates = await scrollbar_updates_on_another_widgets_layout(view)
    assert updates == 0, (
        f"compat.SteadyScrollView let {updates} scrollbar updates through for layouts of another "
        "widget: Textual's layout no longer reaches it through ScrollView._size_updated(size, "
        "virtual_size, container_size); find where the scrollbar is refreshed now."
    )


async def test_steady_scroll_view_still_updates_its_scrollbar_when_its_list_grows():
    view = CountingSteadyView()
    app = ListBesideALabel(view)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        view.scrollbar_updates = 0
        view.virtual_size = Size(20, 500)
        await pilot.pause()
        assert view.scrollbar_updates >= 1, "compat.SteadyScrollView no longer updates its scrollbar for a longer list"
        assert view.vertical_scrollbar.window_virtual_size == 500


# -- BatchedTree: Tree._invalidate --------------------------------------------------------------
class CountingTree(Tree[int]):
    invalidations = 0

    def _invalidate(self) -> None:
        self.invalidations += 1
        super()._invalidate()


class CountingBatchedTree(BatchedTree[int], CountingTree):
    """BatchedTree, counting the invalidations that reach Textual's Tree."""


class OneTree(App[None]):
    def __init__(self, tree: Tree[int]) -> None:
        super().__init__()
        self.chart = tree

    def compose(self) -> ComposeResult:
        yield self.chart


def add_people(tree: Tree[int], count: int) -> None:
    boss = tree.root.add("boss", data=0, expand=True)
    for n in range(1, count):
        boss.add_leaf(f"person {n}", data=n)


def test_tree_invalidate_takes_no_arguments():
    assert parameters(Tree._invalidate) == ["self"], (
        "Textual changed Tree._invalidate(): update compat.BatchedTree._invalidate to its new signature."
    )


async def test_textual_still_invalidates_the_tree_on_every_node_added():
    tree = CountingTree("chart")
    async with OneTree(tree).run_test() as pilot:
        await pilot.pause()
        tree.invalidations = 0
        add_people(tree, 50)
        assert tree.invalidations >= 50, (
            f"Tree._invalidate ran {tree.invalidations} times for 50 nodes added: TreeNode.add no "
            "longer goes through Tree._invalidate, so compat.BatchedTree batches nothing; find how "
            "Tree clears its lines now (or drop the hook if it is once per batch already)."
        )


async def test_batched_tree_invalidates_once_and_shows_every_node():
    tree = CountingBatchedTree("chart")
    tree.show_root = False
    async with OneTree(tree).run_test(size=(40, 80)) as pilot:
        await pilot.pause()
        tree.invalidations = 0
        with tree.batched_changes():
            add_people(tree, 50)
        assert tree.invalidations == 1, f"compat.BatchedTree invalidated {tree.invalidations} times, not once"
        await pilot.pause()
        assert tree.virtual_size.height == 50, "compat.BatchedTree: the tree does not show every node after a batch"
        assert [node.data for node, _guides in tree_line_guides(tree)] == list(range(50)), (
            "compat.tree_line_guides: Tree._tree_lines or _TreeLine.node changed"
        )


def test_tree_line_guide_width_keeps_its_signature():
    from textual.widgets._tree import _TreeLine

    assert parameters(_TreeLine._get_guide_width) == ["self", "guide_depth", "show_root"], (
        "Textual changed _TreeLine._get_guide_width(guide_depth, show_root): update compat.tree_line_guides."
    )


# -- KeyFooter and the translated bindings: Footer, ActiveBinding, active_bindings ------------------
def test_active_binding_keeps_its_fields():
    assert ActiveBinding._fields == ("node", "binding", "enabled", "tooltip"), (
        "Textual changed the fields of ActiveBinding (what Screen.active_bindings holds): check "
        "compat.shown_keys and compat.with_binding, which read and rebuild it by field name."
    )


class LeftPane(Widget, can_focus=True):
    BINDINGS = [Binding("a", "app.bell", "Alpha")]


class RightPane(Widget, can_focus=True):
    BINDINGS = [Binding("b", "app.bell", "Beta")]


class RenamedKeys(Screen[None]):
    """A screen that shows its keys under other names, as saletui's translated screens do."""

    BINDINGS = [Binding("f", "app.bell", "Find", tooltip="Find an account")]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        renamed = {}
        for key, active in super().active_bindings.items():
            if active.binding.description == "Find":
                binding = Binding(active.binding.key, active.binding.action, "Suchen", tooltip="Konto suchen")
                active = with_binding(active, binding)
            renamed[key] = active
        return renamed

    def compose(self) -> ComposeResult:
        yield Label("x")
        yield Footer()


class FooterApp(App[None]):
    def __init__(self, screen: Screen[None]) -> None:
        super().__init__()
        self.first = screen

    def on_mount(self) -> None:
        self.push_screen(self.first)


async def test_footer_and_key_panel_show_what_a_screens_active_bindings_return():
    app = FooterApp(RenamedKeys())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = {footer_item_text(item) for item in footer_items(app.screen)}
        assert "Suchen" in shown and "Find" not in shown, (
            "Footer no longer reads Screen.active_bindings (or compat.with_binding no longer "
            f"replaces the binding): the footer shows {shown}; saletui's translated keys depend on it "
            "(saletui/ui/language.py, Relabel.active_bindings)."
        )
        app.action_show_help_panel()
        await pilot.pause()
        tables = list(app.screen.query("BindingsTable"))
        assert tables, "Textual's key panel no longer has a BindingsTable: check the help panel test"
        console = Console(width=100, file=io.StringIO(), record=True)
        console.print(tables[0].render_bindings_table())  # type: ignore[attr-defined]
        panel = console.export_text()
        assert "Suchen" in panel and "Find" not in panel, (
            "Textual's KeyPanel no longer reads Screen.active_bindings: saletui's translated keys "
            "(Relabel.active_bindings in saletui/ui/language.py) would not show in the help panel."
        )


def test_footer_items_are_found_by_their_type_names():
    from textual.widgets._footer import FooterKey, FooterLabel

    assert f"{FooterKey.__name__}, {FooterLabel.__name__}" == compat.FOOTER_ITEMS, (
        "Textual renamed the Footer's FooterKey/FooterLabel: update compat.FOOTER_ITEMS and footer_keys."
    )
    assert "description" in parameters(FooterKey.__init__), (
        "FooterKey no longer takes a description: update compat.footer_item_text."
    )


def test_footer_still_redraws_through_bindings_changed_and_recompose():
    assert parameters(Footer.bindings_changed) == ["self", "screen"], (
        "Textual changed Footer.bindings_changed(screen), which compat.KeyFooter.on_mount calls "
        "to show the keys of a footer mounted after the first frame."
    )
    assert "self.recompose" in inspect.getsource(Footer.bindings_changed), (
        "Footer.bindings_changed no longer redraws through recompose(): compat.KeyFooter skips "
        "rebuilds by overriding recompose, so find how Footer rebuilds its keys now."
    )


class TwoPanes(Screen[None]):
    def compose(self) -> ComposeResult:
        yield LeftPane(id="left")
        yield RightPane(id="right")
        yield KeyFooter()


async def test_key_footer_follows_focus_and_skips_a_rebuild_showing_the_same_keys():
    app = FooterApp(TwoPanes())
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        app.screen.query_one("#left").focus()
        await pilot.pause()
        words = {footer_item_text(key) for key in footer_keys(app.screen)}
        assert "Alpha" in words and "Beta" not in words, f"compat.KeyFooter shows {words} for the left pane"
        keys = footer_keys(app.screen)
        app.screen.refresh_bindings()  # the same keys in the same state
        await pilot.pause()
        assert footer_keys(app.screen) == keys, (
            "compat.KeyFooter rebuilt keys that did not change: check Footer.recompose and bindings_changed"
        )
        app.screen.query_one("#right").focus()
        await pilot.pause()
        words = {footer_item_text(key) for key in footer_keys(app.screen)}
        assert "Beta" in words and "Alpha" not in words, f"compat.KeyFooter did not follow the focus: {words}"


async def test_key_footer_mounted_after_the_first_frame_shows_the_keys():
    class Late(Screen[None]):
        def compose(self) -> ComposeResult:
            yield LeftPane(id="left")

        def on_mount(self) -> None:
            self.query_one("#left").focus()
            self.call_after_refresh(self.mount, KeyFooter())

    app = FooterApp(Late())
    async with app.run_test(size=(100, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        words = {footer_item_text(key) for key in footer_keys(app.screen)}
        assert "Alpha" in words, (
            "A KeyFooter mounted after the first frame shows no keys: Footer shows nothing until "
            "bindings_changed(screen) has run, which compat.KeyFooter.on_mount calls; check Footer._bindings_ready."
        )


# -- for the tests: App._notifications -----------------------------------------------------------
async def test_notifications_lists_what_the_app_was_told_to_show():
    app = FooterApp(TwoPanes())
    async with app.run_test() as pilot:
        app.notify("Saved Northwind")
        await pilot.pause()
        assert [n.message for n in notifications(app)] == ["Saved Northwind"], (
            "App._notifications changed: update compat.notifications (the tests read notices through it)."
        )


# -- OneLineCrashApp: App._handle_exception, App._exit_renderables -----------------------------
class Crashing(compat.OneLineCrashApp[None]):
    def on_mount(self) -> None:
        raise RuntimeError("boom at mount")


def test_app_handle_exception_keeps_its_signature():
    assert parameters(App._handle_exception) == ["self", "error"], (
        "App._handle_exception changed: check compat.OneLineCrashApp still sees every unhandled error."
    )


async def test_a_crash_prints_one_line_and_leaves_the_traceback_in_the_log(tmp_path, capfd):
    import pytest

    from saletui import crash_log

    crash_log.configure(tmp_path / "state" / "saletui.log")
    app = Crashing()
    with pytest.raises(RuntimeError):
        async with app.run_test():
            pass
    assert app.return_code == 1, "Textual no longer sets the return code 1 after an unhandled error"
    printed = "".join(capfd.readouterr().err.split())  # the error console wraps long lines anywhere
    expected = f"saletui: internal error (RuntimeError: boom at mount); the details are in {tmp_path}/state/saletui.log"
    assert printed == "".join(expected.split()), (
        "App._exit_renderables changed: update compat.OneLineCrashApp (what is printed after a crash)"
    )
    log = (tmp_path / "state" / "saletui.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "boom at mount" in log
    assert (tmp_path / "state" / "saletui.log").stat().st_mode & 0o777 == 0o600


# -- textual_texts: Textual's own English texts, listed for the catalogue --------------------
def test_every_key_description_of_textuals_widgets_is_listed_for_translation():
    """The help panel lists the bindings of Textual's own widgets (Scroll Left, Copy selected
    text...); saletui translates them from saletui/ui/textual_texts.py. A new or reworded
    description in a Textual upgrade would show in English: add it there, with its Chinese."""
    from textual.command import CommandPalette
    from textual.containers import ScrollableContainer
    from textual.scroll_view import ScrollView as PlainScrollView
    from textual.widgets import (
        Button,
        Checkbox,
        DataTable,
        Input,
        Link,
        ListView,
        OptionList,
        RadioSet,
        Select,
        SelectionList,
        Switch,
        Tabs,
        TextArea,
    )
    from textual.widgets._select import SelectOverlay  # only to read its BINDINGS

    from saletui.ui.textual_texts import BINDING_DESCRIPTIONS, PALETTE_COMMANDS

    widgets = (App, Screen, ScrollableContainer, PlainScrollView, Input, TextArea, DataTable, ListView, OptionList)
    widgets += (Tree, Select, SelectOverlay, SelectionList, Checkbox, RadioSet, Switch, Tabs, Button, Link)
    widgets += (CommandPalette,)
    listed = set(BINDING_DESCRIPTIONS) | set(PALETTE_COMMANDS)
    missing = set()
    for widget in widgets:
        for cls in widget.__mro__:
            for binding in vars(cls).get("BINDINGS", ()):
                description = binding.description if isinstance(binding, Binding) else binding[2:3]
                if description and isinstance(description, str) and description not in listed:
                    missing.add(f"{cls.__name__}: {description!r}")
    assert not missing, f"Textual {compat.TEXTUAL_VERSION} hook changed; add to textual_texts.py: {sorted(missing)}"


def test_textuals_palette_and_theme_search_placeholders_are_the_texts_saletui_translates():
    """The app passes these translated (action_command_palette, search_themes); Textual's
    defaults changing means our msgids are stale."""
    from textual.command import CommandPalette

    from saletui.ui.textual_texts import COMMAND_PALETTE_PLACEHOLDER, THEME_SEARCH_PLACEHOLDER

    assert inspect.signature(CommandPalette).parameters["placeholder"].default == COMMAND_PALETTE_PLACEHOLDER
    assert THEME_SEARCH_PLACEHOLDER in inspect.getsource(App.search_themes)
    assert "CommandPalette(" in inspect.getsource(App.action_command_palette), "the palette is still opened there"
