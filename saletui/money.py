"""Money as exact integers of minor units (cents, 分) with an ISO 4217 currency code.

Amounts are never floats: a float cannot hold 0.10 exactly, and sums of floats drift.
Every amount is an `int` of the currency's smallest unit, and the currency travels with
it (each account has one; its deals are in the same currency). Totals are kept per
currency, so yuan and dollars are never added together.

Pure Python, no UI and no database: the store, the services and the UI all use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

DEFAULT_CURRENCY = "CNY"

# ISO 4217 codes whose minor unit is not 1/100; every other code has two decimals.
_MINOR_DIGITS = {
    **dict.fromkeys(
        ("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF"),
        0,
    ),
    "XPF": 0,
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}
_CODE = re.compile(r"^[A-Z]{3}$")

MAX_MAJOR = 10**15
"""The largest amount accepted, in major units (a quadrillion): at three decimals that is
10^18 minor units, still below SQLite's largest integer (2^63 - 1 ≈ 9.2 x 10^18)."""


def is_currency_code(code: str) -> bool:
    """Three capital letters, as ISO 4217 writes them (CNY, USD, EUR, JPY)."""
    return bool(_CODE.match(code))


def minor_digits(currency: str) -> int:
    """How many decimals `currency` has: 2 for CNY, USD, EUR; 0 for JPY, KRW; 3 for KWD."""
    return _MINOR_DIGITS.get(currency, 2)


class AmountError(ValueError):
    """An amount that cannot be held exactly in minor units of its currency."""


def to_minor(amount: Decimal, currency: str) -> int:
    """`amount` (major units) as exact minor units; AmountError if it would need rounding."""
    if not amount.is_finite():
        raise AmountError(f"not a finite amount: {amount}")
    if abs(amount) > MAX_MAJOR:
        raise AmountError(f"more than {MAX_MAJOR:,}: {amount}")
    scaled = amount.scaleb(minor_digits(currency))
    whole = scaled.to_integral_value()
    if scaled != whole:
        raise AmountError(f"more decimals than {currency} has ({minor_digits(currency)}): {amount}")
    return int(whole)


def minor_from_float(value: float, currency: str) -> int:
    """A float of major units (what saletui stored before amounts were exact) as minor units.

    The float is read as its shortest decimal spelling (`repr`: the digits that were typed,
    e.g. 1200000.5, not the binary expansion 1200000.4999...), then rounded half-even to
    the currency's minor unit, so 0.1 + 0.2 becomes 30 cents and 2.675 becomes 268.
    AmountError for NaN, infinity, or more than MAX_MAJOR.
    """
    try:
        amount = Decimal(repr(float(value)))
    except (InvalidOperation, ValueError, TypeError, OverflowError):
        raise AmountError(f"not a number: {value!r}") from None
    if not amount.is_finite():
        raise AmountError(f"not a finite amount: {value!r}")
    if abs(amount) > MAX_MAJOR:
        raise AmountError(f"more than {MAX_MAJOR:,}: {value!r}")
    return int(amount.scaleb(minor_digits(currency)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def to_major(minor: int, currency: str) -> Decimal:
    """Minor units back as an exact Decimal of major units: 120000050 CNY -> 1200000.50."""
    digits = minor_digits(currency)
    return Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def format_number(minor: int | None, currency: str) -> str:
    """An amount as typed back into a form: thousands separated, decimals only when there
    are some ("1,200,000", "1,234.50"); "" for no amount."""
    if minor is None:
        return ""
    digits = minor_digits(currency)
    if digits and minor % 10**digits:
        return f"{to_major(minor, currency):,.{digits}f}"
    return f"{minor // 10**digits:,}" if minor >= 0 else f"-{-minor // 10**digits:,}"


def plain_number(minor: int | None, currency: str) -> str:
    """An amount for files (CSV): the exact decimal, no separators ("1200000", "1234.50")."""
    if minor is None:
        return ""
    digits = minor_digits(currency)
    if digits and minor % 10**digits:
        return f"{to_major(minor, currency):f}"
    return str(minor // 10**digits) if minor >= 0 else f"-{-minor // 10**digits}"


def format_money(minor: int | None, currency: str) -> str:
    """An amount for reading, with its currency: "CNY 1,200,000"; "" for no amount."""
    return "" if minor is None else f"{currency} {format_number(minor, currency)}"


def totals(amounts: Iterable[tuple[int | None, str]]) -> dict[str, int]:
    """Exact sums of (minor units, currency) pairs, one per currency, in first-seen order."""
    out: dict[str, int] = {}
    for minor, currency in amounts:
        if minor is not None:
            out[currency] = out.get(currency, 0) + minor
    return out


def format_totals(sums: dict[str, int]) -> str:
    """Per-currency totals for reading: "CNY 1,500,000 + USD 20,000" (never added together)."""
    return " + ".join(format_money(minor, currency) for currency, minor in sums.items())
