"""Every form is usable at 80x24: a rep who Tabs through it sees each field, label
included, when it gets the focus (never under the buttons or below the dialog), and what
they type lands in it. In English and in Chinese, whose labels are wider."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Input, SelectionList, TextArea

from saletui.i18n import set_language
from saletui.ui.screens.form_screen import FormScreen
from saletui.ui.widgets.form_field import FormField
from tests.conftest import until
from tests.screen_openers import OPENERS

FORMS = [name for name, opener in OPENERS.items() if issubclass(opener.screen, FormScreen)]
MOST_TABS = 80  # more stops than any form has: the walk ends when focus comes back round


def test_every_form_of_the_screen_table_is_walked() -> None:
    assert {"account_form", "person_form", "deal_form", "close_deal_form", "visit_form", "debrief_form"} <= set(FORMS)


def where_unseen(pilot: Pilot[Any], widget: Widget) -> str | None:
    """Why `widget` is not fully on view in its form now (None when it is)."""
    screen = pilot.app.screen
    dialog = screen.query_one("#form-dialog")
    region = widget.region
    if not region:
        return "not laid out (no region)"
    if not dialog.region.contains_region(region):
        return f"outside the dialog {dialog.region}"
    if not screen.region.contains_region(dialog.region):
        return f"the dialog {dialog.region} does not fit the screen"
    bodies = [body for body in screen.query("#form-body") if widget in body.walk_children()]
    if not bodies:
        return None
    view = bodies[0].scrollable_content_region
    for buttons in screen.query(".form-buttons"):
        if buttons.region.overlaps(region):
            return f"under the buttons {buttons.region}"
    field = next((node for node in widget.ancestors if isinstance(node, FormField)), None)
    shown = field.region if field is not None and field.region.height <= view.height else region
    if not view.contains_region(shown):
        return f"{'its field ' if shown is not region else ''}{shown} is outside the form's view {view}"
    return None


async def typing_lands(pilot: Pilot[Any], widget: Widget) -> None:
    """What the rep types (or Space on a tick box) changes the focused control."""
    if isinstance(widget, Input):
        before = widget.value  # selected on focus: what is typed replaces it
        await pilot.press("z")
        await until(pilot, lambda: widget.value != before and "z" in widget.value, f"z typed into #{widget.id}")
    elif isinstance(widget, TextArea):
        before = widget.text
        await pilot.press("z")
        await until(pilot, lambda: widget.text.count("z") == before.count("z") + 1, f"z typed into #{widget.id}")
    elif isinstance(widget, Checkbox):
        ticked = widget.value
        await pilot.press("space")
        await until(pilot, lambda: widget.value != ticked, f"Space ticks #{widget.id}")
    elif isinstance(widget, SelectionList) and widget.option_count:
        chosen = list(widget.selected)
        await pilot.press("space")
        await until(pilot, lambda: list(widget.selected) != chosen, f"Space toggles an option of #{widget.id}")


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("form", FORMS)
async def test_tab_through_every_field_sees_it_and_types_into_it(
    form: str, language: str, demo_store: Path, make_app: Callable[..., Any]
) -> None:
    set_language(language)
    app = make_app(demo=True)
    opener = OPENERS[form]
    async with app.run_test(size=(80, 24)) as pilot:
        await opener.steps(pilot, language)
        screen = app.screen
        assert isinstance(screen, opener.screen)
        first = app.focused
        assert first is not None, f"{form} opens with nothing focused"
        walked: list[str] = []
        for _ in range(MOST_TABS):
            focused = app.focused
            assert focused is not None and focused.screen is screen, f"{form}: focus left the form after {walked}"
            name = focused.id or type(focused).__name__
            problem: list[str | None] = [None]

            def seen(widget: Widget = focused, problem: list[str | None] = problem) -> bool:
                problem[0] = where_unseen(pilot, widget)
                return problem[0] is None

            await until(pilot, seen, f"{form} in {language}: #{name} fully on view when focused", frames=30)
            assert seen(), problem[0]
            await typing_lands(pilot, focused)
            walked.append(name)
            await pilot.press("tab")
            await pilot.pause()
            if app.focused is first:
                break
        else:
            pytest.fail(f"{form}: Tab never came back to the first field: {walked}")
        assert len(walked) >= 2, f"{form}: Tab reached only {walked}"
