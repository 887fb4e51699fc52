"""A clinic of thousands of patients on PostgreSQL, each with a year of twice-daily sessions, and the
server time of the physiotherapist's pages over it.

    .venv/bin/python bench/clinic.py [--postgres postgresql://postgres@127.0.0.1:5432/backcoach_bench_clinic]
        [--patients 10000] [--days 365] [--runs 20] [--physios 10]

The database named in --postgres is made afresh (dropped first if it exists; `test` and `postgres`
are refused). One patient is made through the use cases (screen, profile, program); the others get
copies of those rows, and their history is written by the server itself (INSERT ... SELECT over
generate_series: much faster than sending rows). Each session has one exercise done and a
check-in; patients differ in how long ago they stopped (so engagement tiers vary) and in their
pain (some rose at the last check-in, some reached 8/10). The physiotherapists share the patients
out; the admin sees them all.

It then refreshes every summary (as the first read after a migration would), and times, in process
through the application layer: the list (admin: every patient; a physiotherapist: their share;
search; a tier filter), the critical banner, one patient's alerts, and, through the web app in
process (FastAPI's test client, signed in with TOTP), the list page and a patient page. Median and
p95 of --runs runs each, after one warm-up. Last, EXPLAIN (ANALYZE) of the list's queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.examples import example_profile  # noqa: E402

from backcoach.catalogue.loader import load_catalogue  # noqa: E402
from backcoach.core.access import Actor, Role  # noqa: E402
from backcoach.core.alerts import AlertTier  # noqa: E402
from backcoach.services import accounts, alerts, clinic, programs, roster  # noqa: E402
from backcoach.services.context import App, Scope  # noqa: E402
from backcoach.services.roster import Filters, RosterQuery, cutoffs  # noqa: E402
from backcoach.services.thresholds import clinic_thresholds  # noqa: E402
from backcoach.storage import clinic_tables as c  # noqa: E402
from backcoach.storage import tables as t  # noqa: E402
from backcoach.storage.database import open_database  # noqa: E402
from backcoach.storage.repository import Database  # noqa: E402
from backcoach.web.app import create_app  # noqa: E402
from backcoach.web.deps import SESSION_COOKIE  # noqa: E402
from backcoach.web.form_tokens import FormTokens  # noqa: E402

PASSWORD = "correct horse battery staple"
# How many days before the end each patient stopped: most did not; the rest stopped 0 to 29 days ago.
GAP = "(CASE WHEN {p} % 10 < 7 THEN 0 ELSE {p} % 30 END)"


def fresh_database(url: str) -> str:
    target = make_url(url).set(drivername="postgresql+psycopg")
    if target.database in (None, "", "test", "postgres"):
        raise SystemExit(f"refusing to drop the database {target.database!r}: name one of your own")
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()
    return target.set(drivername="postgresql").render_as_string(hide_password=False)


def step(what: str, started: float) -> float:
    print(f"  {what}: {time.perf_counter() - started:.1f} s", flush=True)
    return time.perf_counter()


def _copy_columns(table: Any, skip: set[str]) -> list[str]:
    return [col.name for col in table.columns if col.name not in skip]


def build(app: App, patients: int, days: int, physios: int, start: datetime) -> tuple[Actor, list[Actor]]:
    """The clinic: its admin, physiotherapists, patients and their history. Returns the actors."""
    clinic.create_clinic(app, "Bench clinic", "admin@bench.example", "Admin", PASSWORD)
    admin = _actor(app, "admin@bench.example")
    staff = []
    for i in range(physios):
        invite = clinic.add_staff(app, admin, "physio", f"physio{i}@bench.example", f"Physio {i}")
        clinic.accept_invitation(app, invite.token, PASSWORD)
        staff.append(_actor(app, f"physio{i}@bench.example"))
    template, _ = clinic.invite_patient(app, staff[0], "Template Patient", "template@bench.example")
    me = Scope(app, Actor(Role.patient, template.person_id, None, template.clinic_id), template.person_id)
    programs.set_profile(me, example_profile("maya", sessions_per_day=2, minutes_per_session=20))
    engine = app.database.sessions.engine
    began = time.perf_counter()
    with engine.begin() as conn:
        ids = [
            int(r[0])
            for r in conn.execute(
                text("INSERT INTO person (name, created_at) SELECT '', :at FROM generate_series(1, :n) RETURNING id"),
                {"at": start, "n": patients - 1},
            )
        ]
        clinic_id, physio_ids = admin.clinic_id, [a.account_id for a in staff]
        rows = [(pid, f"Patient {i:05d}", f"patient{i:05d}@bench.example") for i, pid in enumerate(ids)]
        conn.execute(
            insert(c.ClinicPatient.__table__),
            [{"person_id": p, "clinic_id": clinic_id, "name": n, "created_at": start} for p, n, _ in rows],
        )
        conn.execute(
            insert(c.Account.__table__),
            [
                {"clinic_id": clinic_id, "role": "patient", "email": e, "name": n, "person_id": p, "created_at": start}
                | {"password_hash": None if i % 5 == 0 else "x", "public_id": f"acc-{p}"}
                for i, (p, n, e) in enumerate(rows)
            ],
        )
        conn.execute(
            insert(c.CareTeam.__table__),
            [{"person_id": p, "account_id": physio_ids[i % physios], "added_at": start} for i, p in enumerate(ids)],
        )
        conn.execute(insert(c.PatientStatus.__table__), [{"person_id": p, "clinic_id": clinic_id} for p in ids])
        began = step(f"{patients} patients, accounts, care teams", began)
        _clone_program(conn, template.person_id, min(ids), max(ids))
        began = step("their screens, profiles and programs", began)
        _history(conn, min(ids), max(ids), days, start, template.person_id)
        began = step(f"{days} days of twice-daily sessions each, with an exercise and a check-in", began)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    step("VACUUM ANALYZE", began)
    return admin, staff


def _clone_program(conn: Any, template: int, first: int, last: int) -> None:
    span = {"tpl": template, "a": first, "b": last}
    for table in (t.Screening.__table__, t.ProfileVersion.__table__):
        cols = _copy_columns(table, {"id", "person_id"})
        listed = ", ".join(cols)
        conn.execute(
            text(
                f"INSERT INTO {table.name} (person_id, {listed}) SELECT p.id, {', '.join('x.' + k for k in cols)} "
                f"FROM person p, {table.name} x WHERE x.person_id = :tpl AND p.id BETWEEN :a AND :b"
            ),
            span,
        )
    cols = _copy_columns(t.ProgramVersion.__table__, {"id", "person_id", "profile_id"})
    conn.execute(
        text(
            f"INSERT INTO program_version (person_id, profile_id, {', '.join(cols)}) "
            f"SELECT pr.person_id, pr.id, {', '.join('x.' + k for k in cols)} FROM profile_version pr, "
            "program_version x WHERE x.person_id = :tpl AND pr.person_id BETWEEN :a AND :b"
        ),
        span,
    )


def _history(conn: Any, first: int, last: int, days: int, start: datetime, template: int) -> None:
    span = {"a": first, "b": last, "days": days, "start": start, "tpl": template}
    gap = GAP.format(p="pv.person_id")
    conn.execute(
        text(
            "INSERT INTO session (person_id, program_id, started_at, ended_at, status, pain_before) "
            "SELECT pv.person_id, pv.id, :start + d * interval '1 day' + h * interval '1 hour', "
            "  :start + d * interval '1 day' + h * interval '1 hour' + interval '15 minutes', 'finished', "
            "  2 + pv.person_id % 4 "
            "FROM program_version pv CROSS JOIN generate_series(0, :days - 1) d CROSS JOIN (VALUES (7), (19)) hs(h) "
            f"WHERE pv.person_id BETWEEN :a AND :b AND d < :days - {gap}"
        ),
        span,
    )
    exercise = conn.execute(
        text("SELECT exercises -> 0 ->> 'exercise_id' FROM program_version WHERE person_id = :tpl"), span
    ).scalar()
    conn.execute(
        text(
            "INSERT INTO exercise_outcome (session_id, exercise_id, status, dose, recorded_at) "
            "SELECT id, :exercise, 'done', '{}', started_at + interval '10 minutes' FROM session "
            "WHERE person_id BETWEEN :a AND :b"
        ),
        {**span, "exercise": exercise or "bridge"},
    )
    last_one = f":start + (:days - 1 - {GAP.format(p='s.person_id')}) * interval '1 day' + interval '19 hours'"
    conn.execute(
        text(
            "INSERT INTO check_in (session_id, pain_before, pain_after, difficulty, recorded_at) "
            "SELECT s.id, s.pain_before, CASE "
            f"  WHEN s.started_at = {last_one} AND s.person_id % 97 = 0 THEN 8 "
            f"  WHEN s.started_at = {last_one} AND s.person_id % 13 = 0 THEN s.pain_before + 2 "
            "  ELSE s.pain_before END, 'right', s.ended_at FROM session s WHERE s.person_id BETWEEN :a AND :b"
        ),
        span,
    )


def _actor(app: App, email: str) -> Actor:
    found = app.database.accounts.by_email(email)
    assert found is not None
    return Actor(Role(found.role), found.person_id, found.id, found.clinic_id, found.email)


def browser(app: App, email: str) -> TestClient:
    """The clinic's web app in process, signed in as `email` with a TOTP code."""
    web = create_app(lambda: app, form_tokens=FormTokens(secure_cookie=True), clinic=True)
    client = TestClient(web, base_url="https://127.0.0.1", follow_redirects=False)
    done = accounts.sign_in(app, email, PASSWORD, "127.0.0.1")
    login = accounts.current_login(app, done.token)
    assert login is not None
    secret = accounts.totp_setup(app, login).secret
    accounts.second_factor(app, login, pyotp.TOTP(secret).at(app.now().replace(tzinfo=UTC)), "127.0.0.1")
    client.cookies.set(SESSION_COOKIE, done.token, domain="127.0.0.1")
    return client


def timed(name: str, call: Callable[[], object], runs: int) -> None:
    call()  # warm: the first call opens connections and fills caches
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    p95 = statistics.quantiles(times, n=20)[-1] if runs >= 2 else times[0]
    print(f"  {name:44} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms", flush=True)


def explain(app: App, name: str, statement: Any) -> None:
    compiled = statement.compile(dialect=postgresql.dialect())
    with app.database.sessions.engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + compiled.string, compiled.params).scalars()
        print(f"\nEXPLAIN (ANALYZE) {name}:")
        for line in plan:
            print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/backcoach_bench_clinic")
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--physios", type=int, default=10)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = fresh_database(args.postgres)
    start = datetime(2025, 12, 1)
    now = start + timedelta(days=args.days, hours=8)
    app = App(Database(open_database(url)), load_catalogue(), lambda: now)
    print(f"Building {args.patients} patients x {args.days} days on {make_url(url).database}:")
    began = time.perf_counter()
    admin, staff = build(app, args.patients, args.days, args.physios, start)
    with app.database.sessions.engine.connect() as conn:
        counts = {n: conn.execute(text(f"SELECT count(*) FROM {n}")).scalar() for n in ("session", "check_in")}
    print(
        f"  built in {time.perf_counter() - began:.0f} s: {counts['session']} sessions, {counts['check_in']} check-ins"
    )
    began = time.perf_counter()
    # Each staff member's read refreshes their care teams' summaries: together, every patient's.
    for physio in staff:
        roster.refresh_dirty(app, physio)
    refreshed = args.patients
    spent = time.perf_counter() - began
    print(f"  first refresh of every summary: {refreshed} in {spent:.1f} s ({spent / refreshed * 1000:.1f} ms each)")

    physio = staff[0]
    first = roster.roster(app, physio, Filters()).lines[0]
    patient = app.database.clinic(admin.clinic_id or 0).patient(first.public_id)
    assert patient is not None
    web = browser(app, physio.name)
    print(f"\nServer time ({args.runs} runs each, in process):")
    timed(
        f"list, physio ({args.patients // args.physios} patients), page 1",
        lambda: roster.roster(app, physio, Filters()),
        args.runs,
    )
    timed(
        "list, physio, search 'patient 0042'",
        lambda: roster.roster(app, physio, Filters(search="patient 0042")),
        args.runs,
    )
    timed(
        "list, physio, critical only, page 2",
        lambda: roster.roster(app, physio, Filters(tier=AlertTier.critical, page=2)),
        args.runs,
    )
    timed("critical banner, physio", lambda: roster.critical_alerts(app, physio), args.runs)
    timed(
        "alerts of one patient (patient_alerts)",
        lambda: alerts.patient_alerts(Scope(app, physio, patient.person_id)),
        args.runs,
    )
    timed("GET /clinic (web app, physio)", lambda: web.get("/clinic").raise_for_status(), args.runs)
    timed(
        "GET /clinic/patients/{id} (web app, physio)",
        lambda: web.get(f"/clinic/patients/{patient.public_id}").raise_for_status(),
        args.runs,
    )

    marks = cutoffs(clinic_thresholds(app, admin.clinic_id), now)
    store = app.database.status
    page, _ = store.roster_select(RosterQuery(admin.clinic_id or 0, physio.account_id), marks)
    explain(app, "the list's page 1, physio", page)
    _, count = store.roster_select(RosterQuery(admin.clinic_id or 0, physio.account_id), marks)
    explain(app, "the list's count, physio", count)


if __name__ == "__main__":
    main()
