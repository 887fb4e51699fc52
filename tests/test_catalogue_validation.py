"""Bad catalogue data stops loading with one message naming the file and the field."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backcoach.catalogue.loader import load_catalogue_from
from backcoach.core.catalogue import CatalogueError

BUNDLED = Path(__file__).resolve().parents[1] / "src" / "backcoach" / "catalogue" / "exercises"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "exercises"
    shutil.copytree(BUNDLED, target)
    return target


def edit(folder: Path, name: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = folder / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_bundled_copy_loads(folder: Path):
    assert len(load_catalogue_from(folder)) >= 18


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("missing field", lambda d: d.pop("name"), "name", "required"),
    ("negative reps", lambda d: d["dosage"][1].update(reps=[-2, 3]), "dosage[1].reps", "reps must be at least 1"),
    ("unknown region", lambda d: d.update(regions=["lower_back", "elbow"]), "regions[1]", "neck"),
    ("foreign source", lambda d: d["dosage"][0].update(source="blog.txt"), "dosage[0].source", "not one of"),
    ("upside-down range", lambda d: d["dosage"][1].update(reps=[3, 2]), "dosage[1].reps", "upside down"),
    ("unknown field", lambda d: d.update(colour="red"), "colour", "not permitted"),
    ("wrong type", lambda d: d["dosage"][0].update(hold_seconds="long"), "dosage[0].hold_seconds", ""),
    ("id not the file name", lambda d: d.update(id="knee-hug"), "id", "must match the file name"),
    ("link to nothing", lambda d: d.update(harder=["flying"]), "harder", "'flying'"),
    (
        "default beyond sources",
        lambda d: d["default_dose"].update(hold_seconds=60),
        "default_dose.hold_seconds",
        "outside the sources",
    ),
    (
        "default with no source",
        lambda d: d["default_dose"].update(sets=2),
        "default_dose.sets",
        "no source gives a sets",
    ),
    ("same source twice", lambda d: d["dosage"].append(dict(d["dosage"][0])), "dosage", "same source twice"),
    (
        "guideline above the seeds",
        lambda d: d.update(guideline_dose={"source": "ACSM-2011", "hold_seconds": [10, 60]}),
        "guideline_dose.hold_seconds",
        "a guideline may only give a gentler start",
    ),
    ("unknown movement", lambda d: d.update(movements=["cartwheel"]), "movements[0]", "spine_flexion"),
    ("no movements", lambda d: d.pop("movements"), "movements", "required"),
    ("works with a full stop", lambda d: d.update(works="Stretches your back."), "works", "no full stop"),
    (
        "adapt without how",
        lambda d: d["precautions"][0].update(effect="adapt", how=None),
        "precautions[0].how",
        "must say how",
    ),
    (
        "precaution from a blog",
        lambda d: d["precautions"][0].update(source="blog"),
        "precautions[0].source",
        "not a known source",
    ),
    ("no steps", lambda d: d.update(action=[]), "action", "at least 1"),
]


@pytest.mark.parametrize(("change", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_data_names_file_and_field(folder: Path, change, field: str, words: str):
    edit(folder, "knee-to-chest", change)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue_from(folder)
    message = str(caught.value)
    assert "knee-to-chest.yaml" in message
    assert f"field '{field}'" in message
    assert words in message
    assert message.count("\n") == 0, "one clear message, one line"


def test_broken_yaml_names_the_line(folder: Path):
    (folder / "bridge.yaml").write_text("id: bridge\nname: [unclosed\n")
    with pytest.raises(CatalogueError, match=r"bridge\.yaml: the file: not valid YAML at line \d"):
        load_catalogue_from(folder)


def test_a_list_instead_of_a_mapping(folder: Path):
    (folder / "bridge.yaml").write_text("- just\n- a list\n")
    with pytest.raises(CatalogueError, match=r"bridge\.yaml.*mapping"):
        load_catalogue_from(folder)


def test_empty_folder(tmp_path: Path):
    with pytest.raises(CatalogueError, match="no exercise files"):
        load_catalogue_from(tmp_path)
