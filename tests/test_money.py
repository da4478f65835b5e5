"""Money is exact: amounts are integers of minor units, shown with their currency, and
totals are kept per currency so yuan and dollars are never added together."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saletui import money


def test_each_currency_has_its_own_number_of_decimals():
    assert [money.minor_digits(c) for c in ("CNY", "USD", "EUR", "JPY", "KRW", "KWD")] == [2, 2, 2, 0, 0, 3]


def test_amounts_are_shown_with_their_currency():
    assert money.format_money(1_200_000_00, "CNY") == "CNY 1,200,000"
    assert money.format_money(1_234_50, "USD") == "USD 1,234.50"
    assert money.format_money(1_200_000, "JPY") == "JPY 1,200,000"
    assert money.format_money(None, "CNY") == ""
    assert money.plain_number(1_234_50, "USD") == "1234.50"
    assert money.plain_number(1_200_000_00, "CNY") == "1200000"


def test_old_floats_become_minor_units_rounded_half_even_from_the_digits_typed():
    assert money.minor_from_float(0.1 + 0.2, "CNY") == 30
    assert money.minor_from_float(1.1 * 1e6, "CNY") == 1_100_000_00
    assert money.minor_from_float(2.675, "CNY") == 268  # typed 2.675: a tie, to even
    assert money.minor_from_float(2.665, "CNY") == 266
    assert money.minor_from_float(0.005, "CNY") == 0
    assert money.minor_from_float(1e14, "CNY") == 10**16
    assert money.minor_from_float(1500.5, "JPY") == 1500
    for bad in (float("nan"), float("inf"), 1e300):
        with pytest.raises(money.AmountError):
            money.minor_from_float(bad, "CNY")


def test_totals_are_exact_and_kept_per_currency():
    sums = money.totals([(10, "CNY"), (20, "CNY"), (None, "CNY"), (5_00, "USD"), (1, "CNY")])
    assert sums == {"CNY": 31, "USD": 500}
    # A thousand 0.10s are exactly 100.00; floats give 99.9999999999986.
    assert money.totals([(10, "CNY")] * 1000) == {"CNY": 100_00}
    assert money.format_totals(sums) == "CNY 0.31 + USD 5"


def test_minor_units_convert_back_to_an_exact_decimal():
    assert money.to_major(1_200_000_50, "CNY") == Decimal("1200000.50")
    assert money.to_minor(Decimal("1200000.50"), "CNY") == 1_200_000_50
    with pytest.raises(money.AmountError):
        money.to_minor(Decimal("0.001"), "CNY")
