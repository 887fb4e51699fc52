"""The stored session flow (`LiveSession`): whatever a player does, a rebuild from storage (a
reload, another device, a crash) comes back to the same state and the same rules."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from rich.console import Console

from backcoach.cli.coach.clock import FakeClock
from backcoach.cli.coach.coach import TerminalCoach
from backcoach.cli.coach.keys import ScriptedKeys
from backcoach.core.dose_steps import grow_one_step
from backcoach.core.errors import AlreadyRecorded, NothingDue, NotNow
from backcoach.core.pain_stop import OptionKind, PainKind, PainPlace, PainReport
from backcoach.core.rules import EndReason
from backcoach.services import programs, sessions
from backcoach.services.context import Scope
from backcoach.services.live_session import LiveSession
from backcoach.storage.stored_json import exercises_json
from tests.examples import example_profile

MILD = PainReport(PainKind.mild, 3, PainPlace.lower_back)
SHARP = PainReport(PainKind.sharp, 6, PainPlace.lower_back)


def maya(ctx: Scope) -> LiveSession:
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1))
    return sessions.start(ctx)


def maya_grown(ctx: Scope) -> LiveSession:
    """Maya a few weeks on: every exercise grown to the top of its sources, so pain can ease it."""
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1))
    found = programs.current_program(ctx)
    assert found is not None
    grown = []
    for planned in found.exercises:
        dose = planned.dose
        while (bigger := grow_one_step(planned.exercise, planned.dose, dose, 1)) is not None:
            dose = bigger
        grown.append(replace(planned, dose=dose))
    explanation = {"reason_code": "review", "message": "Grown."}
    ctx.writer().save_program(found.profile_id, exercises_json(grown), "Grown.", [], explanation, ctx.now())
    return sessions.start(ctx)


def reloaded(ctx: Scope, live: LiveSession) -> LiveSession:
    return LiveSession.load(ctx, live.session_id)


def option(live: LiveSession, kind: OptionKind) -> str:
    decision = live.awaiting_choice
    assert decision is not None
    return next(o.id for o in decision.options if o.kind is kind)


def stored(ctx: Scope) -> list[tuple[str, str, str | None]]:
    return [(o.exercise_id, o.status, o.pain_kind) for o in ctx.repo.history()[-1].outcomes]


def test_pain_noted_on_an_exercise_that_carries_on_survives_a_reload(ctx: Scope):
    live = maya_grown(ctx)
    first = live.exercises[0].id
    live.pain_at(first, False, MILD)
    live.choose(option(reloaded(ctx, live), OptionKind.easier_dose))
    # The next request comes from a fresh page: the exercise is done, and keeps its pain report.
    reloaded(ctx, live).complete(first)
    assert stored(ctx) == [(first, "done", "mild")]
    # Skipped after pain noted, it is a pain stop, not a plain skip.
    second = live.exercises[1].id
    again = reloaded(ctx, live)
    again.pain_at(second, False, MILD)
    again.choose(option(again, OptionKind.easier_dose))
    reloaded(ctx, live).complete(second, skipped=True)
    assert stored(ctx)[-1] == (second, "stopped_for_pain", "mild")


def test_a_stop_in_the_rest_between_exercises_ends_the_session_for_every_player(ctx: Scope):
    live = maya(ctx)
    live.complete(live.exercises[0].id)
    nxt = reloaded(ctx, live).exercises[0].id
    reloaded(ctx, live).pain_at(nxt, True, SHARP)
    assert stored(ctx) == [(live.exercises[0].id, "done", None)], "nothing is blamed for pain in the rest"
    again = sessions.start(ctx, resume=True)
    assert again.session_id == live.session_id and again.stopped_for_pain and again.ended
    with pytest.raises(AlreadyRecorded):
        reloaded(ctx, live).complete(nxt)
    sessions.finish(ctx, live.session_id, EndReason.finished, 3, 3, "right")
    assert ctx.repo.history()[-1].status == "stopped_for_pain", "a player cannot turn it into finished"


def test_an_outcome_that_arrives_after_the_next_exercise_s_pain_report_is_kept(ctx: Scope):
    live = maya(ctx)
    first, second = live.exercises[0].id, live.exercises[1].id
    reloaded(ctx, live).pain_at(second, True, MILD)  # the phone sent the pain before the "done" arrived
    reloaded(ctx, live).complete(first)
    assert stored(ctx) == [(first, "done", None)]
    waiting = reloaded(ctx, live)
    assert waiting.awaiting_choice is not None, "the choice still waits"
    with pytest.raises(NotNow):
        waiting.complete(second)  # but not for the exercise that hurt


def test_quitting_with_a_choice_waiting_saves_the_pain_stop(ctx: Scope):
    live = maya(ctx)
    first = live.exercises[0].id
    live.pain_at(first, False, MILD)
    sessions.finish(ctx, live.session_id, EndReason.quit, 3, 3, "right")
    assert stored(ctx) == [(first, "stopped_for_pain", "mild")]
    # The same when a new session sets the open one aside.
    ctx.app.now.advance(days=1)  # type: ignore[attr-defined]
    other = sessions.start(ctx)
    other.pain_at(other.exercises[0].id, False, MILD)
    with pytest.raises(NothingDue):  # the session set aside counts as today's: it was begun, and it hurt
        sessions.start(ctx, resume=False)
    assert [(o.exercise_id, o.status, o.pain_kind) for o in ctx.repo.history()[-1].outcomes] == [
        (first, "stopped_for_pain", "mild")
    ]


def test_an_easier_exercise_plays_right_after_the_one_it_replaces_even_after_a_reload(ctx: Scope):
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1))
    program = programs.active_program(ctx)
    by_id = {p.id: p for p in program.exercises}
    order = [by_id["bridge"], by_id["knee-to-chest"]]  # the bridge first, so its stand-in is not last
    session_id = ctx.writer().start_session(program.id, exercises_json(order), 3, ctx.now())
    live = LiveSession.load(ctx, session_id)
    live.pain_at("bridge", False, MILD)
    live.choose(option(live, OptionKind.easier_exercise))
    stand_in = live.current_exercise
    assert stand_in is not None and stand_in.id != "bridge"
    assert [p.id for p in reloaded(ctx, live).exercises] == [stand_in.id, "knee-to-chest"]


def test_the_terminal_takes_up_a_choice_left_waiting_on_another_device(ctx: Scope):
    live = maya(ctx)
    first = live.exercises[0].id
    live.pain_at(first, False, MILD)
    resumed = sessions.start(ctx, resume=True)
    clock = FakeClock()
    coach = TerminalCoach(resumed, clock, ScriptedKeys(clock, ()), Console(file=io.StringIO(), width=100))
    picked: list[str] = []

    def idle() -> str | None:
        if coach.question == "pain_option" and coach.dialog is not None and not picked:
            picked.append("skip")
            return next(key for key, label in coach.dialog.options if label == "Skip this exercise")
        return "q" if coach.question is None else ("y" if coach.question == "quit" else "\n")

    coach.keys = ScriptedKeys(clock, (), idle=idle)
    coach.run_session()
    assert picked and stored(ctx)[0] == (first, "stopped_for_pain", "mild")
    assert "nothing was saved" not in coach.console.file.getvalue()  # type: ignore[attr-defined]


def test_a_warning_sign_closes_the_way_into_an_open_session_too(ctx: Scope):
    from backcoach.core.errors import ProgramPaused
    from backcoach.core.screening import QUESTION_IDS
    from backcoach.services import screening

    live = maya(ctx)
    live.complete(live.exercises[0].id)
    screening.rescreen(ctx, {**dict.fromkeys(QUESTION_IDS, False), "saddle_numbness": True})
    for way_in in (
        lambda: sessions.start(ctx, resume=True),
        lambda: LiveSession.load(ctx, live.session_id),
        lambda: sessions.log_session(ctx, 3, 3, "right", [], {}),
    ):
        with pytest.raises(ProgramPaused):
            way_in()
    sessions.finish(ctx, live.session_id, EndReason.quit, 3, 3, "right")  # it can still be closed
    assert sessions.open_session(ctx) is None


def test_owed_warning_signs_come_before_an_open_session_too(ctx: Scope):
    from backcoach.core.errors import RescreenNeeded

    live = maya(ctx)
    sessions.finish(ctx, live.session_id, EndReason.finished, 2, 8, "hard")
    ctx.app.now.advance(days=1)  # type: ignore[attr-defined]
    with pytest.raises(RescreenNeeded):
        sessions.start(ctx, resume=True)


def test_a_second_pain_report_while_a_choice_waits_is_about_the_same_exercise(ctx: Scope):
    live = maya(ctx)
    first, other = live.exercises[0].id, live.exercises[-1].id
    live.pain_at(first, False, MILD)
    with pytest.raises(NotNow):
        reloaded(ctx, live).pain_at(other, False, SHARP)
    worse = reloaded(ctx, live).pain_at(first, False, SHARP)  # it got worse: that ends the session
    assert worse.action.value == "end_session" and stored(ctx) == [(first, "stopped_for_pain", "sharp")]


def test_only_one_session_is_open_at_a_time_whatever_the_race(ctx: Scope):
    from sqlalchemy import func, select

    from backcoach.storage import tables as t

    live = maya(ctx)
    program = programs.active_program(ctx)
    with pytest.raises(AlreadyRecorded, match="already open"):  # as when two devices start at once
        ctx.writer().start_session(program.id, exercises_json(list(program.exercises)), 3, ctx.now())
    with ctx.app.database.sessions() as db:
        opened = db.scalar(select(func.count()).select_from(t.Session).where(t.Session.status == "in_progress"))
    assert opened == 1 and sessions.open_session(ctx).id == live.session_id  # type: ignore[union-attr]


def test_the_same_outcome_twice_at_once_is_refused_plainly(ctx: Scope):
    from backcoach.core.rules import OutcomeStatus
    from backcoach.core.session_run import ExerciseOutcome

    live = maya(ctx)
    planned = live.exercises[0]
    outcome = ExerciseOutcome(planned.id, OutcomeStatus.done, planned.dose)
    ctx.repo.record_outcome(live.session_id, outcome, ctx.now())
    with pytest.raises(AlreadyRecorded):  # the second of two requests that both passed the check
        ctx.repo.record_outcome(live.session_id, outcome, ctx.now())


def test_an_id_beyond_what_the_database_holds_names_nothing(ctx: Scope):
    from backcoach.core.errors import NotFound

    maya(ctx)
    for huge in (2**63, 10**25):
        with pytest.raises(NotFound):
            LiveSession.load(ctx, huge)
