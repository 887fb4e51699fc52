"""The terminal coach, driven by scripted keys on a fake clock: no test waits on the wall clock."""

from __future__ import annotations

import io
import os
import termios
from pathlib import Path

import pytest
from rich.console import Console, RenderableType

from backcoach.cli.coach.clock import FakeClock
from backcoach.cli.coach.coach import CheckIn, SessionResult, TerminalCoach
from backcoach.cli.coach.keys import ENTER, ScriptedKeys, TerminalKeys, Until, Wait
from backcoach.cli.coach.view import Place, step_body
from backcoach.core.catalogue import Catalogue
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.planner import PlannedExercise, plan_program
from backcoach.core.rules import Difficulty, EndReason, OutcomeStatus
from backcoach.core.session_run import ExerciseOutcome, SessionRun
from backcoach.core.session_steps import StepKind, session_exercises
from backcoach.schemas.profile_file import read_profile

MAYA = Path(__file__).resolve().parents[1] / "examples" / "maya.json"


class Harness:
    """A coach on Maya's first session, with a fake clock and keys that press Enter on position steps."""

    def __init__(
        self, catalogue: Catalogue, exercises: list[PlannedExercise] | None = None, terminal: bool = False
    ) -> None:
        plan = plan_program(read_profile(MAYA), catalogue)
        self.clock = FakeClock()
        self.run = SessionRun(exercises or session_exercises(plan, 0, 0), catalogue)
        self.seen: list[ExerciseOutcome] = []
        self.keys = ScriptedKeys(self.clock, idle=self.idle)
        self.out = io.StringIO()
        console = Console(file=self.out, width=100, height=40, force_terminal=terminal)
        self.coach = TerminalCoach(self.run, self.clock, self.keys, console, on_outcome=self.seen.append)
        self.answers: dict[str, str] = {}  # question id -> the label to pick when it is asked

    def type(self, *script: str | Wait | Until, keys: type[ScriptedKeys] = ScriptedKeys) -> None:
        self.keys = self.coach.keys = keys(self.clock, script, idle=self.idle)

    def idle(self) -> str | None:
        coach, step = self.coach, self.run.current
        if coach.dialog is not None and coach.question in self.answers:
            wanted = self.answers[coach.question]
            return next(key for key, label in coach.dialog.options if label == wanted)
        if coach.question is None and step is not None and step.kind is StepKind.position:
            return ENTER
        return None

    def at(self, kind: StepKind) -> Until:
        return Until(lambda: self.run.current is not None and self.run.current.kind is kind)

    def ended(self) -> Until:
        return Until(lambda: self.run.ended)

    def play(self) -> SessionResult:
        result = self.coach.run_session()
        assert self.keys.finished, "the session ended before the script did"
        return result

    @property
    def output(self) -> str:
        return self.out.getvalue()


def test_whole_session_with_enter_on_position_steps(catalogue):
    h = Harness(catalogue)
    h.type(h.ended(), "3\n", "2")
    steps = list(h.run.steps)
    result = h.play()
    assert result.end_reason is EndReason.finished
    assert [o.status for o in result.outcomes] == [OutcomeStatus.done] * len(h.run.exercises)
    assert [o.exercise_id for o in result.outcomes] == [p.id for p in h.run.exercises]
    assert h.seen == list(result.outcomes)
    assert result.check_in == CheckIn(3, Difficulty.right)
    # Only the position steps wait for the person, and here they press Enter at once.
    timed = sum(s.seconds for s in steps if s.kind is not StepKind.position)
    assert h.clock.now() == pytest.approx(timed, abs=1)
    assert result.seconds == pytest.approx(timed, abs=1)
    for step in steps:
        assert step.cue in h.output
    assert "Your session" in h.output and "Saved." in h.output
    assert "Pain now: 3 out of 10" in h.output and "How hard it felt: about right" in h.output


def test_enter_cuts_a_countdown_short(catalogue):
    h = Harness(catalogue)
    steps = list(h.run.steps)
    h.type(h.at(StepKind.hold), Wait(2), "\n", h.ended(), "\n\n")
    result = h.play()
    first_hold = next(s for s in steps if s.kind is StepKind.hold)
    timed = sum(s.seconds for s in steps if s.kind is not StepKind.position)
    assert h.clock.now() == pytest.approx(timed - (first_hold.seconds - 2), abs=0.5)
    assert all(o.status is OutcomeStatus.done for o in result.outcomes)


def test_s_skips_the_exercise(catalogue):
    h = Harness(catalogue)
    h.type(h.at(StepKind.hold), "s", h.ended(), "\n\n")
    result = h.play()
    assert result.outcomes[0].status is OutcomeStatus.skipped
    assert all(o.status is OutcomeStatus.done for o in result.outcomes[1:])
    assert result.end_reason is EndReason.finished
    assert result.check_in == CheckIn(None, None)
    assert "Pain now: not given" in h.output


def test_sharp_pain_ends_the_session(catalogue):
    h = Harness(catalogue)
    h.type(h.at(StepKind.hold), "h2", "6\n", "4", h.ended(), "7\n3")
    result = h.play()
    assert result.end_reason is EndReason.pain
    assert len(result.outcomes) == 1
    stopped = result.outcomes[0]
    assert stopped.status is OutcomeStatus.stopped_for_pain
    assert stopped.pain == PainReport(PainKind.sharp, 6, PainPlace.lower_back)
    assert h.seen == [stopped]
    assert result.pain_message and "Stop here for today" in result.pain_message
    rows = h.coach.summary_rows()
    assert [r[1] for r in rows[1:]] == ["not done"] * (len(h.run.exercises) - 1)
    assert result.check_in == CheckIn(7, Difficulty.hard)
    assert "Stop here for today" in h.output


def test_mild_pain_offers_options_and_skip_records_pain(catalogue):
    h = Harness(catalogue)
    h.answers["pain_option"] = "Skip this exercise"
    h.type(h.at(StepKind.hold), "h1", "3\n", "4", h.ended(), "\n\n")
    result = h.play()
    assert "Skip this exercise" in h.output and "Some mild discomfort is normal" in h.output
    first, *rest = result.outcomes
    assert first.status is OutcomeStatus.stopped_for_pain
    assert first.pain == PainReport(PainKind.mild, 3, PainPlace.lower_back)
    assert all(o.status is OutcomeStatus.done for o in rest) and rest
    assert result.end_reason is EndReason.finished


def test_mild_pain_offers_no_way_to_carry_on_unchanged(catalogue):
    h = Harness(catalogue)
    h.answers["pain_option"] = "Skip this exercise"
    h.type(h.at(StepKind.hold), "h1", "2\n", "5", h.ended(), "\n\n")
    result = h.play()
    assert "smaller" not in h.output
    assert result.outcomes[0].status is OutcomeStatus.stopped_for_pain
    assert result.outcomes[0].pain == PainReport(PainKind.mild, 2, PainPlace.hips)


def test_mild_pain_can_switch_to_an_easier_exercise(catalogue):
    plan = plan_program(read_profile(MAYA), catalogue)
    h = Harness(catalogue, [p for p in plan.exercises if p.id != "deep-abdominal-bracing"])
    h.answers["pain_option"] = "Switch to an easier exercise: deep abdominal bracing"
    at_bridge = Until(lambda: h.run.current is not None and h.run.current.exercise_id == "bridge")
    h.type(at_bridge, h.at(StepKind.reps), "h1", "4\n", "4", h.ended(), "\n\n")
    result = h.play()
    outcomes = [(o.exercise_id, o.status) for o in result.outcomes]
    at = outcomes.index(("bridge", OutcomeStatus.stopped_for_pain))
    assert outcomes[at + 1] == ("deep-abdominal-bracing", OutcomeStatus.done), "the stand-in comes next"
    assert h.seen == list(result.outcomes)
    assert "Deep abdominal bracing" in [row[0] for row in h.coach.summary_rows()]


def test_bad_pain_score_is_asked_again(catalogue):
    h = Harness(catalogue)
    h.type(h.at(StepKind.hold), "h2", "12\n", "x", "\n", "5\n", "4", h.ended(), "\n\n")
    result = h.play()
    assert result.outcomes[0].pain == PainReport(PainKind.sharp, 5, PainPlace.lower_back)


def test_q_asks_first_then_quits(catalogue):
    h = Harness(catalogue)
    h.type(h.at(StepKind.hold), "q", "n", Wait(45), "q", "y", h.ended(), "\n\n")
    result = h.play()
    assert result.end_reason is EndReason.quit
    # "n" carried on: 45 seconds later the first exercise had ended, then "q", "y" stopped the rest.
    assert [o.status for o in result.outcomes] == [OutcomeStatus.done]
    assert "not done" in h.output


def test_p_pauses_the_clock_until_p_or_enter(catalogue):
    h = Harness(catalogue)
    # Ten minutes paused in the first hold, then Enter carries on and q ends the session at once.
    h.type(h.at(StepKind.hold), "p", Wait(600), "\n", "q", "y", h.ended(), "\n\n")
    result = h.play()
    assert result.end_reason is EndReason.quit
    assert result.outcomes == ()  # the paused minutes finished nothing: the clock stood still
    assert "The clock has stopped" in h.output


class Interrupting(ScriptedKeys):
    """Ctrl-C: the terminal raises KeyboardInterrupt wherever the coach is waiting."""

    def read(self, timeout: float) -> str | None:
        key = super().read(timeout)
        if key == "!":
            raise KeyboardInterrupt
        return key


def test_ctrl_c_quits_without_crashing(catalogue):
    h = Harness(catalogue)
    h.type(h.at(StepKind.hold), "!", "!", keys=Interrupting)
    result = h.play()
    assert result.end_reason is EndReason.quit
    assert result.check_in == CheckIn(None, None)
    assert "Your session" in h.output


def test_full_screen_on_a_terminal(catalogue):
    plan = plan_program(read_profile(MAYA), catalogue)
    reps = next(p for p in plan.exercises if p.dose.hold_seconds is None and p.dose.hold_breaths is None)
    h = Harness(catalogue, exercises=[reps], terminal=True)
    h.type(h.ended(), "\n1")
    result = h.play()
    assert result.end_reason is EndReason.finished
    for words in ("THIS HURTS", "Press Enter when you are in position.", f"Rep 2 of {reps.dose.reps}", "Check-in"):
        assert words in h.output
    assert "\x1b[?1049h" in h.output  # the alternate screen: the session leaves no trail behind


def render(renderable: RenderableType) -> str:
    console = Console(file=io.StringIO(), width=100, record=True)
    console.print(renderable)
    return console.export_text()


def test_step_views(catalogue):
    h = Harness(catalogue)
    steps = h.run.steps
    reps = next(s for s in steps if s.kind is StepKind.reps)
    assert f"Rep 3 of {reps.reps}" in render(step_body(reps, 2.5 * (reps.rep_seconds or 1)))
    hold = next(s for s in steps if s.kind is StepKind.hold)
    assert hold.cue in render(step_body(hold, 0))
    assert "seconds left" in render(step_body(hold, 0))
    position = steps[0]
    text = render(step_body(position, 0, start_lines=2))
    assert "1. " + position.details[0] in text and "The movement" in text
    breaths = hold.__class__(**{**vars(hold), "breaths": 3, "seconds": 18})
    assert "breath 2 of 3" in render(step_body(breaths, 7))
    assert Place(1, 4, 0, 100).exercise_count == 4


def test_scripted_keys_move_the_fake_clock_only():
    clock = FakeClock()
    keys = ScriptedKeys(clock, ["a", Wait(2.5), "b"])
    assert keys.read(1) == "a" and clock.now() == 0
    assert [keys.read(1), keys.read(1), keys.read(1)] == [None, None, None]
    assert clock.now() == 2.5
    assert keys.read(1) == "b"
    keys.patience = 3
    with pytest.raises(RuntimeError):
        for _ in range(5):
            keys.read(1)


def test_terminal_keys_restore_the_terminal():
    leader, follower = os.openpty()
    try:
        before = termios.tcgetattr(follower)
        with pytest.raises(KeyboardInterrupt), TerminalKeys(follower) as keys:
            assert not termios.tcgetattr(follower)[3] & termios.ICANON
            assert keys.read(0) is None
            os.write(leader, b"h\r")
            assert keys.read(1) == "h"
            assert keys.read(1) == ENTER
            os.write(leader, b"\x1b[A")
            assert keys.read(1) is None  # an arrow key is not a command
            raise KeyboardInterrupt
        assert termios.tcgetattr(follower) == before
    finally:
        os.close(leader)
        os.close(follower)
