"""Two patients in one database: no use case reads or changes the other's rows.

The clinic will hold many people; the local app holds one. Either way a use case is told who
is acting and for which patient, and the repository it gets is that patient's by construction.
"""

from __future__ import annotations

from typing import Any

import pytest

from backcoach.core.errors import NotAllowed, NotFound
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.rules import EndReason, OutcomeStatus
from backcoach.core.session_run import ExerciseOutcome
from backcoach.core.timing import Dose
from backcoach.services import activities, programs, reminders, review, sessions
from backcoach.services.context import Actor, App, Role, Scope, patient_scope
from backcoach.services.progress import progress
from backcoach.services.transfer import export_all
from tests.examples import example_profile

MILD = PainReport(PainKind.mild, 3, PainPlace.lower_back)


def a_patient(app: App) -> Scope:
    person = app.database.add_person(app.now())
    return patient_scope(app, Actor(Role.patient, person.id), person.id)


def everything_of(scope: Scope) -> dict[str, Any]:
    """All that the use cases show of one patient, as plain values."""
    summary = progress(scope)
    return {
        "versions": [(v.version, v.reason, [p.id for p in v.exercises]) for v in programs.program_versions(scope)],
        "profile": scope.repo.latest_profile(),
        "history": scope.repo.history(),
        "activities": activities.activities(scope),
        "reminders": reminders.stored_reminders(scope),
        "open": sessions.open_session(scope),
        "sessions_done": None if summary is None else summary.sessions_done,
        "rescreen_due": review.rescreen_due(scope),
    }


def use_everything(scope: Scope, now: Any, pain_stop: bool) -> int:
    """Set up, do a session with a pain stop and a choice, log one, rate an activity, set reminders,
    review: every use case that writes. Returns the id of a session left open."""
    programs.set_profile(scope, example_profile("maya", sessions_per_day=1))
    activity = activities.add_activity(scope, "Sitting at my desk", 4)
    activities.rate_activity(scope, activity.id, 5)
    reminders.save_reminders(scope, ["07:30"], "Europe/London", 10)
    live = sessions.start(scope)
    live.go_on()
    if pain_stop:
        decision = live.this_hurts(MILD)
        live.choose(decision.options[-1].id)
    sessions.finish(scope, live.session_id, EndReason.quit, 4, 4, "right")
    now.advance(days=1)
    sessions.log_session(scope, 4, 3, "easy", [], {})
    now.advance(days=7)
    review.run_review(scope)
    return sessions.start(scope).session_id


def test_no_use_case_reads_or_changes_the_other_patients_rows(app: App, now):
    anna, ben = a_patient(app), a_patient(app)
    use_everything(anna, now, pain_stop=True)
    anna_before = everything_of(anna)
    ben_open = use_everything(ben, now, pain_stop=False)
    ben_before = everything_of(ben)
    assert everything_of(anna) == anna_before, "Ben's use cases changed nothing of Anna's"
    assert anna_before["history"] and ben_before["history"]
    assert {s.id for s in anna_before["history"]}.isdisjoint({s.id for s in ben_before["history"]})

    # Anna's use cases, aimed at Ben's session and activity, find nothing and change nothing.
    ben_activity = ben_before["activities"][0].id
    attempts = [
        lambda: sessions.LiveSession.load(anna, ben_open),
        lambda: sessions.finish(anna, ben_open, EndReason.finished, 1, 1, "easy"),
        lambda: activities.rate_activity(anna, ben_activity, 0),
        lambda: anna.repo.outcomes(ben_open),
        lambda: anna.repo.record_outcome(ben_open, ExerciseOutcome("bridge", OutcomeStatus.done, Dose(reps=15)), now()),
        lambda: anna.repo.end_session(ben_open, "quit", now()),
        lambda: anna.repo.set_session_state(ben_open, [], None),
        lambda: anna.repo.program(ben_before_program_id(ben)),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert everything_of(ben) == ben_before


def ben_before_program_id(ben: Scope) -> int:
    found = programs.current_program(ben)
    assert found is not None
    return found.id


def test_an_actor_may_act_only_for_their_own_patient(app: App):
    anna, ben = a_patient(app), a_patient(app)
    with pytest.raises(NotAllowed):
        patient_scope(app, anna.actor, ben.patient_id)
    with pytest.raises(NotAllowed):
        patient_scope(app, anna.actor, 999)  # nobody
    with pytest.raises(NotAllowed):
        export_all(anna)  # the whole-database export is the local user's alone
