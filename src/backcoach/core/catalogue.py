"""The catalogue: every exercise, checked one by one and as a whole.

`build_catalogue` takes already-parsed entries (file name -> mapping) so it stays free of
I/O; `backcoach.catalogue.loader` reads the bundled files and calls it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from backcoach.core.errors import BackcoachError
from backcoach.core.exercise import Exercise, FieldProblem


class CatalogueError(BackcoachError, ValueError):
    """A catalogue file is wrong. The message names the file and the field."""

    def __init__(self, file: str, field: str, problem: str) -> None:
        self.file = file
        self.field = field
        self.problem = problem
        where = f"field '{field}'" if field else "the file"
        super().__init__(f"Catalogue file {file}: {where}: {problem}")


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + part
    return path


def _first_problem(file: str, error: ValidationError) -> CatalogueError:
    first = error.errors()[0]
    # Pydantic prefixes messages from our own validators with "Value error, ".
    problem = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        problem = "this field is required but missing"
    loc = tuple(first["loc"])
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, FieldProblem):
        loc = (*loc, *cause.field.split("."))
    return CatalogueError(file, _field_path(loc), problem)


def parse_exercise(file: str, data: object) -> Exercise:
    if not isinstance(data, Mapping):
        raise CatalogueError(file, "", "expected a mapping of fields at the top level")
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as error:
        raise _first_problem(file, error) from None
    stem = file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if exercise.id != stem:
        raise CatalogueError(file, "id", f"id {exercise.id!r} must match the file name {stem!r}")
    return exercise


@dataclass(frozen=True)
class Catalogue:
    exercises: tuple[Exercise, ...]

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def get(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def ids(self) -> list[str]:
        return [e.id for e in self.exercises]


def build_catalogue(entries: Iterable[tuple[str, object]]) -> Catalogue:
    """Validate each (file name, parsed data) pair, then the links between entries."""
    files: dict[str, str] = {}
    exercises: list[Exercise] = []
    for file, data in entries:
        exercise = parse_exercise(file, data)
        if exercise.id in files:
            raise CatalogueError(file, "id", f"{exercise.id!r} is already used by {files[exercise.id]}")
        files[exercise.id] = file
        exercises.append(exercise)
    for exercise in exercises:
        for field in ("easier", "harder"):
            for other in getattr(exercise, field):
                if other not in files:
                    raise CatalogueError(files[exercise.id], field, f"{other!r} is not an exercise in the catalogue")
    return Catalogue(tuple(sorted(exercises, key=lambda e: e.id)))
