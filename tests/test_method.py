"""The sales method (DOMAIN sections 4 and 5) as pure functions: how an account is
classified, which strategy the rep follows, and who needs attention today."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.method.attention import (
    DEFAULT_CONTACT_DAYS,
    Reason,
    Thresholds,
    attention_reasons,
    days_ago_text,
)
from saletui.method.classes import CLASS_CODES, classify, strategy_for, target_capacity

TODAY = dt.date(2026, 11, 25)
THRESHOLDS = Thresholds(dict(DEFAULT_CONTACT_DAYS))


# -- classification -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("contribution", "stability", "code"),
    [
        ("high", "high", "EI"),
        ("high", "low", "EII"),
        ("low", "high", "EIII"),
        ("low", "low", "EIV"),
    ],
)
def test_an_existing_customer_is_placed_by_contribution_and_stability(contribution, stability, code):
    """A customer worth a lot and buying steadily is EI; one that is worth little and
    drifting is EIV (DOMAIN section 4, existing accounts)."""
    assert classify("customer", contribution=contribution, stability=stability) == code


@pytest.mark.parametrize(
    ("expected_value", "intent", "code"),
    [
        ("high", "high", "PI"),
        ("high", "low", "PII"),
        ("low", "high", "PIII"),
        ("low", "low", "PIV"),
    ],
)
def test_a_prospect_is_placed_by_expected_contribution_and_intent(expected_value, intent, code):
    assert classify("prospect", expected_value=expected_value, intent=intent) == code


def test_a_customer_is_not_classified_by_the_prospect_axes():
    """Leftover prospect ratings must not give a customer a class."""
    assert classify("customer", expected_value="high", intent="high") == ""


def test_a_future_customer_has_its_own_marker_whatever_its_ratings():
    assert classify("future") == "F"
    assert classify("future", contribution="high", stability="high") == "F"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"relationship": "customer"},
        {"relationship": "customer", "contribution": "high"},
        {"relationship": "customer", "contribution": "high", "stability": ""},
        {"relationship": "prospect", "expected_value": "low"},
        {"relationship": "prospect", "expected_value": "medium", "intent": "high"},
        {"relationship": "partner", "contribution": "high", "stability": "high"},
        {"relationship": ""},
    ],
)
def test_an_account_not_fully_rated_yet_has_no_class(kwargs):
    assert classify(**kwargs) == ""


@pytest.mark.parametrize("code", [*CLASS_CODES, "F"])
def test_every_class_comes_with_a_strategy_for_the_rep(code):
    assert strategy_for(code).strip()


def test_strategies_match_the_method():
    """EI is consolidated, EII turned around, EIII upgraded, EIV liquidated; PI closed fast."""
    assert strategy_for("EI").startswith("Consolidate")
    assert strategy_for("EII").startswith("Turn around")
    assert strategy_for("EIII").startswith("Upgrade")
    assert strategy_for("EIV").startswith("Liquidate")
    assert strategy_for("PI").startswith("Close fast")
    assert "relationships" in strategy_for("PII")


def test_an_unrated_account_has_no_strategy():
    assert strategy_for("") == ""
    assert strategy_for("EV") == ""


# -- 5+5+5: target market capacity --------------------------------------------------


def test_target_capacity_is_the_total_minus_the_channels_we_do_not_serve():
    assert target_capacity(10_000_000.0, 2_500_000.0) == 7_500_000.0


def test_target_capacity_is_the_total_when_nothing_is_excluded():
    assert target_capacity(10_000_000.0, None) == 10_000_000.0
    assert target_capacity(10_000_000.0, 0.0) == 10_000_000.0


def test_target_capacity_is_unknown_when_the_total_is_unknown():
    assert target_capacity(None, 2_500_000.0) is None
    assert target_capacity(None, None) is None


# -- staying in touch ----------------------------------------------------------------


def test_an_account_never_contacted_needs_attention():
    assert attention_reasons("EI", None, None, TODAY, THRESHOLDS) == (Reason.NEVER_CONTACTED,)


@pytest.mark.parametrize("code", [*CLASS_CODES, "F", ""])
def test_each_class_is_flagged_one_day_after_its_contact_threshold(code):
    days = THRESHOLDS.for_class(code)
    last = TODAY - dt.timedelta(days=days + 1)
    assert attention_reasons(code, last, None, TODAY, THRESHOLDS) == (Reason.CONTACT_OVERDUE,)


@pytest.mark.parametrize("code", [*CLASS_CODES, "F", ""])
def test_a_contact_exactly_at_the_threshold_is_still_in_time(code):
    days = THRESHOLDS.for_class(code)
    last = TODAY - dt.timedelta(days=days)
    assert attention_reasons(code, last, None, TODAY, THRESHOLDS) == ()


def test_important_classes_get_closer_follow_up_than_the_yearly_floor():
    """EII (drifting, high value) is flagged after two weeks; nobody waits over a year."""
    last = TODAY - dt.timedelta(days=20)
    assert attention_reasons("EII", last, None, TODAY, THRESHOLDS) == (Reason.CONTACT_OVERDUE,)
    assert attention_reasons("EIV", last, None, TODAY, THRESHOLDS) == ()
    assert max(DEFAULT_CONTACT_DAYS.values()) <= 365


def test_a_rep_can_set_their_own_threshold_per_class():
    mine = Thresholds({**DEFAULT_CONTACT_DAYS, "EI": 7})
    last = TODAY - dt.timedelta(days=8)
    assert attention_reasons("EI", last, None, TODAY, mine) == (Reason.CONTACT_OVERDUE,)


def test_an_unknown_class_falls_back_to_the_unrated_threshold():
    assert Thresholds({"": 100}).for_class("EI") == 100
    assert Thresholds({}).for_class("EI") == 365


def test_a_next_step_whose_date_has_passed_is_overdue():
    recent = TODAY - dt.timedelta(days=1)
    yesterday = TODAY - dt.timedelta(days=1)
    assert attention_reasons("EI", recent, yesterday, TODAY, THRESHOLDS) == (Reason.NEXT_STEP_OVERDUE,)


def test_a_next_step_due_today_is_not_overdue_yet():
    recent = TODAY - dt.timedelta(days=1)
    assert attention_reasons("EI", recent, TODAY, TODAY, THRESHOLDS) == ()


def test_every_reason_is_reported_together():
    assert attention_reasons("EI", None, TODAY - dt.timedelta(days=3), TODAY, THRESHOLDS) == (
        Reason.NEVER_CONTACTED,
        Reason.NEXT_STEP_OVERDUE,
    )


# -- "days since the last follow-up" -------------------------------------------------


def test_days_since_last_contact_reads_naturally():
    assert days_ago_text(None, TODAY) == "never"
    assert days_ago_text(TODAY, TODAY) == "today"
    assert days_ago_text(TODAY - dt.timedelta(days=1), TODAY) == "1 d ago"
    assert days_ago_text(TODAY - dt.timedelta(days=400), TODAY) == "400 d ago"


def test_a_contact_dated_in_the_future_reads_as_today():
    """A visit logged with tomorrow's date (clock skew, typo) must not say "-1 d ago"."""
    assert days_ago_text(TODAY + dt.timedelta(days=1), TODAY) == "today"
