"""Qualification: milestones of the process file carry a qualification key (BANT by
default, the shipped MEDDPICC file as a second example); each deal shows how far it is
qualified, e.g. "B✓ A· N✓ T✗", and moving a deal past a stage with unqualified keys asks
first."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Select

from saletui.config_error import ConfigError
from saletui.method.qualification import (
    BANT,
    FAILED,
    NOT_APPLICABLE,
    OPEN,
    QUALIFIED,
    KeyedMilestone,
    assess,
    line,
    unqualified_before,
)
from saletui.process.load import builtin_path, load_process, resolve
from saletui.store import accounts, deals, milestones, visits
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.models import Deal, Milestone
from saletui.store.visits import Debrief, VisitPlan
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.confirm import ConfirmScreen
from saletui.ui.screens.deal_form import DealForm
from tests.conftest import shown_text, until
from tests.test_ui_visits import open_tab


def test_a_key_is_qualified_once_one_of_its_milestones_is_reached():
    states = assess(
        BANT,
        [
            KeyedMilestone("budget", 1, "reached"),
            KeyedMilestone("authority", 1, "open", tried=True),  # on a visit, not reached
            KeyedMilestone("need", 1, "open"),
            KeyedMilestone("timing", 1, "skipped"),  # does not apply to this deal
        ],
    )
    assert [s.mark for s in states] == [QUALIFIED, FAILED, OPEN, NOT_APPLICABLE]
    assert line(states) == "B✓ A✗ N· T–"
    assert [s.key.key for s in unqualified_before(states, 2)] == ["authority", "need"]
    assert unqualified_before(states, 1) == []  # not moving past stage 1


def test_the_built_in_processes_qualify_on_bant_and_meddpicc_is_shipped_and_selected_by_name():
    for language in ("en", "zh_CN"):
        process = load_process(builtin_path(language))
        assert [k.key for k in process.qualification] == ["budget", "authority", "need", "timing"]
        assert sorted(process.qualifying().values()) == ["authority", "budget", "need", "timing"]
    meddpicc = load_process(resolve("meddpicc"))
    assert [k.letter for k in meddpicc.qualification] == ["M", "E", "Dc", "Dp", "P", "I", "Ch", "Co"]
    assert set(meddpicc.qualifying().values()) == {k.key for k in meddpicc.qualification}


def test_a_qualification_key_that_the_file_does_not_list_is_named_with_its_line(tmp_path):
    text = Path(builtin_path("en")).read_text(encoding="utf-8").replace("qualifies: timing", "qualifies: timeing")
    broken = tmp_path / "process.yaml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as problem:
        load_process(broken)
    line_no = next(i for i, t in enumerate(text.splitlines(), 1) if "qualifies: timeing" in t)
    assert f"process.yaml:{line_no}:" in str(problem.value) and "timeing" in str(problem.value)
    bad_list = tmp_path / "own.yaml"
    bad_list.write_text("qualification: [budget]\n" + text.split("language: en\n", 1)[1], encoding="utf-8")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_process(bad_list)


@pytest.fixture
def deal(store):
    process = load_process(builtin_path("en"))
    account = accounts.save(AccountDraft(name="Acme", relationship="customer")).id
    created = deals.save(account, DealDraft(title="Line", stage=1), process=process)
    return process, account, created.id


def keyed(deal_id: int, template_id: str) -> int:
    """The deal's copy of the process file's milestone `template_id`."""
    return Milestone.get((Milestone.deal == deal_id) & (Milestone.template_id == template_id)).id


def test_the_store_reads_a_deals_qualification_from_its_milestones_and_visits(deal):
    process, account, deal_id = deal
    assert line(milestones.qualification([deal_id], process)[deal_id]) == "B· A· N· T·"
    budget, timing = keyed(deal_id, "budget"), keyed(deal_id, "timing")
    visit = visits.plan_visit(
        account,
        VisitPlan(
            planned_at="2026-11-20 10:00", deal_id=deal_id, purposes=["progress"], milestone_ids=[budget, timing]
        ),
    )
    visits.record_outcome(
        visit.id, Debrief(outcome="Budget confirmed", results={budget: (True, ""), timing: (False, "")})
    )
    assert line(milestones.qualification([deal_id], process)[deal_id]) == "B✓ A· N· T✗"


def test_a_deal_entered_at_a_later_stage_counts_the_earlier_stages_as_qualified(deal):
    process, account, _deal_id = deal
    later = deals.save(account, DealDraft(title="Late", stage=3), process=process).id
    assert line(milestones.qualification([later], process)[later]) == "B✓ A✓ N✓ T✓"


async def test_moving_a_deal_past_its_unqualified_stage_asks_first(make_app):
    app = make_app()
    account = accounts.save(AccountDraft(name="华东精密", relationship="customer"))
    deal = deals.save(account.id, DealDraft(title="MES", stage=1), process=app.process)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_tab(app, pilot, 0)
        table = screen.query_one("#deals", DataTable)
        assert table.get_row_at(0)[3].plain == "B· A· N· T·"
        await pilot.press("enter")
        assert isinstance(app.screen, DealForm)
        app.screen.query_one("#stage", Select).value = 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        question = shown_text(app.screen.query_one("#confirm-question"), width=400)
        assert "Not qualified yet: Budget (B), Authority (A), Need (N), Timing (T)." in question
        assert "Move the deal on to 3 Proposal anyway?" in question
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, DealForm), "back on the form, nothing written")
        assert Deal.get_by_id(deal.id).stage == 1
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "saved")
    assert Deal.get_by_id(deal.id).stage == 3


def test_the_brief_shows_the_qualification_under_the_chosen_process(tmp_path, open_demo):
    import os
    import subprocess
    import sys

    from saletui.store import db

    path = open_demo(tmp_path / "team.sqlite3")
    db.close_database()
    env = {**os.environ, "SALETUI_HOME": str(tmp_path / "home"), "SALETUI_DB": str(path)}
    for process, expected in ((None, "Qualified: B"), ("meddpicc", "Qualified: M")):
        options = ["--process", process] if process else []
        run = subprocess.run(
            [sys.executable, "-m", "saletui", *options, "brief", "Northwind"],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
        assert expected in run.stdout
