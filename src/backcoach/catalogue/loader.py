"""Read the catalogue from YAML files: the bundled ones, or a folder of your own."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from backcoach.core.catalogue import Catalogue, CatalogueError, build_catalogue

BUNDLED = "catalogue/exercises"


# The C loader is several times faster; fall back to the pure-Python one where it is missing.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(name: str, text: str) -> object:
    try:
        return yaml.load(text, Loader=SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise CatalogueError(name, "", f"not valid YAML{where}") from None


def load_catalogue_from(folder: Path) -> Catalogue:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CatalogueError(str(folder), "", "no exercise files (*.yaml) found")
    return build_catalogue((path.name, _read_yaml(path.name, path.read_text(encoding="utf-8"))) for path in files)


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with backcoach, read once per process."""
    folder = resources.files("backcoach").joinpath(BUNDLED)
    return load_catalogue_from(Path(str(folder)))
