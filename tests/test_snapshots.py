"""SVG snapshots of saletui's main screens, as a rep sees them in a small, a medium and a
laptop terminal, in English and in Chinese. A changed layout fails here until someone has
looked at the picture: `pytest tests/test_snapshots.py --snapshot-update` rewrites the
files under tests/__snapshots__/, and the diff is reviewed like a diff of the UI.

Every snapshot is one test (so xdist spreads them) and is the same on every run: the demo
book built for a fixed today, the app's subtitle "DEMO data" (not the temporary path), the
built-in playbook named by a relative path, no clock in the header, and text cursors held
solid instead of blinking."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent, TextArea

from saletui.i18n import set_language
from saletui.ui.screens.account import TABS, AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.brief import BriefScreen
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.widgets.account_table import AccountTable
from saletui.ui.widgets.technique_list import TechniqueList
from tests.conftest import until

SIZES = [(80, 24), (100, 30), (120, 36)]
LANGUAGES = ["en", "zh_CN"]
# An account with deals, an org chart and visits in the demo, in the interface's language.
ACCOUNT = {"en": "Northwind Logistics", "zh_CN": "华东精密"}
SEARCH = {"en": "expensive", "zh_CN": "太贵"}

Steps = Callable[[Pilot[Any], str], Awaitable[None]]


async def type_text(pilot: Pilot[Any], text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def account_list(pilot: Pilot[Any], language: str) -> None:
    """The list as it opens: every demo account, sorted, the first one highlighted."""
    await until(pilot, lambda: len(pilot.app.screen.query_one(AccountTable).listing.view) > 0, "the list is filled")


async def highlight_account(pilot: Pilot[Any], language: str) -> None:
    """Put the list's cursor on the demo account (typing a filter would cost a redraw per
    key; the filter has its own tests), ready for the key that opens something on it."""
    await account_list(pilot, language)
    table = pilot.app.screen.query_one(AccountTable)
    wanted = next(row.id for row in table.listing.rows if row.name.startswith(ACCOUNT[language]))
    position = table.listing.index_of(wanted)
    assert position is not None
    table.cursor = position
    await until(pilot, lambda: table.selected is not None and table.selected.id == wanted, "on the account's row")


def account_tab(index: int) -> Steps:
    async def steps(pilot: Pilot[Any], language: str) -> None:
        await highlight_account(pilot, language)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, AccountScreen), "the account opens")
        # The shorter way round: each tab passed through is filled on the way.
        steps_right = index if index <= len(TABS) // 2 else index - len(TABS)
        for _ in range(abs(steps_right)):
            await pilot.press("right_square_bracket" if steps_right > 0 else "left_square_bracket")
        tabs = pilot.app.screen.query_one(TabbedContent)
        await until(pilot, lambda: tabs.active == TABS[index], f"on the {TABS[index]} tab")
        await pilot.app.workers.wait_for_complete()

    return steps


async def playbook_search(pilot: Pilot[Any], language: str) -> None:
    """The playbook with a search typed and the first result's techniques shown."""
    await account_list(pilot, language)
    await pilot.press("ctrl+o")
    await until(pilot, lambda: isinstance(pilot.app.screen, PlaybookScreen), "the playbook opens")
    await type_text(pilot, SEARCH[language])
    screen = pilot.app.screen
    assert isinstance(screen, PlaybookScreen)
    techniques = screen.query_one(TechniqueList)
    await until(
        pilot,
        lambda: techniques.objection is not None and techniques.objection.id == "too-expensive",
        "the first result's techniques follow the search",
    )


async def brief(pilot: Pilot[Any], language: str) -> None:
    await highlight_account(pilot, language)
    await pilot.press("b")
    await until(pilot, lambda: isinstance(pilot.app.screen, BriefScreen), "the brief opens")
    await pilot.app.workers.wait_for_complete()


async def account_form(pilot: Pilot[Any], language: str) -> None:
    """The account form (a modal over the list), editing the demo account."""
    await highlight_account(pilot, language)
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, AccountForm), "the form opens")


async def stale_edit(pilot: Pilot[Any], language: str) -> None:
    """Asked what to do: the account form saved after another window saved the account."""
    from saletui.store import accounts
    from saletui.store.accounts import AccountDraft
    from saletui.ui.screens.stale_edit import StaleEditScreen

    await account_form(pilot, language)
    account_id = pilot.app.screen.account_id
    stored = accounts.get(account_id)
    accounts.save(AccountDraft.from_account(stored), account_id, expected_version=stored.version)  # window B
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(pilot.app.screen, StaleEditScreen), "asked what to do")


VIEWS: dict[str, Steps] = {
    "account_list": account_list,
    "account_overview": account_tab(0),
    "account_people": account_tab(1),
    "account_power_map": account_tab(2),
    "account_visits": account_tab(3),
    "playbook_search": playbook_search,
    "brief": brief,
    "account_form": account_form,
    "stale_edit": stale_edit,
}


def steady(steps: Steps, language: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Run the steps, then hold every text cursor solid: a blink would depend on how long
    the machine took to get there."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await steps(pilot, language)
        for screen in pilot.app.screen_stack:
            for widget in screen.query("*"):
                if isinstance(widget, Input | TextArea):
                    widget.cursor_blink = False

    return run_before


@pytest.fixture
def builtin_playbook_by_relative_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The playbook shows where an objection comes from: read the built-in file through a
    path relative to the shipped config folder, so the picture does not hold the path of
    this checkout (another clone, /work/main, a wheel install would differ)."""
    from saletui.settings import config_root

    monkeypatch.chdir(config_root())
    monkeypatch.setattr("saletui.playbook.load.default_builtin_dir", lambda: Path("playbooks"))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("view", list(VIEWS))
def test_screen_looks_as_reviewed(
    view: str,
    size: tuple[int, int],
    language: str,
    demo_store: Path,
    builtin_playbook_by_relative_path: None,
    make_app: Callable[..., Any],
    snap_compare: Callable[..., bool],
) -> None:
    set_language(language)
    app = make_app(demo=True)
    assert snap_compare(app, terminal_size=size, run_before=steady(VIEWS[view], language))
