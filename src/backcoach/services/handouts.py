"""The handout of a person's current program, or of a program planned from a profile file.
Shared by `backcoach handout` and the web app's "Print handout" link."""

from __future__ import annotations

from datetime import date

from backcoach.core.catalogue import Catalogue
from backcoach.core.planner import plan_program
from backcoach.core.profile import Profile
from backcoach.exports.handout import Handout, build_handout
from backcoach.services.context import Context
from backcoach.services.programs import current_program


class NothingToPrint(RuntimeError):
    """There is no program to print; the message says why and what to do."""


def program_handout(ctx: Context) -> Handout:
    found = current_program(ctx)
    if found is None:
        raise NothingToPrint("There is no program yet. Run `backcoach setup` first.")
    row, exercises = found
    if not exercises:
        raise NothingToPrint(f"Your program is paused. {row.reason}")
    profile = ctx.repo.latest_profile(ctx.person_id)
    # The tick sheet has a column per session the person said they would do each day.
    sessions = profile.sessions_per_day if profile is not None else 1
    return build_handout(exercises, sessions, ctx.now().date(), f"Program version {row.version}")


def profile_handout(profile: Profile, catalogue: Catalogue, today: date, source: str) -> Handout:
    """A handout planned from a profile, with nothing stored (a physiotherapist's printout)."""
    plan = plan_program(profile, catalogue)
    if not plan.exercises:
        raise NothingToPrint(plan.message)
    return build_handout(plan.exercises, profile.sessions_per_day, today, f"Planned from {source}")
