"""The pipeline: a team lead sees every open deal across the accounts by stage or close
month, with value, weighted value and the deals at risk, per currency; filters narrow it,
Ctrl+S and `saletui report pipeline` write it."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable

from saletui.method.pipeline import DEFAULT_PROBABILITY, buckets, total, weighted_value
from saletui.store import accounts, deal_contacts, deals, people, pipeline
from saletui.store.accounts import AccountDraft
from saletui.store.deals import DealDraft
from saletui.store.people import PersonDraft
from saletui.ui.screens.pipeline import PipelineScreen
from saletui.ui.screens.text_prompt import TextPrompt
from tests.conftest import run_cli, shown_text, stdout_of, until


def book() -> None:
    east = accounts.save(
        AccountDraft(name="华东精密", owner="Zhang", region="华东", relationship="customer", tier="top5")
    )
    west = accounts.save(AccountDraft(name="Westwind", owner="Li", region="West", currency="USD"))
    deals.save(east.id, DealDraft(title="MES", value="1,000,000", stage=3, expected_close="2027-03-31"))
    deals.save(east.id, DealDraft(title="WMS", value="500,000", stage=5, expected_close="2027-03-15"))
    deals.save(west.id, DealDraft(title="Fleet", value="200,000", stage=3))
    won = deals.save(west.id, DealDraft(title="Old", value="9,999", stage=5))
    deals.close(won.id, "won", "Price", today=dt.date(2026, 11, 1))  # not in the pipeline
    # One healthy deal: its buying centre is complete, nothing else at risk within the checks used.
    boss = people.save(east.id, PersonDraft(name="王总", influence="1"))
    deal_contacts.set_roles(deals.for_account(east.id)[0].id, boss.id, ["decision-maker"])


def test_weighted_value_by_stage_and_by_month_per_currency(store):
    book()
    found = pipeline.open_deals()
    assert [d.title for d in found] == ["WMS", "MES", "Fleet"]  # most advanced first
    rows = buckets(found, "stage", DEFAULT_PROBABILITY)
    assert [r.key for r in rows] == [1, 2, 3, 4, 5, 6]  # every stage, even empty
    proposal = rows[2]
    assert proposal.deals == 2 and proposal.value == {"CNY": 100_000_000, "USD": 20_000_000}
    assert proposal.weighted == {"CNY": 40_000_000, "USD": 8_000_000}  # 40 % in proposal
    assert rows[4].weighted == {"CNY": 40_000_000}  # 80 % of CNY 500,000
    assert total(rows).weighted == {"CNY": 80_000_000, "USD": 8_000_000}
    by_month = buckets(found, "month", DEFAULT_PROBABILITY)
    assert [r.key for r in by_month] == [202703, 0]  # the deal without a date last
    assert weighted_value(None, 3, DEFAULT_PROBABILITY) == 0
    kept = pipeline.open_deals(pipeline.PipelineFilter(owner="Zhang", tier="top5"))
    assert [d.title for d in kept] == ["WMS", "MES"]


async def test_the_pipeline_screen_filters_and_exports(make_app, tmp_path):
    book()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PipelineScreen), "the pipeline")
        screen = app.screen
        table = screen.query_one("#pipeline-table", DataTable)
        cells = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["3 Proposal", "CNY", "2", "2", "1,000,000", "400,000"] in cells
        assert ["", "USD", "", "", "200,000", "80,000"] in cells
        await pilot.press("o")  # the first owner: Li
        assert "Owner: Li" in shown_text(screen.query_one("#pipeline-choice"), width=300)
        cells = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert cells[-1][:3] == ["Total", "USD", "1"]
        await pilot.press("o", "o")  # Zhang, then every owner again
        assert "Owner" not in shown_text(screen.query_one("#pipeline-choice"), width=300)
        await pilot.press("g")
        assert "expected close" in shown_text(screen.query_one("#pipeline-choice"), width=300)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one("#prompt-text").value = str(tmp_path / "pipeline.md")
        await pilot.press("enter")
        await until(pilot, (tmp_path / "pipeline.md").exists, "the file written")
    text = (tmp_path / "pipeline.md").read_text(encoding="utf-8")
    assert text.startswith("# Pipeline: open deals by expected close") and "| 2027-03 | CNY | 2 |" in text


def test_saletui_report_pipeline_prints_csv_for_excel(tmp_path, store):
    book()
    from saletui.store import db

    db.close_database()
    result = run_cli("report", "pipeline", "--region", "华东", "--format", "csv", db=store, home=tmp_path, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = stdout_of(result).splitlines()
    assert out[0].startswith("Stage,Currency,Deals,At risk,Value,Weighted value")
    assert "3 Proposal,CNY,1,1,1000000,400000" in out  # exact, as the sales CSV writes amounts


def test_a_process_file_sets_each_stages_chance_and_a_bad_one_is_named(tmp_path):
    import pytest

    from saletui.config_error import ConfigError
    from saletui.process.load import builtin_path, load_process

    text = builtin_path("en").read_text(encoding="utf-8")
    own = tmp_path / "process.yaml"
    own.write_text(text.replace("    name: Proposal\n", "    name: Proposal\n    probability: 25\n"), encoding="utf-8")
    assert load_process(own).probabilities() == {**DEFAULT_PROBABILITY, 3: 25}
    own.write_text(text.replace("    name: Proposal\n", "    name: Proposal\n    probability: 250\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"stages\[2\]\.probability: expected a whole percent from 0 to 100"):
        load_process(own)
