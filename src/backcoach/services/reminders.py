"""Reminders: check the times and time zone a person chooses, store them, and make the calendar
file with one daily event per session. Bad input raises ReminderError naming the field, before
anything is stored."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from backcoach.core.dose_text import describe_single_dose
from backcoach.core.errors import InvalidInput, NotNow
from backcoach.core.planner import PlannedExercise
from backcoach.core.profile import MAX_SESSIONS_PER_DAY
from backcoach.core.timing import BETWEEN_EXERCISES
from backcoach.exports.calendar import Slot, reminder_calendar
from backcoach.services.context import Scope
from backcoach.services.local_time import local_zone_name, zone_names
from backcoach.services.programs import active_program, current_program

DEFAULT_ALARM_MINUTES = 10
MAX_ALARM_MINUTES = 24 * 60  # a product limit: an alarm more than a day early reminds nobody
# ASCII digits only: other scripts' digits match \d, and the calendar cannot write them.
TIME_OF_DAY = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
FIELD_WORDS = {"times": "Reminder times", "timezone": "Time zone", "alarm": "Alarm"}
SEQUENCE_EPOCH = datetime(2020, 1, 1)


class ReminderError(InvalidInput):
    """Input that cannot be used; nothing was stored. `field` is times, timezone or alarm."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(field, problem, f"{FIELD_WORDS[field]}: {problem}")


@dataclass(frozen=True)
class Reminders:
    times: tuple[str, ...]  # "HH:MM", earliest first: the first is session 1 of the day
    timezone: str
    alarm_minutes: int = DEFAULT_ALARM_MINUTES


def parse_time(text: str) -> str:
    match = TIME_OF_DAY.match(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ReminderError("times", f"{text!r} is not a time of day; use HH:MM, like 07:30 or 19:00")
    return f"{int(match[1]):02d}:{match[2]}"


def check_times(values: Sequence[str], sessions_per_day: int | None) -> tuple[str, ...]:
    """Times as typed ("07:30", "07:30,19:00"), sorted; one per session, at most one a session."""
    texts = [part for value in values for part in re.split(r"[\s,]+", value) if part]
    if not texts:
        raise ReminderError("times", "give at least one time, like 07:30")
    times = sorted(parse_time(t) for t in texts)
    if len(set(times)) != len(times):
        raise ReminderError("times", "the same time is given twice")
    limit = sessions_per_day or MAX_SESSIONS_PER_DAY
    if len(times) > limit:
        sessions = "1 session" if limit == 1 else f"{limit} sessions"
        raise ReminderError("times", f"you do {sessions} a day, so give at most {limit} time(s), not {len(times)}")
    return tuple(times)


def check_zone(name: str) -> str:
    name = name.strip()
    if name not in zone_names():
        raise ReminderError("timezone", f"{name!r} is not a time zone name; use one like Europe/London")
    return name


def check_alarm(minutes: int) -> int:
    if not 0 <= minutes <= MAX_ALARM_MINUTES:
        raise ReminderError("alarm", f"give 0 to {MAX_ALARM_MINUTES} minutes before, not {minutes}")
    return minutes


def check_reminders(times: Sequence[str], zone: str, alarm: int, sessions_per_day: int | None) -> Reminders:
    return Reminders(check_times(times, sessions_per_day), check_zone(zone), check_alarm(alarm))


def session_slots(exercises: Sequence[PlannedExercise], reminders: Reminders) -> list[Slot]:
    """One slot per chosen time, holding what is due in that session of the day. A session
    with nothing due (every dose says once a day) gets no event: an empty reminder misleads."""
    slots = []
    count = len(reminders.times)
    for index, at in enumerate(reminders.times):
        due = [p for p in exercises if (p.dose.times_per_day or 1) > index]
        if not due:
            continue
        number = index + 1
        seconds = sum(p.seconds for p in due) + BETWEEN_EXERCISES * (len(due) - 1)
        summary = "Back exercises" if count == 1 else f"Back exercises (session {number} of {count})"
        slots.append(Slot(number, time.fromisoformat(at), -(-seconds // 60), summary, _description(due)))
    return slots


def _description(due: Sequence[PlannedExercise]) -> str:
    # Times a day is left out: this event is one of them. Days a week stays in.
    lines = [f"- {p.exercise.name}: {describe_single_dose(replace(p.dose, times_per_day=None))}" for p in due]
    return "\n".join(
        [
            "In this session:",
            *lines,
            "",
            "Stop any exercise that hurts. backcoach guides exercise; it does not diagnose.",
        ]
    )


def empty_sessions(exercises: Sequence[PlannedExercise], reminders: Reminders) -> list[int]:
    """Session numbers that get no event because nothing is due in them."""
    made = {s.number for s in session_slots(exercises, reminders)}
    return [n for n in range(1, len(reminders.times) + 1) if n not in made]


def warnings(exercises: Sequence[PlannedExercise], reminders: Reminders, sessions_per_day: int | None) -> list[str]:
    notes = []
    if sessions_per_day is not None and len(reminders.times) < sessions_per_day:
        notes.append(
            f"You do {sessions_per_day} sessions a day but chose {len(reminders.times)} time(s); "
            "only those sessions get a reminder."
        )
    for number in empty_sessions(exercises, reminders):
        notes.append(f"Nothing is due in session {number} yet (each dose says once a day), so it gets no reminder.")
    return notes


def calendar_bytes(
    exercises: Sequence[PlannedExercise], reminders: Reminders, person_key: str, now: datetime, sequence: int = 0
) -> bytes:
    """`now` is naive UTC, as the app's clock gives it; the first day is today where the person is."""
    zone = ZoneInfo(reminders.timezone)
    first_day: date = now.replace(tzinfo=UTC).astimezone(zone).date()
    slots = session_slots(exercises, reminders)
    return reminder_calendar(slots, reminders.timezone, reminders.alarm_minutes, first_day, person_key, now, sequence)


def profile_key(source: str) -> str:
    """The identity of a person planned from a file: its name, so a new file for the same
    person (maya.json again) updates the same calendar events."""
    return f"profile/{source}"


# The stored person -------------------------------------------------------------------------


def stored_reminders(scope: Scope) -> Reminders | None:
    row = scope.repo.reminders()
    if row is None:
        return None
    return Reminders(tuple(row.times), row.timezone, row.alarm_minutes)


def _sessions_per_day(scope: Scope) -> int | None:
    profile = scope.repo.latest_profile()
    return None if profile is None else profile.sessions_per_day


def sessions_per_day(scope: Scope) -> int:
    """How many reminder times the settings form offers: one per session the person does."""
    return _sessions_per_day(scope) or MAX_SESSIONS_PER_DAY


def save_reminders(
    scope: Scope, times: Sequence[str], zone: str | None, alarm: int | None
) -> tuple[Reminders, list[str]]:
    """Check everything first, then store; returns what was stored and any warnings. A zone or
    alarm left out keeps the stored one (or this computer's zone and the default alarm)."""
    saved = stored_reminders(scope)
    zone = zone or (saved.timezone if saved else local_zone_name())
    alarm = alarm if alarm is not None else (saved.alarm_minutes if saved else DEFAULT_ALARM_MINUTES)
    per_day = _sessions_per_day(scope)
    reminders = check_reminders(times, zone, alarm, per_day)
    scope.writer().save_reminders(list(reminders.times), reminders.timezone, reminders.alarm_minutes, scope.now())
    found = current_program(scope)
    exercises = list(found.exercises) if found is not None else []
    return reminders, warnings(exercises, reminders, per_day) if exercises else []


def person_key(scope: Scope) -> str:
    """Stable for this person on this database, and unlike another install's person 1: the id
    and the moment the person was created (both survive export and import)."""
    person = scope.app.database.person(scope.patient_id)
    if person is None:
        raise NotNow("There is nobody to remind yet. Answer the questions first (backcoach setup).")
    return f"person/{person.id}/{person.created_at.isoformat()}"


def person_calendar(
    scope: Scope, times: Sequence[str] | None = None, zone: str | None = None, alarm: int | None = None
) -> bytes:
    """The calendar of the stored program at the stored times; any argument given replaces the
    stored value for this file only, and nothing is stored."""
    exercises = list(active_program(scope).exercises)  # NoProgram or ProgramPaused: nothing to remind of
    saved = stored_reminders(scope)
    if saved is None and not times:
        raise ReminderError("times", "no reminder times are set; run `backcoach reminders set 07:30` first")
    reminders = check_reminders(
        times or (saved.times if saved else ()),
        zone or (saved.timezone if saved else local_zone_name()),
        alarm if alarm is not None else (saved.alarm_minutes if saved else DEFAULT_ALARM_MINUTES),
        _sessions_per_day(scope),
    )
    row = scope.repo.reminders()
    # Each saved change raises SEQUENCE, so calendar apps take the newer file as an update.
    sequence = 0 if row is None else int((row.updated_at - SEQUENCE_EPOCH).total_seconds() // 60)
    return calendar_bytes(exercises, reminders, person_key(scope), scope.now(), max(0, sequence))
