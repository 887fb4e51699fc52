"""Read the lessons from YAML files: the bundled ones, or a folder of your own."""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from importlib import resources
from pathlib import Path

from backcoach.catalogue.loader import _read_yaml, load_catalogue
from backcoach.core.catalogue import CatalogueError
from backcoach.core.lessons import Lessons, build_lessons

BUNDLED = "catalogue/lessons"


def load_lessons_from(folder: Path, exercise_ids: Collection[str]) -> Lessons:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CatalogueError(str(folder), "", "no lesson files (*.yaml) found")
    entries = ((path.name, _read_yaml(path.name, path.read_text(encoding="utf-8"))) for path in files)
    return build_lessons(entries, exercise_ids)


@cache
def load_lessons() -> Lessons:
    """The lessons shipped with backcoach, read once per process."""
    folder = resources.files("backcoach").joinpath(BUNDLED)
    return load_lessons_from(Path(str(folder)), load_catalogue().ids())
