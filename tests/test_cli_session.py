"""`backcoach session`: its steps as JSON for scripts, and the questions it asks without a profile."""

from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.cli.onboarding import ask_profile, parse_picks
from backcoach.core.exercise import Condition, Region
from backcoach.core.planner import plan_program
from backcoach.core.profile import Goal
from backcoach.core.screening import NECK_QUESTIONS, QUESTION_IDS, QUESTIONS
from backcoach.schemas.profile_file import read_profile
from tests.examples import write_profile

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STEP_FIELDS = {"kind", "exercise_id", "exercise_name", "cue", "seconds", "side", "timed", "details", "reps"}


def steps_of(*args: str) -> dict:
    result = runner.invoke(app, ["session", "--steps", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_steps_json_shape(catalogue):
    data = steps_of("--profile", str(EXAMPLES / "maya.json"))
    assert set(data) == {"status", "message", "steps"}
    assert data["status"] == "ok"
    steps = data["steps"]
    assert steps[0]["kind"] == "position" and steps[0]["details"]
    assert all(set(s) >= STEP_FIELDS for s in steps)
    assert {s["kind"] for s in steps} <= {"position", "hold", "relax", "reps", "switch_side", "rest"}
    assert all(s["timed"] == (s["kind"] in {"hold", "relax", "rest", "switch_side"}) for s in steps)
    plan = plan_program(read_profile(EXAMPLES / "maya.json"), catalogue)
    assert [s["exercise_id"] for s in steps if s["kind"] == "position"] == [p.id for p in plan.exercises]
    assert sum(s["seconds"] for s in steps) == plan.seconds


def test_second_session_of_the_day_has_only_what_is_due():
    data = steps_of("--profile", str(EXAMPLES / "maya.json"), "--session-of-day", "1")
    first = steps_of("--profile", str(EXAMPLES / "maya.json"))
    again = {s["exercise_id"] for s in data["steps"]}
    assert again and again < {s["exercise_id"] for s in first["steps"]}


def test_steps_for_a_warning_sign(tmp_path: Path):
    flags = dict.fromkeys(QUESTION_IDS, False) | {"bladder_control": True}
    data = steps_of("--profile", str(write_profile(tmp_path, red_flags=flags)))
    assert data["status"] == "emergency" and data["steps"] == []
    assert "emergency" in data["message"]


def test_bad_profile_names_the_field(tmp_path: Path):
    result = runner.invoke(
        app, ["session", "--steps", "--json", "--profile", str(write_profile(tmp_path, pain_now=11))]
    )
    assert result.exit_code == 2
    assert "field 'pain_now'" in result.stderr


def test_readable_steps():
    result = runner.invoke(app, ["session", "--steps", "--profile", str(EXAMPLES / "maya.json")])
    assert result.exit_code == 0 and "Switch sides." in result.stdout


def test_json_needs_steps_and_steps_need_a_profile():
    assert runner.invoke(app, ["session", "--json"]).exit_code == 2
    assert runner.invoke(app, ["session", "--steps"]).exit_code == 2


def test_a_session_needs_a_terminal():
    result = runner.invoke(app, ["session", "--profile", str(EXAMPLES / "maya.json")])
    assert result.exit_code == 2 and "needs a terminal" in result.stderr


def ask(answers: list[str]):
    shown = io.StringIO()
    profile = ask_profile(Console(file=shown, width=100), io.StringIO("".join(a + "\n" for a in answers)))
    return profile, shown.getvalue()


NO_SIGNS = ["n"] * len(QUESTIONS)


def test_onboarding_builds_a_profile():
    answers = ["y", *NO_SIGNS, "9", "x", "4", "0", "11", "3", "y", "n", "y", "y", "2", "10", "5", "2", "2"]
    profile, shown = ask(answers)
    assert profile is not None
    assert profile.regions == [Region.lower_back] and profile.pain_now == 3
    assert (profile.can_floor, profile.can_kneel, profile.can_lie_on_front) == (True, False, True)
    assert profile.minutes_per_session == 10 and profile.sessions_per_day == 2
    assert profile.goal is Goal.prevention
    assert profile.red_flags == dict.fromkeys(QUESTION_IDS, False) and profile.conditions == []
    assert "Please type numbers from 1 to 5" in shown  # "9" and "x" were asked again
    assert "Please type a number from 0 to 10" in shown and "from 5 to 60" in shown


def test_onboarding_stops_at_a_warning_sign():
    profile, shown = ask(["y", "y", *NO_SIGNS[1:]])
    assert profile is None
    assert "emergency" in shown and "Now a few questions" not in shown


def test_not_sure_is_an_answer_and_stops_with_who_can_check(tmp_path: Path):
    profile, shown = ask(["y", "maybe", "?", *NO_SIGNS[1:]])
    assert profile is None
    assert "Please type y for yes, n for no, or ? if you are not sure" in shown  # "maybe" was asked again
    assert "emergency" in shown and "not sure" in shown and "Now a few questions" not in shown


def test_onboarding_asks_the_neck_questions_when_the_neck_is_chosen():
    rest = ["1,2", "0", "3", "y", "y", "y", "y", "10", "1", "1"]
    profile, shown = ask(["y", *NO_SIGNS, *rest[:1], *["n"] * len(NECK_QUESTIONS), *rest[1:]])
    assert profile is not None and Region.neck in profile.regions
    assert all(profile.red_flags[q.id] is False for q in NECK_QUESTIONS)
    assert NECK_QUESTIONS[0].text in shown
    # Without the neck, they are not asked.
    profile, shown = ask(["y", *NO_SIGNS, "4", *rest[1:]])
    assert profile is not None and NECK_QUESTIONS[0].text not in shown
    assert not any(q.id in profile.red_flags for q in NECK_QUESTIONS)


def test_a_neck_warning_sign_stops_onboarding_and_is_kept():
    kept: list[tuple[dict, str]] = []
    neck = ["n"] * len(NECK_QUESTIONS)
    neck[[q.id for q in NECK_QUESTIONS].index("neck_face_numbness")] = "y"
    shown = io.StringIO()
    profile = ask_profile(
        Console(file=shown, width=100),
        io.StringIO("".join(a + "\n" for a in ["y", *NO_SIGNS, "1", *neck])),
        on_screened=lambda answers, result: kept.append((answers, result.status.value)),
    )
    assert profile is None and "emergency" in shown.getvalue() and "neck" in shown.getvalue()
    assert [status for _, status in kept] == ["ok", "emergency"]
    assert kept[-1][0]["neck_face_numbness"] is True


def test_onboarding_asks_the_conditions():
    rest = ["3", "y", "y", "y", "y", "10", "1", "1"]
    profile, shown = ask(["y", *NO_SIGNS, "4", "5", "1,3", *rest])
    assert profile is not None and profile.conditions == [Condition.osteoporosis, Condition.pregnancy]
    assert "Please type numbers from 1 to 3, or 0 for none of these" in shown  # "5" was asked again


def test_onboarding_stops_if_not_acknowledged():
    profile, shown = ask(["n"])
    assert profile is None and QUESTIONS[0].text not in shown


def test_parse_picks():
    assert parse_picks("1, 3 3", 5) == [1, 3]
    assert parse_picks("0", 5) == parse_picks("", 5) == parse_picks("a", 5) == parse_picks("²", 5) == []
