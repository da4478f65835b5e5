"""Reporting lines as a bad import or another tool can leave them: a chain a thousand levels
deep, or a loop (A under B under A). Nobody is hidden, nothing crashes, the export stays
small, and the rep is told how to mend a loop."""

from __future__ import annotations

from saletui.store import accounts
from saletui.store.accounts import AccountDraft
from saletui.store.models import Person
from saletui.ui.compat import notifications
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.person_picker import PersonPicker
from saletui.ui.widgets.org_chart import MAX_DEPTH, OrgChart
from tests.conftest import run_cli, stderr_of, stdout_of, switch_tabs, until

LEVELS = 1000


def chain(levels: int) -> int:
    """An account whose people report to one another in one line, `levels` deep."""
    account = accounts.save(AccountDraft(name="Deep Industries"))
    Person.insert_many(
        [
            {"id": i, "account": account.id, "name": f"Level {i}", "reports_to": i - 1 if i > 1 else None}
            for i in range(1, levels + 1)
        ]
    ).execute()
    return account.id


def loop() -> dict[str, int]:
    """Anna and Ben report to each other (as only a corrupt file can have it); Cleo to Anna."""
    account = accounts.save(AccountDraft(name="Loop Ltd"))
    ids = {name: i for i, name in enumerate(("Anna", "Ben", "Cleo"), start=1)}
    Person.insert_many(
        [
            {"id": 1, "account": account.id, "name": "Anna", "reports_to": None},
            {"id": 2, "account": account.id, "name": "Ben", "reports_to": 1},
            {"id": 3, "account": account.id, "name": "Cleo", "reports_to": 1},
        ]
    ).execute()
    Person.update(reports_to=2).where(Person.id == 1).execute()
    return ids


def test_a_chain_a_thousand_levels_deep_exports_as_text_of_bounded_width(store, tmp_path):
    chain(LEVELS)
    result = run_cli("orgchart", "Deep", db=store, home=tmp_path / "home", cwd=tmp_path)
    out = stdout_of(result)
    assert result.returncode == 0, stderr_of(result)
    assert "Level 1000" in out
    lines = out.splitlines()
    assert max(len(line) for line in lines) < 160  # the depth is written, not drawn
    assert any(line.startswith("[999] ") and "Level 1000" in line for line in lines)


async def test_a_chain_a_thousand_levels_deep_opens_in_the_app(make_app, store):
    chain(LEVELS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        await switch_tabs(pilot, app, 1)
        chart = app.screen.query_one(OrgChart)
        await until(pilot, lambda: len(chart.rows) == LEVELS, "everyone loaded")
        assert chart.jump_to("Level 1000")
        await pilot.pause()
        node = chart.cursor_node
        assert node is not None and chart.rows[node.data].name == "Level 1000"
        depth = 0
        while node.parent is not None and node.parent is not chart.root:
            node, depth = node.parent, depth + 1
        assert depth == MAX_DEPTH  # drawn as a tree that far, the rest of the chain beside it


async def test_a_reporting_loop_is_shown_and_can_be_broken_with_m(make_app, store):
    ids = loop()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        await switch_tabs(pilot, app, 1)
        chart = app.screen.query_one(OrgChart)
        await until(pilot, lambda: len(chart.rows) == 3)
        shown = {node.data for node in chart._all_nodes()}
        assert shown == set(ids.values())  # nobody hidden
        await until(pilot, lambda: any("go round in a circle" in n.message for n in notifications(app)))
        warning = next(n.message for n in notifications(app) if "circle" in n.message)
        assert "Anna" in warning and "Ben" in warning and "Cleo" not in warning
        assert chart.jump_to("Anna")
        await pilot.pause()
        assert "⟲" in str(chart.cursor_node.label)
        await pilot.press("m")
        assert isinstance(app.screen, PersonPicker)
        await pilot.press("enter")  # the first choice: reports to nobody here
        await until(pilot, lambda: Person.get_by_id(ids["Anna"]).reports_to_id is None, "the loop broken")
        await until(pilot, lambda: not chart.in_cycle)
        assert "⟲" not in str(chart.cursor_node.label)
