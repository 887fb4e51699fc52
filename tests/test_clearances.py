"""What the safety loop remembers, through the application layer: a pain stop pauses the
exercise until a professional clears it; a warning sign stands until someone checked the
person; high pain before a session leaves only the gentlest movements; a clear re-screen after
a spike keeps the advice that fits."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backcoach.core.errors import InvalidInput, NotNow, ProgramPaused, RescreenNeeded
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.rules import is_strengthening
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import clearances, programs, screening, sessions
from backcoach.services.context import Scope
from backcoach.services.review import run_review
from tests.conftest import MovableNow
from tests.examples import example_profile

NO = dict.fromkeys(QUESTION_IDS, False)
SHARP = PainReport(PainKind.sharp, 6, PainPlace.lower_back)


def maya(ctx: Scope) -> None:
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1, minutes_per_session=20))


def strong_one(ctx: Scope) -> str:
    found = programs.active_program(ctx)
    return next(p.id for p in found.exercises if is_strengthening(p.exercise))


def test_a_sharp_stop_pauses_the_exercise_at_once(ctx: Scope, now: MovableNow):
    maya(ctx)
    hurt = strong_one(ctx)
    sessions.log_session(ctx, 3, 3, "right", [], {hurt: SHARP})
    assert hurt in clearances.unavailable(ctx)
    now.advance(days=1)
    _, due = sessions.due_now(ctx)
    assert hurt not in {p.id for p in due}, "not offered the next day, long before the weekly review"
    now.advance(days=7)
    run_review(ctx)
    assert hurt not in {p.id for p in programs.active_program(ctx).exercises}
    # A new plan from the same answers leaves it out too, and says why.
    plan = programs.set_profile(ctx, example_profile("maya", sessions_per_day=1, minutes_per_session=20))
    assert hurt not in {p.id for p in plan.exercises}
    assert any(x.id == hurt and x.code == "paused" for x in plan.left_out)


def test_a_cleared_exercise_comes_back_at_its_starting_dose(ctx: Scope, now: MovableNow):
    maya(ctx)
    hurt = strong_one(ctx)
    sessions.log_session(ctx, 3, 3, "right", [], {hurt: SHARP})
    now.advance(days=8)
    run_review(ctx)
    with pytest.raises(InvalidInput):  # who cleared it, and not in the future: nothing changes
        programs.clear_exercise(ctx, hurt, "  ", now().date())
    with pytest.raises(InvalidInput):
        programs.clear_exercise(ctx, hurt, "Dr Shah", now().date() + timedelta(days=1))
    assert hurt in clearances.unavailable(ctx)
    back = programs.clear_exercise(ctx, hurt, "Dr Shah", now().date())
    assert back is not None and hurt in {p.id for p in back.exercises}
    assert not clearances.unavailable(ctx)
    with pytest.raises(NotNow):
        programs.clear_exercise(ctx, hurt, "Dr Shah", now().date())


def test_answering_no_again_does_not_undo_a_sign(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "cancer_history": True})
    again = screening.rescreen(ctx, NO)
    assert not again.result.is_clear and "record who checked you" in again.result.message
    with pytest.raises(ProgramPaused):
        sessions.start(ctx)
    assert not screening.first_screen(ctx, NO).is_clear
    assert not programs.set_profile(ctx, example_profile("maya")).exercises


def test_a_clearance_restarts_the_program_gently(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "cancer_history": True})
    with pytest.raises(InvalidInput):
        screening.clear_warning(ctx, "my GP", now().date() - timedelta(days=3))  # before the sign was recorded
    now.advance(days=2)
    done = screening.clear_warning(ctx, "my GP", now().date())
    assert done.plan is not None and done.plan.exercises
    active = programs.active_program(ctx)
    assert "my GP" in active.reason and active.explanation is not None
    assert active.explanation.reason_code == "cleared"
    # The same lasting sign answered again later is covered by that check.
    assert screening.rescreen(ctx, {**NO, "cancer_history": True}).result.is_clear
    with pytest.raises(NotNow):
        screening.clear_warning(ctx, "my GP", now().date())  # nothing left to clear


def test_a_new_emergency_sign_is_never_covered_in_advance(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "saddle_numbness": True})
    now.advance(days=1)
    screening.clear_warning(ctx, "Emergency department", now().date())
    assert programs.active_program(ctx).exercises
    now.advance(days=1)
    again = screening.rescreen(ctx, {**NO, "saddle_numbness": True})
    assert again.result.status.value == "emergency"
    with pytest.raises(ProgramPaused):
        programs.active_program(ctx)


def test_pain_of_seven_before_a_session_leaves_only_the_gentlest(ctx: Scope):
    maya(ctx)
    live = sessions.start(ctx, resume=False, pain_before=8)
    assert live.exercises and not any(is_strengthening(p.exercise) for p in live.exercises)
    assert live.advice and "8 out of 10" in live.advice[0]
    everything = {p.id: p.dose for p in programs.active_program(ctx).exercises}
    for planned in live.exercises:
        for field in ("reps", "hold_seconds", "sets", "times_per_day"):
            now_value, planned_value = getattr(planned.dose, field), getattr(everything[planned.id], field)
            assert now_value is None or planned_value is None or now_value <= planned_value


def test_a_clear_rescreen_after_critical_pain_does_not_say_start_gently(ctx: Scope):
    maya(ctx)
    finished = sessions.log_session(ctx, 3, 9, "hard", [], {})
    assert finished.after.rescreen_needed and any("9 out of 10" in a for a in finished.after.advice)
    with pytest.raises(RescreenNeeded):
        sessions.start(ctx)
    answered = screening.rescreen(ctx, NO)
    assert answered.result.is_clear
    assert "start gently" not in answered.result.message and "9 out of 10" in answered.result.message


def test_the_pain_dialog_never_offers_a_paused_exercise(ctx: Scope, now: MovableNow):
    maya(ctx)
    found = programs.active_program(ctx)
    with_easier = next(p for p in found.exercises if p.exercise.easier)
    for easier in with_easier.exercise.easier:
        clearances.pause_for_pain(ctx, easier, "It hurt.", None)
    live = sessions.start(ctx, resume=False, pain_before=3)
    decision = live.pain_at(with_easier.id, False, PainReport(PainKind.mild, 3, PainPlace.lower_back))
    offered = {o.exercise_id for o in decision.options if o.exercise_id}
    assert not offered & set(with_easier.exercise.easier)


def test_a_covered_sign_never_hides_an_older_emergency(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "cancer_history": True})
    screening.clear_warning(ctx, "my GP", now().date())
    screening.rescreen(ctx, {**NO, "saddle_numbness": True})  # not cleared
    later = screening.rescreen(ctx, {**NO, "cancer_history": True})  # covered by the GP's check
    assert later.result.status.value == "emergency"
    with pytest.raises(ProgramPaused):
        programs.active_program(ctx)
    assert not programs.set_profile(ctx, example_profile("maya")).exercises


def test_a_symptom_needs_a_new_check_each_time(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "fever": True})
    screening.clear_warning(ctx, "my GP", now().date())
    now.advance(days=30)
    assert not screening.rescreen(ctx, {**NO, "fever": True}).result.is_clear, "a new fever is a new sign"


def test_the_same_check_sent_twice_is_recorded_once(ctx: Scope, now: MovableNow):
    maya(ctx)
    screening.rescreen(ctx, {**NO, "cancer_history": True})
    warning = clearances.standing_warning(ctx)
    assert warning is not None
    ctx.writer().safety.add_clearance(warning.screening_id, list(warning.signs), "my GP", now().date(), now())
    with pytest.raises(NotNow):  # AlreadyRecorded: what a second tab or a double tap gets
        ctx.writer().safety.add_clearance(warning.screening_id, list(warning.signs), "my GP", now().date(), now())
    assert len(clearances.clearances(ctx)) == 1


def test_pain_of_seven_on_resume_sets_the_old_session_aside_for_a_gentle_one(ctx: Scope):
    maya(ctx)
    first = sessions.start(ctx, resume=False, pain_before=3)
    again = sessions.start(ctx, resume=True, pain_before=8)
    assert again.session_id != first.session_id
    assert again.exercises and not any(is_strengthening(p.exercise) for p in again.exercises)
