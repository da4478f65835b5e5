"""SVG snapshots of every saletui screen and modal, as a rep sees them in a small, a medium
and a laptop terminal, in English and in Chinese. A changed layout fails here until someone
has looked at the picture: `pytest tests/test_snapshots.py --snapshot-update` rewrites the
files under tests/__snapshots__/, and the diff is reviewed like a diff of the UI.

The screens and how to reach them are the table in tests/screen_openers.py. One test per
screen and language opens the app once, reaches the screen with real keys at 80x24, then
resizes the terminal to each size and compares one SVG per size through the snapshot
plugin (syrupy's SVG extension, a failed size reported in its HTML report): the start-up
and the keys are paid once instead of once per size, and a layout that does not follow a
resize is caught too.

Every picture is the same on every run: the demo book built for a fixed today, the app's
subtitle "DEMO data" (not the temporary path), the playbooks named by relative paths, no
clock in the header, and text cursors held solid instead of blinking."""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import PseudoApp, PseudoConsole, SVGImageExtension, node_to_report_path
from rich.console import Console
from syrupy import SnapshotAssertion
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from saletui.i18n import set_language
from saletui.ui.compat import KeyFooter
from tests.conftest import until
from tests.screen_openers import OPENERS, settled

SIZES = [(80, 24), (100, 30), (120, 36)]
# Wide terminals: every screen is checked at 200x60 too, but photographed only where the room
# changes what a rep sees (more list columns, deals beside the profile, a wider card), and
# only those are also checked at 160x45 (where the account screen turns wide); elsewhere
# each extra size cost about half a CPU second per screen, for a centred dialog with more margin.
WIDE_SIZES = [(160, 45), (200, 60)]
WIDE_PICTURES = {
    "account_list",
    "account_overview",
    "account_people",
    "reports",
    "account_plan",
    "review",
    "account_orders",
    "deal_phases",
}
WIDE_PICTURE_SIZE = (200, 60)
# Textual's own overlays on the list: photographed where they are most cramped, checked at
# every size.
SMALL_PICTURES_ONLY = {"help_panel", "command_palette"}
LANGUAGES = ["en", "zh_CN"]


@pytest.fixture
def relative_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The playbook shows where an objection comes from and the editor which file it edits:
    name the built-in playbooks and the personal home by paths relative to a temporary
    working folder, so no picture holds the path of this checkout or of the temporary
    folder (another clone, a wheel install, another run would differ)."""
    from saletui.settings import config_root

    work = tmp_path / "work"
    work.mkdir()
    (work / "playbooks").symlink_to(config_root() / "playbooks", target_is_directory=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("SALETUI_HOME", "home")
    monkeypatch.setattr("saletui.playbook.load.default_builtin_dir", lambda: Path("playbooks"))
    # The org chart export offers a file in the working folder: name it relatively too.
    monkeypatch.setattr("saletui.ui.screens.account.Path", _WorkingFolderPath)


class _WorkingFolderPath(type(Path())):  # type: ignore[misc]
    """A Path whose `cwd()` is "." (the export's default folder, shown in its form)."""

    @classmethod
    def cwd(cls) -> Path:
        return Path()


def shown_screens(app: App[Any]) -> list[Screen[Any]]:
    """The screen on top and, under a modal, the screens it shows through."""
    shown: list[Screen[Any]] = []
    for screen in reversed(app.screen_stack):
        shown.append(screen)
        if not isinstance(screen, ModalScreen):
            break
    return shown


def hold_cursors_solid(app: App[Any]) -> None:
    """A blinking cursor would show or not depending on how long the machine took."""
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Input | TextArea) and widget.cursor_blink:
                widget.cursor_blink = False
                if isinstance(widget, TextArea):
                    # Its line cache does not tell a solid cursor from a blinked-off one:
                    # redraw its lines, or the picture shows whichever phase was cached.
                    widget.notify_style_update()
                    widget.refresh()


async def resized(pilot: Pilot[Any], size: tuple[int, int]) -> None:
    """The terminal at `size`, its new layout drawn and every footer refitted to it."""
    await pilot.resize_terminal(*size)
    await settled(pilot)

    def footers_fitted() -> bool:
        fitted = True
        for screen in shown_screens(pilot.app):
            for footer in screen.query(KeyFooter):
                # The footer's own width: the help panel beside it takes part of the terminal's.
                if footer._shown is None or footer._shown[-1] != (footer.size.width or size[0]):
                    fitted = False
                elif footer._shown != footer._keys():
                    # A footer under a modal shows the keys it had when it was last drawn,
                    # which depends on whether the resize reached it before or after the
                    # modal opened: draw what it would show now, so the picture is one.
                    footer.call_after_refresh(footer.recompose)
                    fitted = False
        return fitted

    await until(pilot, footers_fitted, f"the footer refitted to the {size[0]}-column terminal")
    # A screen under a modal is drawn from what it last rendered: redraw each shown one, or
    # a footer refitted under the modal shows or not depending on the machine's timing.
    for screen in shown_screens(pilot.app):
        screen.refresh(repaint=True, layout=True)
    await settled(pilot)


def assert_fits(app: App[Any], view: str, label: str) -> None:
    """Every dialog inside the terminal and the focused widget wholly on screen, not cut by
    the dialog or a scrolled form around it: what a rep types into is what they see."""
    screen = app.screen
    for dialog in screen.query("#form-dialog"):
        assert screen.region.contains_region(dialog.region), f"{view}: the dialog overflows {label}"
    focused = app.focused
    if focused is None:
        return
    geometry = screen.find_widget(focused)
    seen = geometry.region.intersection(geometry.clip)
    assert seen.area > 0, f"{view}: the focused {focused!r} is off screen at {label}"
    if geometry.region.height <= geometry.clip.height:
        assert geometry.clip.contains_region(geometry.region), f"{view}: the focused {focused!r} is cut at {label}"


def matches_snapshot(snapshot: SnapshotAssertion, request: pytest.FixtureRequest, svg: str, label: str) -> bool:
    """Compare `svg` with the stored `…[label].svg`, as the plugin's `snap_compare` does, and
    leave the plugin what its HTML report shows for this size."""
    result = snapshot(name=label) == svg
    expected = snapshot._execution_name_index.get(label)
    execution = snapshot.executions.get(expected) if expected is not None else None
    exists = execution is not None and execution.final_data is not None
    console = Console(legacy_windows=False, force_terminal=True)
    full_path, line_number, name = request.node.reportinfo()
    data = (
        result,
        str(execution.final_data) if exists and execution is not None else "",
        svg,
        PseudoApp(PseudoConsole(console.legacy_windows, console.size)),
        full_path,
        line_number,
        f"{name}[{label}]",
        inspect.getdoc(request.node.function) or "",
        "",
        exists,
    )
    path = node_to_report_path(request.node)
    path.with_name(f"{path.name}_{label}").write_bytes(pickle.dumps(data))
    return result


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("view", list(OPENERS))
async def test_screen_looks_as_reviewed(
    view: str,
    language: str,
    demo_store: Path,
    relative_paths: None,
    make_app: Callable[..., Any],
    snapshot: SnapshotAssertion,
    request: pytest.FixtureRequest,
) -> None:
    snapshot = snapshot.use_extension(SVGImageExtension)
    set_language(language)
    app = make_app(demo=True)
    opener = OPENERS[view]
    differ = []
    async with app.run_test(size=SIZES[0]) as pilot:
        await opener.steps(pilot, language)
        assert isinstance(app.screen, opener.screen), f"{view} ends on {app.screen!r}"
        for size in SIZES + (WIDE_SIZES if view in WIDE_PICTURES else [WIDE_PICTURE_SIZE]):
            await resized(pilot, size)
            label = f"{size[0]}x{size[1]}"
            assert_fits(app, view, label)
            if size in WIDE_SIZES and (size != WIDE_PICTURE_SIZE or view not in WIDE_PICTURES):
                continue
            if view in SMALL_PICTURES_ONLY and size != SIZES[0]:
                continue
            hold_cursors_solid(app)
            await pilot.pause()
            if not matches_snapshot(snapshot, request, app.export_screenshot(simplify=True), label):
                differ.append(label)
    assert not differ, f"{view} in {language} differs from the reviewed picture at {', '.join(differ)}"
