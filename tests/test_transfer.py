"""Export and import: byte-identical round trips, and damaged files that change nothing."""

from __future__ import annotations

import json

import pytest

from backcoach.core.errors import StorageUnavailable, TransferError
from backcoach.core.rules import EndReason
from backcoach.core.screening import QUESTION_IDS
from backcoach.exports.transfer import ADDED_IN_VERSION_2, export_document, import_document
from backcoach.services import clearances, programs, screening, sessions
from backcoach.services.activities import add_activity
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.lessons import read_lesson
from backcoach.services.review import run_review
from backcoach.services.transfer import backup
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from tests.test_storage import maya


def fill(ctx: Scope, now, days: int = 9) -> None:
    programs.set_profile(ctx, maya())
    add_activity(ctx, "Sitting at my desk", 4)
    for _ in range(days):
        active = sessions.start(ctx)
        while not active.ended:
            active.go_on()
        sessions.finish(ctx, active.session_id, EndReason.finished, 4, 3, "easy")
        now.advance(days=1)
    run_review(ctx)
    # What the safety loop remembers travels too: a pause cleared, a warning sign and its clearance.
    clearances.pause_for_pain(ctx, "bridge", "It hurt.", None)
    clearances.clear_pause(ctx, "bridge", "my physiotherapist", now().date())
    screening.rescreen(ctx, {**dict.fromkeys(QUESTION_IDS, False), "cancer_history": True})
    screening.clear_warning(ctx, "Dr Shah", now().date())
    read_lesson(ctx, "posture")  # and the lessons read (those offered after each session are there too)


def test_export_import_export_is_byte_identical(ctx: Scope, now, new_database_url):
    fill(ctx, now)
    first = export_document(ctx.app.database.sessions)
    target = open_database(new_database_url())
    import_document(target, first)
    assert export_document(target) == first
    data = json.loads(first)
    assert data["format"] == "backcoach-export" and data["version"] == 4
    assert data["tables"]["paused_exercise"] and data["tables"]["clearance"]
    marks = {row["lesson_id"]: row for row in data["tables"]["lesson_mark"]}
    assert marks["posture"]["read_at"] and marks["why-it-helps"]["offered_at"]
    assert len(data["tables"]["session"]) == 9 and data["tables"]["review"]


def test_import_refuses_a_database_that_has_data(ctx: Scope, now):
    fill(ctx, now, days=1)
    document = export_document(ctx.app.database.sessions)
    with pytest.raises(TransferError, match="not empty"):
        import_document(ctx.app.database.sessions, document)


def damaged(document: str, change) -> str:
    data = json.loads(document)
    change(data)
    return json.dumps(data)


CASES = [
    ("not json", lambda d: None, "not valid JSON"),
    ("foreign", lambda d: d.update(format="other-app"), "not a backcoach export"),
    ("newer version", lambda d: d.update(version=99), "version 99"),
    ("unknown table", lambda d: d["tables"].update(pets=[]), "unknown table"),
    ("missing column", lambda d: d["tables"]["session"][0].pop("status"), "table 'session', row 1"),
    ("bad date", lambda d: d["tables"]["session"][0].update(started_at="yesterday"), "not a date"),
    ("wrong type", lambda d: d["tables"]["check_in"][0].update(pain_after="three"), "wrong type"),
    ("pain out of range", lambda d: d["tables"]["check_in"][0].update(pain_after=12), "field 'pain_after'"),
    ("bad profile", lambda d: d["tables"]["profile_version"][0]["data"].update(pain_now=-1), "profile's 'pain_now'"),
    (
        "unknown exercise",
        lambda d: d["tables"]["program_version"][0]["exercises"][0].update(id="moonwalk"),
        "catalogue knows",
    ),
    ("strange dose", lambda d: d["tables"]["exercise_outcome"][0]["dose"].update(speed=9), "unknown fields"),
    ("broken link", lambda d: d["tables"]["session"][0].update(program_id=999), "no program_version with id 999"),
    # What the app reads back from the JSON inside columns is checked with the app's own readers.
    ("huge dose", lambda d: d["tables"]["program_version"][0]["exercises"][0]["dose"].update(reps=10_000), "outside"),
    ("negative reps", lambda d: d["tables"]["program_version"][0]["exercises"][0]["dose"].update(reps=-3), "reps"),
    ("text reps", lambda d: d["tables"]["exercise_outcome"][0]["dose"].update(reps="ten"), "whole number"),
    ("no reason", lambda d: d["tables"]["program_version"][0]["exercises"][0].pop("why"), "catalogue knows"),
    ("explanation", lambda d: d["tables"]["program_version"][0].update(explanation={"oops": 1}), "explanation"),
    ("plan", lambda d: d["tables"]["session"][0].update(plan=[{"id": "moonwalk"}]), "catalogue knows"),
    (
        "pending pain",
        lambda d: d["tables"]["session"][0].update(pending_pain={"exercise_id": "bridge", "between": 1, "pain": {}}),
        "pending pain stop",
    ),
    (
        "pain in a plan",
        lambda d: d["tables"]["session"][0]["plan"][0].update(pain={"kind": "mild", "score": 11, "place": "hips"}),
        "pain score",
    ),
]


@pytest.mark.parametrize(("change", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_damaged_file_changes_nothing(ctx: Scope, now, new_database_url, change, words):
    fill(ctx, now, days=1)
    good = export_document(ctx.app.database.sessions)
    bad = "{oops" if words == "not valid JSON" else damaged(good, change)
    target = open_database(new_database_url())
    with pytest.raises(TransferError, match=words):
        import_document(target, bad)
    assert json.loads(export_document(target))["tables"]["session"] == []
    import_document(target, good)  # still empty, so the good file goes in afterwards
    assert export_document(target) == good


def test_import_then_new_rows_get_fresh_ids(database_url: str, now, tmp_path):
    """Importing keeps ids; afterwards new rows must not collide with them (PostgreSQL sequences)."""
    from backcoach.catalogue.loader import load_catalogue
    from backcoach.storage.repository import Database

    source = local_scope(
        App(Database(open_database(f"sqlite:///{tmp_path / 'source.sqlite3'}")), load_catalogue(), now)
    )
    fill(source, now, days=2)
    document = export_document(source.app.database.sessions)
    target = local_scope(App(Database(open_database(database_url)), load_catalogue(), now))
    import_document(target.app.database.sessions, document)
    assert export_document(target.app.database.sessions) == document
    now.advance(days=1)
    active = sessions.start(target)  # would fail on a duplicate id if sequences were not moved on
    assert active.session_id == 3


def test_an_export_from_before_migration_0003_still_imports(ctx: Scope, now, new_database_url):
    """Version 1 of the format had no session plan, pending pain, explanation or after-session mark:
    such a file imports, those come in empty, and the rest is exactly as it was."""
    fill(ctx, now)
    data = json.loads(export_document(ctx.app.database.sessions))
    for table, columns in ADDED_IN_VERSION_2.items():
        for row in data["tables"][table]:
            for column in columns:
                row.pop(column)
    data["version"] = 1
    target = open_database(new_database_url())
    import_document(target, json.dumps(data))
    again = json.loads(export_document(target))
    for table, rows in data["tables"].items():
        kept = [
            {k: v for k, v in row.items() if k not in ADDED_IN_VERSION_2.get(table, set())}
            for row in again["tables"][table]
        ]
        assert kept == rows, table
    assert all(row["plan"] is None for row in again["tables"]["session"])
    # ...and what came in still shows and plays: the program, a session, the review.
    imported = local_scope(App(Database(target), ctx.catalogue, now))
    assert programs.current_program(imported) is not None
    now.advance(days=1)
    live = sessions.start(imported)
    assert live.exercises and not live.stopped_for_pain
    # An old file may not leave out columns that version 1 had.
    data["tables"]["session"][0].pop("status")
    with pytest.raises(TransferError, match="expected exactly the columns"):
        import_document(open_database(new_database_url()), json.dumps(data))


def test_a_backup_holds_everything_even_what_is_still_in_the_write_ahead_log(
    ctx: Scope, now, tmp_path, new_database_url
):
    if ctx.app.database.sessions.kw["bind"].url.get_backend_name() != "sqlite":
        with pytest.raises(StorageUnavailable, match="pg_dump"):
            backup(ctx, tmp_path / "backup.sqlite3")
        return
    fill(ctx, now)
    target = tmp_path / "backup.sqlite3"
    backup(ctx, target)
    assert not (tmp_path / "backup.sqlite3.partial").exists()
    copy = open_database(f"sqlite:///{target}")
    assert export_document(copy) == export_document(ctx.app.database.sessions)
