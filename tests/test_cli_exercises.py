"""`backcoach exercises`: the table, one exercise, and the JSON contract other tools read."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.core.sources import SEEDS

runner = CliRunner()
NUMBERS = ("hold_seconds", "hold_breaths", "reps", "sets", "rest_seconds", "times_per_day", "times_per_week")
KINDS = {"stretch", "strengthen", "mobilise", "aerobic"}
REGIONS = {"neck", "upper_back", "middle_back", "lower_back", "hips"}


def catalogue_json() -> list[dict]:
    result = runner.invoke(app, ["exercises", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def check_numbers(item: dict) -> None:
    for field in NUMBERS:
        value = item[field]
        assert value is None or (
            isinstance(value, list) and len(value) == 2 and all(isinstance(n, int | float) for n in value)
        ), (field, value)
        if value is not None:
            assert 0 <= value[0] <= value[1]
    assert item["sides"] in ("each", "alternate", None)


def test_json_contract():
    data = catalogue_json()
    assert isinstance(data, list) and len(data) >= 18
    for item in data:
        for key in (
            "id",
            "name",
            "aliases",
            "kind",
            "regions",
            "position",
            "muscles",
            "equipment",
            "start",
            "action",
            "cautions",
            "dosage",
            "default_dose",
        ):
            assert key in item, (item.get("id"), key)
        assert set(item["kind"]) <= KINDS
        assert set(item["regions"]) <= REGIONS
        assert all(isinstance(step, str) and step for step in item["start"] + item["action"])
        assert item["dosage"], item["id"]
        for dose in item["dosage"]:
            assert dose["source"] in SEEDS
            check_numbers(dose)
        check_numbers(item["default_dose"])
        assert isinstance(item["default_dose"]["why"], str) and item["default_dose"]["why"]
    assert len({item["id"] for item in data}) == len(data)


def test_table_lists_every_exercise():
    result = runner.invoke(app, ["exercises"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for item in catalogue_json():
        assert item["id"] in result.stdout


def test_show_gives_every_source_dose():
    result = runner.invoke(app, ["exercises", "show", "knee-to-chest"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for seed in ("000_c93f4b904139ebfa.txt", "001_439fa7176d512855.txt"):
        # People read this: each source shows by its human title, never its file name.
        assert SEEDS[seed].title in result.stdout and seed not in result.stdout
    assert "hold 30 s" in result.stdout and "hold 5 s" in result.stdout
    assert "Starting dose" in result.stdout


def test_show_json_matches_the_catalogue():
    result = runner.invoke(app, ["exercises", "show", "bridge", "--json"])
    assert json.loads(result.stdout) == next(i for i in catalogue_json() if i["id"] == "bridge")


def test_show_unknown_id_is_a_clear_error():
    result = runner.invoke(app, ["exercises", "show", "handstand"])
    assert result.exit_code == 2
    assert "No exercise with id 'handstand'" in result.stderr


def test_installed_command_runs():
    result = subprocess.run(
        [sys.executable, "-m", "backcoach", "exercises", "--json"], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout)
