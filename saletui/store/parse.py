"""Turn what a person typed into typed values, with messages they can act on.

Shared by the forms and (later) the CSV import, so both accept the same spellings.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from saletui import money
from saletui.i18n import _

# Powers of ten, so "1.2M" scales exactly (Decimal("1.2").scaleb(6) == 1200000).
_MULTIPLIERS = {"k": 3, "m": 6, "万": 4, "亿": 8, "w": 4}
_NUMBER = re.compile(r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([kKmMwW万亿]?)$")
_ISO_DAY = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_CHINESE_DAY = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FieldError(ValueError):
    """A value that cannot be accepted, with the message to show beside the field."""


def text(value: str, *, max_len: int = 20_000, single_line: bool = False) -> str:
    """Trimmed text; control characters other than newline/tab are refused."""
    if not value:
        return value  # most cells of an import are empty
    value = value.strip()
    if value.isprintable() and len(value) <= max_len:
        return value  # the common case, at an import's million cells: nothing to fold or refuse
    if single_line:
        value = " ".join(value.splitlines())
    if _CONTROL.search(value):
        shown = value if len(value) <= 60 else value[:57] + "..."
        raise FieldError(_("Contains control characters; remove them: {value!r}.").format(value=shown))
    if len(value) > max_len:
        raise FieldError(_("Too long: {n} characters (at most {max}).").format(n=len(value), max=max_len))
    return value


def amount(value: str, currency: str = money.DEFAULT_CURRENCY) -> int | None:
    """A non-negative amount as exact minor units of `currency`; "" is none.

    Accepts "1200000", "1,200,000", "1.2M", "120万", "3亿". More decimals than the currency
    has ("1.234" in CNY) are refused, not rounded: a rep who typed a third decimal made a
    slip, and silently dropping it would store a different amount than the one typed.
    """
    raw = value.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not raw:
        return None
    whole, _point, fraction = raw.partition(".")
    digits = money.minor_digits(currency)
    plain = whole.isascii() and whole.isdigit() and (not fraction or (fraction.isascii() and fraction.isdigit()))
    if plain and len(fraction) <= digits and len(whole) <= 16:  # a plain "1234.5": exact in integers
        minor = int(whole) * int(10**digits) + int(fraction.ljust(digits, "0") or "0")
        if minor <= money.MAX_MAJOR * 10**digits:
            return minor
    match = _NUMBER.match(raw)
    if not match:
        raise FieldError(_("Not an amount: {value!r} (e.g. 1200000, 1.2M, 120万).").format(value=value.strip()))
    number = Decimal(match.group(1)).scaleb(_MULTIPLIERS.get(match.group(2).lower(), 0))
    if number > money.MAX_MAJOR:
        raise FieldError(
            _("Too large: {value!r} (at most {max}).").format(value=value.strip(), max=f"{money.MAX_MAJOR:,}")
        )
    try:
        return money.to_minor(number, currency)
    except money.AmountError:
        digits = money.minor_digits(currency)
        if not digits:
            raise FieldError(
                _("{currency} has no smaller unit: give a whole amount, not {value!r}.").format(
                    currency=currency, value=value.strip()
                )
            ) from None
        raise FieldError(
            _("{currency} has {n} decimals: {value!r} has more; correct it.").format(
                currency=currency, n=digits, value=value.strip()
            )
        ) from None


def currency(value: str) -> str:
    """An ISO 4217 currency code (CNY, USD, EUR), upper-cased; "" is refused."""
    code = value.strip().upper()
    if not money.is_currency_code(code):
        raise FieldError(_("Not a currency code: {value!r} (three letters, e.g. CNY, USD, EUR).").format(value=value))
    return code


def date(value: str) -> dt.date | None:
    """An ISO date (2026-03-01, also 2026/3/1 and 2026年3月1日 as Chinese Excel shows it); "" is none."""
    raw = value.strip()
    if not raw:
        return None
    if len(raw) == 10 and raw[4] == raw[7] == "-":
        try:
            return dt.date.fromisoformat(raw)  # the common spelling, ten times faster
        except ValueError:
            pass  # a wrong day, or digits fromisoformat does not read: as below
    match = _ISO_DAY.fullmatch(raw) or _CHINESE_DAY.fullmatch(raw)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise FieldError(_("Not a date: {value!r} (use YYYY-MM-DD).").format(value=raw))


def moment(value: str, default_time: dt.time = dt.time(9, 0)) -> dt.datetime | None:
    """A date with an optional time: "2026-12-03 14:30", "2026/12/3 9:00", "2026-12-03"."""
    raw = value.strip()
    if not raw:
        return None
    match = re.fullmatch(r"(.+?)(?:[ T]+(\d{1,2})[:：](\d{2}))?", raw)
    day = date(match.group(1)) if match else None
    if day is None:  # only a multi-line value fails the pattern: refuse it as a date
        raise FieldError(_("Not a date: {value!r} (use YYYY-MM-DD).").format(value=raw))
    if match and match.group(2) is not None:
        hour, minute = int(match.group(2)), int(match.group(3))
        if hour > 23 or minute > 59:
            raise FieldError(_("Not a time: {value!r} (use HH:MM).").format(value=raw))
        return dt.datetime.combine(day, dt.time(hour, minute))
    return dt.datetime.combine(day, default_time)


def choice(value: str | None, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise FieldError(
            _("Not one of {choices}: {value!r}.").format(
                choices=", ".join(a or "-" for a in allowed), value=(value or "").strip()
            )
        )
    return value


def format_amount(value: int | None, currency: str = money.DEFAULT_CURRENCY) -> str:
    """Minor units as typed back into a form: no exponent, thousands separated."""
    return money.format_number(value, currency)


def stored_date(value: object) -> dt.date | None:
    """A date read back from a raw SQL row (ISO text, a date or a datetime)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
