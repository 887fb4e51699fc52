"""The shape of the code, checked: a pure core, one application layer the faces call, storage
below it, and a package root that holds only the package's face."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "backcoach"
FACES = ("cli", "web")


def modules(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("face", FACES)
def test_no_face_touches_storage(face: str):
    """The command line and the web app reach stored data only through the use cases."""
    problems = []
    for path in modules(face):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        problems += [f"{path.name} imports {name}" for name in imported(path) if name.startswith("backcoach.storage")]
        problems += [
            f"{path.name}:{node.lineno} uses .{node.attr}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in {"repo", "database", "writer"}
        ]
    assert problems == []


def test_the_core_imports_nothing_outward():
    outward = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in modules("core")
        for name in imported(path)
        if name.startswith("backcoach") and not name.startswith("backcoach.core")
    ]
    assert outward == []
    # ...and does no I/O of its own: no files, databases, web or terminal libraries.
    io = {"sqlalchemy", "fastapi", "typer", "rich", "httpx", "sqlite3", "psycopg", "alembic", "jinja2"}
    used = {name.split(".")[0] for path in modules("core") for name in imported(path)}
    assert used & io == set()


def test_storage_and_the_application_layer_know_no_face():
    for folder in ("storage", "services", "core"):
        for path in modules(folder):
            assert not {n for n in imported(path) if n.startswith(("backcoach.cli", "backcoach.web"))}, path


def test_the_package_root_holds_only_the_package_face():
    loose = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert loose == ["__init__.py", "__main__.py", "settings.py"]
