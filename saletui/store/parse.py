"""Turn what a person typed into typed values, with messages they can act on.

Shared by the forms and (later) the CSV import, so both accept the same spellings.
"""

from __future__ import annotations

import datetime as dt
import re

from saletui.i18n import _

_MULTIPLIERS = {"k": 1e3, "m": 1e6, "万": 1e4, "亿": 1e8, "w": 1e4}
_NUMBER = re.compile(r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([kKmMwW万亿]?)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class FieldError(ValueError):
    """A value that cannot be accepted, with the message to show beside the field."""


def text(value: str, *, max_len: int = 20_000, single_line: bool = False) -> str:
    """Trimmed text; control characters other than newline/tab are refused."""
    value = value.strip()
    if single_line:
        value = " ".join(value.splitlines())
    if _CONTROL.search(value):
        raise FieldError(_("Contains control characters; remove them."))
    if len(value) > max_len:
        raise FieldError(_("Too long: {n} characters (at most {max}).").format(n=len(value), max=max_len))
    return value


def amount(value: str) -> float | None:
    """A non-negative amount: "1200000", "1,200,000", "1.2M", "120万", "3亿"; "" is none."""
    raw = value.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not raw:
        return None
    match = _NUMBER.match(raw)
    if not match:
        raise FieldError(_("Not an amount: {value!r} (e.g. 1200000, 1.2M, 120万).").format(value=value.strip()))
    number = float(match.group(1))
    suffix = match.group(2).lower()
    return number * _MULTIPLIERS.get(suffix, 1.0) if suffix else number


def date(value: str) -> dt.date | None:
    """An ISO date (2026-03-01, also 2026/3/1 and 2026年3月1日 as Chinese Excel shows it); "" is none."""
    raw = value.strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", raw) or re.fullmatch(
        r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", raw
    )
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
    if match and match.group(2) is not None:
        hour, minute = int(match.group(2)), int(match.group(3))
        if hour > 23 or minute > 59:
            raise FieldError(_("Not a time: {value!r} (use HH:MM).").format(value=raw))
        return dt.datetime.combine(day, dt.time(hour, minute))
    return dt.datetime.combine(day, default_time)


def choice(value: str | None, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise FieldError(_("Choose one of: {choices}.").format(choices=", ".join(a or "-" for a in allowed)))
    return value


def format_amount(value: float | None) -> str:
    """Amounts as typed back into a form: no exponent, thousands separated."""
    if value is None:
        return ""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def stored_date(value: object) -> dt.date | None:
    """A date read back from a raw SQL row (ISO text, a date or a datetime)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
