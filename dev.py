#!/usr/bin/env python3
"""One entry point for newcomers: set up a virtual environment, then start or test backcoach.

    python3 dev.py start   # set up, then start the app (http://127.0.0.1:8000)
    python3 dev.py test    # set up, then run every test

Each run first makes sure `.venv` exists and holds backcoach with its dependencies.
"""

from __future__ import annotations

import os
import shutil
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


def ensure_system_packages() -> None:
    """Browser tests drive Debian's Chromium; install it if it is missing and we may."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print("Installing Chromium for the browser tests (apt-get install chromium) ...", flush=True)
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", "chromium"], check=True)
        return
    sys.exit(
        "The browser tests need Chromium at /usr/bin/chromium. Install it with your package manager "
        "(on Debian or Ubuntu: sudo apt-get install chromium), then run this again."
    )


def run(*args: str) -> int:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command not in {"start", "test", "setup"}:
        print(__doc__)
        return 2
    setup()
    if command == "start":
        return run("backcoach", *(rest or ["serve"]))
    if command == "test":
        ensure_system_packages()
        return run("pytest", *rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
