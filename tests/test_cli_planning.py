"""`backcoach screen` and `backcoach plan` as scripts use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.core.screening import QUESTION_IDS
from tests.examples import write_profile

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_screen_lists_questions_as_json():
    result = runner.invoke(app, ["screen", "--list", "--json"])
    assert result.exit_code == 0
    questions = json.loads(result.stdout)
    assert [q["id"] for q in questions] == list(QUESTION_IDS)
    assert all(q["text"].endswith("?") for q in questions)


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
