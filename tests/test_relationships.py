"""Our team's relationship with each key person: a rep records, for the L1-L3 people, the
level each of our staff has now and the target (vendor, credible source, problem solver,
trusted advisor); the card and the brief show the gap, and a key person whose best
relationship is below target is a coverage warning."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select

from saletui.errors import ValidationError
from saletui.method.org import WarningKind
from saletui.method.relationship import Relationship, best_gap
from saletui.services import brief
from saletui.store import accounts, people, relationships
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account
from saletui.store.people import PersonDraft
from saletui.ui.screens.relationship_form import RelationshipForm
from tests.conftest import TODAY, shown_text, until
from tests.test_ui_visits import open_tab


def test_the_gap_is_the_best_relationship_against_the_highest_target():
    assert best_gap([Relationship("Zhang", 2, 4), Relationship("Li", 3, 3)]) == 1
    assert best_gap([Relationship("Zhang", 4, 3)]) == 0
    assert best_gap([]) == 0


@pytest.fixture
def ceo(store):
    account = accounts.save(AccountDraft(name="华东精密", relationship="customer")).id
    boss = people.save(account, PersonDraft(name="王总", influence="1", owner="Zhang", is_coach=True)).id
    return account, boss


def warnings_of(account: int) -> set[WarningKind]:
    return {w.kind for w in people.warnings_for(account)}


def test_a_key_person_below_target_is_warned_until_a_staff_member_gets_there(ceo):
    account, boss = ceo
    assert WarningKind.RELATIONSHIP_BELOW_TARGET not in warnings_of(account)
    before = Account.get_by_id(account).warning_count
    relationships.save(boss, "Zhang", 2, 4)
    assert WarningKind.RELATIONSHIP_BELOW_TARGET in warnings_of(account)
    assert Account.get_by_id(account).warning_count == before + 1  # the list's count follows at once
    relationships.save(boss, "Li", 4, 4)  # our director is their trusted advisor already
    assert WarningKind.RELATIONSHIP_BELOW_TARGET not in warnings_of(account)
    assert [r.staff for r in relationships.for_person(boss)] == ["Li", "Zhang"]  # closest first
    relationships.remove(boss, "Li")
    assert WarningKind.RELATIONSHIP_BELOW_TARGET in warnings_of(account)


def test_the_brief_shows_each_relationship_with_its_gap(ceo):
    account, boss = ceo
    relationships.save(boss, "Zhang", 2, 4)
    text = brief.render_markdown(brief.build(account, TODAY, []))
    assert "Our relationships: Zhang: credible source → trusted advisor (gap 2)" in text
    assert "Our best relationship with 王总 (L1) is below the target we set." in text


def test_a_relationship_needs_a_staff_member_and_two_levels(ceo):
    _account, boss = ceo
    with pytest.raises(ValidationError) as refused:
        relationships.save(boss, "  ", 0, 5)
    assert set(refused.value.errors) == {"staff", "level", "target"}
    assert relationships.for_person(boss) == []


async def test_the_rep_sets_a_relationship_on_the_org_chart_and_the_card_shows_the_gap(make_app, ceo):
    account, boss = ceo
    before = len(people.warnings_for(account))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_tab(app, pilot, 1)  # People
        assert f"{before} coverage warnings" in shown_text(screen.query_one("#org-warnings"), width=300)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, RelationshipForm), "the relationship form")
        form = app.screen
        assert form.query_one("#staff", Input).value == "Zhang"  # the person's owner on our side
        form.query_one("#level", Select).value = 1
        form.query_one("#target", Select).value = 3
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "back on the chart")
        card = shown_text(screen.query_one("#person-detail"), width=200)
        assert "Zhang: vendor → problem solver (gap 2)" in card
        assert f"{before + 1} coverage warnings" in shown_text(screen.query_one("#org-warnings"), width=300)
    assert relationships.for_person(boss) == [Relationship("Zhang", 1, 3)]
