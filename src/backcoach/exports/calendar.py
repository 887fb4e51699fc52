"""An iCalendar file of exercise reminders: one daily repeating event per session of the day.

Each event starts at the person's chosen wall-clock time in their IANA time zone
(DTSTART;TZID=Europe/London:...T073000 with a matching VTIMEZONE), so calendar apps keep it
at 07:30 local time on both sides of a daylight-saving change; a UTC time would drift by an
hour. Each UID is derived from the person and the slot number only, so importing a new file
after changing the times updates the same events instead of adding copies.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

PRODID = "-//backcoach//exercise reminders//EN"
# A fixed namespace: the same person key and slot give the same UID on every machine.
UID_NAMESPACE = uuid.UUID("6f1c2a4e-93d5-4c59-9a0e-2b7d8e4f1a63")
# How many years of daylight-saving rules to spell out in the VTIMEZONE. Calendar apps that
# know the IANA zone use their own rules; this is for those that rely on the file alone.
ZONE_YEARS = 10


@dataclass(frozen=True)
class Slot:
    """One session of the day: when, and what to do in it."""

    number: int  # 1 for the first session of the day
    at: time
    minutes: int
    summary: str
    description: str


def slot_uid(person_key: str, number: int) -> str:
    return f"{uuid.uuid5(UID_NAMESPACE, f'{person_key}/session-{number}')}@backcoach"


def _event(slot: Slot, zone: ZoneInfo, first_day: date, person_key: str, alarm_minutes: int) -> Event:
    event = Event()
    event.add("uid", slot_uid(person_key, slot.number))
    event.add("summary", slot.summary)
    event.add("description", slot.description)
    event.add("dtstart", datetime.combine(first_day, slot.at, tzinfo=zone))
    event.add("duration", timedelta(minutes=max(1, slot.minutes)))
    event.add("rrule", {"freq": "daily"})
    event.add("transp", "TRANSPARENT")  # a reminder, not a busy block in the diary
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", slot.summary)
    alarm.add("trigger", timedelta(minutes=-alarm_minutes))
    event.add_component(alarm)
    return event


def reminder_calendar(
    slots: Sequence[Slot],
    zone_name: str,
    alarm_minutes: int,
    first_day: date,
    person_key: str,
    stamp: datetime,
    sequence: int = 0,
) -> bytes:
    """The .ics bytes. `stamp` (UTC) is when the file was made; `sequence` grows each time the
    person changes their reminders, which tells calendar apps the new file replaces the old."""
    zone = ZoneInfo(zone_name)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "backcoach exercise reminders")
    stamp_utc = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    for slot in slots:
        event = _event(slot, zone, first_day, person_key, alarm_minutes)
        event.add("dtstamp", stamp_utc)
        event.add("sequence", sequence)
        calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=first_day - timedelta(days=1), last_date=first_day + timedelta(days=366 * ZONE_YEARS)
    )
    ical: bytes = calendar.to_ical()
    return ical
