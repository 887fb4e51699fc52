"""`backcoach reminders`: choose when to be reminded, and write a calendar file for your own
calendar app (one daily event per session, with an alarm).

Storage, the planner and icalendar are imported inside the commands, so `backcoach --help`
starts at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from backcoach.cli.common import fail, scope

if TYPE_CHECKING:
    from backcoach.services.reminders import Reminders

app = typer.Typer(
    help="Reminders at the times you choose, in your own calendar app.",
    invoke_without_command=True,
    no_args_is_help=False,
)
TimezoneOption = Annotated[
    str | None, typer.Option("--timezone", help="An IANA time zone, like Europe/London (default: this computer's).")
]
AlarmOption = Annotated[int | None, typer.Option("--alarm", help="Minutes before each session to alert (default 10).")]


def _describe(reminders: Reminders) -> str:
    times = " and ".join(reminders.times)
    return f"at {times} ({reminders.timezone}), with an alert {reminders.alarm_minutes} minutes before"


@app.callback()
def reminders_main(
    typer_ctx: typer.Context,
    ics: Annotated[Path | None, typer.Option("--ics", help="Write the calendar file (.ics) here.")] = None,
    profile: Annotated[
        Path | None, typer.Option("--profile", help="Plan from this profile file instead; nothing is stored.")
    ] = None,
    times: Annotated[
        list[str] | None, typer.Option("--times", help="A time HH:MM for this file only (repeat, or 07:30,19:00).")
    ] = None,
    timezone: TimezoneOption = None,
    alarm: AlarmOption = None,
) -> None:
    """Show your reminder times, or write them as a calendar file with --ics FILE."""
    if typer_ctx.invoked_subcommand is not None:
        if ics or profile or times or timezone or alarm is not None:
            fail("put --ics, --profile, --times, --timezone and --alarm after `reminders`, without `set`")
        return
    if ics is None:
        if profile or times or timezone or alarm is not None:
            fail("--profile, --times, --timezone and --alarm need --ics FILE to say where to write the calendar")
        _show()
        return
    calendar = (
        _profile_calendar(profile, times, timezone, alarm) if profile else _stored_calendar(times, timezone, alarm)
    )
    try:
        ics.write_bytes(calendar)
    except OSError as error:
        fail(f"cannot write {ics} ({error.strerror})", 1)
    typer.echo(f"Calendar written to {ics}. Import it into your calendar app; a newer file updates the same events.")


def _show() -> None:
    from backcoach.services.reminders import stored_reminders

    saved = stored_reminders(scope())
    if saved is None:
        typer.echo("No reminders yet. Choose times: backcoach reminders set 07:30 19:00 --timezone Europe/London")
        return
    typer.echo(f"Reminders {_describe(saved)}.")
    typer.echo("Write them as a calendar file: backcoach reminders --ics reminders.ics")


def _stored_calendar(times: list[str] | None, timezone: str | None, alarm: int | None) -> bytes:
    from backcoach.services.reminders import person_calendar

    return person_calendar(scope(), times, timezone, alarm)


def _profile_calendar(profile: Path, times: list[str] | None, timezone: str | None, alarm: int | None) -> bytes:
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.cli.planning import load_profile_or_exit
    from backcoach.core.planner import plan_program
    from backcoach.services import reminders as service
    from backcoach.services.local_time import local_zone_name

    person = load_profile_or_exit(profile)
    try:
        chosen = service.check_reminders(
            times or [],
            timezone or local_zone_name(),
            service.DEFAULT_ALARM_MINUTES if alarm is None else alarm,
            person.sessions_per_day,
        )
    except service.ReminderError as error:
        fail(f"{error} (with --profile, give the times with --times 07:30)" if not times else str(error))
    plan = plan_program(person, load_catalogue())
    if not plan.exercises:
        fail(f"no reminders: {plan.message}", 1)
    for note in service.warnings(plan.exercises, chosen, person.sessions_per_day):
        typer.echo(f"Note: {note}")
    now = datetime.now(UTC).replace(tzinfo=None)
    return service.calendar_bytes(plan.exercises, chosen, service.profile_key(profile.name), now)


@app.command("set")
def set_command(
    times: Annotated[list[str], typer.Argument(help="One time HH:MM per session of the day, like 07:30 19:00.")],
    timezone: TimezoneOption = None,
    alarm: AlarmOption = None,
) -> None:
    """Choose when to be reminded: one time per session of the day."""
    from backcoach.services.reminders import save_reminders

    # Unspecified options keep what was stored before, so changing the times keeps the zone.
    reminders, notes = save_reminders(scope(), times, timezone, alarm)
    typer.echo(f"Saved: reminders {_describe(reminders)}.")
    for note in notes:
        typer.echo(f"Note: {note}")
    typer.echo("Write them as a calendar file: backcoach reminders --ics reminders.ics")
