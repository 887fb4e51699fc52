"""`backcoach --help` starts at once: it imports no command's module, no database and no web
framework, and its list of commands reads exactly as the commands' own help. (How long it takes is
a figure for `bench/`, not a test: a wall-clock bound fails on a busy machine.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer
import typer.testing
from typer.testing import CliRunner

from backcoach.cli import BY_NAME, COMMANDS, app, load_command

HEAVY = ("sqlalchemy", "pydantic", "yaml", "fastapi", "starlette", "uvicorn", "matplotlib", "alembic", "weasyprint")
HEAVY_OURS = ("backcoach.storage", "backcoach.services", "backcoach.schemas", "backcoach.catalogue", "backcoach.web")


# Runs the command as the `backcoach` entry point does, then says every module it had imported.
RUN_AND_LIST = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["backcoach", *sys.argv[1:]]
from backcoach.cli import main
main()
"""


def imported_by(*args: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "100"},
    )
    assert "Usage" in done.stdout + done.stderr, done.stderr[-2000:]
    return set(json.loads(done.stderr.splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], []])
def test_the_help_imports_no_command_and_no_database(args: list[str]):
    modules = imported_by(*args)
    assert "backcoach.cli" in modules
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m.startswith(HEAVY_OURS))
    assert heavy == []
    loaded = {m for m in modules if m.startswith("backcoach.cli.")}
    assert loaded == {"backcoach.cli.common"}


def test_a_command_s_own_help_loads_only_that_command():
    loaded = {m for m in imported_by("serve", "--help") if m.startswith("backcoach.cli.")}
    assert loaded == {"backcoach.cli.common", "backcoach.cli.serve"}


@pytest.mark.parametrize("name", list(BY_NAME))
def test_each_listed_line_is_the_command_s_own_help(name: str):
    command = load_command(name)
    assert command.help is not None
    assert BY_NAME[name][2] == command.help.split("\n\n")[0]


def test_the_list_reads_the_same_with_every_command_loaded(monkeypatch: pytest.MonkeyPatch):
    lazy = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    for name, *_ in COMMANDS:
        group.commands[name] = load_command(name)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _: group)  # the runner runs this group as it is
    loaded = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "100"})
    assert lazy.exit_code == loaded.exit_code == 0
    assert lazy.output == loaded.output
    assert all(name in lazy.output for name in BY_NAME)


def test_an_unknown_command_is_refused_as_before():
    result = CliRunner().invoke(app, ["no-such-command"])
    assert result.exit_code == 2 and "No such command" in result.output
