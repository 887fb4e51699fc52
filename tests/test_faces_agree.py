"""The same four weeks through the command line and through the HTTP API give the same program
versions, the same re-screen prompts and the same advice: the safety loop is written once.

The history has everything the loop reacts to: a first easy week (the review grows the dose),
pain creeping up and jumping (re-screens, easing), a sharp pain stop on one exercise (paused),
a run of easy sessions, and a session logged from paper. The command line logs each session
with `backcoach log`; the API plays them as the phone does (start, each exercise, pain, finish),
except the paper one, which goes to /api/v1/log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from backcoach.core.screening import QUESTION_IDS
from backcoach.services.context import App
from backcoach.web.app import create_app
from tests.conftest import CliRun, MovableNow
from tests.examples import example_data, write_profile

START = datetime(2026, 3, 2, 8, 0)
NO_SIGNS = dict.fromkeys(QUESTION_IDS, False)


@dataclass(frozen=True)
class Stop:
    exercise: str
    kind: str
    score: int
    place: str = "lower_back"


@dataclass(frozen=True)
class Day:
    before: int
    after: int
    felt: str = "right"
    stop: Stop | None = None  # a pain stop on one exercise
    paper: bool = False
    sign: str | None = None  # a warning sign answered "yes" if the questions are asked again today
    clear_warning: bool = False  # a doctor checked the person today (recorded before the session)
    clear_exercise: str | None = None  # a physiotherapist said this paused exercise is fine


def four_weeks() -> list[Day]:
    easy = [Day(4, 3, "easy")] * 7
    stop = [Day(3, 3, "easy"), Day(3, 4, stop=Stop("pelvic-tilt", "sharp", 6)), *[Day(3, 3, "easy")] * 5]
    rising = [
        Day(3, 4, stop=Stop("knee-rolls", "mild", 3)),
        Day(4, 6, "hard", sign="cancer_history"),  # pain rose, and the questions found a warning sign
        Day(5, 5),  # paused: no session until a doctor has checked
        Day(5, 7, clear_warning=True),
        Day(4, 4, stop=Stop("piriformis-stretch", "mild", 3, "legs")),
        Day(4, 4),
        Day(4, 4, clear_exercise="pelvic-tilt"),
    ]
    settling = [Day(4, 3, "easy"), Day(3, 3, "easy", paper=True), *[Day(3, 2, "easy")] * 5]
    return easy + stop + rising + settling


@dataclass
class Seen:
    """What a face said after each day: whether it asked the warning signs again, and any review."""

    rescreens: list[int]
    paused: list[int]  # days when the program was paused, so there was no session to do
    reviews: list[tuple[int, tuple[str, ...], tuple[tuple[str, str], ...], int | None]]
    versions: list[dict[str, Any]]
    export: dict[str, Any] = field(default_factory=dict)
    cleared: list[dict[str, Any]] = field(default_factory=list)  # what each clearance answered


def answers_for(day: Day) -> dict[str, Any]:
    return {**NO_SIGNS, day.sign: True} if day.sign else dict(NO_SIGNS)


def note(seen: Seen, day: int, finish: dict[str, Any]) -> None:
    review = finish.get("review")
    if review is not None:
        changes = tuple((c["exercise_id"], c["action"]) for c in review["changes"])
        seen.reviews.append((day, tuple(review["advice"]), changes, review["new_version"]))


def through_the_cli(cli_at: Callable[[str], CliRun], tmp_path: Path) -> Seen:
    seen = Seen([], [], [], [])
    answers = tmp_path / "answers.json"
    cli_at(START.isoformat())("setup", "--profile", str(write_profile(tmp_path, sessions_per_day=1)))
    for index, day in enumerate(four_weeks()):
        cli = cli_at((START + timedelta(days=index, hours=1)).isoformat())
        answers.write_text(json.dumps(answers_for(day)))
        if day.clear_warning:
            seen.cleared.append(json.loads(cli("cleared", "--by", "Dr Shah", "--json")))
        if day.clear_exercise:
            cleared = cli("cleared", "--exercise", day.clear_exercise, "--by", "my physiotherapist", "--json")
            seen.cleared.append(json.loads(cleared))
        stop = day.stop
        stops = ["--pain-stop", f"{stop.exercise}={stop.kind}:{stop.score}:{stop.place}"] if stop else []
        args = ["--pain-before", str(day.before), "--pain-after", str(day.after), "--difficulty", day.felt]
        if json.loads(cli("program", "--json"))["paused"]:
            seen.paused.append(index)
            continue
        finish = json.loads(cli("log", *args, *stops, "--json"))
        note(seen, index, finish)
        if finish["rescreen_needed"]:
            seen.rescreens.append(index)
            note(seen, index, json.loads(cli("rescreen", "--answers", str(answers), "--json")))
    last = cli_at((START + timedelta(days=40)).isoformat())
    seen.versions = json.loads(last("program", "--history", "--json"))
    seen.export = json.loads(last("export"))
    return seen


def play_day(client: TestClient, day: Day) -> dict[str, Any]:
    """One session as the phone plays it: every exercise to its end, or a pain stop on one (and,
    if the stop leaves a choice, the choice to skip it, as the paper log records it)."""
    if day.paper:
        body = {"pain_before": day.before, "pain_after": day.after, "difficulty": day.felt}
        return client.post("/api/v1/log", json=body).raise_for_status().json()
    start = {"resume": False, "pain_before": day.before}
    session = client.post("/api/v1/sessions", json=start).raise_for_status().json()
    api = f"/api/v1/sessions/{session['session_id']}"
    ended = "finished"
    for exercise in session["exercises"]:
        if day.stop is not None and exercise["id"] == day.stop.exercise:
            pain = {"kind": day.stop.kind, "score": day.stop.score, "place": day.stop.place}
            decision = client.post(f"{api}/pain", json={"exercise_id": exercise["id"], "pain": pain}).json()
            if decision["action"] == "end_session":
                ended = "pain"
                break
            skip = next(o["id"] for o in decision["options"] if o["kind"] == "skip")
            client.post(f"{api}/choice", json={"option_id": skip}).raise_for_status()
            continue
        client.post(f"{api}/outcomes", json={"exercise_id": exercise["id"], "status": "done"}).raise_for_status()
    body = {"end_reason": ended, "pain_before": day.before, "pain_after": day.after, "difficulty": day.felt}
    return client.post(f"{api}/finish", json=body).raise_for_status().json()


def through_the_api(app: App, now: MovableNow) -> Seen:
    seen = Seen([], [], [], [])
    client = TestClient(create_app(lambda: app), base_url="http://127.0.0.1")
    now.value = START
    client.post("/api/v1/profile", json=example_data("maya", sessions_per_day=1)).raise_for_status()
    for index, day in enumerate(four_weeks()):
        now.value = START + timedelta(days=index, hours=1)
        today = now.value.date().isoformat()
        if day.clear_warning:
            body = {"cleared_by": "Dr Shah", "cleared_on": today}
            seen.cleared.append(client.post("/api/v1/clearances", json=body).raise_for_status().json())
        if day.clear_exercise:
            body = {"cleared_by": "my physiotherapist", "cleared_on": today, "exercise_id": day.clear_exercise}
            seen.cleared.append(client.post("/api/v1/clearances", json=body).raise_for_status().json())
        program = client.get("/api/v1/program").json()
        if program["paused"]:
            assert client.post("/api/v1/sessions", json={"resume": False}).status_code == 409
            seen.paused.append(index)
            continue
        if day.stop and day.stop.exercise not in [e["id"] for e in program["exercises"]]:
            raise AssertionError(f"day {index}: {day.stop.exercise} is not in the program: the stop would not happen")
        finish = play_day(client, day)
        note(seen, index, finish)
        if finish["rescreen_needed"]:
            seen.rescreens.append(index)
            answer = client.post("/api/v1/rescreen", json={"answers": answers_for(day)}).raise_for_status().json()
            note(seen, index, answer)
    seen.versions = client.get("/api/v1/program/versions").json()
    seen.export = client.get("/api/v1/export").json()
    return seen


def test_the_cli_and_the_api_run_the_same_safety_loop(cli_at, tmp_path: Path, app: App, now: MovableNow):
    by_cli = through_the_cli(cli_at, tmp_path)
    by_api = through_the_api(app, now)

    # The loop did react: re-screens when pain rose, reviews that changed the program, a pause.
    assert by_cli.rescreens, "pain rose, so the warning signs were asked again"
    assert len(by_cli.versions) >= 3, "reviews changed the program"
    actions = {action for review in by_cli.reviews for _, action in review[2]}
    assert {"grow", "pause"} <= actions, actions

    assert by_cli.cleared and by_api.cleared == by_cli.cleared
    assert by_cli.paused, "the warning sign paused the program until the doctor's check"
    assert by_api.rescreens == by_cli.rescreens
    assert by_api.paused == by_cli.paused
    assert by_api.reviews == by_cli.reviews
    assert by_api.versions == by_cli.versions
    # Underneath, the very same rows were stored: a session played on the phone and the same
    # session logged from paper store the same outcomes, pain stops and check-ins.
    assert by_api.export["tables"] == by_cli.export["tables"]
