"""The handout of a person's current program, or of a program planned from a profile file.
Shared by `backcoach handout` and the web app's "Print handout" link."""

from __future__ import annotations

from datetime import date

from backcoach.core.catalogue import Catalogue
from backcoach.core.errors import NotNow
from backcoach.core.lessons import for_program
from backcoach.core.planner import plan_program
from backcoach.core.profile import Profile
from backcoach.exports.handout import Handout, build_handout
from backcoach.services.context import Scope
from backcoach.services.lessons import all_lessons
from backcoach.services.programs import active_program


def program_handout(scope: Scope, person: str = "") -> Handout:
    """NoProgram or ProgramPaused when there is nothing to print. In a clinic the handout names the
    clinic (and, printed by the care team, the patient it is for)."""
    clinic_id = scope.actor.clinic_id
    clinic = (scope.app.database.accounts.clinic_name(clinic_id) or "") if clinic_id is not None else ""
    program = active_program(scope)
    profile = scope.repo.latest_profile()
    # The tick sheet has a column per session the person said they would do each day.
    sessions = profile.sessions_per_day if profile is not None else 1
    exercises = list(program.exercises)
    lessons = for_program(all_lessons(), [p.exercise for p in exercises])
    subtitle = " · ".join(part for part in (person, f"Program version {program.version}") if part)
    return build_handout(exercises, sessions, scope.now().date(), subtitle, lessons=lessons, clinic=clinic)


def profile_handout(profile: Profile, catalogue: Catalogue, today: date, source: str) -> Handout:
    """A handout planned from a profile, with nothing stored (a physiotherapist's printout)."""
    plan = plan_program(profile, catalogue)
    if not plan.exercises:
        raise NotNow(plan.message)
    lessons = for_program(all_lessons(), [p.exercise for p in plan.exercises])
    return build_handout(
        list(plan.exercises), profile.sessions_per_day, today, f"Planned from {source}", lessons=lessons
    )
