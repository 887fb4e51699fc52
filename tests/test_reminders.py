"""Reminders: checked input, and calendar files that real calendar software reads at the right
local times on both sides of a daylight-saving change."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
from fastapi.testclient import TestClient

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.planner import plan_program
from backcoach.services.programs import set_profile
from backcoach.services.reminders import (
    ReminderError,
    Reminders,
    calendar_bytes,
    check_reminders,
    check_times,
    person_calendar,
    profile_key,
    save_reminders,
    session_slots,
)
from backcoach.web.app import create_app
from tests.examples import example_profile, write_profile
from tests.forms import post_form

LONDON = ZoneInfo("Europe/London")
# Clocks go forward in London on 29 March 2026 and back on 25 October 2026; New York's go
# forward on 8 March 2026.
BEFORE_AND_AFTER = [
    ("Europe/London", date(2026, 3, 25), date(2026, 4, 2)),
    ("Europe/London", date(2026, 10, 21), date(2026, 10, 29)),
    ("America/New_York", date(2026, 3, 4), date(2026, 3, 12)),
]
MADE_AT = datetime(2026, 3, 1, 9, 0)  # naive UTC, as the app's clock gives it


def maya_calendar(zone: str = "Europe/London", times: tuple[str, ...] = ("07:30", "19:00"), alarm: int = 10) -> bytes:
    plan = plan_program(example_profile("maya"), load_catalogue())
    return calendar_bytes(plan.exercises, Reminders(times, zone, alarm), profile_key("maya.json"), MADE_AT)


def occurrences(ics: bytes, start: date, end: date) -> list[icalendar.Event]:
    return list(recurring_ical_events.of(icalendar.Calendar.from_ical(ics)).between(start, end))


def events(ics: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(ics).events


def alarms(event: icalendar.Event) -> list[icalendar.Alarm]:
    return [c for c in event.subcomponents if isinstance(c, icalendar.Alarm)]


def starts_at(event: icalendar.Event) -> datetime:
    assert isinstance(event.start, datetime)  # a timed event, never a whole day
    return event.start


# Checking what a person types ---------------------------------------------------------------


def test_times_are_normalised_sorted_and_split():
    assert check_times(["19:00", "7:30"], 2) == ("07:30", "19:00")
    assert check_times(["07:30,19:00"], 3) == ("07:30", "19:00")


@pytest.mark.parametrize(
    ("times", "zone", "alarm", "field"),
    [
        (["25:00"], "Europe/London", 10, "times"),
        (["7.30"], "Europe/London", 10, "times"),
        (["\u0660\u0667:\u0663\u0660"], "Europe/London", 10, "times"),  # Arabic-Indic digits: no calendar time
        (["\uff10\uff17:\uff13\uff10"], "Europe/London", 10, "times"),  # full-width digits
        (["07:30", "07:30"], "Europe/London", 10, "times"),
        (["07:00", "12:00", "19:00"], "Europe/London", 10, "times"),  # more than 2 sessions a day
        ([], "Europe/London", 10, "times"),
        (["07:30"], "Europe/Atlantis", 10, "timezone"),
        (["07:30"], "../../etc/passwd", 10, "timezone"),
        (["07:30"], "Europe/London", -5, "alarm"),
    ],
)
def test_bad_input_names_the_field(times, zone, alarm, field):
    with pytest.raises(ReminderError) as caught:
        check_reminders(times, zone, alarm, sessions_per_day=2)
    assert caught.value.field == field


# The calendar file, read by an independent library ----------------------------------------


@pytest.mark.parametrize(("zone", "start", "end"), BEFORE_AND_AFTER)
def test_sessions_stay_at_local_wall_clock_times_across_daylight_saving(zone, start, end):
    found = occurrences(maya_calendar(zone), start, end)
    local = ZoneInfo(zone)
    by_day: dict[date, list[time]] = {}
    offsets = set()
    for event in found:
        at = starts_at(event).astimezone(local)
        by_day.setdefault(at.date(), []).append(at.time())
        offsets.add(starts_at(event).utcoffset())
    assert sorted(by_day) == [start + timedelta(days=i) for i in range((end - start).days)]
    assert all(sorted(times) == [time(7, 30), time(19, 0)] for times in by_day.values())
    assert len(offsets) == 2  # the UTC offset changed in the window, and the local time did not


def test_alarms_ring_ten_minutes_before_each_session():
    calendar = icalendar.Calendar.from_ical(maya_calendar())
    for event in calendar.events:
        (alarm,) = alarms(event)
        trigger, action = alarm.TRIGGER, alarm.ACTION
        assert action == "DISPLAY" and alarm.description
        assert trigger == timedelta(minutes=-10)
    # Expanded by recurring-ical-events, each alarm lands 10 minutes before its session.
    query = recurring_ical_events.of(calendar, components=["VALARM"])
    rung = list(query.between(datetime(2026, 3, 27, tzinfo=LONDON), datetime(2026, 4, 1, tzinfo=LONDON)))
    assert len(rung) >= 8
    for event in rung:
        (alarm,) = alarms(event)
        assert isinstance(alarm.TRIGGER, datetime)  # resolved to the moment it rings
        assert starts_at(event) - alarm.TRIGGER == timedelta(minutes=10)


def test_the_file_names_its_zone_and_says_what_to_do():
    text = maya_calendar().decode()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert "DTSTART;TZID=Europe/London:20260301T073000" in text
    first, second = (e.description or "" for e in events(text.encode()))
    assert "Knee to chest: hold 5 s, 2 times each side" in first
    assert "Bridge: 10 times, 1 set" in first
    # Maya's second session holds only what her doses say to do twice a day.
    assert "Knee rolls" in second and "Bridge" not in second
    assert "session 2 of 2" in (events(text.encode())[1].summary or "")


def test_new_times_keep_the_same_uids():
    def uids(ics: bytes) -> list[str]:
        return [e.uid for e in events(ics)]

    first = uids(maya_calendar(times=("07:30", "19:00")))
    assert len(set(first)) == 2
    assert uids(maya_calendar(times=("06:45", "21:15"), zone="America/New_York", alarm=5)) == first


def test_a_session_with_nothing_due_gets_no_event():
    plan = plan_program(example_profile("sam"), load_catalogue())  # every neck dose is once a day
    slots = session_slots(plan.exercises, Reminders(("08:00", "13:00"), "Europe/London"))
    assert [s.number for s in slots] == [1]


# Stored settings --------------------------------------------------------------------------------


def test_saved_times_change_the_file_but_not_the_uids(ctx):
    set_profile(ctx, example_profile("maya"))
    save_reminders(ctx, ["07:30", "19:00"], "Europe/London", 10)
    before = events(person_calendar(ctx))
    ctx.app.now.advance(days=1)
    save_reminders(ctx, ["08:00", "20:00"], "Europe/London", 10)
    after = events(person_calendar(ctx))
    assert [e.uid for e in before] == [e.uid for e in after]
    assert [starts_at(e).time() for e in after] == [time(8, 0), time(20, 0)]
    # A later change has a higher SEQUENCE, so calendar apps take it as the newer version.
    assert after[0].sequence > before[0].sequence


def test_bad_input_stores_nothing(ctx):
    set_profile(ctx, example_profile("maya"))
    with pytest.raises(ReminderError):
        save_reminders(ctx, ["07:30"], "Nowhere/Special", 10)
    assert ctx.repo.reminders() is None


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def cli(cli_at):
    return cli_at("2026-03-20T09:00:00")


def test_set_then_write_the_calendar(cli, tmp_path: Path):
    cli("setup", "--profile", str(write_profile(tmp_path)))
    assert "07:30 and 19:00 (Europe/London)" in cli("reminders", "set", "19:00", "07:30", "--timezone", "Europe/London")
    assert "07:30 and 19:00" in cli("reminders")
    ics = tmp_path / "reminders.ics"
    cli("reminders", "--ics", str(ics))
    starts = [starts_at(e) for e in events(ics.read_bytes())]
    assert starts == [datetime(2026, 3, 20, 7, 30, tzinfo=LONDON), datetime(2026, 3, 20, 19, 0, tzinfo=LONDON)]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["25:61"], "not a time of day"),
        (["07:30", "--timezone", "Mars/Olympus"], "Time zone"),
        (["07:00", "12:00", "19:00"], "at most 2"),
        (["07:30", "--alarm", "-1"], "Alarm"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(cli, tmp_path: Path, args, words):
    cli("setup", "--profile", str(write_profile(tmp_path)))
    output = cli("reminders", "set", *args, code=2)
    assert words in output
    assert "No reminders yet" in cli("reminders")


def test_a_profile_file_makes_a_calendar_and_stores_nothing(cli, tmp_path: Path):
    ics = tmp_path / "maya.ics"
    profile = str(write_profile(tmp_path))
    cli("reminders", "--ics", str(ics), "--profile", profile, "--times", "07:30,19:00", "--timezone", "Europe/London")
    assert len(events(ics.read_bytes())) == 2
    assert not cli.database.exists()
    assert "--times" in cli("reminders", "--ics", str(ics), "--profile", profile, code=2)


# A real calendar client: khal, with its own configuration and a vdir folder ----------------------


def khal(tmp_path: Path, local_zone: str, *args: str) -> str:
    """Run khal with a private configuration. Its local zone is where it shows times."""
    config = tmp_path / "khal.conf"
    (tmp_path / "vdir").mkdir(exist_ok=True)
    config.write_text(
        f"[calendars]\n[[backcoach]]\npath = {tmp_path / 'vdir'}\ntype = calendar\n"
        f"[locale]\nlocal_timezone = {local_zone}\ndefault_timezone = {local_zone}\n"
        "timeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    binary = Path(sys.executable).with_name("khal")
    done = subprocess.run(
        [str(binary), "-c", str(config), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def khal_times(tmp_path: Path, local_zone: str) -> dict[str, list[str]]:
    """The times khal lists for each day from 27 to 30 March 2026 (London's clocks change on the 29th)."""
    listed = khal(tmp_path, local_zone, "list", "--format", "{start-date} {start-time} {title}", "2026-03-27", "3d")
    days: dict[str, list[str]] = {}
    for line in listed.splitlines():
        if "Back exercises" in line:
            day, at = line.split()[:2]
            days.setdefault(day, []).append(at)
    return days


def test_khal_imports_and_shows_the_local_times(tmp_path: Path):
    first = tmp_path / "first.ics"
    first.write_bytes(maya_calendar())
    khal(tmp_path, "Europe/London", "import", "--batch", "-a", "backcoach", str(first))
    expected = ["07:30", "19:00"]
    assert khal_times(tmp_path, "Europe/London") == {d: expected for d in ("2026-03-27", "2026-03-28", "2026-03-29")}
    # Seen from UTC the sessions move an hour earlier when London's clocks go forward.
    assert khal_times(tmp_path, "UTC") == {
        "2026-03-27": ["07:30", "19:00"],
        "2026-03-28": ["07:30", "19:00"],
        "2026-03-29": ["06:30", "18:00"],
    }
    # Importing a file with new times updates the same events: no duplicates.
    second = tmp_path / "second.ics"
    second.write_bytes(maya_calendar(times=("08:15", "20:00")))
    khal(tmp_path, "Europe/London", "import", "--batch", "-a", "backcoach", str(second))
    assert khal_times(tmp_path, "Europe/London") == {
        d: ["08:15", "20:00"] for d in ("2026-03-27", "2026-03-28", "2026-03-29")
    }
    assert len(list((tmp_path / "vdir").glob("*.ics"))) == 2


# The web app -----------------------------------------------------------------------------------------


@pytest.fixture
def client(ctx):
    set_profile(ctx, example_profile("maya"))
    return TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")


def test_settings_form_saves_and_offers_the_calendar(client, ctx):
    page = client.get("/settings")
    assert 'name="time_1"' in page.text and 'name="time_2"' in page.text and "reminders.ics" not in page.text
    saved = post_form(
        client,
        "/settings/reminders",
        data={"time_1": "19:00", "time_2": "07:30", "timezone": "Europe/London", "alarm": "15"},
    )
    assert saved.status_code == 200 and "Reminders saved" in saved.text
    assert ctx.repo.reminders().times == ("07:30", "19:00")
    assert 'value="07:30"' in client.get("/settings").text
    ics = client.get("/settings/reminders.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert [a.TRIGGER for e in events(ics.content) for a in alarms(e)] == [timedelta(minutes=-15)] * 2


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"time_1": "07:30", "timezone": "Moon/Base", "alarm": "10"}, "Time zone"),
        ({"time_1": "31:00", "timezone": "Europe/London", "alarm": "10"}, "Reminder times"),
        ({"time_1": "", "timezone": "Europe/London", "alarm": "10"}, "Reminder times"),
        ({"time_1": "07:30", "timezone": "Europe/London", "alarm": "soon"}, "Alarm"),
        ({"time_1": "07:30", "timezone": "Europe/London", "alarm": "\u00b2"}, "Alarm"),  # a digit int() refuses
    ],
)
def test_bad_form_input_names_the_field_and_stores_nothing(client, ctx, form, words):
    answer = post_form(client, "/settings/reminders", data=form)
    assert answer.status_code == 422 and words in answer.text
    assert ctx.repo.reminders() is None
    assert client.get("/settings/reminders.ics").status_code == 404


def test_the_computers_zone_is_the_first_source_that_names_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from backcoach.services import local_time

    monkeypatch.setattr(local_time, "_zone_of_link", lambda: "Europe/Paris")
    monkeypatch.setattr(local_time, "_zone_of_file", lambda: "Asia/Tokyo")
    monkeypatch.setenv("TZ", ":America/Chicago")
    assert local_time.local_zone_name() == "America/Chicago"
    monkeypatch.setenv("TZ", "not a zone")
    assert local_time.local_zone_name() == "Europe/Paris"
    monkeypatch.setattr(local_time, "_zone_of_link", lambda: "")  # no link (or it names no zone)
    assert local_time.local_zone_name() == "Asia/Tokyo"
    monkeypatch.setattr(local_time, "_zone_of_file", lambda: "")
    assert local_time.local_zone_name() == "UTC"
