"""The example people from examples/*.json, shared by the tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backcoach.core.profile import Profile

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_data(name: str = "maya", **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text())
    data.update(changes)
    return data


def example_profile(name: str = "maya", **changes: Any) -> Profile:
    return Profile.model_validate(example_data(name, **changes))


def write_profile(tmp_path: Path, name: str = "maya", **changes: Any) -> Path:
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(example_data(name, **changes)))
    return path
