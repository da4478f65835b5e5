"""Switching the interface language while working: from the command palette, in place.

A rep half-way through a filter, an org chart or a form switches between English and
Chinese; every screen on the stack changes language and nothing typed or chosen is lost.
Also: the footer of each main screen fits in 100 columns in both languages.
"""

from __future__ import annotations

import pytest
from textual.command import CommandList
from textual.widgets import Button, Footer, Input, Select, TabbedContent, TextArea

from saletui.i18n import current_language, set_language
from saletui.store import accounts
from saletui.ui.compat import footer_item_text, footer_items, footer_keys
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.screens.playbook import PlaybookScreen
from saletui.ui.screens.visit_form import VisitForm
from saletui.ui.widgets.account_table import AccountTable
from saletui.ui.widgets.org_chart import OrgChart
from saletui.ui.widgets.technique_list import TechniqueList
from saletui.ui.widgets.visit_table import VisitTable
from tests.conftest import show_tab, shown_text, until


async def choose_language(app, pilot, search: str) -> None:
    """Ctrl+P, type to find the language command, Enter: as a user does."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*search)

    def found() -> bool:
        return bool(app.screen.query(CommandList)) and app.screen.query_one(CommandList).option_count > 0

    await until(pilot, found, "the palette's search (in a worker) finds the command")
    await pilot.press("down", "enter")
    await until(pilot, lambda: not app.screen.query(CommandList), "the palette closes")
    await pilot.pause()


def footer_words(screen) -> set[str]:
    return {footer_item_text(key) for key in footer_keys(screen)}


def button_labels(screen) -> set[str]:
    return {str(button.label) for button in screen.query(Button)}


async def open_account(app, pilot, name: str) -> None:
    await pilot.press("slash", *name, "enter", "enter")
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)


async def test_the_account_list_switches_to_chinese_and_back_keeping_the_filter(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("slash", *"sh", "enter")  # a filter, then back to the list
        await pilot.press("down")
        table = app.screen.query_one(AccountTable)
        chosen = table.selected
        assert "Filter" in footer_words(app.screen)

        await choose_language(app, pilot, "language")

        assert current_language() == "zh_CN"
        screen = app.screen
        assert screen.query_one("#filter-text", Input).value == "sh"
        assert screen.query_one("#filter-text", Input).placeholder.startswith("/ 筛选")
        assert table.selected == chosen  # same list, same cursor
        assert {"筛选", "新建", "简报"} <= footer_words(screen)
        assert "名称" in table.render_line(0).text
        assert "个客户" in str(screen.query_one("#list-status").render())
        assert screen.sub_title == "客户"

        await choose_language(app, pilot, "English")

        assert current_language() == "en"
        assert {"Filter", "New", "Brief"} <= footer_words(app.screen)
        assert "Name" in table.render_line(0).text
        assert app.screen.query_one("#filter-text", Input).value == "sh"


async def test_a_half_typed_account_form_keeps_every_value_across_a_switch(make_app):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, AccountForm)
        await pilot.press(*"华东 [b]Precision[/b] 🚀")
        form.query_one("#relationship", Select).value = "prospect"
        form.query_one("#intent", Select).value = "high"
        form.query_one("#market_capacity", Input).value = "120万"
        form.query_one("#profile_notes", TextArea).load_text("note " * 2000)  # 10,000 characters
        await pilot.pause()
        before = form._collect()

        await choose_language(app, pilot, "language")

        assert app.screen is form  # the same dialog, relabelled in place
        assert form._collect() == before
        assert form.focused is form.query_one("#name", Input)
        labels = [str(label.render()) for label in form.query(".form-field--label")]
        assert "名称 *" in labels and "合作意向" in labels
        assert "目标市场容量：" in str(form.query_one("#derived-target").render())
        assert {"保存", "取消"} <= button_labels(form)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
        assert app.screen.query_one(AccountTable).selected.name == "华东 [b]Precision[/b] 🚀"


async def test_a_refused_value_is_explained_again_in_the_new_language(make_app):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"Acme")
        form.query_one("#market_capacity", Input).value = "a lot"
        await pilot.press("ctrl+s")
        await pilot.pause()
        field = form.query_one("#field-market_capacity")
        english = str(field.query_one(".form-field--error").render())
        assert field.has_class("-invalid") and english

        await choose_language(app, pilot, "language")

        field = form.query_one("#field-market_capacity")
        chinese = str(field.query_one(".form-field--error").render())
        assert field.has_class("-invalid") and chinese != english
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)  # explained in Chinese
        assert form.query_one("#market_capacity", Input).value == "a lot"  # nothing lost
        assert accounts.list_rows() == []  # and nothing written


async def test_the_account_screen_keeps_its_tab_and_person_and_the_list_below_follows(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        await open_account(app, pilot, "Northwind")
        await show_tab(pilot, app, "tab-visits")  # so that the visits table exists too
        await show_tab(pilot, app, "tab-people")
        chart = app.screen.query_one(OrgChart)
        await pilot.press("down", "down")
        person = chart.selected_id
        assert person is not None

        await choose_language(app, pilot, "language")

        screen = app.screen
        tabs = screen.query_one(TabbedContent)
        assert tabs.active == "tab-people"
        assert str(tabs.get_tab("tab-people").label) == "人员"
        assert str(tabs.get_tab("tab-visits").label) == "拜访"
        assert chart.selected_id == person and screen.focused is chart
        assert "影响力" in str(screen.query_one("#org-legend").render())
        assert {"添加", "编辑", "教练", "查找"} <= footer_words(screen)
        deal_columns = [str(c.label) for c in screen.query_one("#deals").columns.values()]
        assert deal_columns[:2] == ["项目", "阶段"]
        visit_columns = [str(c.label) for c in screen.query_one("#visits").columns.values()]
        assert "下一步" in visit_columns

        await pilot.press("escape")  # the list underneath was relabelled too
        await pilot.pause()
        assert "个客户" in str(app.screen.query_one("#list-status").render())


async def test_an_open_question_is_asked_again_in_the_new_language(make_app, demo_store):
    """A confirmation open when the language is switched asks its question in the new one,
    and answering it still does what was asked."""
    from saletui.ui.screens.confirm import ConfirmScreen

    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await app.workers.wait_for_complete()
        await open_account(app, pilot, "Northwind")
        await pilot.press("right_square_bracket")  # to the people
        await pilot.pause()
        chart = app.screen.query_one(OrgChart)
        await pilot.press("down", "down")
        person = chart.rows[chart.selected_id]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert str(app.screen.query_one("#confirm-question").render()).startswith("Delete ")

        await choose_language(app, pilot, "language")

        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        question = str(dialog.query_one("#confirm-question").render())
        assert question.startswith("删除") and person.name in question
        assert str(dialog.query_one("#yes", Button).label) == "删除"
        await pilot.press("y")
        await pilot.pause()
        assert person.id not in chart.rows


async def test_a_visit_being_planned_keeps_its_deal_and_checklist(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=(130, 50)) as pilot:
        await app.workers.wait_for_complete()
        await open_account(app, pilot, "Northwind")
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        await until(pilot, lambda: isinstance(app.focused, VisitTable), "the Visits tab, filled and focused")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, VisitForm), "the plan form")
        form = app.screen
        form.query_one("#objective", Input).value = "拿到技术评估的时间表"
        checklist = form.query_one("#milestone_ids")
        if checklist.option_count:
            checklist.toggle(checklist.get_option_at_index(checklist.option_count - 1).value)
        await pilot.pause()
        before = form._collect()

        await choose_language(app, pilot, "language")

        assert app.screen is form
        assert form._collect() == before
        assert "保存计划" in button_labels(form)


async def test_the_playbook_keeps_the_search_and_shows_the_chinese_playbook(make_app):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, PlaybookScreen)
        await pilot.press(*"price")
        await pilot.pause()
        assert app.screen.results

        await choose_language(app, pilot, "language")

        screen = app.screen
        assert screen.query_one("#pb-search", Input).value == "price"
        assert screen.query_one("#pb-search", Input).placeholder.startswith("搜索")
        await pilot.press("ctrl+a", "ctrl+k", *"太贵")  # clear the box, search in Chinese
        await until(pilot, lambda: screen.query_one(TechniqueList).objection.title == "太贵了")
        assert "太贵了" in [o.title for o in screen.results]
        assert "条异议" in str(screen.query_one("#pb-status").render())


async def test_the_objection_being_read_stays_highlighted_in_the_other_language(make_app):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("down", "down", "down")  # into the results, then further down
        reading = app.screen.current
        assert reading is not None and reading is not app.screen.results[0]

        await choose_language(app, pilot, "language")

        now = app.screen.current
        assert now.id == reading.id and now.title != reading.title  # the same objection, in Chinese
        await until(pilot, lambda: app.screen.query_one(TechniqueList).objection is now, "the detail follows")
        assert now.title in shown_text(app.screen.query_one("#pb-detail"))


async def test_the_help_panel_follows_the_language(make_app):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        await choose_language(app, pilot, "language")
        await pilot.pause()
        markdown = app.screen.query_one("HelpPanel").query_one("Markdown")
        assert "客户" in markdown.source
        assert "Your accounts" not in markdown.source


@pytest.mark.parametrize("language", ["en", "zh_CN"])
async def test_every_footer_fits_in_100_columns(make_app, demo_store, language):
    """No footer key is pushed off a 100-column terminal, in either language."""
    set_language(language)
    app = make_app()

    def shown_keys() -> list:
        return [w for w in footer_items(app.screen.query_one(Footer)) if w.outer_size.width]

    async def check(where: str) -> None:
        # The footer fills a few messages after a screen or tab change: wait for its keys.
        await until(pilot, lambda: any(not w.has_class("-command-palette") for w in shown_keys()), where)
        footer = app.screen.query_one(Footer)
        items = shown_keys()
        palette = [w for w in items if w.has_class("-command-palette")]
        keys = [w for w in items if not w.has_class("-command-palette")]
        limit = palette[0].region.x if palette else footer.region.right
        assert keys, where
        cut = [footer_item_text(w) for w in keys if w.region.right > limit]
        assert not cut, f"{where}: cut off at 100 columns: {cut}"

    async with app.run_test(size=(100, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await check("account list")
        await pilot.press("enter")
        await pilot.pause()
        for tab in ("overview", "people", "power map", "visits"):
            await check(f"account, {tab}")
            await pilot.press("right_square_bracket")
            await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        await check("brief")
        await pilot.press("escape", "ctrl+o")
        await pilot.pause()
        await check("playbook")


def screen_lines(app) -> list[str]:
    """The screen as the terminal shows it (Textual's screenshot), line by line, without
    the notification that the switch brings."""
    import html
    import re

    app.clear_notifications()
    rows: dict[float, list[str]] = {}
    for match in re.finditer(r'<text[^>]*y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot()):
        rows.setdefault(float(match.group(1)), []).append(html.unescape(match.group(2)).replace("\xa0", " "))
    return ["".join(parts) for _y, parts in sorted(rows.items())]


async def go_to(app, pilot, where: str) -> None:
    from tests.conftest import switch_tabs

    await app.workers.wait_for_complete()
    await pilot.pause()
    if where == "account list":  # the four filter selects drawn, which may take a frame more
        await until(pilot, lambda: screen_lines(app)[2].count("▼") >= 4, "the filter selects drawn")
        return
    await pilot.press("slash", *"Northwind", "enter", "enter")
    await switch_tabs(pilot, app, ("overview", "people", "power map", "visits", "milestones").index(where) % 4)
    if where == "milestones":
        await pilot.press("m")
    await pilot.pause()


@pytest.mark.parametrize("where", ["account list", "people", "power map", "visits", "milestones"])
async def test_after_a_switch_every_cell_reads_as_in_an_app_started_in_chinese(make_app, demo_store, where):
    """Rows, cards and tables filled in English are all relabelled: the switched screen is,
    cell for cell, the screen of an app started in Chinese."""
    set_language("zh_CN")
    started_in_chinese = make_app()
    async with started_in_chinese.run_test(size=(130, 40)) as pilot:
        await go_to(started_in_chinese, pilot, where)
        wanted = screen_lines(started_in_chinese)
    set_language("en")
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await go_to(app, pilot, where)
        await choose_language(app, pilot, "language")
        assert current_language() == "zh_CN"
        shown = screen_lines(app)
    assert shown == wanted
