#!/usr/bin/env python3
"""One entry point for newcomers: set up a virtual environment, then start or test backcoach.

    python3 dev.py start   # set up, then start the app (http://127.0.0.1:8000)
    python3 dev.py test    # set up, then run every test
    python3 dev.py docs    # write docs/clinical-rules.md's thresholds and sources tables from the code

Each run first makes sure `.venv` exists and holds backcoach with its dependencies.
"""

from __future__ import annotations

import ctypes.util
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


# WeasyPrint draws the printable handout with these Debian libraries: {package: library name}.
PRINT_LIBRARIES = {
    "libpango-1.0-0": "pango-1.0",
    "libpangoft2-1.0-0": "pangoft2-1.0",
    "libpangocairo-1.0-0": "pangocairo-1.0",
    "libharfbuzz0b": "harfbuzz",
    "libharfbuzz-subset0": "harfbuzz-subset",  # without it WeasyPrint warns, and warnings are errors in the tests
}


def missing_system_packages(browser: bool) -> list[str]:
    missing = [package for package, library in PRINT_LIBRARIES.items() if ctypes.util.find_library(library) is None]
    if browser and not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        missing.append("chromium")  # the browser tests drive Debian's Chromium
    return missing


def ensure_system_packages(browser: bool = True, strict: bool = True) -> None:
    """Install the Debian packages the app (and, for tests, the browser) need, if missing and we may.
    Not strict: only warn, since the app runs without them and only printing fails."""
    missing = missing_system_packages(browser)
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print(f"Installing {', '.join(missing)} (apt-get install) ...", flush=True)
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", *missing], check=True)
        return
    message = (
        f"backcoach needs these system packages: {', '.join(missing)}. Install them with your package manager "
        f"(on Debian or Ubuntu: sudo apt-get install {' '.join(missing)}), then run this again."
    )
    if strict:
        sys.exit(message)
    print(f"Warning: {message}", file=sys.stderr)


def run(*args: str) -> int:
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("", [])
    if command not in {"start", "test", "setup", "docs"}:
        print(__doc__)
        return 2
    setup()
    if command == "start":
        ensure_system_packages(browser=False, strict=False)  # printing the handout needs Pango
        return run("backcoach", *(rest or ["serve"]))
    if command == "docs":
        return run("python", str(ROOT / "docs" / "write_rules.py"))
    if command == "test":
        ensure_system_packages()
        return run("pytest", *rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
