"""A rep maps the customer's buying organisation and rates it from the keyboard."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len

from saletui.store import accounts, people
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, InfluenceLink, Person
from saletui.store.people import PersonDraft
from saletui.ui.compat import notifications, tree_line_guides
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.person_form import PersonForm
from saletui.ui.screens.person_picker import PersonPicker
from saletui.ui.widgets.org_chart import OrgChart
from tests.conftest import shown_text, switch_tabs

SIZE = (140, 40)


def person(account: Account, name: str, manager: Person | None = None, **kw) -> Person:
    return people.save(account.id, PersonDraft(name=name, reports_to=manager.id if manager else None, **kw))


def tree_lines(app) -> list[str]:
    chart = app.screen.query_one(OrgChart)
    return [chart.render_line(y).text.rstrip() for y in range(chart.size.height) if chart.render_line(y).text.strip()]


async def open_people(app, pilot) -> OrgChart:
    await pilot.press("enter")  # open the highlighted account
    await pilot.pause()
    assert isinstance(app.screen, AccountScreen)
    await switch_tabs(pilot, app, 1)  # People tab
    chart = app.screen.query_one(OrgChart)
    assert app.focused is chart
    return chart


async def select(pilot, chart: OrgChart, name: str) -> None:
    assert chart.jump_to(name)
    await pilot.pause()
    assert chart.rows[chart.selected_id].name == name


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def power_map_text(app, pilot) -> str:
    """What the Power map tab shows: one tab on from the People tab, then back to the chart."""
    await switch_tabs(pilot, app, 1)
    text = shown_text(app.screen.query_one("#power-map"))
    await switch_tabs(pilot, app, -1)
    assert app.focused is app.screen.query_one(OrgChart)
    return text


def warnings_text(app) -> str:
    return str(app.screen.query_one("#org-warnings").render())


async def test_rep_adds_the_top_person_and_a_report_from_the_keyboard(make_app):
    account = accounts.save(AccountDraft(name="华东精密机械有限公司"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_people(app, pilot)
        assert "Nobody at this account is mapped yet" in warnings_text(app)
        await pilot.press("A")
        assert isinstance(app.screen, PersonForm)
        await type_text(pilot, "王建国")
        app.screen.query_one("#title").value = "总经理"
        app.screen.query_one("#influence").value = "1"
        app.screen.query_one("#buying_role").value = "decision-maker"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        await pilot.press("a")  # a report of the highlighted 王建国
        await type_text(pilot, "李娜")
        app.screen.query_one("#email").value = "li.na@hdjm.com.cn"
        await pilot.press("ctrl+s")
        await pilot.pause()
        lines = tree_lines(app)
        assert lines[0].startswith("▼ 王建国") and "总经理" in lines[0] and "L1" in lines[0]
        assert lines[1].startswith("└─ 李娜")
    boss = Person.get(Person.name == "王建国")
    report = Person.get(Person.name == "李娜")
    assert report.reports_to_id == boss.id and report.account_id == account.id
    assert Account.get_by_id(account.id).warning_count == len(people.warnings_for(account.id))


async def test_invalid_email_is_shown_beside_the_field_and_nothing_is_written(make_app):
    accounts.save(AccountDraft(name="Northwind"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_people(app, pilot)
        await pilot.press("A")
        form = app.screen
        await type_text(pilot, "Tom")
        form.query_one("#email").value = "tom(at)northwind"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert {f.field for f in form.query("FormField") if f.has_class("-invalid")} == {"email"}
        await pilot.press("escape")  # typed values: asked first, then discarded
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
    assert Person.select().count() == 0


async def test_editing_a_person_changes_their_line(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    person(account, "Tom Becker", title="Buyer")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_people(app, pilot)
        await pilot.press("e")
        assert isinstance(app.screen, PersonForm)
        app.screen.query_one("#title").value = "Head of Procurement"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Head of Procurement" in tree_lines(app)[0]
    assert Person.get().title == "Head of Procurement"


async def test_moving_under_another_manager_and_refusing_a_cycle(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    ceo = person(account, "Anna CEO", influence="1")
    cfo = person(account, "Ben CFO", ceo, influence="2")
    controller = person(account, "Cleo Controller", cfo, influence="3")
    buyer = person(account, "Dan Buyer", influence="4")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        # Dan moves under the CFO.
        await select(pilot, chart, "Dan Buyer")
        await pilot.press("m")
        assert isinstance(app.screen, PersonPicker)
        await type_text(pilot, "ben")
        await pilot.press("enter")
        await pilot.pause()
        assert Person.get_by_id(buyer.id).reports_to_id == cfo.id
        # Anna cannot move under her own controller: refused, nothing written.
        await select(pilot, chart, "Anna CEO")
        await pilot.press("m")
        await type_text(pilot, "cleo")
        await pilot.press("enter")
        await pilot.pause()
        assert any("Cannot move Anna CEO under Cleo Controller" in n.message for n in notifications(app))
        assert Person.get_by_id(ceo.id).reports_to_id is None
        # Escape in the picker changes nothing either.
        await pilot.press("m")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
    assert Person.get_by_id(controller.id).reports_to_id == cfo.id


async def test_deleting_asks_first_and_moves_reports_up(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    ceo = person(account, "Anna CEO", influence="1")
    cfo = person(account, "Ben CFO", ceo, influence="2")
    controller = person(account, "Cleo Controller", cfo)
    analyst = person(account, "Dora Analyst", cfo)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        await select(pilot, chart, "Ben CFO")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 direct report" in str(app.screen.query_one("#confirm-question").render())
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert Person.select().count() == 4
        await pilot.press("d")
        await pilot.press("y")
        await pilot.pause()
        lines = tree_lines(app)
        assert [line.split(" L")[0] for line in lines] == ["▼ Anna CEO", "├─ Cleo Controller", "└─ Dora Analyst"]
    assert {p.reports_to_id for p in Person.select().where(Person.id.in_([controller.id, analyst.id]))} == {ceo.id}


async def test_rating_a_chart_with_single_keys_updates_warnings_at_once(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    ceo = person(account, "Anna CEO", buying_role="decision-maker", owner="Julia Hoffmann", coverage="multiple")
    Person.update(last_contacted=dt.date(2026, 11, 1)).where(Person.id == ceo.id).execute()
    buyer = person(account, "Ben Buyer", ceo, owner="Tom", coverage="brief")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        assert "No coach" in await power_map_text(app, pilot)
        await select(pilot, chart, "Ben Buyer")
        await pilot.press("c")  # coach
        await pilot.press("2")  # influence L2
        await pilot.press("minus")  # one lower: L3
        await pilot.press("t", "t")  # attitude: mentor, then supporter
        await pilot.press("v")  # coverage: brief -> multiple
        await pilot.pause()
        stored = Person.get_by_id(buyer.id)
        assert (stored.is_coach, stored.influence, stored.attitude, stored.coverage) == (
            True,
            3,
            "supporter",
            "multiple",
        )
        line = next(line for line in tree_lines(app) if "Ben Buyer" in line)
        assert "L3" in line and "★" in line and " +" in line
        # Anna is L? and the only key person check: make her L1 opponent -> a warning appears.
        await select(pilot, chart, "Anna CEO")
        await pilot.press("1")
        for _ in range(5):  # "" -> mentor -> supporter -> neutral -> non-supporter -> opponent
            await pilot.press("t")
        await pilot.pause()
        power_map = await power_map_text(app, pilot)  # drawn before: it follows the ratings
        assert "opposes us" in power_map
        assert "No coach" not in power_map
    assert Account.get_by_id(account.id).warning_count == len(people.warnings_for(account.id))


async def test_influence_link_is_recorded_and_listed_on_the_person(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    person(account, "Anna CEO")
    person(account, "Ben Engineer")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        await select(pilot, chart, "Ben Engineer")
        await pilot.press("i")
        await type_text(pilot, "anna")
        await pilot.press("enter")
        await pilot.pause()
        detail = shown_text(app.screen.query_one("#person-detail"))
        assert "→ Anna CEO" in detail
    link = InfluenceLink.get()
    assert (link.source.name, link.target.name) == ("Ben Engineer", "Anna CEO")


async def test_jump_to_a_person_by_typing_part_of_the_name(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    top = person(account, "Anna CEO")
    mid = person(account, "Ben CFO", top)
    person(account, "张伟 会计", mid)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "张伟")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is chart
        assert chart.rows[chart.selected_id].name == "张伟 会计"


async def test_names_with_markup_show_literally_and_cjk_lines_align(make_app):
    account = accounts.save(AccountDraft(name="Northwind"))
    boss = person(account, "[red]Li[/]", title="GM", influence="1")
    person(account, "王建国", boss, title="采购经理", influence="2")
    person(account, "Tom", boss, title="Buyer", influence="2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_people(app, pilot)
        lines = tree_lines(app)
        assert lines[0].startswith("▼ [red]Li[/]")
        detail = shown_text(app.screen.query_one("#person-detail"))
        assert "[red]Li[/]" in detail
        # Both reports start at the same column, whatever the width of their characters.
        cn = next(line for line in lines if "王建国" in line)
        en = next(line for line in lines if "Tom" in line)
        assert cell_len(cn[: cn.index("王建国")]) == cell_len(en[: en.index("Tom")])
        # The rating follows the double-width name exactly one cell later.
        assert cell_len(cn[: cn.index("L2")]) - cell_len(cn[: cn.index("王建国")]) == cell_len("王建国") + 1


async def test_chart_measures_its_lines_like_the_tree_renders_them(make_app):
    """OrgChart measures labels without rendering them: the widths must match Tree's own."""
    from textual.widgets import Tree

    account = accounts.save(AccountDraft(name="Northwind"))
    boss = person(account, "王建国", title="总经理", influence="1")
    mid = person(account, "Tom", boss, title="Buyer", is_coach=True)
    person(account, "李娜", mid, department="采购部")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_people(app, pilot)
        nodes = list(chart._all_nodes())
        next(n for n in nodes if n.data == mid.id).collapse()  # an expanded, a collapsed and a leaf node
        await pilot.pause()
        assert {n.is_expanded for n in nodes if n.allow_expand} == {True, False}
        assert [chart.get_label_width(n) for n in nodes] == [Tree.get_label_width(chart, n) for n in nodes]
        assert chart.virtual_size.width == max(
            Tree.get_label_width(chart, node) + guides for node, guides in tree_line_guides(chart)
        )


async def test_rep_exports_the_chart_from_the_app(make_app, tmp_path):
    from saletui.ui.screens.orgchart_export import OrgChartExport

    account = accounts.save(AccountDraft(name="华东精密"))
    boss = person(account, "王建国", title="总经理", influence="1")
    person(account, "李娜", boss, is_coach=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_people(app, pilot)
        await pilot.press("x")
        assert isinstance(app.screen, OrgChartExport)
        app.screen.query_one("#format").value = "mermaid"
        await pilot.pause()
        target = tmp_path / "chart.mmd"
        app.screen.query_one("#path").value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
    text = target.read_text(encoding="utf-8")
    assert text.lstrip().startswith(("---", "flowchart")) and "王建国" in text and "李娜" in text


async def test_a_new_account_counts_its_first_warning_in_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await type_text(pilot, "Fresh Prospect")
        await pilot.press("ctrl+s")
        await pilot.pause()
        table = app.screen.query_one("AccountTable")
        header, line = table.render_line(0).text, table.render_line(1).text
        warn_col = cell_len(header[: header.index("Warn")])
        assert line[warn_col : warn_col + 4].strip() == "1"  # nobody mapped yet
