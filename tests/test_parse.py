"""What a rep types into a form becomes a typed value, or a message they can act on.
Reps type amounts the way their market writes them (1,200,000 / 1.2M / 120万 / 3亿)."""

from __future__ import annotations

import datetime as dt

import pytest

from saletui.store import parse
from saletui.store.parse import FieldError


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("1200000", 1_200_000_00),
        ("1,200,000", 1_200_000_00),
        ("1，200，000", 1_200_000_00),  # full-width commas from a Chinese IME
        ("1.2M", 1_200_000_00),
        ("1.2m", 1_200_000_00),
        ("500k", 500_000_00),
        ("120万", 1_200_000_00),
        ("120w", 1_200_000_00),
        ("3亿", 300_000_000_00),
        ("  42  ", 42_00),
        ("0.5", 50),
        (".5", 50),
        ("1.1M", 1_100_000_00),  # as a float this was 1100000.0000000002
        ("0.30", 30),
        ("1.23456万", 12_345_60),
    ],
)
def test_amounts_are_accepted_as_the_market_writes_them_and_kept_as_exact_fen(typed, minor):
    value = parse.amount(typed)
    assert value == minor and type(value) is int


def test_an_amount_takes_the_decimals_of_its_currency():
    assert parse.amount("1.2M", "USD") == 120_000_000
    assert parse.amount("1.2M", "JPY") == 1_200_000
    assert parse.amount("1.234", "KWD") == 1234


@pytest.mark.parametrize(
    ("typed", "currency", "says"),
    [
        ("1.005", "CNY", "CNY has 2 decimals: '1.005' has more"),
        ("19.999", "USD", "USD has 2 decimals"),
        ("1.5", "JPY", "JPY has no smaller unit"),
        ("1.23456789万", "CNY", "CNY has 2 decimals"),
    ],
)
def test_more_decimals_than_the_currency_has_are_refused_not_rounded(typed, currency, says):
    with pytest.raises(FieldError) as exc:
        parse.amount(typed, currency)
    assert says in str(exc.value)


def test_an_amount_too_large_to_store_exactly_is_refused():
    assert parse.amount("1000000000000000") == 10**17
    with pytest.raises(FieldError, match="Too large"):
        parse.amount("1000000000000001")
    with pytest.raises(FieldError, match="Too large"):
        parse.amount("99999999亿")


def test_a_currency_is_a_three_letter_code():
    assert parse.currency(" usd ") == "USD"
    for bad in ("", "US", "元", "US$", "EURO"):
        with pytest.raises(FieldError, match="Not a currency code"):
            parse.currency(bad)


@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_amount_means_unknown(typed):
    assert parse.amount(typed) is None


@pytest.mark.parametrize("typed", ["abc", "-5", "1.2.3", "12X", "1e6", "万"])
def test_a_bad_amount_is_refused_with_an_example_of_what_works(typed):
    with pytest.raises(FieldError) as exc:
        parse.amount(typed)
    message = str(exc.value)
    assert message.startswith("Not an amount")
    assert repr(typed) in message
    assert "1.2M" in message and "120万" in message


def test_an_amount_is_shown_back_as_typed_without_an_exponent():
    assert parse.format_amount(1_200_000_00) == "1,200,000"
    assert parse.format_amount(300_000_000_00) == "300,000,000"
    assert parse.format_amount(1234_50) == "1,234.50"
    assert parse.format_amount(5) == "0.05"
    assert parse.format_amount(1_200_000, "JPY") == "1,200,000"
    assert parse.format_amount(None) == ""
    assert parse.amount(parse.format_amount(1_200_000_00)) == 1_200_000_00
    assert parse.amount(parse.format_amount(1234_56)) == 1234_56


@pytest.mark.parametrize("typed", ["2026-03-01", "2026/3/1", "2026.03.01", " 2026-3-1 "])
def test_dates_are_accepted_in_iso_and_slash_form(typed):
    assert parse.date(typed) == dt.date(2026, 3, 1)


def test_an_empty_date_means_none():
    assert parse.date("") is None
    assert parse.date("  ") is None


@pytest.mark.parametrize("typed", ["2026-02-30", "2026-13-01", "tomorrow", "01/03/2026", "2026-03-01x"])
def test_an_impossible_date_is_refused_with_the_expected_format(typed):
    with pytest.raises(FieldError) as exc:
        parse.date(typed)
    assert "Not a date" in str(exc.value)
    assert "YYYY-MM-DD" in str(exc.value)


def test_text_is_trimmed():
    assert parse.text("  Acme  ") == "Acme"


@pytest.mark.parametrize("typed", ["Acme\x1b[31m", "A\x00B", "bell\x07", "del\x7f"])
def test_text_with_control_characters_is_refused(typed):
    """Terminal escapes pasted into a name would repaint the screen of whoever views it."""
    with pytest.raises(FieldError) as exc:
        parse.text(typed)
    assert "control characters" in str(exc.value)


def test_notes_keep_their_lines_and_tabs():
    assert parse.text("line one\n\tline two") == "line one\n\tline two"


def test_single_line_fields_join_pasted_lines():
    assert parse.text("Acme\nChina", single_line=True) == "Acme China"


def test_a_long_profile_note_of_ten_thousand_characters_is_accepted():
    note = "客户档案" * 2_500
    assert len(note) == 10_000
    assert parse.text(note) == note


def test_text_over_the_limit_is_refused_with_its_length():
    with pytest.raises(FieldError) as exc:
        parse.text("x" * 20_001)
    assert "20001" in str(exc.value) and "20000" in str(exc.value)
    with pytest.raises(FieldError):
        parse.text("x" * 201, max_len=200)
    assert parse.text("x" * 200, max_len=200) == "x" * 200


def test_a_choice_outside_the_list_names_the_allowed_values():
    assert parse.choice("high", ("", "high", "low")) == "high"
    with pytest.raises(FieldError) as exc:
        parse.choice("medium", ("", "high", "low"))
    assert "-, high, low" in str(exc.value)
