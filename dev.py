#!/usr/bin/env python3
"""One entry point for newcomers: set up a virtual environment, then start or test backcoach.

    python3 dev.py start   # set up, then start the app
    python3 dev.py test    # set up, then run every test

Each run first makes sure `.venv` exists and holds backcoach with its dependencies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
STAMP = VENV / ".backcoach-installed"


def setup() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older system Python
        sys.exit(f"backcoach needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        print("Installing backcoach and its dependencies ...", flush=True)
        subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]"], check=True)
        STAMP.touch()


def run(*args: str) -> int:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command not in {"start", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if command == "start":
        return run("backcoach", *(rest or ["--help"]))
    if command == "test":
        return run("pytest", *rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
