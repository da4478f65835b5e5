"""A rep rates a prospect on the method's factors (size, management level, network, buying
power, marketing level, growth, our relative advantage), 1 to 5; enough ratings make its
expected contribution a weighted score, which places it with the intent typed by hand
(#16 part 2). The weights and thresholds come from the settings' `classes: prospects:`."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from textual.widgets import Select

from saletui.errors import ValidationError
from saletui.method import prospect_score
from saletui.method.derivation import ClassRules
from saletui.settings import load_settings
from saletui.store import accounts, derived
from saletui.store.accounts import AccountDraft
from saletui.store.models import Account, database
from saletui.ui.screens.account import AccountScreen
from saletui.ui.screens.account_form import AccountForm
from saletui.ui.widgets.account_table import AccountTable
from tests.conftest import shown_text, until

TODAY = dt.date(2026, 11, 25)
RULES = ClassRules()


def prospect(name: str, intent: str = "high", **ratings: int) -> int:
    draft = AccountDraft(name=name, relationship="prospect", expected_value="low", intent=intent)
    for factor, rating in ratings.items():
        setattr(draft, f"rating_{factor}", str(rating))
    return accounts.save(draft).id


def class_of(account_id: int, rules: ClassRules = RULES) -> str:
    derived.ensure_current(TODAY, rules)
    row = accounts.get_row(account_id)
    assert row is not None
    return row.class_code


def test_the_score_is_the_weighted_mean_of_the_factors_rated():
    weights = dict(RULES.prospect_weights)
    assert prospect_score.score({"size": 5, "network": 4, "growth": 3}, weights) == 4.0
    assert prospect_score.score({"size": 5, "network": 4}, weights) is None  # fewer than 3 rated
    assert prospect_score.score({"size": 5, "network": 4}, weights, min_rated=2) == 4.5
    weights["size"] = 3.0  # size counts three times
    assert prospect_score.score({"size": 5, "network": 1, "growth": 1}, weights) == 3.4
    weights["network"] = 0.0  # left out: it does not count as rated either
    assert prospect_score.score({"size": 5, "network": 1, "growth": 1}, weights) is None
    assert prospect_score.assess({"size": 3, "network": 3, "growth": 4}, dict(RULES.prospect_weights))[1] == "low"
    assert prospect_score.assess({"size": 4, "network": 3, "growth": 4}, {}, high_from=3.5) is None  # no weights
    assert prospect_score.assess(
        {"size": 4, "network": 4, "growth": 3, "advantage": 3}, dict(RULES.prospect_weights)
    ) == (
        3.5,
        "high",
    )  # exactly the threshold is high


def test_a_rated_prospect_is_placed_by_its_score_unless_set_by_hand(store):
    typed_only = prospect("Typed only", size=5, network=5)  # two ratings: no score yet
    strong = prospect("Strong lead", size=5, management=4, network=4, buying_power=3)  # 4.0
    weak = prospect("Weak lead", intent="low", size=2, growth=3, advantage=2)  # 2.33
    assert (class_of(typed_only), class_of(strong), class_of(weak)) == ("PIII", "PI", "PIV")
    info = derived.class_info(accounts.get(strong), TODAY, RULES)
    assert (info.score, info.score_level, info.rated) == (4.0, "high", 4)
    assert derived.source_text(info, RULES) == "expected contribution high from the score 4.0 of 5 (4 factors rated)"

    draft = AccountDraft.from_account(accounts.get(strong))
    draft.class_source = "hand"  # the rep knows better: the typed "low" stands
    accounts.save(draft, strong)
    assert class_of(strong) == "PIII"
    info = derived.class_info(accounts.get(strong), TODAY, RULES)
    assert derived.source_text(info, RULES) == "set by hand; the score says PI"


def test_a_new_rating_or_new_weights_place_the_prospect_again(store):
    lead = prospect("Borderline", size=3, network=3, growth=4)  # 3.33: low
    assert class_of(lead) == "PIII"
    draft = AccountDraft.from_account(accounts.get(lead))
    draft.rating_advantage = "5"  # 3.75 with our advantage: high
    accounts.save(draft, lead)
    assert not derived.is_current(TODAY, RULES)  # the trigger marked the classes stale
    assert class_of(lead) == "PI"
    lenient = replace(RULES, prospect_high_from=4.0)
    assert class_of(lead, lenient) == "PIII"  # other rules: worked out again
    database.execute_sql("UPDATE account SET relationship = 'customer' WHERE id = ?", (lead,))
    assert class_of(lead) == ""  # a customer is placed by its orders (it has none), not a score


def test_a_rating_outside_1_to_5_is_refused_with_the_value(store):
    draft = AccountDraft(name="Typo Ltd", relationship="prospect", rating_size="7", rating_growth="x")
    with pytest.raises(ValidationError) as caught:
        accounts.save(draft)
    assert caught.value.errors == {
        "rating_size": "A rating is 1 (poor) to 5 (excellent), not '7'.",
        "rating_growth": "A rating is 1 (poor) to 5 (excellent), not 'x'.",
    }
    assert not Account.select().where(Account.name == "Typo Ltd").exists()


def test_weights_in_the_settings_are_checked_and_a_bad_one_named_by_line(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text(
        "classes:\n"
        "  prospects:\n"
        "    weights:\n"
        "      size: 3\n"
        "      charm: 2\n"
        "      growth: -1\n"
        "    high_from: 4\n"
        "    min_rated: 9\n",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.classes == ClassRules()  # as every soft section: a problem, and its defaults hold
    problems = "\n".join(str(p) for p in settings.problems)
    assert f"{path}:5" in problems and "charm" in problems
    assert f"{path}:6" in problems and "between 0 and 100" in problems
    assert f"{path}:8" in problems and "min_rated" in problems  # 9 > the 7 factors
    path.write_text("classes:\n  prospects:\n    weights: {size: 3, network: 0}\n    high_from: 4\n", encoding="utf-8")
    rules = load_settings(path).classes
    assert dict(rules.prospect_weights) == {**dict(ClassRules().prospect_weights), "size": 3.0, "network": 0.0}
    assert rules.prospect_high_from == 4.0


async def test_the_rep_rates_a_prospect_in_the_form_and_the_list_places_it(make_app, store):
    """E on the list, the seven ratings under the prospect's axes (Tab and arrows only);
    the class line shows the score as it is typed; Ctrl+S saves, the list says PI."""
    lead = prospect("华东新能源", size=1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query(AccountTable), "the list")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, AccountForm), "the form")
        form = app.screen
        for factor, rating in (("size", 5), ("management", 4), ("network", 4), ("buying_power", 3)):
            select = form.query_one(f"#rating_{factor}", Select)
            select.focus()
            await pilot.press("enter")  # open the choices: "1" .. "5"
            # From the rating shown ("1" for size; the blank "-" above "1" for the others).
            await pilot.press(*["down"] * (rating - 1 if factor == "size" else rating))
            await pilot.press("enter")
            await until(pilot, lambda s=select, r=rating: s.value == str(r), f"{factor} rated {rating}")
            region = form.query_one("#form-body").scrollable_content_region
            assert select.region.y >= region.y and select.region.bottom <= region.bottom  # in view
        assert "PI" in shown_text(form.query_one("#derived-class")) and "score 4.0 of 5: high" in shown_text(
            form.query_one("#derived-class")
        )
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AccountForm), "saved")
        await until(pilot, lambda: accounts.get_row(lead).class_code == "PI", "placed by its score")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen), "the account")
        profile = shown_text(app.screen.query_one("#profile"))
        assert "expected contribution high from the score 4.0 of 5 (4 factors rated)" in profile
        assert "Size 5 · Management level 4 · Network 4 · Buying power 3" in profile
