"""Adherence, streaks and the pain trend, with the meaningful-change rule (Ostelo 2008)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from backcoach.core.history import (
    CheckInRecord,
    OutcomeRecord,
    SessionRecord,
    is_meaningful,
    pain_trend,
    streaks,
    weekly,
)

START = date(2026, 3, 2)


def record(day: int, pain_before: int | None = 4, done: bool = True, hour: int = 8) -> SessionRecord:
    status = "done" if done else "skipped"
    return SessionRecord(
        day * 10 + hour,
        datetime.combine(START + timedelta(days=day), datetime.min.time()) + timedelta(hours=hour),
        "finished",
        1,
        (OutcomeRecord("bridge", status, {}),),
        CheckInRecord(pain_before, None, "easy"),
    )


def test_weekly_adherence_counts_sessions_done_against_planned():
    sessions = [record(d) for d in range(7)] + [record(d, hour=18) for d in range(3)]
    [week] = weekly(sessions, START, START + timedelta(days=6), sessions_per_day=2)
    assert week.sessions_done == 10 and week.sessions_planned == 14
    assert round(week.adherence, 2) == 0.71


def test_a_partial_week_plans_only_the_days_so_far():
    weeks = weekly([record(7)], START, START + timedelta(days=8), sessions_per_day=1)
    assert [w.sessions_planned for w in weeks] == [7, 2]
    assert weeks[1].sessions_done == 1


def test_sessions_with_nothing_done_do_not_count():
    [week] = weekly([record(0, done=False)], START, START, 1)
    assert week.sessions_done == 0


def test_streaks():
    sessions = [record(d) for d in (0, 1, 2, 5, 6)]
    assert streaks(sessions, START + timedelta(days=6)) == (2, 3)
    assert streaks(sessions, START + timedelta(days=9)) == (0, 3)
    assert streaks([], START) == (0, 0)


def test_meaningful_change_is_two_points_or_thirty_percent():
    assert is_meaningful(6, 4)  # 2 points
    assert is_meaningful(3, 2)  # 33%
    assert not is_meaningful(8, 6.5)  # 1.5 points, 19%
    assert not is_meaningful(0, 0)


def test_pain_trend_wording_is_honest():
    falling = weekly([record(0, 6), record(7, 5), record(14, 4)], START, START + timedelta(days=14), 1)
    trend = pain_trend(falling)
    assert trend.meaningful and trend.change == -2.0 and "real change" in trend.words
    flat = weekly([record(0, 6), record(7, 5)], START, START + timedelta(days=7), 1)
    assert "not yet a clear change" in pain_trend(flat).words
    rising = weekly([record(0, 3), record(7, 5)], START, START + timedelta(days=7), 1)
    assert "talk to a doctor or physiotherapist" in pain_trend(rising).words
    assert "few weeks" in pain_trend(weekly([record(0)], START, START, 1)).words
