"""The pre-call brief: everything about one account on one page, before the visit."""

from __future__ import annotations

import datetime as dt

from saletui.playbook.load import builtin_file, default_builtin_dir, load_file
from saletui.services import brief
from saletui.store import accounts
from saletui.store.models import Account, Person, Visit, VisitObjection
from saletui.ui.screens.brief import BriefScreen
from tests.conftest import TODAY, shown_text


def playbook():
    loaded, errors = load_file(builtin_file(default_builtin_dir(), "en"))
    assert not errors
    return list(loaded.objections)


def demo_account() -> Account:
    return Account.get(Account.name == "华东精密机械有限公司")


def test_the_brief_of_a_demo_account_holds_every_section(demo_store):
    account = demo_account()
    text = brief.render_markdown(brief.build(account.id, TODAY, playbook()))
    for heading in (
        "# Pre-call brief: 华东精密机械有限公司",
        "## Account",
        "## Open deals",
        "## People who matter",
        "## Next visit",
        "## Last visits",
        "## Objections likely at this stage",
    ):
        assert heading in text
    assert "EI — Consolidate" in text and "Top 5" in text
    # The L1-L2 people and the coach, each with pains, interests and our owner.
    for person in Person.select().where((Person.account == account.id) & (Person.influence <= 2)):
        assert person.name in text
    coach = Person.get((Person.account == account.id) & (Person.is_coach == True))  # noqa: E712
    assert coach.name in text and "coach" in text
    assert "Pains:" in text and "Our owner:" in text
    # The last three visits, newest first.
    done = list(
        Visit.select()
        .where((Visit.account == account.id) & (Visit.status == "done"))
        .order_by(Visit.planned_at.desc())
        .limit(3)
    )
    positions = [text.index(v.planned_at.strftime("%Y-%m-%d")) for v in done]
    assert positions == sorted(positions)


def test_likely_objections_put_the_teams_best_working_technique_first(store):
    from saletui.store import deals
    from saletui.store.deals import DealDraft

    account = accounts.save(accounts.AccountDraft(name="Northwind"))
    deals.save(account.id, DealDraft(title="Fleet", stage=3))  # proposal: price objections come up
    visit = Visit.create(account=account, planned_at=dt.datetime(2026, 11, 1, 10), status="done")
    objections = playbook()
    too_expensive = next(o for o in objections if o.id == "too-expensive")
    last = too_expensive.techniques[-1]
    for worked in (True, True, False):
        VisitObjection.create(
            visit=visit,
            objection_id="too-expensive",
            objection_title="Too expensive",
            technique_id=last.id,
            technique_name=last.name,
            worked=worked,
        )
    data = brief.build(account.id, TODAY, objections)
    ranked = {o.id: techniques for o, techniques in data.objections}
    assert "too-expensive" in ranked and "think-about-it" in ranked
    assert ranked["too-expensive"][0][0].id == last.id
    assert "(worked 2/3)" in brief.render_markdown(data)
    assert all("proposal" in o.stages or not o.stages for o, _t in data.objections)


def test_user_text_is_escaped_so_markdown_cannot_rewrite_it(store):
    account = accounts.save(accounts.AccountDraft(name="*VIP* [click](http://x) #1", owner="_Li_"))
    text = brief.render_markdown(brief.build(account.id, TODAY, []))
    assert r"\*VIP\* \[click\](http://x) \#1" in text
    assert r"\_Li\_" in text


def test_overdue_next_steps_are_listed(store):
    account = accounts.save(
        accounts.AccountDraft(
            name="Late Co", next_step="Send the quote", next_step_date=(TODAY - dt.timedelta(days=3)).isoformat()
        )
    )
    text = brief.render_markdown(brief.build(account.id, TODAY, []))
    assert "## Overdue" in text and "Send the quote" in text


async def test_b_opens_the_brief_from_the_account_list(make_app, demo_store):
    app = make_app()
    async with app.run_test(size=(130, 40)) as pilot:
        await pilot.press("slash")
        for ch in "华东精密":
            await pilot.press(ch)
        await pilot.press("enter", "b")
        await pilot.pause()
        assert isinstance(app.screen, BriefScreen)
        assert "People who matter" in app.screen.text
        shown = shown_text(app.screen.query_one("#brief").markdown)
        assert "People who matter" in shown and "华东精密机械有限公司" in shown


def test_the_brief_command_names_the_account_by_part_of_its_name(tmp_path, open_demo):
    import os
    import subprocess
    import sys

    from saletui.store import db

    path = open_demo(tmp_path / "team.sqlite3")
    db.close_database()
    env = {**os.environ, "SALETUI_HOME": str(tmp_path / "home"), "SALETUI_DB": str(path)}

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "saletui", "brief", *args],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )

    ok = run("华东精密", "-o", str(tmp_path / "brief.md"))
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "brief.md").read_text(encoding="utf-8").startswith("# Pre-call brief: 华东精密机械有限公司")
    ambiguous = run("a")
    assert ambiguous.returncode == 1 and "give more of the name" in ambiguous.stderr
    assert "Traceback" not in ambiguous.stderr
    unknown = run("no such account")
    assert unknown.returncode == 1 and "no account matches" in unknown.stderr


async def test_the_rep_pages_through_a_long_brief_and_it_rewraps_when_the_terminal_changes(make_app, demo_store):
    app = make_app()

    def visible(page) -> str:
        return "\n".join(page.render_line(y).text for y in range(page.scrollable_content_region.height))

    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("slash", *"华东精密", "enter", "b")
        await pilot.pause()
        page = app.screen.query_one("#brief")
        assert page.has_focus and "Pre-call brief" in visible(page)
        assert page.virtual_size.height > 3 * page.size.height  # far longer than the screen

        await pilot.press("end")
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y > 0
        assert "Objections likely" in app.screen.text and "Pre-call brief" not in visible(page)

        await pilot.press("home")
        await pilot.pause()
        narrow_lines = page.virtual_size.height
        await pilot.resize_terminal(160, 24)
        await pilot.pause()
        assert page.virtual_size.height < narrow_lines  # drawn again for the wider page
        assert max(len(page.render_line(y).text.rstrip()) for y in range(10)) > 100


async def test_the_brief_follows_a_change_of_theme(make_app, demo_store):
    app = make_app()

    def background(page):
        return {seg.style.bgcolor for seg in page.render_line(0) if seg.style and seg.text.strip()}

    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("slash", *"华东精密", "enter", "b")
        await pilot.pause()
        page = app.screen.query_one("#brief")
        dark = background(page)
        app.theme = "textual-light"
        await pilot.pause()
        assert background(page) and background(page) != dark


def test_open_deal_values_show_their_currency_and_an_exact_total(store):
    from saletui.store import deals
    from saletui.store.accounts import AccountDraft
    from saletui.store.deals import DealDraft

    account = accounts.save(AccountDraft(name="Fabrikam", currency="USD"))
    for title, value in (("Line A", "0.10"), ("Line B", "0.20"), ("Line C", "1.2M")):
        deals.save(account.id, DealDraft(title=title, value=value))
    text = brief.render_markdown(brief.build(account.id, TODAY, playbook()))
    assert "USD 0.10" in text and "USD 1,200,000" in text
    assert "**Total**: USD 1,200,000.30" in text  # exact: 0.10 + 0.20 is 0.30, not 0.30000000000000004


def test_won_deals_being_implemented_are_in_the_brief_with_their_next_follow_up(store):
    from saletui.method.implementation import Cadence, PhaseRule
    from saletui.store import deals
    from saletui.store.accounts import AccountDraft
    from saletui.store.deals import DealDraft

    account = accounts.save(AccountDraft(name="Acme", relationship="customer"))
    boilers = deals.save(account.id, DealDraft(title="Boilers *fast*", stage=6))
    deals.close(boilers.id, "won", "Coach backed us", today=TODAY - dt.timedelta(days=20))
    old = deals.save(account.id, DealDraft(title="Old pumps", stage=6))
    deals.close(old.id, "won", "Price", today=TODAY - dt.timedelta(days=400))
    text = brief.render_markdown(brief.build(account.id, TODAY, []))
    assert "## After signing" in text
    assert "**Boilers \\*fast\\***" in text and "Learning (since 2026-11-19)" in text
    assert "⚠ next follow-up by 2026-11-22" in text  # learning: every 3 days, nobody called
    assert "Old pumps" not in text  # implemented long ago: the usual cadence applies
    slower = Cadence(new_toy=PhaseRule(lasts=30, follow_up=30), learning=PhaseRule(lasts=60, follow_up=20))
    text = brief.render_markdown(brief.build(account.id, TODAY, [], cadence=slower))
    assert '"New toy" (since 2026-11-05)' in text and "- next follow-up by 2026-12-05" in text
