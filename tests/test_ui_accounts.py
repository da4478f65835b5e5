"""A rep works the account list from the keyboard, against a real database file."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len

from saletui.account_listing import Column
from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, Deal, Visit
from saletui.ui.compat import notifications
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import TODAY

SIZE = (130, 36)


def add(name: str, **kw) -> Account:
    return accounts.save(AccountDraft(name=name, **kw))


def table_lines(app) -> list[str]:
    table = app.screen.query_one(AccountTable)
    return [table.render_line(y).text for y in range(table.size.height)]


def visible_names(app) -> list[str]:
    listing = app.screen.query_one(AccountTable).listing
    return [listing.rows[i].name for i in listing.view]


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def test_rep_adds_an_account_through_the_form(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, AccountForm)
        await type_text(pilot, "Northwind Logistics")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
        assert "Northwind Logistics" in visible_names(app)
    saved = Account.get(Account.name == "Northwind Logistics")
    assert saved.relationship == "prospect" and saved.archived_at is None


async def test_invalid_form_values_show_beside_the_field_and_write_nothing(make_app):
    add("Existing Co")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "existing co")  # same name, other case
        form = app.screen
        form.query_one("#market_capacity").value = "lots"
        form.query_one("#next_step_date").value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AccountForm)
        errors = {f.field: f for f in form.query("FormField") if f.has_class("-invalid")}
        assert set(errors) == {"name", "market_capacity", "next_step_date"}
        message = str(errors["name"].query_one(".form-field--error").render())
        assert "already called" in message
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
    assert Account.select().count() == 1


async def test_cancel_writes_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Half typed")
        await pilot.press("escape")
        await pilot.pause()
    assert Account.select().count() == 0


async def test_editing_an_account_changes_its_class(make_app):
    add("Baltic Steel", relationship="customer", contribution="high", stability="high")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "EI " in table_lines(app)[1]
        await pilot.press("e")
        form = app.screen
        form.query_one("#stability").value = "low"
        await pilot.pause()
        assert "EII" in str(form.query_one("#derived-class").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "EII" in table_lines(app)[1]
    assert Account.get().stability == "low"


async def test_filter_narrows_while_typing_and_escape_clears(make_app):
    add("Northwind Logistics", industry="logistics", region="EMEA")
    add("华东精密机械有限公司", industry="machinery", region="华东")
    add("Southwind Foods", owner="Sarah Chen")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "wind")
        assert visible_names(app) == ["Northwind Logistics", "Southwind Foods"]
        await type_text(pilot, " sarah")  # every word must match: owner too
        assert visible_names(app) == ["Southwind Foods"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(visible_names(app)) == 3
        assert isinstance(app.focused, AccountTable)
        await pilot.press("slash")
        await type_text(pilot, "华东")
        assert visible_names(app) == ["华东精密机械有限公司"]


async def test_sorting_by_columns_from_the_keyboard(make_app):
    add("Beta", tier="top5")
    add("Alpha", tier="new5")
    add("Gamma", tier="middle5")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert visible_names(app) == ["Alpha", "Beta", "Gamma"]
        await pilot.press("S")
        assert visible_names(app) == ["Gamma", "Beta", "Alpha"]
        assert "Name▼" in table_lines(app)[0]
        await pilot.press("s", "s")  # name -> class -> tier
        assert visible_names(app) == ["Beta", "Gamma", "Alpha"]
        assert "Tier▲" in table_lines(app)[0]


async def test_a_wide_terminal_shows_the_next_step_region_and_industry_and_sorts_by_them(make_app):
    add("Beta", region="North", industry="Steel", next_step="Send the quote", next_step_date=TODAY.isoformat())
    add("Alpha", region="South", industry="Chemicals")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        header = table_lines(app)[0]
        for title in ("Name", "Class", "Stage", "Last contact"):
            assert title in header
        assert "Next action" not in header and "Region" not in header
        for size, shown, hidden in (
            ((140, 40), ["Next action"], ["Region", "Industry"]),
            ((160, 45), ["Next action", "Region"], ["Industry"]),
            ((200, 60), ["Next action", "Region", "Industry"], []),
        ):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            header = table_lines(app)[0]
            for title in ("!", "Name", "Class", "Tier", "Stage", "Warn", "Owner", "Last contact", "Next step", *shown):
                assert title in header, f"{title} at {size}"
            for title in hidden:
                assert title not in header, f"{title} at {size}"
            assert cell_len(header) == size[0]  # few rows: no scrollbar beside it
        assert "Send the quote" in table_lines(app)[2] and "Steel" in table_lines(app)[2]
        # s goes through the wide columns too while they are on show: industry after region.
        app.screen.query_one(AccountTable).sort_by(Column.REGION)
        await pilot.press("s")
        assert visible_names(app) == ["Alpha", "Beta"]  # Chemicals before Steel
        assert "Industry▲" in table_lines(app)[0]
        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        await pilot.press("s")  # industry no longer shows: on to the last contact
        assert app.screen.query_one(AccountTable).listing.sort_column == Column.LAST_CONTACT


async def test_clicking_a_header_sorts_by_that_column(make_app):
    add("Beta", owner="Zoe")
    add("Alpha", owner="Yan")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(AccountTable)
        header = table_lines(app)[0]
        await pilot.click(AccountTable, offset=(header.index("Owner") + 1, 0))
        assert visible_names(app) == ["Alpha", "Beta"]
        assert "Owner▲" in table_lines(app)[0]
        assert table.listing.sort_column.name == "OWNER"


async def test_archive_then_undo_then_restore_from_the_archive(make_app):
    add("Keep Me")
    add("Old Account")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down")  # "Old Account" sorts second
        await pilot.press("x")
        await pilot.pause()
        assert visible_names(app) == ["Keep Me"]
        assert Account.get(Account.name == "Old Account").archived_at is not None
        await pilot.press("u")
        await pilot.pause()
        assert visible_names(app) == ["Keep Me", "Old Account"]
        assert Account.get(Account.name == "Old Account").archived_at is None
        # Archive again and restore it from the archive view.
        await pilot.press("x")
        await pilot.press("a")
        await pilot.pause()
        assert visible_names(app) == ["Old Account"]
        await pilot.press("x")
        await pilot.press("a")
        await pilot.pause()
        assert visible_names(app) == ["Keep Me", "Old Account"]


async def test_needs_attention_marker_count_and_filter(make_app):
    contacted = add("Recently Seen", relationship="customer", contribution="high", stability="high")
    Visit.create(
        account=contacted, planned_at=dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(10)), status="done"
    )
    add("Never Seen")
    add("Overdue Step", next_step="Send quote", next_step_date=(TODAY - dt.timedelta(days=1)).isoformat())
    stale = add("Stale EI", relationship="customer", contribution="high", stability="high")
    Visit.create(
        account=stale, planned_at=dt.datetime.combine(TODAY - dt.timedelta(days=40), dt.time(10)), status="done"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        lines = {line[3:].split("  ")[0]: line for line in table_lines(app)[1:5]}
        assert lines["Recently Seen"].startswith("   ")
        assert "3 d ago" in lines["Recently Seen"]
        for name in ("Never Seen", "Overdue Step", "Stale EI"):
            assert lines[name].startswith("!")
        status = str(app.screen.query_one("#list-status").render())
        assert "3 need attention" in status
        await pilot.press("exclamation_mark")  # straight away, as if typed while it started
        await pilot.pause()
        assert visible_names(app) == ["Never Seen", "Overdue Step", "Stale EI"]
        assert app.screen.query_one("#filter-attention").value  # the checkbox shows it
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert len(visible_names(app)) == 4
        await pilot.click("#filter-attention")  # the mouse does the same
        await pilot.pause()
        assert visible_names(app) == ["Never Seen", "Overdue Step", "Stale EI"]
        await pilot.press("escape")  # clear every filter, the checkbox too
        await pilot.pause()
        assert len(visible_names(app)) == 4 and not app.screen.query_one("#filter-attention").value


async def test_markup_in_names_is_shown_literally(make_app):
    add("[bold]ACME[/]", owner="[red]Li[/]")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert "[bold]ACME[/]" in table_lines(app)[1]
        assert "[red]Li[/]" in table_lines(app)[1]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert "[bold]ACME[/]" in str(app.screen.query_one("#account-title").render())


async def test_escape_codes_in_names_cannot_reach_the_terminal(make_app):
    # The form refuses control characters, but older or imported data may hold them.
    Account.create(name="Evil\x1b[31mCorp")
    app = make_app()
    async with app.run_test(size=SIZE):
        line = table_lines(app)[1]
        assert "\x1b" not in line and "Evil" in line and "Corp" in line


async def test_chinese_names_keep_columns_aligned(make_app):
    add("华东精密机械有限公司", owner="李娜", tier="top5")
    add("Northwind Logistics", owner="Tom", tier="top5")
    add("深圳海川电子科技有限公司深圳海川电子科技有限公司深圳海川电子科技", owner="张伟")  # longer than the column
    app = make_app()
    async with app.run_test(size=SIZE):
        lines = table_lines(app)[:4]
        width = app.screen.query_one(AccountTable).size.width
        assert all(cell_len(line) == width for line in lines)

        def col(line: str, marker: str) -> int:
            return cell_len(line[: line.index(marker)])

        header, rows = lines[0], lines[1:]
        for owner in ("李娜", "Tom", "张伟"):
            (line,) = [line for line in rows if owner in line]
            assert col(line, owner) == col(header, "Owner")
        assert "…" in next(line for line in rows if "张伟" in line)


async def test_list_shows_stage_of_most_advanced_open_deal(make_app):
    account = add("Deal Heavy")
    Deal.create(account=account, title="Small", stage=2)
    Deal.create(account=account, title="Big", stage=4)
    Deal.create(account=account, title="Won long ago", stage=6, status="won", close_reason="price")
    app = make_app()
    async with app.run_test(size=SIZE):
        assert "4 Bidding" in table_lines(app)[1]


async def test_help_panel_lists_the_bindings(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")


async def test_command_palette_lists_the_screen_actions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        titles = {cmd.title for cmd in app.get_system_commands(app.screen)}
        assert {"New", "Edit", "Archive", "Undo", "Filter", "Sort", "Help"} <= titles


async def test_quick_filters_by_class_tier_stage_and_owner(make_app):
    from textual.widgets import Select

    a = add("Alpha", relationship="customer", contribution="high", stability="high", tier="top5", owner="李娜")
    Deal.create(account=a, title="Line", stage=3)
    add("Beta", relationship="customer", contribution="low", stability="low", owner="李娜")
    add("Gamma", relationship="prospect", expected_value="high", intent="low", tier="new5", owner="Tom")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the quick filters arrive just after the list's first frame
        bar = app.screen.query_one("#filter-bar")
        bar.query_one("#filter-owner", Select).value = "李娜"
        await pilot.pause()
        assert visible_names(app) == ["Alpha", "Beta"]
        bar.query_one("#filter-class", Select).value = "EI"
        await pilot.pause()
        assert visible_names(app) == ["Alpha"]
        await pilot.press("escape")
        await pilot.pause()
        assert visible_names(app) == ["Alpha", "Beta", "Gamma"]
        bar.query_one("#filter-tier", Select).value = "new5"
        await pilot.pause()
        assert visible_names(app) == ["Gamma"]
        bar.query_one("#filter-tier", Select).clear()
        bar.query_one("#filter-stage", Select).value = 3
        await pilot.pause()
        assert visible_names(app) == ["Alpha"]


async def test_owner_filter_is_reachable_with_tab_and_keys(make_app):
    add("Alpha", owner="Zhang")
    add("Beta", owner="Yan")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")  # the filter box
        for _ in range(4):  # -> class, tier, stage, owner
            await pilot.press("tab")
        assert app.focused.id == "filter-owner"
        await pilot.press("enter", "down", "enter")  # first owner in the list: Yan
        await pilot.pause()
        assert visible_names(app) == ["Beta"]


async def test_restoring_is_refused_when_the_name_was_taken_again(make_app):
    old = add("Reborn Ltd")
    accounts.archive(old.id)
    add("Reborn Ltd")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.press("x")
        await pilot.pause()
        assert any("another active account" in n.message for n in notifications(app))
        assert visible_names(app) == ["Reborn Ltd"]  # still in the archive
    assert Account.get_by_id(old.id).archived_at is not None


async def test_a_locked_database_keeps_the_form_open_and_loses_nothing(make_app, store):
    import sqlite3

    from saletui.store.models import database

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Locked Out Ltd")
        database.execute_sql("PRAGMA busy_timeout = 50")
        other = sqlite3.connect(store)
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        try:
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, AccountForm)  # the typed values are still there
            assert app.screen.query_one("#name").value == "Locked Out Ltd"
            assert any("Not saved" in n.message for n in notifications(app))
        finally:
            other.rollback()
            other.close()
        await pilot.press("ctrl+s")  # the lock is gone: saving works now
        await pilot.pause()
        assert not isinstance(app.screen, AccountForm)
    assert [a.name for a in Account.select()] == ["Locked Out Ltd"]


async def test_owner_completes_from_names_already_used(make_app):
    add("Alpha", owner="Sarah Chen")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Beta")
        app.screen.query_one("#owner").focus()
        await type_text(pilot, "sa")
        await pilot.press("right")  # accept the suggestion
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert Account.get(Account.name == "Beta").owner == "Sarah Chen"


async def test_a_long_list_paints_its_first_page_then_fills_in_the_rest(make_app):
    from saletui.store.models import database
    from saletui.ui.screens.accounts import FIRST_PAGE

    total = FIRST_PAGE + 50
    with database.atomic():
        Account.insert_many([{"name": f"Account {i:04d}", "owner": f"Rep {i % 7}"} for i in range(total)]).execute()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(visible_names(app)) == total
        assert visible_names(app)[0] == "Account 0000"
        assert f"{total} of {total} accounts" in str(app.screen.query_one("#list-status").render())
        await pilot.press("slash")
        await type_text(pilot, "0249")
        assert visible_names(app) == ["Account 0249"]


async def test_keymap_overrides_apply_and_unknown_ids_are_reported(make_app, tmp_path):
    from saletui.settings import load_settings

    settings_file = tmp_path / "settings.yaml"
    settings_file.write_text("keymap:\n  accounts.new: ctrl+n\n  acounts.edit: f2\n", encoding="utf-8")
    app = make_app(settings=load_settings(settings_file))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("acounts.edit (did you mean `accounts.edit`?)" in n.message for n in notifications(app))
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AccountForm)


async def test_notifications_never_read_names_as_markup(make_app):
    add("Foo [/] Bar")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")  # "Archived Foo [/] Bar. Press u to undo."
        await pilot.pause()
        archived = [n for n in notifications(app) if "Foo [/] Bar" in n.message]
        assert archived and all(n.markup is False for n in archived)
        assert app.is_running


async def test_the_chosen_theme_colours_the_first_screen_and_an_opened_account(make_app, tmp_path):
    """The account screen is styled once when first shown; the settings' theme still applies."""
    from saletui.settings import load_settings

    add("Alpha")
    config = tmp_path / "settings.yaml"
    config.write_text("theme: textual-light\n", encoding="utf-8")

    def brightness(widget) -> float:
        r, g, b = widget.rich_style.bgcolor.get_truecolor()
        return (r + g + b) / 3

    app = make_app(settings=load_settings(config))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "textual-light"
        assert brightness(app.screen.query_one(AccountTable)) > 180
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert brightness(app.screen.query_one("#deals")) > 180
    dark = make_app()
    async with dark.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert brightness(dark.screen.query_one(AccountTable)) < 80


async def test_an_empty_book_says_how_to_start_and_the_hint_goes_once_there_is_an_account(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        shown = "\n".join(table_lines(app))
        assert "No accounts yet" in shown
        assert "n               add an account" in shown
        assert "i               import a CSV file" in shown
        assert "saletui --demo" in shown
        await pilot.press("n")
        await type_text(pilot, "Northwind")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "No accounts yet" not in "\n".join(table_lines(app))
        await pilot.press("a")  # an empty archive is not a new book: no hint there
        assert "No accounts yet" not in "\n".join(table_lines(app))


async def test_the_empty_book_hint_in_chinese(make_app):
    from saletui.i18n import set_language

    set_language("zh_CN")
    app = make_app()
    async with app.run_test(size=(80, 24)):
        shown = "\n".join(table_lines(app))
        assert "还没有客户" in shown and "saletui --demo" in shown
        assert "add an account" not in shown


async def test_the_archive_views_footer_says_restore_and_x_restores(make_app):
    from saletui.ui.compat import footer_item_text, footer_keys

    add("Keep Me")
    old = add("Old Account")
    accounts.archive(old.id)
    app = make_app()

    def footer() -> list[str]:
        return [footer_item_text(key) for key in footer_keys(app.screen)]

    async with app.run_test(size=SIZE) as pilot:
        await until_footer(pilot, lambda: "Archive" in footer())
        assert "Restore" not in footer()
        await pilot.press("a")
        await until_footer(pilot, lambda: "Restore" in footer())
        assert "Archive" not in footer()
        await pilot.press("x")
        await pilot.pause()
        assert Account.get_by_id(old.id).archived_at is None
        await pilot.press("a")
        await until_footer(pilot, lambda: "Archive" in footer())


async def until_footer(pilot, condition) -> None:
    from tests.conftest import until

    await until(pilot, condition, "the footer shows the key")


async def test_the_palette_lists_quit_once_and_every_key_command_with_its_key(make_app):
    from textual.command import CommandList

    from tests.conftest import until

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.query(CommandList), "the palette")
        await pilot.press(*"quit")
        options = app.screen.query_one(CommandList)
        await until(pilot, lambda: options.option_count > 0, "the search found something")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len([p for p in prompts if p.startswith("Quit")]) == 1, prompts
        assert "^q" in prompts[0]
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query(CommandList), "the palette closed")
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
    for title in ("New", "Edit", "Archive", "Filter", "Sort", "Help", "Quit", "Playbook", "Brief", "Import"):
        assert commands[title].endswith("]"), f"{title} shows its key: {commands[title]!r}"
    assert "Keys" not in commands, "Help (?) shows and hides the key panel"


async def test_a_name_is_required_clears_once_a_name_is_typed_and_other_messages_stay(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        form = app.screen
        form.query_one("#next_step_date").value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()

        def refused() -> set[str]:
            return {f.field for f in form.query("FormField") if f.has_class("-invalid")}

        assert refused() == {"name", "next_step_date"}
        assert "A name is required." in str(form.query_one("#field-name .form-field--error").render())
        form.query_one("#name").focus()  # the date was focused first: back to the name
        await pilot.press("N")
        await pilot.pause()
        assert refused() == {"next_step_date"}, "the name's message went; the date's stays"
        assert str(form.query_one("#field-name .form-field--error").render()) == ""
        await type_text(pilot, "orthwind")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert refused() == {"next_step_date"}
