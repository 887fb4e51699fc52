"""A five-second soak (bench/soak.py runs a minute and more): a real `backcoach serve` in a
subprocess, clients racing each other and sending their requests again, then everything read back.
No server error, no replay that differs from its first answer, nothing acknowledged and lost, nothing
stored twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_short_soak_loses_nothing_and_doubles_nothing(backend: str):
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("set BACKCOACH_TEST_POSTGRES_URL to run this on PostgreSQL")
    command = [sys.executable, str(ROOT / "bench" / "soak.py"), "--clients", "12", "--seconds", "5", "--days", "1"]
    command += ["--json"] + (["--postgres", POSTGRES_URL] if backend == "postgresql" else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["requests"] > 20 and figures["acknowledged"]["profiles"] > 0
    assert figures["errors_5xx"] == 0, figures["examples"]
    assert figures["failed_connections"] == 0
    assert figures["replay_mismatches"] == 0, figures["examples"]
    assert (figures["lost_rows"], figures["duplicated_rows"]) == (0, 0)
