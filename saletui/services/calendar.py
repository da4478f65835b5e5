"""Visits as an iCalendar (.ics) file that Outlook, Google Calendar and Apple Calendar
import. Each visit keeps one UID, so writing the file again updates its events (a newer
SEQUENCE) instead of adding copies; a cancelled visit goes out as CANCELLED, which removes
it from a calendar that had it. Times are floating (the rep's wall-clock time, as saletui
stores them): a visit at 09:00 is at 09:00 wherever the calendar is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from saletui.atomic_file import write_text_atomic
from saletui.i18n import _
from saletui.method.milestones import kind_label
from saletui.store.models import database
from saletui.text import display_text

VISIT_MINUTES = 60  # saletui keeps no end time: a visit is shown as an hour
PAST_DAYS = 30  # visits this many days back are written again too (recorded, moved, cancelled)

_SQL = """
SELECT v.id, v.created_at, v.updated_at, v.version, v.planned_at, v.kind, v.status, v.objective,
       v.give, v.learn, v.ask_best, a.name, d.title,
       (SELECT group_concat(p.name, ', ') FROM visitattendee x JOIN person p ON p.id = x.person_id
        WHERE x.visit_id = v.id)
FROM visit v JOIN account a ON a.id = v.account_id LEFT JOIN deal d ON d.id = v.deal_id
WHERE date(v.planned_at) >= ? AND a.archived_at IS NULL
ORDER BY v.planned_at, v.id
"""


def _moment(value: object) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def uid(visit_id: int, created_at: dt.datetime) -> str:
    """Stable for the visit's life; another database's visit with the same number was
    created at another moment."""
    return f"saletui-visit-{visit_id}-{created_at:%Y%m%dT%H%M%S}@saletui"


def visits_calendar(today: dt.date) -> tuple[bytes, int]:
    """The visits from PAST_DAYS ago on as iCalendar bytes, and how many are planned."""
    from icalendar import Calendar, Event  # ~50 ms to import: only when a calendar is written

    cal = Calendar()
    cal.add("prodid", "-//saletui//visits//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("saletui visits"))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    planned = 0
    since = (today - dt.timedelta(days=PAST_DAYS)).isoformat()
    for row in database.execute_sql(_SQL, (since,)):
        visit_id, created, updated, version, at, kind, status, objective, give, learn, ask, account, deal, who = row
        start = _moment(at).replace(second=0, microsecond=0)
        event = Event()
        event.add("uid", uid(visit_id, _moment(created)))
        event.add("sequence", int(version or 0))
        event.add("dtstamp", stamp)
        event.add("last-modified", _moment(updated).astimezone(dt.UTC).replace(microsecond=0))
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=VISIT_MINUTES))
        summary = f"{kind_label(kind)}: {display_text(account)}"
        if objective:
            summary += f" — {display_text(objective)}"
        event.add("summary", summary)
        details = [
            (_("Deal"), deal),
            (_("Objective"), objective),
            (_("Attendees"), who),
            (_("We give"), give),
            (_("We need to learn"), learn),
            (_("Commitment to ask"), ask),
        ]
        event.add("description", "\n".join(f"{name}: {display_text(value)}" for name, value in details if value))
        event.add("status", "CANCELLED" if status == "cancelled" else "CONFIRMED")
        event.add("categories", ["saletui"])
        cal.add_component(event)
        planned += status == "planned"
    return cal.to_ical(), planned


def write_visits(path: Path, today: dt.date) -> int:
    """Write the calendar to `path` (atomically; a new file readable by its owner only);
    returns the number of planned visits in it."""
    data, planned = visits_calendar(today)
    write_text_atomic(path, data.decode("utf-8"))
    return planned
