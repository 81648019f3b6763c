"""An iCalendar file (RFC 5545) of a person's due dates and registered session dates.

Written by hand: the format needs little, and every rule that matters (CRLF, folding at 75 octets, escaping, UTC
times with Z) is tested in tests/test_kompass.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from quali_kompass.curricula.status import DUE_SOON, EXPIRED, OPEN, OVERDUE, RENEWAL_DUE

PRODID = "-//Quali-Kompass//Mein Kompass//DE"
UID_DOMAIN = "quali-kompass"
LINE_OCTETS = 75
DUE_STATES = frozenset({OPEN, DUE_SOON, OVERDUE, RENEWAL_DUE, EXPIRED})  # what still has to be (re)done


@dataclass(frozen=True)
class Event:
    """One VEVENT: an all-day event when ``start`` is a date, a timed one (in UTC) when it is a datetime."""

    uid: str
    summary: str
    start: date | datetime
    end: date | datetime | None = None
    description: str = ""
    location: str = ""
    url: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1  # a continuation line starts with one space, which counts
        current += char
        size += octets
    pieces.append(current)
    return "\r\n".join(pieces)


def _date_value(day: date) -> str:
    return day.strftime("%Y%m%d")


def _utc_value(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        return f"{name}:{_utc_value(value)}"
    return f"{name};VALUE=DATE:{_date_value(value)}"


def render(events: Iterable[Event], now: datetime, name: str = "Quali-Kompass") -> bytes:
    """The calendar as UTF-8 bytes with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    stamp = _utc_value(now)
    for event in events:
        end = event.end
        if end is None and not isinstance(event.start, datetime):
            end = event.start + timedelta(days=1)  # all-day: the end date is exclusive
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}", f"DTSTAMP:{stamp}", _when("DTSTART", event.start)]
        if end is not None:
            lines.append(_when("DTEND", end))
        lines.append(f"SUMMARY:{escape_text(event.summary)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.url:
            lines.append(f"URL:{event.url}")
        if not isinstance(event.start, datetime):
            lines.append("TRANSP:TRANSPARENT")  # a deadline does not block the day
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


def due_uid(person_id: int, material_id: int) -> str:
    """Stable per person and material: a later due date moves the event instead of adding one."""
    return f"pflicht-{person_id}-{material_id}@{UID_DOMAIN}"


def session_uid(person_id: int, session_date_id: int) -> str:
    return f"termin-{session_date_id}-{person_id}@{UID_DOMAIN}"
