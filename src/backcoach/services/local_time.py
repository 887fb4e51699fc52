"""Where the person is in time: their time zone (the one their reminders use, else this
computer's) and their calendar day at a stored moment. Stored times are UTC."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from backcoach.services.context import Scope


@cache
def zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def local_zone_name() -> str:
    """This computer's IANA zone, when it can be told; otherwise UTC. Each source is asked in
    turn and the first that names a zone answers (asked on every request, as the computer's zone
    may change while the app runs; the files only when TZ names none)."""
    for source in (_zone_of_environment, _zone_of_link, _zone_of_file):
        name = source()
        if name in zone_names():
            return name
    return "UTC"


def _zone_of_environment() -> str:
    return os.environ.get("TZ", "").lstrip(":")


def _zone_of_link() -> str:
    try:
        return os.path.realpath("/etc/localtime", strict=True).split("zoneinfo/", 1)[-1]
    except OSError:
        return ""


def _zone_of_file() -> str:
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def local_day(scope: Scope, moment: datetime) -> date:
    """The person's calendar day at `moment` (stored as UTC): in their reminders' time zone if they
    chose one, else this computer's. A check recorded "today" is today where the person is."""
    return day_reader(scope)(moment)


def day_reader(scope: Scope) -> Callable[[datetime], date]:
    """`local_day` for many moments: the person's time zone is looked up once."""
    return days_in(scope.repo.time_zone())


def days_in(chosen_zone: str | None) -> Callable[[datetime], date]:
    """The calendar day of a moment (stored as UTC) in the zone the person chose (read already,
    with what it dates), else this computer's."""
    zone = ZoneInfo(chosen_zone or local_zone_name())
    return lambda moment: moment.replace(tzinfo=UTC).astimezone(zone).date()
