"""The physiotherapist's patient list over the per-patient summaries, on SQLite and PostgreSQL: its
order, search, filters and paging; every write marking the summary dirty; the summary always
agreeing with the alerts computed fresh from the record (a property over generated histories); a
clinic's own thresholds; and the critical alerts banner on every staff page."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backcoach.core.access import Actor
from backcoach.core.alerts import DEFAULTS, AlertTier, top_tier
from backcoach.core.errors import BackcoachError, InvalidInput, NotAllowed
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.rules import is_strengthening
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import activities, alerts, clinic, programs, roster, screening, sessions, thresholds
from backcoach.services.context import App, Scope
from backcoach.services.roster import Filters
from backcoach.storage.clinic_directory import PatientEntry
from backcoach.storage.clinic_tables import PatientStatus
from tests.conftest import MovableNow
from tests.examples import example_profile
from tests.strategies import examples
from tests.test_clinic_access import new_clinic, own_scope
from tests.test_clinic_route_matrix import PASSWORD, signed_in

NO = dict.fromkeys(QUESTION_IDS, False)


@pytest.fixture
def care(app: App) -> dict[str, Actor]:
    admin, physio = new_clinic(app, "Home")
    return {"admin": admin, "physio": physio}


def patient(app: App, physio: Actor, name: str, email: str, program: bool = True) -> PatientEntry:
    entry, _ = clinic.invite_patient(app, physio, name, email)
    if program:
        programs.set_profile(mine(app, entry), example_profile("maya", sessions_per_day=1, minutes_per_session=20))
    return entry


def mine(app: App, entry: PatientEntry) -> Scope:
    return own_scope(app, entry.person_id, entry.clinic_id)


def status(app: App, entry: PatientEntry) -> PatientStatus:
    with app.database.sessions() as db:
        row = db.scalars(select(PatientStatus).where(PatientStatus.person_id == entry.person_id)).one()
        db.expunge(row)
        return row


def names(found: roster.Roster) -> list[str]:
    return [line.name for line in found.lines]


def test_the_list_puts_the_most_urgent_first_then_names_and_shows_the_facts(
    app: App, care: dict[str, Actor], now: MovableNow
) -> None:
    physio = care["physio"]
    calm = patient(app, physio, "Cara Calm", "cara@example.org")
    rising = patient(app, physio, "Rob Rising", "rob@example.org")
    severe = patient(app, physio, "Sia Severe", "sia@example.org")
    patient(app, physio, "Abe New", "abe@example.org", program=False)
    for who, after in ((calm, 3), (rising, 3), (severe, 3)):
        sessions.log_session(mine(app, who), 3, after, "right", [], {})
    now.advance(days=1)
    sessions.log_session(mine(app, calm), 3, 2, "right", [], {})
    sessions.log_session(mine(app, rising), 3, 5, "hard", [], {})  # a rise of 2: high
    sessions.log_session(mine(app, severe), 5, 8, "hard", [], {})  # 8/10: critical
    found = roster.roster(app, physio, Filters())
    assert names(found) == ["Sia Severe", "Rob Rising", "Abe New", "Cara Calm"]
    by_name = {line.name: line for line in found.lines}
    assert by_name["Sia Severe"].tier is AlertTier.critical
    assert by_name["Sia Severe"].alerts[0] == (AlertTier.critical, "Severe pain")
    assert by_name["Rob Rising"].alerts == [(AlertTier.high, "Pain rising")]
    assert [p.score for p in by_name["Rob Rising"].pains] == [3, 5]
    cara = by_name["Cara Calm"]
    assert (cara.tier, cara.done_7, cara.done_28, cara.last_session) == (None, 2, 2, now().date())
    assert not by_name["Abe New"].joined and by_name["Abe New"].last_session is None
    # An admin outside the care teams sees none of their records (their names are in the clinic's
    # directory, `clinic.patients`); another clinic's physiotherapist sees none of it.
    assert roster.roster(app, care["admin"], Filters()).lines == []
    assert len(clinic.patients(app, care["admin"])) == 4
    _, away = new_clinic(app, "Away")
    assert roster.roster(app, away, Filters()).lines == []
    with pytest.raises(NotAllowed):
        roster.roster(app, own_scope(app, calm.person_id, calm.clinic_id).actor, Filters())


def test_engagement_tiers_follow_the_clock_without_any_write(app: App, care: dict[str, Actor], now: MovableNow) -> None:
    physio = care["physio"]
    maya = patient(app, physio, "Maya", "maya@example.org")
    sessions.log_session(mine(app, maya), 3, 3, "right", [], {})
    assert roster.roster(app, physio, Filters()).lines[0].tier is None
    version, start = status(app, maya).version, now()
    for days, tier in ((3, AlertTier.low), (14, AlertTier.high), (21, AlertTier.critical)):
        now.value = start + timedelta(days=days)
        (line,) = roster.roster(app, physio, Filters()).lines
        assert line.tier is tier and line.alerts[-1] == (tier, "No recent session")
    assert status(app, maya).version == version  # the clock alone writes nothing


def test_search_filters_and_paging_are_done_in_the_query(app: App, care: dict[str, Actor], now: MovableNow) -> None:
    physio = care["physio"]
    for i in range(7):
        patient(app, physio, f"Person {i:02d}", f"p{i}@example.org", program=False)
    severe = patient(app, physio, "Zed O'Hara", "ZED@example.org")
    sessions.log_session(mine(app, severe), 5, 8, "hard", [], {})
    first = roster.roster(app, physio, Filters(), per_page=3)
    assert (first.total, first.pages, names(first)) == (8, 3, ["Zed O'Hara", "Person 00", "Person 01"])
    assert names(roster.roster(app, physio, Filters(page=3), per_page=3)) == ["Person 05", "Person 06"]
    assert names(roster.roster(app, physio, Filters(search="zed@EXAMPLE"))) == ["Zed O'Hara"]
    assert names(roster.roster(app, physio, Filters(search="person 0"))) == [f"Person {i:02d}" for i in range(7)]
    assert names(roster.roster(app, physio, Filters(search="%"))) == []  # a wildcard is a letter here
    assert names(roster.roster(app, physio, Filters(tier=AlertTier.critical))) == ["Zed O'Hara"]
    assert names(roster.roster(app, physio, Filters(open_only=True))) == ["Zed O'Hara"]
    assert roster.roster(app, physio, Filters(none_open=True)).total == 7
    assert roster.roster(app, physio, Filters(not_joined=True)).total == 8
    clinic.accept_invitation(app, clinic.reinvite(app, physio, severe.public_id).token, PASSWORD)
    assert "Zed O'Hara" not in names(roster.roster(app, physio, Filters(not_joined=True)))


# Every write marks the summary -------------------------------------------------------------------


def test_every_kind_of_write_marks_the_summary_and_the_next_read_refreshes_it(
    app: App, care: dict[str, Actor], now: MovableNow
) -> None:
    physio = care["physio"]
    maya = patient(app, physio, "Maya", "maya@example.org")
    me = mine(app, maya)
    hurt = next(p.id for p in programs.active_program(me).exercises if is_strengthening(p.exercise))
    activity = activities.add_activity(me, "Lifting the shopping", 6)
    writes: list[tuple[str, Callable[[], object]]] = [
        (
            "session with a pain stop",
            lambda: sessions.log_session(
                me, 3, 5, "hard", [], {hurt: PainReport(PainKind.sharp, 4, PainPlace.lower_back)}
            ),
        ),
        ("PSFS rating", lambda: activities.rate_activity(me, activity.id, 4)),
        ("warning sign", lambda: screening.record_screening(me, {**NO, "fever": True})),
        ("clearance", lambda: screening.clear_warning(me, "Dr Lee", now().date())),
        (
            "acknowledgement",
            lambda: alerts.acknowledge(
                app, physio, maya.public_id, alerts.alerts_of(app, physio, maya.public_id)[0].key, "Called her."
            ),
        ),
        ("program change", lambda: programs.set_profile(me, example_profile("maya", sessions_per_day=2))),
    ]
    for what, write in writes:
        roster.roster(app, physio, Filters())
        before = status(app, maya)
        assert not before.dirty, what
        now.advance(hours=1)
        write()
        after = status(app, maya)
        assert after.dirty and after.version > before.version, what
        (line,) = roster.roster(app, physio, Filters()).lines
        fresh = alerts.patient_alerts(Scope(app, physio, maya.person_id))
        assert line.tier == top_tier(fresh), what
        assert not status(app, maya).dirty, what


def test_a_refresh_that_raced_a_write_leaves_the_summary_dirty(app: App, care: dict[str, Actor]) -> None:
    maya = patient(app, care["physio"], "Maya", "maya@example.org")
    stale = status(app, maya).version
    sessions.log_session(mine(app, maya), 3, 3, "right", [], {})
    assert not roster.refresh_status(app, maya.person_id, stale, thresholds.clinic_thresholds(app, maya.clinic_id))
    assert status(app, maya).dirty


def test_a_write_that_races_the_banners_refresh_is_computed_again_in_the_same_read(
    app: App, care: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A patient's check-in saved while a clinician's page computes the summaries: the page still
    shows the critical alert it brought (the raced summary is computed again at once)."""
    maya = patient(app, care["physio"], "Maya", "maya@example.org")
    roster.critical_alerts(app, care["physio"])  # every summary fresh
    me = mine(app, maya)
    program = programs.current_program(me)
    assert program is not None
    hurt = program.exercises[0].id
    real, raced = roster.refresh_status, list[bool]()

    def a_write_lands_meanwhile(*args: object) -> bool:
        if not raced:
            raced.append(True)
            app.now.advance(days=1)  # type: ignore[attr-defined]  # the next day's session
            sessions.log_session(me, 3, 7, "hard", [], {hurt: PainReport(PainKind.sharp, 8, PainPlace.lower_back)})
        return real(*args)  # type: ignore[arg-type]

    sessions.log_session(me, 3, 3, "right", [], {})  # a first write: the summary is dirty
    monkeypatch.setattr(roster, "refresh_status", a_write_lands_meanwhile)
    (notice,) = roster.critical_alerts(app, care["physio"])
    assert raced and notice.name == "Maya" and not status(app, maya).dirty


# The summary never disagrees with the rules ------------------------------------------------------

STEP = st.one_of(
    st.tuples(st.just("session"), st.integers(0, 10), st.integers(0, 10), st.sampled_from(["none", "mild", "sharp"])),
    st.tuples(st.just("wait"), st.integers(1, 24 * 25)),
    st.tuples(st.just("rate"), st.integers(0, 10)),
    st.tuples(st.just("warning"), st.booleans()),
    st.tuples(st.just("acknowledge"), st.integers(0, 3)),
)


class World:
    """The test's database and clock, with a short repr (Hypothesis prints the arguments)."""

    def __init__(self, app: App, physio: Actor, now: MovableNow) -> None:
        self.app, self.physio, self.now = app, physio, now

    def __repr__(self) -> str:
        return "World()"


@pytest.fixture
def world(app: App, care: dict[str, Actor], now: MovableNow) -> World:
    return World(app, care["physio"], now)


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=8))
def test_the_list_agrees_with_the_alerts_computed_fresh(world: World, steps: list[tuple[object, ...]]) -> None:
    app, physio, now = world.app, world.physio, world.now
    count = len(clinic.patients(app, physio))
    maya = patient(app, physio, f"Patient {count:04d}", f"p{count}@example.org")
    me, staff = mine(app, maya), Scope(app, physio, maya.person_id)
    hurt = next(p.id for p in programs.active_program(me).exercises if is_strengthening(p.exercise))
    activity = activities.add_activity(me, "Walking", 6)
    for step in steps:
        _apply(app, physio, maya, me, hurt, activity.id, now, step)
        fresh = alerts.patient_alerts(staff)
        (line,) = roster.roster(app, physio, Filters(search=maya.email)).lines
        assert line.tier == top_tier(fresh), (step, fresh)
        assert sorted(line.alerts, key=str) == sorted(((a.tier, roster.TITLES[a.kind]) for a in fresh), key=str)
        banner = {c.public_id for c in roster.critical_alerts(app, physio, most=10_000)}
        assert (maya.public_id in banner) is (line.tier is AlertTier.critical)


def _apply(
    app: App, physio: Actor, maya: PatientEntry, me: Scope, hurt: str, activity_id: int, now: MovableNow, step: tuple
) -> None:
    kind = step[0]
    if kind == "session":
        _, before, after, stop = step
        stops = {} if stop == "none" else {hurt: PainReport(PainKind(stop), after, PainPlace.lower_back)}
        with suppress(BackcoachError):  # refused (paused, or the signs to answer again first): nothing stored
            sessions.log_session(me, before, after, "right", [], stops)
    elif kind == "wait":
        now.advance(hours=step[1])
    elif kind == "rate":
        activities.rate_activity(me, activity_id, step[1])
    elif kind == "warning":
        screening.record_screening(me, {**NO, "fever": bool(step[1])})
    else:
        shown = alerts.alerts_of(app, physio, maya.public_id)
        if shown:
            alerts.acknowledge(app, physio, maya.public_id, shown[step[1] % len(shown)].key, "Seen.")


# A clinic's thresholds ---------------------------------------------------------------------------

FORM = {
    "engagement_low_hours": "49",
    "engagement_high_days": "14",
    "engagement_dropped_days": "21",
    "pain_watch_level": "5",
    "pain_watch_rise": "1",
    "pain_act_rise": "2",
    "pain_critical": "7",
    "function_drop": "20",
}


def test_a_clinic_s_thresholds_are_checked_audited_and_used_by_the_list_and_the_alerts(
    app: App, care: dict[str, Actor], now: MovableNow
) -> None:
    admin, physio = care["admin"], care["physio"]
    maya = patient(app, physio, "Maya", "maya@example.org")
    sessions.log_session(mine(app, maya), 3, 3, "right", [], {})
    now.advance(days=4)
    assert roster.roster(app, physio, Filters()).lines[0].tier is AlertTier.low
    for bad, field in (({"pain_critical": "9"}, "pain_critical"), ({"engagement_high_days": "x"}, "engagement_high")):
        with pytest.raises(InvalidInput) as refused:
            thresholds.set_thresholds(app, admin, {**FORM, **bad})
        assert field in refused.value.field and "Nothing was changed" in str(refused.value)
    assert thresholds.clinic_thresholds(app, admin.clinic_id) == DEFAULTS
    with pytest.raises(NotAllowed):
        thresholds.set_thresholds(app, physio, FORM)

    thresholds.set_thresholds(app, admin, {**FORM, "engagement_high_days": "3"}, "10.0.0.1")
    assert status(app, maya).dirty  # every summary of the clinic is computed again
    assert roster.roster(app, physio, Filters()).lines[0].tier is AlertTier.high
    assert AlertTier.high in {a.tier for a in alerts.alerts_of(app, physio, maya.public_id)}
    (event,) = clinic.audit_trail(app, admin, action="thresholds_changed")
    assert event.detail == "engagement_high_days=3" and event.address == "10.0.0.1"


# The pages ---------------------------------------------------------------------------------------


def test_the_page_escapes_names_pages_and_says_bad_filters_once(
    app: App, care: dict[str, Actor], now: MovableNow
) -> None:
    physio = care["physio"]
    evil = patient(app, physio, "<script>alert(1)</script> Eve", "eve@example.org")
    sessions.log_session(mine(app, evil), 5, 8, "hard", [], {})
    client = signed_in(app, now, "physio@home.example")
    shown = client.get("/clinic")
    assert shown.status_code == 200
    assert "<script>alert(1)" not in shown.text and "&lt;script&gt;alert(1)&lt;/script&gt; Eve" in shown.text
    assert 'role="img" aria-label="Worst pain at the last 1 check-ins: 8 out of 10' in shown.text
    assert 'aria-label="Critical alerts"' in shown.text  # the banner, on the list as on every staff page
    assert f'<a href="/clinic/patients/{evil.public_id}">&lt;script&gt;' in shown.text
    assert client.get("/clinic?q=nobody").text.count("No patient matches.") == 1
    refused = client.get("/clinic?tier=urgent")
    assert refused.status_code == 422 and refused.text.count("Choose a tier from the list") == 1
    for i in range(60):
        patient(app, physio, f"Person {i:02d}", f"p{i}@example.org", program=False)
    first = client.get("/clinic?notjoined=1")
    assert "Page 1 of 2" in first.text and 'href="/clinic?page=2&amp;notjoined=1"' in first.text
    assert "Person 59" in client.get("/clinic?notjoined=1&page=2").text


def test_the_banner_is_on_every_staff_page_and_never_breaks_one(
    app: App, care: dict[str, Actor], now: MovableNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    maya = patient(app, care["physio"], "Maya Patel", "maya@example.org")
    sessions.log_session(mine(app, maya), 5, 8, "hard", [], {})
    client = signed_in(app, now, "physio@home.example")
    page = client.get("/clinic/patients/new")
    assert 'aria-label="Critical alerts"' in page.text and "Maya Patel</a>: Severe pain" in page.text
    assert client.get("/clinic/patients/00000000-0000-0000-0000-000000000000").status_code == 404

    def broken(*_: object) -> list[object]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("backcoach.web.clinic.nav.critical_alerts", broken)
    page = client.get("/clinic/patients/new")
    assert page.status_code == 200 and "Critical alerts" not in page.text


def test_the_admin_changes_thresholds_on_their_page(app: App, care: dict[str, Actor], now: MovableNow) -> None:
    from tests.forms import form_token

    client = signed_in(app, now, "admin@home.example")
    assert 'name="pain_critical" value="7"' in client.get("/clinic/thresholds").text
    token = form_token(client, "/clinic/thresholds")
    bad = client.post("/clinic/thresholds", data={**FORM, "pain_critical": "11", "form_token": token})
    assert bad.status_code == 422 and bad.text.count("Nothing was changed") == 1
    assert 'name="pain_critical" value="11"' in bad.text  # what was typed, to correct
    assert thresholds.clinic_thresholds(app, care["admin"].clinic_id) == DEFAULTS
    token = form_token(client, "/clinic/thresholds")
    done = client.post("/clinic/thresholds", data={**FORM, "pain_critical": "6", "form_token": token})
    assert done.status_code == 303
    assert thresholds.clinic_thresholds(app, care["admin"].clinic_id).pain_critical == 6
    physio = signed_in(app, now, "physio@home.example")
    assert physio.get("/clinic/thresholds").status_code == 403


def test_the_engagement_window_matches_core_alerts(app: App, care: dict[str, Actor], now: MovableNow) -> None:
    """The cut-offs the query compares with are the thresholds' own numbers (none repeated)."""
    t = DEFAULTS
    c = roster.cutoffs(t, now())
    assert now() - c.low == timedelta(hours=t.engagement_low_hours)
    assert now() - c.dropped == timedelta(days=t.engagement_dropped_days)


def test_a_read_with_its_time_spent_leaves_the_rest_for_the_next_one(app: App, care: dict[str, Actor]) -> None:
    maya = patient(app, care["physio"], "Maya", "maya@example.org")
    assert roster.refresh_dirty(app, care["physio"], budget=-1) == 1  # nothing done: it says how many wait
    assert status(app, maya).dirty
    assert roster.refresh_dirty(app, care["physio"]) == 0 and not status(app, maya).dirty
