"""Imports are checked like the app checks its own input: a tampered file is refused with one
message naming the table, the row and the field, and not one row changes (counted before and
after), into an empty database and with --replace into one in use. Times with an offset import as
the same moment on SQLite and PostgreSQL; an export never holds NaN; --replace makes a backup."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from backcoach.core.errors import TransferError
from backcoach.exports.transfer import TABLE_NAMES, export_document, import_document
from backcoach.schemas.json_text import parse_json
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.reminders import save_reminders
from backcoach.services.transfer import replace_all
from backcoach.storage.database import open_database
from backcoach.storage.repository import Database
from backcoach.storage.tables import Base
from tests.test_transfer import fill

Doc = dict[str, Any]


def rows(doc: Doc, table: str) -> list[dict[str, Any]]:
    return doc["tables"][table]


def first_with(doc: Doc, table: str, column: str, test: Callable[[Any], bool]) -> dict[str, Any]:
    return next(r for r in rows(doc, table) if test(r[column]))


def bridge_entry(reps: int) -> dict[str, Any]:
    """The bridge as a program holds it, its starting numbers but for `reps`."""
    from backcoach.catalogue.loader import load_catalogue

    start = load_catalogue().get("bridge").default_dose
    dose = {name: (pair[0] if pair else None) for name, pair in start.numbers().items()}
    return {"id": "bridge", "dose": {**dose, "sides": start.sides, "reps": reps}, "why": "It makes your hips strong."}


def add_open_session(doc: Doc) -> None:
    first = rows(doc, "session")[0]
    first.update(status="in_progress", ended_at=None)
    rows(doc, "session").append({**first, "id": first["id"] + 100})


def outcome(doc: Doc) -> dict[str, Any]:
    return rows(doc, "exercise_outcome")[0]


def hold_entry(doc: Doc) -> dict[str, Any]:
    return next(e for e in rows(doc, "program_version")[0]["exercises"] if e["dose"]["hold_seconds"])


# (what, the change made to a good export, the table, row and field the refusal must name, more words)
TAMPERED: list[tuple[str, Callable[[Doc], object], str, str]] = [
    # Doses: each number inside the range its sources give, in programs, session plans and outcomes.
    (
        "a bridge at 10,000 reps",
        lambda d: rows(d, "program_version")[0]["exercises"].append(bridge_entry(10_000)),
        "table 'program_version', row 1, field 'exercises'",
        "bridge: reps 10000 is outside what its sources give",
    ),
    (
        "a 24-hour hold",
        lambda d: hold_entry(d)["dose"].update(hold_seconds=86_400),
        "table 'program_version', row 1, field 'exercises'",
        "hold_seconds 86400",
    ),
    (
        "a session plan at 10,000 reps",
        lambda d: rows(d, "session")[0]["plan"].append(bridge_entry(10_000)),
        "table 'session', row 1, field 'plan'",
        "reps 10000",
    ),
    (
        "an outcome at 10,000 reps",
        lambda d: outcome(d)["dose"].update(reps=10_000),
        "table 'exercise_outcome', row 1, field 'dose'",
        "outside",
    ),
    (
        "negative reps",
        lambda d: outcome(d)["dose"].update(reps=-3),
        "table 'exercise_outcome', row 1, field 'dose'",
        "not a whole number",
    ),
    (
        "text reps",
        lambda d: outcome(d)["dose"].update(reps="ten"),
        "table 'exercise_outcome', row 1, field 'dose'",
        "not a whole number",
    ),
    (
        "a rest of a day",
        lambda d: outcome(d)["dose"].update(rest_seconds=86_400),
        "table 'exercise_outcome', row 1, field 'dose'",
        "rest_seconds 86400",
    ),
    (
        "an entry without its reason",
        lambda d: rows(d, "program_version")[0]["exercises"][0].pop("why"),
        "table 'program_version', row 1, field 'exercises'",
        "",
    ),
    # Every reference known: exercises in the catalogue, questions asked, rows in the file.
    (
        "an unknown exercise done",
        lambda d: outcome(d).update(exercise_id="moonwalk"),
        "table 'exercise_outcome', row 1, field 'exercise_id'",
        "moonwalk",
    ),
    (
        "an unknown exercise paused",
        lambda d: rows(d, "paused_exercise")[0].update(exercise_id="moonwalk"),
        "table 'paused_exercise', row 1, field 'exercise_id'",
        "",
    ),
    (
        "a change to an unknown exercise",
        lambda d: rows(d, "program_version")[0]["changes"].append(
            {"exercise_id": "moonwalk", "action": "grow", "reason": "x"}
        ),
        "table 'program_version', row 1, field 'changes'",
        "",
    ),
    (
        "a change the app never makes",
        lambda d: rows(d, "program_version")[0]["changes"].append(
            {"exercise_id": "bridge", "action": "teleport", "reason": "x"}
        ),
        "table 'program_version', row 1, field 'changes'",
        "",
    ),
    (
        "an unknown question",
        lambda d: rows(d, "screening")[0]["answers"].update(alien_abduction=True),
        "table 'screening', row 1, field 'answers'",
        "alien_abduction",
    ),
    (
        "an answer of maybe",
        lambda d: rows(d, "screening")[0]["answers"].update(fever="maybe"),
        "table 'screening', row 1, field 'answers'",
        "",
    ),
    (
        "an unknown sign cleared",
        lambda d: rows(d, "clearance")[0].update(signs=["nope"]),
        "table 'clearance', row 1, field 'signs'",
        "",
    ),
    (
        "a lesson that does not exist",
        lambda d: rows(d, "lesson_mark")[0].update(lesson_id="moon-landing"),
        "table 'lesson_mark', row 1, field 'lesson_id'",
        "not one of the lessons",
    ),
    (
        "a lesson mark neither offered nor read",
        lambda d: rows(d, "lesson_mark")[0].update(offered_at=None, read_at=None),
        "table 'lesson_mark', row 1, field 'read_at'",
        "",
    ),
    (
        "a session of a program not in the file",
        lambda d: rows(d, "session")[0].update(program_id=999),
        "table 'session', row 1, field 'program_id'",
        "no program_version with id 999",
    ),
    (
        "an outcome of a session not in the file",
        lambda d: outcome(d).update(session_id=999),
        "table 'exercise_outcome', row 1, field 'session_id'",
        "no session with id 999",
    ),
    (
        "a rating of an activity not in the file",
        lambda d: rows(d, "psfs_rating")[0].update(activity_id=5),
        "table 'psfs_rating', row 1, field 'activity_id'",
        "",
    ),
    (
        "the same id twice",
        lambda d: rows(d, "psfs_rating").append(dict(rows(d, "psfs_rating")[0])),
        "table 'psfs_rating', row 2, field 'id'",
        "the same as row 1",
    ),
    ("two open sessions", add_open_session, "table 'session', row 2, field 'person_id'", "only one may be"),
    # Every enum and number the app allows.
    (
        "a session status",
        lambda d: rows(d, "session")[0].update(status="paused"),
        "table 'session', row 1, field 'status'",
        "in_progress",
    ),
    (
        "an outcome status",
        lambda d: outcome(d).update(status="flying"),
        "table 'exercise_outcome', row 1, field 'status'",
        "'flying'",
    ),
    (
        "a difficulty",
        lambda d: rows(d, "check_in")[0].update(difficulty="brutal"),
        "table 'check_in', row 1, field 'difficulty'",
        "",
    ),
    (
        "a screening status",
        lambda d: rows(d, "screening")[0].update(status="fine"),
        "table 'screening', row 1, field 'status'",
        "",
    ),
    (
        "pain of 12",
        lambda d: rows(d, "check_in")[0].update(pain_after=12),
        "table 'check_in', row 1, field 'pain_after'",
        "0 to 10",
    ),
    (
        "pain of -1",
        lambda d: rows(d, "session")[0].update(pain_before=-1),
        "table 'session', row 1, field 'pain_before'",
        "",
    ),
    (
        "a rating of 11",
        lambda d: rows(d, "psfs_rating")[0].update(score=11),
        "table 'psfs_rating', row 1, field 'score'",
        "",
    ),
    (
        "a review at pain 99",
        lambda d: rows(d, "review")[0].update(pain_level=99.5),
        "table 'review', row 1, field 'pain_level'",
        "",
    ),
    (
        "advice that is not words",
        lambda d: rows(d, "review")[0].update(advice=[1, 2]),
        "table 'review', row 1, field 'advice'",
        "",
    ),
    (
        "a pain stop without its score",
        lambda d: outcome(d).update(pain_kind="sharp"),
        "table 'exercise_outcome', row 1, field 'pain_score'",
        "",
    ),
    (
        "version 0",
        lambda d: rows(d, "program_version")[0].update(version=0),
        "table 'program_version', row 1, field 'version'",
        "",
    ),
    ("a huge id", lambda d: rows(d, "person")[0].update(id=2**40), "table 'person', row 1, field 'id'", "too large"),
    (
        "a bad profile",
        lambda d: rows(d, "profile_version")[0]["data"].update(pain_now=-1),
        "table 'profile_version', row 1, field 'data'",
        "pain_now",
    ),
    # Reminders, as the settings page would take them.
    (
        "a time of 25:00",
        lambda d: rows(d, "reminder_settings")[0].update(times=["25:00"]),
        "table 'reminder_settings', row 1, field 'times'",
        "",
    ),
    (
        "times out of order",
        lambda d: rows(d, "reminder_settings")[0].update(times=["19:00", "07:30"]),
        "table 'reminder_settings', row 1, field 'times'",
        "",
    ),
    (
        "a zone on the moon",
        lambda d: rows(d, "reminder_settings")[0].update(timezone="Moon/Base"),
        "table 'reminder_settings', row 1, field 'timezone'",
        "",
    ),
    (
        "an alarm of -5",
        lambda d: rows(d, "reminder_settings")[0].update(alarm_minutes=-5),
        "table 'reminder_settings', row 1, field 'alarm_minutes'",
        "",
    ),
    # Names and words: as long as the app allows, and text.
    (
        "an empty activity",
        lambda d: rows(d, "psfs_activity")[0].update(name="  "),
        "table 'psfs_activity', row 1, field 'name'",
        "",
    ),
    (
        "a long activity",
        lambda d: rows(d, "psfs_activity")[0].update(name="x" * 5000),
        "table 'psfs_activity', row 1, field 'name'",
        "200",
    ),
    (
        "a NUL in a name",
        lambda d: rows(d, "psfs_activity")[0].update(name="a\x00b"),
        "table 'psfs_activity', row 1, field 'name'",
        "not text",
    ),
    (
        "half a character",
        lambda d: rows(d, "psfs_activity")[0].update(name="a\ud800"),
        "table 'psfs_activity', row 1, field 'name'",
        "not text",
    ),
    (
        "a long person name",
        lambda d: rows(d, "person")[0].update(name="x" * 201),
        "table 'person', row 1, field 'name'",
        "200",
    ),
    (
        "cleared by nobody",
        lambda d: rows(d, "clearance")[0].update(cleared_by=""),
        "table 'clearance', row 1, field 'cleared_by'",
        "",
    ),
    (
        "cleared without a day",
        lambda d: rows(d, "paused_exercise")[0].update(cleared_on=None),
        "table 'paused_exercise', row 1, field 'cleared_by'",
        "together",
    ),
    # Times.
    (
        "a time that is not one",
        lambda d: rows(d, "session")[0].update(started_at="yesterday"),
        "table 'session', row 1, field 'started_at'",
        "",
    ),
    (
        "an end before the start",
        lambda d: rows(d, "session")[0].update(ended_at="2000-01-01T00:00:00"),
        "table 'session', row 1, field 'ended_at'",
        "",
    ),
]


def filled(ctx: Scope, now: Any) -> str:
    fill(ctx, now, days=1)
    save_reminders(ctx, ["07:30"], "Europe/London", 10)
    return export_document(ctx.app.database.sessions)


def counts(sessions: Any) -> dict[str, int]:
    with sessions() as db:
        return {t.name: db.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def tampered(good: str, change: Callable[[Doc], object]) -> str:
    data = json.loads(good)
    change(data)
    return json.dumps(data)


def test_every_table_is_tampered_with_somewhere():
    named = [re.match(r"^table '([a-z_]+)', row [0-9]+, field '[a-z_]+'", where) for _, _, where, _ in TAMPERED]
    assert all(named), [where for (_, _, where, _), m in zip(TAMPERED, named, strict=True) if not m]
    assert {m.group(1) for m in named if m} == set(TABLE_NAMES)  # every table an export holds


@pytest.mark.parametrize(("change", "where", "words"), [c[1:] for c in TAMPERED], ids=[c[0] for c in TAMPERED])
def test_a_tampered_import_is_refused_by_name_and_changes_nothing(
    ctx: Scope, now: Any, new_database_url: Callable[[], str], change: Callable[[Doc], object], where: str, words: str
):
    good = filled(ctx, now)
    bad = tampered(good, change)
    empty = open_database(new_database_url())
    for target, replace in ((empty, False), (ctx.app.database.sessions, True)):  # empty, and --replace
        before = counts(target)
        exported = export_document(target)
        with pytest.raises(TransferError) as refused:
            import_document(target, bad, replace=replace)
        message = str(refused.value)
        assert where in message and words in message and "\n" not in message, message
        assert counts(target) == before and export_document(target) == exported
    import_document(empty, good)  # the good file still goes in, whole
    assert export_document(empty) == good


def with_offsets(good: str) -> tuple[str, str]:
    """The export with its first session's times given with offsets, and the UTC times they are."""
    data = json.loads(good)
    session = rows(data, "session")[0]
    session["started_at"] = "2026-03-02T13:00:00+05:00"  # 08:00 UTC
    session["ended_at"] = "2026-03-02T03:10:00-05:00"  # 08:10 UTC
    return json.dumps(data), "2026-03-02T08:00:00 2026-03-02T08:10:00"


def test_times_with_an_offset_import_as_the_same_moment_in_utc(ctx: Scope, now: Any, new_database_url):
    """On SQLite and on PostgreSQL alike (this test runs on each)."""
    document, expected = with_offsets(filled(ctx, now))
    target = open_database(new_database_url())
    import_document(target, document)
    session = rows(json.loads(export_document(target)), "session")[0]
    assert f"{session['started_at']} {session['ended_at']}" == expected
    mixed = json.loads(document)  # a naive time beside an offset one: each is a moment in UTC
    rows(mixed, "check_in")[0]["recorded_at"] = "2026-03-02T09:00:00Z"
    other = open_database(new_database_url())
    import_document(other, json.dumps(mixed))
    assert rows(json.loads(export_document(other)), "check_in")[0]["recorded_at"] == "2026-03-02T09:00:00"


def test_an_export_never_holds_a_number_that_is_not_json(ctx: Scope, now: Any):
    filled(ctx, now)
    sqlite = ctx.app.database.sessions.kw["bind"].url.get_backend_name() == "sqlite"
    with ctx.app.database.sessions.begin() as db:  # a damaged database
        if sqlite:  # SQLite keeps no NaN in a number column, but its JSON text can hold one
            db.execute(text("UPDATE review SET advice = '[NaN, Infinity]'"))
            db.execute(text("UPDATE exercise_outcome SET dose = '{\"reps\": NaN}' WHERE id = 1"))
        else:  # PostgreSQL's JSON cannot, but its numbers can
            db.execute(text("UPDATE review SET pain_level = 'NaN'::float8"))
    document = export_document(ctx.app.database.sessions)
    data = parse_json(document, "the export")  # refuses NaN and Infinity
    if sqlite:
        assert rows(data, "review")[0]["advice"] == [None, None] and outcome(data)["dose"] == {"reps": None}
    else:
        assert rows(data, "review")[0]["pain_level"] is None


# Repairing an install: import --replace, after a backup ------------------------------------------


def test_replace_backs_up_then_replaces_everything(ctx: Scope, now: Any, tmp_path: Path, new_database_url):
    source = local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, now))
    wanted = filled(source, now)
    fill(ctx, now, days=2)  # this install has other data
    old = export_document(ctx.app.database.sessions)
    done = replace_all(ctx, wanted, backup_folder=tmp_path)
    assert export_document(ctx.app.database.sessions) == wanted
    assert done.rows == sum(len(r) for r in json.loads(wanted)["tables"].values())
    assert done.backup is not None and done.backup.parent == tmp_path and done.backup.exists()
    if ctx.app.database.sessions.kw["bind"].url.get_backend_name() == "sqlite":
        with sqlite3.connect(done.backup) as copy:  # a SQLite database holding what was there
            assert copy.execute("SELECT count(*) FROM session").fetchone() == (len(rows(json.loads(old), "session")),)
    else:
        assert done.backup.read_text() == old  # an export of what was there
    again = replace_all(ctx, wanted, backup_folder=tmp_path)  # a second backup never replaces the first
    assert again.backup != done.backup and done.backup.exists()


def test_replace_refuses_a_bad_file_before_any_backup(ctx: Scope, now: Any, tmp_path: Path):
    good = filled(ctx, now)
    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(TransferError, match="table 'exercise_outcome', row 1, field 'dose'"):
        replace_all(ctx, tampered(good, lambda d: outcome(d)["dose"].update(reps=-1)), backup_folder=folder)
    assert list(folder.iterdir()) == [] and export_document(ctx.app.database.sessions) == good


def test_the_settings_page_and_the_api_can_replace_after_a_backup(ctx: Scope, now: Any, new_database_url):
    from fastapi.testclient import TestClient

    from backcoach.web.app import create_app
    from tests.forms import post_form

    source = local_scope(App(Database(open_database(new_database_url())), ctx.catalogue, now))
    wanted = filled(source, now)
    fill(ctx, now, days=2)
    old = export_document(ctx.app.database.sessions)
    client = TestClient(create_app(lambda: ctx.app), base_url="http://127.0.0.1")
    upload = {"file": ("backcoach.json", wanted.encode(), "application/json")}
    assert 'name="replace"' in client.get("/settings").text
    refused = post_form(client, "/settings/import", files=upload)  # not ticked: refused, as before
    assert refused.status_code == 400 and "not empty" in refused.text
    sqlite = ctx.app.database.sessions.kw["bind"].url.get_backend_name() == "sqlite"
    page = post_form(client, "/settings/import", data={"replace": "yes"}, files=upload)
    if not sqlite:  # no file beside a PostgreSQL database: the command line is told where
        assert page.status_code == 503 and "--backup-folder" in page.text
        assert export_document(ctx.app.database.sessions) == old
        return
    assert page.status_code == 200 and "What was here before is kept in" in page.text, page.text
    kept = re.search(r"kept in (\S+\.sqlite3)\.", page.text)
    assert kept and Path(kept.group(1)).exists()
    assert export_document(ctx.app.database.sessions) == wanted
    answer = client.post(
        "/api/v1/import?replace=true", content=old.encode(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200 and Path(answer.json()["backup"]).exists(), answer.text
    assert export_document(ctx.app.database.sessions) == old
