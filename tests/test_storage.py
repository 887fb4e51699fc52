"""Storage on SQLite and PostgreSQL: history is appended, saved as it goes, and never lost."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from backcoach.core.errors import InvalidInput, ProgramPaused
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.profile import Profile
from backcoach.core.rules import EndReason, OutcomeStatus
from backcoach.services import programs, sessions
from backcoach.services.context import Scope
from backcoach.storage.database import make_engine, open_database
from backcoach.storage.tables import Base
from tests.examples import example_profile

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def maya() -> Profile:
    return example_profile()


def test_migrations_build_the_schema_the_code_expects(database_url: str):
    open_database(database_url)
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert set(inspect(engine).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}


def test_opening_twice_is_harmless(database_url: str):
    open_database(database_url)
    open_database(database_url)


def test_sqlite_runs_in_wal_with_full_sync_and_foreign_keys(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    engine = make_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_first_profile_makes_program_version_one(ctx: Scope):
    plan = programs.set_profile(ctx, maya())
    found = programs.current_program(ctx)
    assert found is not None
    row, exercises = found, found.exercises
    assert row.version == 1 and row.reason
    assert [p.id for p in exercises] == [p.id for p in plan.exercises]
    assert [p.dose for p in exercises] == [p.dose for p in plan.exercises]


def test_a_new_profile_adds_a_version_and_keeps_the_old(ctx: Scope, now):
    programs.set_profile(ctx, maya())
    now.advance(days=3)
    programs.set_profile(ctx, maya().model_copy(update={"minutes_per_session": 20}))
    versions = ctx.repo.programs()
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].exercises != versions[1].exercises or versions[0].reason != versions[1].reason


def test_a_warning_sign_pauses_the_program(ctx: Scope):
    programs.set_profile(ctx, maya())
    flags = dict(maya().red_flags, fever=True)
    plan = programs.set_profile(ctx, maya().model_copy(update={"red_flags": flags}))
    assert plan.status.value in {"same_day", "see_doctor"} and not plan.exercises
    with pytest.raises(ProgramPaused, match="paused"):
        sessions.start(ctx)


def test_outcomes_are_saved_the_moment_they_happen_and_a_session_resumes(ctx: Scope, now):
    programs.set_profile(ctx, maya())
    active = sessions.start(ctx)
    first = active.run.exercises[0].id
    outcome = None
    while outcome is None:
        outcome = active.go_on()  # saved the moment the exercise ends
    # The process dies here. A new start offers the same session without the finished exercise.
    again = sessions.start(ctx)
    assert again.resumed and again.session_id == active.session_id
    assert first not in [p.id for p in again.run.exercises]
    assert [o.exercise_id for o in ctx.repo.outcomes(active.session_id)] == [first]


def test_finishing_stores_the_check_in_and_status(ctx: Scope):
    programs.set_profile(ctx, maya())
    active = sessions.start(ctx)
    active.this_hurts(PainReport(PainKind.sharp, 6, PainPlace.lower_back))
    sessions.finish(ctx, active.session_id, EndReason.pain, 4, 6, "hard")
    [record] = ctx.repo.history()
    assert record.status == "stopped_for_pain"
    assert record.check_in is not None and record.check_in.pain_after == 6
    assert record.outcomes[0].status == OutcomeStatus.stopped_for_pain
    assert record.outcomes[0].pain_kind == "sharp"
    assert sessions.open_session(ctx) is None


def test_bad_check_in_changes_nothing(ctx: Scope):
    programs.set_profile(ctx, maya())
    active = sessions.start(ctx)
    with pytest.raises(InvalidInput, match="pain_after: give a whole number from 0 to 10"):
        sessions.finish(ctx, active.session_id, EndReason.finished, 3, 12, "easy")
    with pytest.raises(InvalidInput, match="difficulty"):
        sessions.finish(ctx, active.session_id, EndReason.finished, 3, 2, "meh")
    [record] = ctx.repo.history()
    assert record.status == "in_progress" and record.check_in is None


def test_the_database_refuses_an_out_of_range_pain(ctx: Scope):
    programs.set_profile(ctx, maya())
    active = sessions.start(ctx)
    with pytest.raises(IntegrityError):
        ctx.repo.finish_session(active.session_id, "finished", 3, 11, "easy", ctx.now())
    [record] = ctx.repo.history()
    assert record.status == "in_progress", "the failed finish left nothing half-written"


def test_the_quick_head_check_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from backcoach.storage.database import alembic_config, head_revision

    engine = make_engine("sqlite://")
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == head_revision()


def test_a_session_ended_by_pain_is_never_carried_on(ctx: Scope):
    programs.set_profile(ctx, maya())
    active = sessions.start(ctx)
    active.this_hurts(PainReport(PainKind.spreading, 4, PainPlace.legs))
    # The player died before the check-in; any player that comes back gets only the check-in.
    again = sessions.start(ctx, resume=True)
    assert again.session_id == active.session_id and again.stopped_for_pain
    assert again.run.exercises == [] and again.run.ended


def test_upgrading_a_database_with_history_keeps_answered_rescreens_answered(database_url: str):
    """A database at migration 0002 with a rise in pain that was already answered: after the
    upgrade no re-screen is asked for again; a rise answered before it still is."""
    from alembic import command

    from backcoach.catalogue.loader import load_catalogue
    from backcoach.services.context import App, local_scope
    from backcoach.services.review import rescreen_due
    from backcoach.storage.database import alembic_config
    from backcoach.storage.repository import Database

    engine = make_engine(database_url)
    command.upgrade(alembic_config(engine), "0002")
    answers = '{"fever": false}'
    rows = [
        "INSERT INTO person (id, name, created_at) VALUES (1, '', '2026-03-01 08:00:00')",
        "INSERT INTO profile_version (id, person_id, created_at, data) VALUES (1, 1, '2026-03-01 08:00:00', '{}')",
        "INSERT INTO program_version (id, person_id, version, created_at, profile_id, reason, exercises, changes)"
        " VALUES (1, 1, 1, '2026-03-01 08:00:00', 1, 'first', '[]', '[]')",
        "INSERT INTO session (id, person_id, program_id, started_at, ended_at, status)"
        " VALUES (1, 1, 1, '2026-03-02 08:00:00', '2026-03-02 08:20:00', 'finished')",
        "INSERT INTO check_in (id, session_id, pain_before, pain_after, difficulty, recorded_at)"
        " VALUES (1, 1, 3, 6, 'hard', '2026-03-02 08:20:00')",
        f"INSERT INTO screening (id, person_id, answered_at, answers, status) VALUES"
        f" (1, 1, '2026-03-01 08:00:00', '{answers}', 'ok'), (2, 1, '2026-03-02 08:25:00', '{answers}', 'ok')",
    ]
    with engine.begin() as conn:
        for row in rows:
            conn.execute(text(row))
    engine.dispose()
    app = App(Database(open_database(database_url)), load_catalogue(), lambda: datetime(2026, 3, 3))
    assert not rescreen_due(local_scope(app)), "answered at 08:25, after the check-in at 08:20"
    cleanup = make_engine(database_url)
    with cleanup.begin() as conn:
        conn.execute(text("DELETE FROM screening WHERE id = 2"))
    cleanup.dispose()
    assert rescreen_due(local_scope(app)), "only the first screening is left, from before the rise"
