"""Read a profile from a JSON file, with one clear message naming the field that is wrong."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from backcoach.core.errors import InvalidInput
from backcoach.core.profile import Profile
from backcoach.schemas.json_text import read_json_file


class ProfileFileError(InvalidInput, ValueError):
    """A profile that cannot be used; the message names the file (or form) and the field."""

    def __init__(self, message: str) -> None:
        super().__init__("profile", message, message)


def _field(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "the file"


def parse_profile(data: object, where: str = "profile") -> Profile:
    if not isinstance(data, dict):
        raise ProfileFileError(f"{where}: expected a JSON object with the profile's fields")
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        problem = first["msg"].removeprefix("Value error, ")
        if first["type"] == "missing":
            problem = "this field is required but missing"
        if first["type"] == "extra_forbidden":
            problem = "this is not a profile field"
        raise ProfileFileError(f"{where}: field '{_field(tuple(first['loc']))}': {problem}") from None


def read_profile(path: Path) -> Profile:
    try:
        data = read_json_file(path)
    except InvalidInput as error:
        raise ProfileFileError(str(error)) from None
    return parse_profile(data, str(path))
