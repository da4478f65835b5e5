"""In the Chinese interface, the main screens show no English interface text.

The screens are captured as a user sees them (Textual's screenshot), and every English
message of the catalogue of two words or more is looked for in them. Data may be English
(the demo has English accounts); the interface around it may not.
"""

from __future__ import annotations

import html
import re

import pytest
from babel.messages.pofile import read_po

from saletui.i18n import DOMAIN, LOCALE_DIR, set_language
from saletui.ui.widgets.technique_list import TechniqueList
from tests.conftest import until


def english_messages() -> list[str]:
    with (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as f:
        catalog = read_po(f, locale="zh_CN")
    found = []
    for message in catalog:
        text = message.id[0] if isinstance(message.id, tuple) else message.id
        if not text or "{" in text or "\n" in text:
            continue
        words = re.findall(r"[A-Za-z]{2,}", text)
        if len(words) >= 2 and message.string and message.string != text:
            found.append(text)
    return found


def screen_text(app) -> str:
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


def english_in(screens: dict[str, str], messages: list[str]) -> list[str]:
    """'where: message' for every English message found on a captured screen."""
    return [f"{where}: {message!r}" for where, text in screens.items() for message in messages if message in text]


@pytest.fixture
def chinese_app(make_app, demo_store):
    set_language("zh_CN")
    return make_app()


async def test_the_main_screens_show_no_english_interface_text(chinese_app):
    app = chinese_app
    messages = english_messages()
    assert len(messages) > 100
    async with app.run_test(size=(130, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screens = {"account list": screen_text(app)}
        await pilot.press("question_mark")
        await pilot.pause()
        screens["help panel"] = screen_text(app)
        await pilot.press("question_mark", "enter")
        await pilot.pause()
        for tab in ("overview", "people", "power map", "visits"):
            await pilot.pause()
            screens[f"account {tab}"] = screen_text(app)
            await pilot.press("right_square_bracket")
        await pilot.press("b")
        await pilot.pause()
        screens["brief"] = screen_text(app)
        await pilot.press("escape", "ctrl+o")
        await until(pilot, lambda: app.screen.query(TechniqueList) and app.screen.query_one(TechniqueList).objection)
        screens["playbook"] = screen_text(app)
        await pilot.press("escape", "escape", "n")
        await pilot.pause()
        screens["account form"] = screen_text(app)
    assert not english_in(screens, messages)


async def test_screens_open_during_a_switch_show_no_english_afterwards(make_app, demo_store):
    """Relabelling in place reaches every label: the list, the account (all tabs) and the
    playbook are open underneath while the language changes."""
    from tests.test_ui_language import choose_language

    app = make_app()
    messages = english_messages()
    async with app.run_test(size=(130, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("enter")
        await pilot.pause()
        for _tab in range(4):  # visit every tab once, so each has been filled in English
            await pilot.press("right_square_bracket")
            await pilot.pause()
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.screen.query(TechniqueList) and app.screen.query_one(TechniqueList).objection)
        await choose_language(app, pilot, "language")
        screens = {"playbook": screen_text(app)}
        await pilot.press("escape")
        await pilot.pause()
        for tab in ("overview", "people", "power map", "visits"):
            screens[f"account {tab}"] = screen_text(app)
            await pilot.press("right_square_bracket")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        screens["account list"] = screen_text(app)
    assert not english_in(screens, messages)


def untranslated_keys(app) -> list[str]:
    """The key descriptions the help panel lists for the focused widget that are still the
    English msgid (Textual's own bindings included: Scroll Left, Copy selected text...)."""
    from saletui.i18n import translate

    found = []
    for active in app.screen.active_bindings.values():
        description = active.binding.description
        if re.search(r"[A-Za-z]{2,}", description) and translate(description) == description:
            found.append(f"{type(active.node).__name__}: {description!r}")
    return found


async def test_the_help_panel_shows_textuals_own_keys_in_chinese_wherever_the_focus_is(chinese_app):
    """Each kind of widget brings Textual's bindings (a list, a text field, a scrolling
    pane, a tree, a multi-line field); the help panel lists them all translated."""
    from textual.widgets import Input, TextArea, Tree

    app = chinese_app
    messages = english_messages()
    assert "Scroll Left" in messages and "Copy selected text" in messages
    screens: dict[str, str] = {}
    problems: list[str] = []

    async def capture(where: str) -> None:
        await pilot.pause()
        screens[where] = screen_text(app)
        problems.extend(f"{where}: {p}" for p in untranslated_keys(app))

    async with app.run_test(size=(130, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("question_mark")
        await capture("account list")
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await capture("filter field")
        await pilot.press("escape", "enter")
        await until(pilot, lambda: app.screen.query(Tree), "the account screen")
        await capture("account overview")
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: isinstance(app.focused, Tree), "the org chart focused")
        await capture("org chart")
        await pilot.press("right_square_bracket")
        await capture("power map")
        await pilot.press("escape", "escape", "n")
        await pilot.pause()
        await capture("account form")
        notes = app.screen.query(TextArea)
        assert notes, "the account form has a multi-line field"
        notes.first().focus()
        await capture("multi-line field")
    assert not problems
    assert not english_in(screens, messages)


async def test_the_command_palette_searches_in_chinese(chinese_app):
    from textual.command import CommandInput, CommandList

    app = chinese_app
    async with app.run_test(size=(130, 45)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.query(CommandInput), "the palette open")
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        assert "Search for commands" not in screen_text(app)
        await pilot.press(*"主题")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0, "the Theme command found")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: app.screen.query(CommandInput) and app.screen.query_one(CommandInput).placeholder == "搜索主题…",
        )
