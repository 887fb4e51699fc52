"""`backcoach learn` and the lesson offered at a session's end in the terminal: the same lessons,
read marks and offers as the web (one a day at most; the flare-up plan when pain rose or a pain
stop happened)."""

from __future__ import annotations

import builtins
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rich.console import Console

from backcoach.cli.coach.clock import FakeClock
from backcoach.cli.coach.keys import ENTER, ScriptedKeys, Until
from backcoach.services.lessons import all_lessons
from backcoach.services.live_session import LiveSession
from tests.test_cli_history import MAYA, Cli


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    from backcoach.settings import get_settings

    yield Cli(tmp_path, monkeypatch)
    get_settings.cache_clear()


def test_learn_lists_every_lesson_with_read_marks_and_shows_one(cli: Cli):
    cli.run("setup", "--profile", MAYA)
    listing = cli.run("learn").stdout
    for lesson in all_lessons():
        assert lesson.id in listing and lesson.title in listing
    assert "You have read 0 of 8." in listing and "✓" not in listing

    shown = cli.run("learn", "flare-up").stdout
    flare = all_lessons().flare_up
    assert flare.title in shown and all(part.text[:40] in " ".join(shown.split()) for part in flare.parts)
    assert "1. First, check for warning signs" in shown  # steps are numbered
    assert "backcoach rescreen" in shown  # the way to the warning-sign questions
    assert "NICE guideline on low back pain (NG59)" in shown and ".txt" not in shown

    listing = cli.run("learn").stdout
    assert "You have read 1 of 8." in listing
    marked = [line for line in listing.splitlines() if "✓" in line]
    assert len(marked) == 1 and "flare-up" in marked[0]


def test_learn_refuses_a_lesson_that_does_not_exist(cli: Cli):
    result = cli.run("learn", "moon-landing", code=2)
    assert "no lesson called 'moon-landing'" in result.output


def test_a_logged_session_offers_one_lesson_a_day_and_the_flare_up_plan_when_pain_rose(cli: Cli):
    cli.run("setup", "--profile", MAYA)
    first = cli.run("log", "--pain-before", "4", "--pain-after", "3").stdout
    assert "A short read for today." in first and "Read: Why these exercises help" in first
    assert "backcoach learn why-it-helps" in first
    cli.now = "2026-03-03T08:00:00"
    rose = cli.run("log", "--pain-before", "3", "--pain-after", "3", "--pain-stop", "knee-rolls=sharp:5").stdout
    assert "Here is what to do in a flare-up." in rose and "Read: Your flare-up plan" in rose
    cli.now = "2026-03-04T08:00:00"
    cli.run("learn", "why-it-helps")
    nxt = cli.run("log", "--pain-before", "3", "--pain-after", "3").stdout
    assert "Read: Stretch and strengthen together" in nxt  # the first one not read yet


def test_the_terminal_coach_ends_a_session_with_the_offer(cli: Cli, monkeypatch: pytest.MonkeyPatch):
    """`backcoach session` on the stored program, with scripted keys on a fake clock: after the
    check-in it shows the same offer as the web player."""
    from backcoach.cli import stored_session

    cli.run("setup", "--profile", MAYA)
    cli.monkeypatch.setenv("BACKCOACH_NOW", cli.now)
    clock = FakeClock()
    run: list[LiveSession] = []

    def idle() -> str | None:
        live = run[0] if run else None
        step = None if live is None else live.current
        return ENTER if step is not None and step.kind.value == "position" else None

    keys = ScriptedKeys(clock, (Until(lambda: bool(run) and run[0].ended), "3\n", "2"), idle=idle)

    @contextmanager
    def scripted() -> Iterator[ScriptedKeys]:
        yield keys

    real_start = stored_session.start_or_resume

    def start(person, console):
        live = real_start(person, console)
        assert live is not None
        run.append(live)
        return live

    answers = iter(["4", ""])  # pain before, then Enter to start
    monkeypatch.setattr(builtins, "input", lambda *args: next(answers))
    monkeypatch.setattr(stored_session, "TerminalKeys", scripted)
    monkeypatch.setattr(stored_session, "SystemClock", lambda: clock)
    monkeypatch.setattr(stored_session, "start_or_resume", start)
    out = io.StringIO()
    from backcoach.settings import get_settings

    get_settings.cache_clear()
    stored_session.play_stored(Console(file=out, width=100))
    text = out.getvalue()
    assert "Your session" in text
    assert "A short read" in text and "Read: Why these exercises help" in text
    assert text.index("Your session") < text.index("A short read")
