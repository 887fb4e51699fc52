"""The progress figures summed up in the database (`HistoryRecords.days`) are the figures the pure
core makes of every session (`core.history`), on generated histories: the same weeks, means,
streaks and counts, for all of a history and for the part since a moment, for one person only."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.core.history import (
    DaySummary,
    SessionRecord,
    WeekSummary,
    days_of,
    streaks,
    streaks_from_days,
    weekly,
    weekly_from_days,
)
from backcoach.core.rules import Difficulty, OutcomeStatus, SessionStatus
from backcoach.storage import tables as t
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database, PatientRepository
from tests.strategies import examples

START = datetime(2026, 3, 2)
DAYS = 40
EXERCISES = ("bridge", "bird_dog", "cat_camel", "knee_rolls")

outcome = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(OutcomeStatus)),
        "pain": st.one_of(st.none(), st.tuples(st.sampled_from(["discomfort", "sharp"]), st.integers(0, 10))),
    }
)
check_in = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "pain_before": st.one_of(st.none(), st.integers(0, 10)),
            "pain_after": st.one_of(st.none(), st.integers(0, 10)),
            "difficulty": st.one_of(st.none(), st.sampled_from(list(Difficulty))),
        }
    ),
)
session = st.fixed_dictionaries(
    {
        # any minute of DAYS days, midnight and the minute before it included
        "minute": st.integers(0, DAYS * 24 * 60 - 1),
        "status": st.sampled_from([s for s in SessionStatus if s != SessionStatus.in_progress]),
        "outcomes": st.lists(outcome, max_size=len(EXERCISES)),
        "check_in": check_in,
    }
)
history = st.lists(session, max_size=40)


def old_weekly(sessions: list[SessionRecord], start: date, today: date, sessions_per_day: int) -> list[WeekSummary]:
    """`weekly` as it was before the figures were summed up day by day, to compare against."""
    by_week: dict[int, list[SessionRecord]] = defaultdict(list)
    for s in sessions:
        by_week[(s.started_at.date() - start).days // 7].append(s)

    def mean(values: list[int]) -> float | None:
        return round(fmean(values), 1) if values else None

    weeks = []
    for index in range((today - start).days // 7 + 1):
        week_start = start + timedelta(days=7 * index)
        rows = by_week.get(index, [])
        checks = [s.check_in for s in rows if s.check_in is not None]
        weeks.append(
            WeekSummary(
                start=week_start,
                sessions_done=sum(1 for s in rows if s.did_exercise),
                sessions_planned=min(7, (today - week_start).days + 1) * sessions_per_day,
                pain_before=mean([c.pain_before for c in checks if c.pain_before is not None]),
                pain_after=mean([c.pain_after for c in checks if c.pain_after is not None]),
                pain_stops=sum(s.pain_stops for s in rows),
                hard_sessions=sum(1 for c in checks if c.difficulty == Difficulty.hard),
                easy_sessions=sum(1 for c in checks if c.difficulty == Difficulty.easy),
            )
        )
    return weeks


def store(database: Database, sessions: list[dict[str, Any]]) -> PatientRepository:
    """A new person with these sessions (and someone else with the same, whose must never count)."""
    people = []
    for _ in range(2):
        with database.sessions.begin() as db:
            person = t.Person(created_at=START)
            db.add(person)
            db.flush()
            profile = t.ProfileVersion(person_id=person.id, created_at=START, data={})
            db.add(profile)
            db.flush()
            program = t.ProgramVersion(
                person_id=person.id, version=1, created_at=START, profile_id=profile.id, reason="", exercises=[]
            )
            db.add(program)
            db.flush()
            for item in sessions:
                started = START + timedelta(minutes=item["minute"])
                row = t.Session(person_id=person.id, program_id=program.id, started_at=started, status=item["status"])
                db.add(row)
                db.flush()
                for exercise, done in zip(EXERCISES, item["outcomes"], strict=False):
                    kind, score = done["pain"] if done["pain"] else (None, None)
                    db.add(
                        t.ExerciseOutcomeRow(
                            session_id=row.id,
                            exercise_id=exercise,
                            status=done["status"],
                            dose={},
                            pain_kind=kind,
                            pain_score=score,
                            recorded_at=started,
                        )
                    )
                if item["check_in"] is not None:
                    db.add(t.CheckIn(session_id=row.id, recorded_at=started, **item["check_in"]))
            people.append(person.id)
    return database.patient(people[0])


@settings(
    max_examples=examples(400),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    sessions=history,
    today=st.integers(0, DAYS + 10),
    since=st.integers(0, DAYS),
    per_day=st.integers(1, 3),
    extra=history,
)
def test_the_figures_summed_in_the_database_are_the_pure_figures(
    database_url: str, sessions: list[dict[str, Any]], today: int, since: int, per_day: int, extra: Any
):
    opened = open_database(database_url)
    try:  # one engine per example, closed with it: hundreds left open exhaust PostgreSQL's connections
        compare(Database(opened), sessions, today, since, extra, per_day)
    finally:
        opened.engine.dispose()


def compare(
    database: Database, sessions: list[dict[str, Any]], today: int, since: int, extra: Any, per_day: int
) -> None:
    repo = store(database, sessions)
    store(database, extra)  # a third person, with another history
    every = repo.history()
    assert len(every) == len(sessions)
    day = (START + timedelta(days=today)).date()

    days = repo.past.days()
    assert days == days_of(every)
    assert all(type(value) is int for d in days for value in d[1:]), days  # not PostgreSQL's numeric
    assert weekly_from_days(days, START.date(), day, per_day) == old_weekly(every, START.date(), day, per_day)
    assert weekly(every, START.date(), day, per_day) == old_weekly(every, START.date(), day, per_day)
    assert streaks_from_days(days, day) == streaks(every, day)
    assert sum(d.sessions_done for d in days) == sum(1 for s in every if s.did_exercise)

    moment = START + timedelta(days=since, hours=7)
    recent = days_of(repo.history(since=moment))
    assert repo.past.days(since=moment) == recent
    assert repo.past.done_by_day(since=moment) == [
        DaySummary(d.day, sessions_done=d.sessions_done) for d in recent if d.sessions_done
    ]


def test_a_day_is_the_day_the_session_started_even_just_before_midnight(database_url: str):
    database = Database(open_database(database_url))
    late = {"minute": 24 * 60 - 1, "status": "finished", "check_in": None}
    done = {"status": OutcomeStatus.done, "pain": None}
    repo = store(database, [late | {"outcomes": [done]}, late | {"minute": 24 * 60, "outcomes": [done, done]}])
    assert repo.past.days() == [
        DaySummary(START.date(), sessions_done=1),
        DaySummary(START.date() + timedelta(days=1), sessions_done=1),
    ]
