"""Prescribing by a physiotherapist in the care team (services/prescribing.py): starting from the
current program, a fresh plan or a clinic template; the checks (a dose outside the sources only with
a reason, the hard safety rules); the version the patient then sees; the audit trail; the clinic's
templates, kept apart between clinics; and the weekly review inside the limits the prescription
set. Runs on SQLite, and on PostgreSQL too when BACKCOACH_TEST_POSTGRES_URL is set (the new tables)."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest

from backcoach.core.errors import InvalidInput, NotAllowed, NotFound
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.prescription import ReviewMode, Row
from backcoach.core.progression import Action
from backcoach.services import clearances, clinic, prescribing, programs, review, sessions, transfer
from backcoach.services.clearances import pause_for_pain
from backcoach.services.context import App, Scope
from backcoach.services.prescribing import Draft, PrescriptionRefused
from backcoach.services.screening import rescreen
from tests.clinic.helpers import Riverside, riverside
from tests.conftest import MovableNow
from tests.examples import example_profile


@pytest.fixture
def place(app: App) -> Riverside:
    found = riverside(app)
    programs.set_profile(found.clinic.own_scope(found.maya), example_profile("maya", sessions_per_day=1))
    return found


def maya(place: Riverside) -> Scope:
    return place.clinic.own_scope(place.maya)


def current_draft(place: Riverside, review_mode: ReviewMode = ReviewMode.ceiling) -> Draft:
    built = prescribing.start(place.clinic.app, place.pat.actor, place.maya.public_id, "current")
    return replace(built.draft, review=review_mode)


def events(place: Riverside, action: str) -> list[str]:
    found = clinic.audit_trail(place.clinic.app, place.admin.actor, action, None, None)
    return [f"{e.actor} {e.patient_public_id or ''} {e.detail}" for e in found]


def test_the_builder_starts_from_the_current_program_or_a_fresh_plan(place: Riverside) -> None:
    now = programs.current_program(maya(place))
    assert now is not None
    built = prescribing.start(place.clinic.app, place.pat.actor, place.maya.public_id, "current")
    assert [r.exercise_id for r in built.draft.rows] == [p.id for p in now.exercises]
    assert built.problems == () and built.blocked is None and built.minutes_chosen == 10
    fresh = prescribing.start(place.clinic.app, place.pat.actor, place.maya.public_id, "plan")
    assert [r.exercise_id for r in fresh.draft.rows] == [p.id for p in now.exercises]
    assert len(events(place, "prescribe_opened")) == 2  # each read of the record is audited


def test_a_prescription_is_a_new_version_the_patient_sees_with_the_reason(place: Riverside) -> None:
    draft = current_draft(place)
    first, second, *rest = draft.rows
    rows = (second, replace(first, dose=replace(first.dose, reps=3)), *rest[:-1])  # reorder, a dose, one out
    saved = prescribing.prescribe(
        place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=rows, note="Less <b>bending</b>.")
    )
    seen = programs.active_program(maya(place))
    assert seen.version == saved.version == 2
    assert [p.id for p in seen.exercises] == [r.exercise_id for r in rows]
    assert seen.reason == "Changed by your physiotherapist: Less <b>bending</b>."
    assert seen.explanation is not None and seen.explanation.reason_code == "prescribed"
    assert any(n.startswith("Taken out:") for n in seen.explanation.notes)
    assert all(p.why.startswith("Your physiotherapist chose it.") for p in seen.exercises)
    assert [v.version for v in programs.program_versions(maya(place))] == [1, 2]  # the history keeps both
    (event,) = events(place, "program_prescribed")
    assert event.startswith(f"pat@riverside.example {place.maya.public_id} version 2; review ceiling")


def test_a_dose_outside_the_sources_needs_a_reason_kept_and_shown(place: Riverside) -> None:
    draft = current_draft(place)
    row = draft.rows[0]  # knee-to-chest: the sources give 2 to 3 repeats
    high = replace(row, dose=replace(row.dose, reps=6))
    with pytest.raises(PrescriptionRefused) as refused:
        prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=(high,)))
    assert "Write the reason" in refused.value.message and "the sources give 2 to 3" in refused.value.message
    assert [v.version for v in programs.program_versions(maya(place))] == [1]  # nothing stored
    reasoned = replace(high, reason="She did 6 easily in clinic today.")
    prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=(reasoned,)))
    seen = programs.active_program(maya(place))
    assert seen.exercises[0].dose.reps == 6
    assert "She did 6 easily in clinic today." in seen.exercises[0].why
    assert seen.explanation is not None and any("She did 6 easily" in n for n in seen.explanation.notes)


@pytest.mark.parametrize(
    ("dose", "problem"),
    [
        ({"reps": None}, "give the repeats"),
        ({"reps": 0}, "at least 1"),
        ({"sets": 2}, "has no sets"),
        ({"times_per_day": 4}, "at most 3 times a day"),
        ({"hold_seconds": 9999}, "longer than a whole session"),
    ],
)
def test_bad_doses_get_one_clear_message_and_change_nothing(place: Riverside, dose: dict, problem: str) -> None:
    draft = current_draft(place)
    row = replace(draft.rows[0], dose=replace(draft.rows[0].dose, **dose), reason="on purpose")
    with pytest.raises(PrescriptionRefused) as refused:
        prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=(row,)))
    assert problem in refused.value.message
    assert [v.version for v in programs.program_versions(maya(place))] == [1]


def test_the_same_exercise_twice_an_activity_or_nothing_at_all_is_refused(place: Riverside) -> None:
    draft = current_draft(place)
    walking = place.clinic.app.catalogue.get("walking")
    for rows, problem in (
        ((draft.rows[0], draft.rows[0]), "twice"),
        ((Row("walking", replace(draft.rows[0].dose)),), f"{walking.name} is an activity"),
        ((), "Add at least one exercise"),
    ):
        with pytest.raises(PrescriptionRefused) as refused:
            prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=rows))
        assert problem in refused.value.message


def test_the_hard_rules_refuse_and_store_nothing(place: Riverside) -> None:
    app, pat, public_id = place.clinic.app, place.pat.actor, place.maya.public_id
    draft = current_draft(place)
    pause_for_pain(maya(place), draft.rows[0].exercise_id, "It hurt.", None)
    with pytest.raises(PrescriptionRefused, match="paused because it hurt"):
        prescribing.prescribe(app, pat, public_id, draft)
    programs.set_profile(maya(place), example_profile("maya", sessions_per_day=1, can_floor=False))
    with pytest.raises(PrescriptionRefused, match="the patient cannot do it"):
        prescribing.prescribe(app, pat, public_id, replace(draft, rows=draft.rows[1:]))
    answers = dict(example_profile("maya").red_flags, fever=True, injects_drugs=True)
    rescreen(maya(place), answers)
    count = len(programs.program_versions(maya(place)))
    with pytest.raises(PrescriptionRefused, match="No program can be prescribed"):
        prescribing.prescribe(app, pat, public_id, replace(draft, rows=draft.rows[1:]))
    assert len(programs.program_versions(maya(place))) == count
    assert events(place, "program_prescribed") == []


def test_only_the_care_team_prescribes(place: Riverside) -> None:
    app, draft = place.clinic.app, current_draft(place)
    for who in (place.quinn, place.admin, place.other_admin):  # outside the team, admin, another clinic
        with pytest.raises(NotFound):
            prescribing.prescribe(app, who.actor, place.maya.public_id, draft)
        with pytest.raises(NotFound):
            prescribing.start(app, who.actor, place.maya.public_id, "current")
    with pytest.raises(NotFound):
        prescribing.prescribe(app, place.maya.actor, place.maya.public_id, draft)
    assert [v.version for v in programs.program_versions(maya(place))] == [1]


def test_templates_belong_to_one_clinic(place: Riverside) -> None:
    app, draft = place.clinic.app, current_draft(place)
    kept = prescribing.save_template(app, place.pat.actor, "  Low back,   gentle ", replace(draft, note="Start here."))
    assert kept.name == "Low back, gentle"
    assert [t.name for t in prescribing.templates(app, place.quinn.actor)] == ["Low back, gentle"]  # the clinic's
    assert prescribing.templates(app, place.other_admin.actor) == []
    with pytest.raises(NotFound):
        prescribing.delete_template(app, place.other_admin.actor, kept.public_id)
    hal = place.clinic._person("hal@hilltop.example", "")
    with pytest.raises(InvalidInput, match="no such template"):
        prescribing.start(app, hal.actor, place.other_patient.public_id, kept.public_id)
    with pytest.raises(NotAllowed):
        prescribing.templates(app, place.maya.actor)
    started = prescribing.start(app, place.pat.actor, place.maya.public_id, kept.public_id)
    assert started.draft.rows == draft.rows and started.draft.note == "Start here."
    prescribing.delete_template(app, place.quinn.actor, kept.public_id)
    assert prescribing.templates(app, place.pat.actor) == []
    assert len(events(place, "template_created")) == 1 and len(events(place, "template_deleted")) == 1


def test_a_template_is_checked_as_input(place: Riverside) -> None:
    with pytest.raises(PrescriptionRefused, match="name of 1 to 200"):
        prescribing.save_template(place.clinic.app, place.pat.actor, "   ", current_draft(place))


# The weekly review inside the prescription's limits ------------------------------------------------


def easy_week(scope: Scope, now: MovableNow, pain_stops: dict[str, PainReport] | None = None) -> None:
    sessions.log_session(scope, 3, 3, "easy", [], {})
    now.advance(days=1)
    sessions.log_session(scope, 3, 3, "easy", [], pain_stops or {})
    now.advance(days=6)


def reviewed(place: Riverside, now: MovableNow, mode: ReviewMode) -> review.ReviewView:
    prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, current_draft(place, mode))
    easy_week(maya(place), now)
    found = review.run_review(maya(place))
    assert found is not None
    return found


def test_without_a_ceiling_the_review_grows_doses(place: Riverside, now: MovableNow) -> None:
    assert any(c.action is Action.grow for c in reviewed(place, now, ReviewMode.sources).result.changes)


def test_the_review_never_raises_a_dose_above_the_prescribed_one(place: Riverside, now: MovableNow) -> None:
    result = reviewed(place, now, ReviewMode.ceiling).result
    assert not any(c.action in (Action.grow, Action.harder, Action.back) for c in result.changes)
    assert "at the most your physiotherapist set" in " ".join(c.reason for c in result.changes)


def test_the_review_grows_back_up_to_the_ceiling_and_no_further(place: Riverside, now: MovableNow) -> None:
    draft = current_draft(place)
    row = draft.rows[1]  # knee-rolls: repeats 2 to 10 in the sources
    top = replace(row, dose=replace(row.dose, reps=4))
    prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, replace(draft, rows=(top,)))
    for _ in range(4):
        easy_week(maya(place), now)
        review.run_review(maya(place))
        found = programs.active_program(maya(place)).exercises[0]
        assert found.dose.reps is not None and found.dose.reps <= 4
        assert (found.dose.hold_seconds or 0) <= (row.dose.hold_seconds or 0)


def test_switched_off_the_review_raises_nothing_but_pain_still_pauses(place: Riverside, now: MovableNow) -> None:
    result = reviewed(place, now, ReviewMode.off).result
    assert {c.action for c in result.changes} == {Action.hold}
    hurt = programs.active_program(maya(place)).exercises[0].id
    easy_week(maya(place), now, {hurt: PainReport(PainKind.sharp, 6, PainPlace.lower_back)})
    assert hurt in clearances.unavailable(maya(place))  # paused at once, whatever the setting
    review.run_review(maya(place))
    assert hurt not in {p.id for p in programs.active_program(maya(place)).exercises}


def test_switched_off_the_review_still_steps_down_when_pain_rises(place: Riverside, now: MovableNow) -> None:
    reviewed(place, now, ReviewMode.off)
    scope = maya(place)
    for _ in range(2):
        if review.rescreen_due(scope):
            rescreen(scope, example_profile("maya").red_flags)
        sessions.log_session(scope, 7, 7, "hard", [], {})
        now.advance(days=1)
    now.advance(days=6)
    if review.rescreen_due(scope):
        rescreen(scope, example_profile("maya").red_flags)  # the review comes after the warning signs
    review.run_review(scope)
    made = [v for v in programs.program_versions(scope) if v.version > 2]
    actions = {c["action"] for v in made for c in v.changes}
    assert made and actions & {Action.pause, Action.step_down}
    assert not actions & {Action.grow, Action.harder, Action.back}


def test_new_answers_end_the_prescription_for_the_review(place: Riverside) -> None:
    prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, current_draft(place))
    assert prescribing.limits_in_force(maya(place)) is not None
    programs.set_profile(maya(place), example_profile("maya", sessions_per_day=1, pain_now=3))
    assert prescribing.limits_in_force(maya(place)) is None


# The patient's own export, with a prescribed version in it ----------------------------------------


def moved_record(place: Riverside, draft: Draft) -> int:
    prescribing.prescribe(place.clinic.app, place.pat.actor, place.maya.public_id, draft)
    document = transfer.export_patient(maya(place))
    sam = place.clinic.patient(place.pat, "sam@home.example", "Sam Patient")
    return transfer.import_patient(place.clinic.own_scope(sam), document)


def test_a_prescribed_version_moves_with_the_patient_s_export(place: Riverside) -> None:
    assert moved_record(place, current_draft(place)) > 0


@pytest.mark.xfail(strict=True, reason="the import refuses doses outside the sources, even with a physio's reason")
def test_a_dose_prescribed_outside_the_sources_moves_with_the_export(place: Riverside) -> None:
    draft = current_draft(place)
    row = replace(draft.rows[0], dose=replace(draft.rows[0].dose, reps=6), reason="On purpose.")
    assert moved_record(place, replace(draft, rows=(row,))) > 0


def test_a_prescription_and_the_patients_own_answers_take_the_same_turn(
    place: Riverside, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The physiotherapist's save and the patient's new answers wait for each other (one record,
    one turn): a prescription checked against the answers before is never saved after new ones."""
    app = place.clinic.app
    turns: list[str] = []
    real = app.change_lock

    def lock(record: str) -> threading.RLock:
        turns.append(record)
        return real(record)

    monkeypatch.setattr(app, "change_lock", lock)
    prescribing.prescribe(app, place.pat.actor, place.maya.public_id, current_draft(place))
    programs.set_profile(place.clinic.own_scope(place.maya), example_profile("maya", sessions_per_day=1))
    assert len(turns) == 2 and turns[0] == turns[1]
