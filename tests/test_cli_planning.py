"""`backcoach screen` and `backcoach plan` as scripts use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.core.profile import Profile
from backcoach.core.screening import ALL_QUESTION_IDS, NECK_QUESTION_IDS, QUESTION_IDS
from tests.examples import write_profile

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_screen_lists_questions_as_json():
    result = runner.invoke(app, ["screen", "--list", "--json"])
    assert result.exit_code == 0
    questions = json.loads(result.stdout)
    assert [q["id"] for q in questions] == list(ALL_QUESTION_IDS)
    assert all(q["text"].endswith("?") for q in questions)
    assert all(q["answers"] == [True, False, "unsure"] for q in questions)
    assert {q["id"] for q in questions if q["region"] == "neck"} == set(NECK_QUESTION_IDS)
    assert all(q["source_title"] and q["source"] not in q["text"] for q in questions)


def test_screen_lists_questions_for_people():
    result = runner.invoke(app, ["screen", "--list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "yes, no or not sure" in result.stdout and "When your neck hurts" in result.stdout


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"fever": "unsure"}, "same_day"),
        ({"onset_under_20": "unsure"}, "see_doctor"),
        ({"thoracic_pain": "unsure"}, "ok"),
    ],
)
def test_plan_for_a_not_sure_answer(tmp_path: Path, changes, status):
    flags = dict.fromkeys(QUESTION_IDS, False) | changes
    result = runner.invoke(app, ["plan", "--profile", str(write_profile(tmp_path, red_flags=flags)), "--json"])
    plan = json.loads(result.stdout)
    assert plan["status"] == status and (plan["exercises"] == []) == (status != "ok")
    assert ("not sure" in plan["message"]) and "probably nothing" not in plan["message"]


def test_the_neck_questions_in_a_profile_file(tmp_path: Path):
    neck = dict.fromkeys(NECK_QUESTION_IDS, False)
    flags = dict.fromkeys(QUESTION_IDS, False)
    missing = runner.invoke(app, ["plan", "--profile", str(write_profile(tmp_path, regions=["neck"]))])
    assert missing.exit_code == 2 and "red_flags" in missing.stderr and "neck_dizziness" in missing.stderr
    # Given without the neck among the regions, the neck answers are welcome, and a "yes" counts.
    extra = write_profile(tmp_path, red_flags=flags | neck)
    assert json.loads(runner.invoke(app, ["plan", "--profile", str(extra), "--json"]).stdout)["exercises"]
    counted = write_profile(tmp_path, red_flags=flags | neck | {"neck_dizziness": True})
    assert json.loads(runner.invoke(app, ["plan", "--profile", str(counted), "--json"]).stdout)["exercises"] == []
    partial = write_profile(tmp_path, red_flags=flags | {"neck_dizziness": False})
    assert runner.invoke(app, ["plan", "--profile", str(partial)]).exit_code == 2
    sign = write_profile(tmp_path, regions=["neck"], red_flags=flags | neck | {"neck_swallowing": True})
    plan = json.loads(runner.invoke(app, ["plan", "--profile", str(sign), "--json"]).stdout)
    assert plan["status"] == "emergency" and plan["exercises"] == [] and "neck" in plan["message"]


def test_plan_json_shape():
    result = runner.invoke(app, ["plan", "--profile", str(EXAMPLES / "maya.json"), "--json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["status"] == "ok"
    assert 3 <= len(plan["exercises"]) <= 6
    for item in plan["exercises"]:
        assert set(item) >= {"id", "dose", "why"}
        assert item["why"].endswith(".")
    assert all(set(x) == {"id", "why", "code"} for x in plan["left_out"])
    assert plan["activity"] and plan["minutes"] <= 10


def test_plan_for_a_warning_sign(tmp_path: Path):
    flags = dict.fromkeys(QUESTION_IDS, False) | {"saddle_numbness": True}
    result = runner.invoke(app, ["plan", "--profile", str(write_profile(tmp_path, red_flags=flags)), "--json"])
    plan = json.loads(result.stdout)
    assert plan["status"] == "emergency" and plan["exercises"] == [] and plan["activity"] == []


def test_plan_readable_output():
    result = runner.invoke(app, ["plan", "--profile", str(EXAMPLES / "maya.json")], env={"COLUMNS": "150"})
    assert result.exit_code == 0
    assert "Why:" in result.stdout and "Your program" in result.stdout


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"regions": ["knee"]}, "regions.0"),
        ({"goal": "fame"}, "goal"),
        ({"minutes_per_session": "ten"}, "minutes_per_session"),
        ({"red_flags": {"fever": False}}, "red_flags"),
        ({"conditions": ["gout"]}, "conditions.0"),
        ({"shoe_size": 9}, "shoe_size"),
    ],
)
def test_bad_profile_names_the_field(tmp_path: Path, changes, field):
    result = runner.invoke(app, ["plan", "--profile", str(write_profile(tmp_path, **changes))])
    assert result.exit_code == 2
    assert f"field '{field}'" in result.stderr
    assert result.stderr.count("\n") == 1


def test_missing_profile_field(tmp_path: Path):
    path = write_profile(tmp_path)
    data = json.loads(path.read_text())
    del data["can_kneel"]
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["plan", "--profile", str(path)])
    assert result.exit_code == 2 and "field 'can_kneel': this field is required" in result.stderr


def test_profile_file_that_is_not_json(tmp_path: Path):
    path = tmp_path / "p.json"
    path.write_text("{not json")
    result = runner.invoke(app, ["plan", "--profile", str(path)])
    assert result.exit_code == 2 and "not valid JSON (line 1" in result.stderr


def test_profile_file_that_does_not_exist(tmp_path: Path):
    result = runner.invoke(app, ["plan", "--profile", str(tmp_path / "nope.json")])
    assert result.exit_code == 2 and "cannot read the file" in result.stderr


def test_conditions_are_required_in_a_new_profile_and_default_in_a_stored_one(tmp_path: Path):
    path = write_profile(tmp_path)
    data = json.loads(path.read_text())
    del data["conditions"]
    path.write_text(json.dumps(data))
    result = runner.invoke(app, ["plan", "--profile", str(path)])
    assert result.exit_code == 2 and "field 'conditions': this field is required" in result.stderr
    # A profile stored before the question was asked reads as "none of these", with its old answers.
    old = {**data, "red_flags": {"bladder_bowel": False, "onset_age": False}}
    assert Profile.model_validate(old, context={"stored": True}).conditions == []
