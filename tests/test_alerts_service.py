"""A patient's alerts through the application layer, on SQLite and PostgreSQL: facts read from the
stored record (a bounded window), a clinician's acknowledgement with a note and its audit event, the
alert back once the facts change, the patient's own words, and "not found" outside the care team."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backcoach.core.access import Actor, Role
from backcoach.core.alerts import Alert, AlertKind, AlertThresholds, AlertTier
from backcoach.core.errors import AlreadyRecorded, InvalidInput, NotAllowed, NotFound
from backcoach.core.pain_stop import PainKind, PainPlace, PainReport
from backcoach.core.rules import is_strengthening
from backcoach.core.screening import QUESTION_IDS
from backcoach.services import activities, alerts, clinic, programs, screening, sessions
from backcoach.services.context import App, Scope, local_scope
from backcoach.storage.clinic_directory import PatientEntry
from backcoach.storage.clinic_tables import AlertAck
from tests.conftest import MovableNow
from tests.examples import example_profile
from tests.test_clinic_access import PASSWORD, new_clinic, own_scope, staff_actor

NO = dict.fromkeys(QUESTION_IDS, False)


@pytest.fixture
def care(app: App) -> dict[str, Actor]:
    admin, physio = new_clinic(app, "Home")
    _, away = new_clinic(app, "Away")
    invite = clinic.add_staff(app, admin, "physio", "second@home.example", "Second")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    return {"admin": admin, "physio": physio, "second": staff_actor(app, "second@home.example"), "away": away}


@pytest.fixture
def maya(app: App, care: dict[str, Actor]) -> PatientEntry:
    entry, _ = clinic.invite_patient(app, care["physio"], "Maya Patel", "maya@example.org")
    programs.set_profile(mine(app, entry), example_profile("maya", sessions_per_day=1, minutes_per_session=20))
    return entry


def mine(app: App, entry: PatientEntry) -> Scope:
    return own_scope(app, entry.person_id, entry.clinic_id)


def kinds(found: list[Alert]) -> list[tuple[AlertKind, AlertTier]]:
    return [(a.kind, a.tier) for a in found]


def test_rising_pain_is_acknowledged_with_a_note_and_comes_back_when_the_facts_change(
    app: App, care: dict[str, Actor], maya: PatientEntry, now: MovableNow
) -> None:
    physio = care["physio"]
    sessions.log_session(mine(app, maya), 3, 3, "right", [], {})
    now.advance(days=1)
    sessions.log_session(mine(app, maya), 3, 5, "hard", [], {})
    (rise,) = alerts.alerts_of(app, physio, maya.public_id)
    assert (rise.kind, rise.tier) == (AlertKind.pain_rise, AlertTier.high)
    assert "from 3/10 to 5/10" in rise.words
    (notice,) = alerts.my_alerts(mine(app, maya))
    assert notice.words == rise.patient_words and "out of 10" in notice.words

    record = alerts.acknowledge(app, physio, maya.public_id, rise.key, "  Called Maya; eased the program.  ")
    assert record.note == "Called Maya; eased the program." and record.actor == physio.name
    assert alerts.alerts_of(app, physio, maya.public_id) == []
    ((shown, ack),) = alerts.acknowledged_alerts(Scope(app, physio, maya.person_id))
    assert shown.key == rise.key and ack.note == record.note
    with pytest.raises(AlreadyRecorded):
        alerts.acknowledge(app, physio, maya.public_id, rise.key, "again")
    assert len(alerts.my_alerts(mine(app, maya))) == 1  # the patient's pain is no less for it

    trail = clinic.audit_trail(app, care["admin"], action="alert_acknowledged")
    assert [(e.actor, e.patient_public_id, e.detail) for e in trail] == [(physio.name, maya.public_id, rise.key)]
    assert all("Called Maya" not in e.detail for e in clinic.audit_trail(app, care["admin"]))
    assert clinic.audit_trail(app, care["admin"], action="read_record")  # each look is audited

    now.advance(days=1)
    screening.rescreen(mine(app, maya), NO)  # pain rose: the warning signs come first
    sessions.log_session(mine(app, maya), 4, 7, "hard", [], {})
    assert kinds(alerts.alerts_of(app, physio, maya.public_id)) == [(AlertKind.pain_level, AlertTier.critical)]


def test_outside_the_care_team_alerts_are_not_found_like_nobody(
    app: App, care: dict[str, Actor], maya: PatientEntry, now: MovableNow
) -> None:
    sessions.log_session(mine(app, maya), 2, 5, "hard", [], {})
    (rise,) = alerts.alerts_of(app, care["physio"], maya.public_id)
    patient = Actor(Role.patient, maya.person_id, None, maya.clinic_id, "maya@example.org")
    for who in (care["second"], care["away"], care["admin"], patient):
        if who is not patient:
            with pytest.raises(NotFound, match=clinic.NO_SUCH_PATIENT):
                alerts.alerts_of(app, who, maya.public_id)
        with pytest.raises(NotFound, match=clinic.NO_SUCH_PATIENT):
            alerts.acknowledge(app, who, maya.public_id, rise.key, "seen")
    with pytest.raises(NotAllowed):  # the clinician's words are the care team's; hers are `my_alerts`
        alerts.alerts_of(app, patient, maya.public_id)
    with pytest.raises(NotAllowed):
        alerts.patient_alerts(mine(app, maya))
    for who in (care["second"], care["admin"]):
        with pytest.raises(NotFound, match=clinic.NO_SUCH_PATIENT):
            alerts.patient_alerts(Scope(app, who, maya.person_id))
    with pytest.raises(NotAllowed):
        alerts.my_alerts(Scope(app, care["physio"], maya.person_id))
    assert clinic.audit_trail(app, care["admin"], action="alert_acknowledged") == []


def test_an_acknowledgement_needs_a_note_and_an_alert_shown_now(
    app: App, care: dict[str, Actor], maya: PatientEntry
) -> None:
    sessions.log_session(mine(app, maya), 2, 5, "hard", [], {})
    (rise,) = alerts.alerts_of(app, care["physio"], maya.public_id)
    for note in ("", "   ", "x" * 2001, "bell\x07"):
        with pytest.raises(InvalidInput):
            alerts.acknowledge(app, care["physio"], maya.public_id, rise.key, note)
    with pytest.raises(NotFound, match="no such alert"):
        alerts.acknowledge(app, care["physio"], maya.public_id, "pain_rise:high:check-in-999", "seen")
    assert len(alerts.alerts_of(app, care["physio"], maya.public_id)) == 1


def test_engagement_function_pain_stops_and_warning_signs_from_the_stored_record(
    app: App, care: dict[str, Actor], maya: PatientEntry, now: MovableNow
) -> None:
    me = mine(app, maya)
    hurt = next(p.id for p in programs.active_program(me).exercises if is_strengthening(p.exercise))
    activity = activities.add_activity(me, "Lifting the shopping", 6)
    sessions.log_session(me, 3, 3, "right", [], {hurt: PainReport(PainKind.sharp, 4, PainPlace.lower_back)})
    staff = Scope(app, care["physio"], maya.person_id)
    (stop,) = alerts.patient_alerts(staff)
    assert (stop.kind, stop.tier) == (AlertKind.pain_stop, AlertTier.high)
    assert app.catalogue.get(hurt).name in stop.words

    now.advance(days=8)  # the stop is older than the rules' window; no session for 8 days
    activities.rate_activity(me, activity.id, 4)  # 6 -> 4: a third lower
    assert kinds(alerts.patient_alerts(staff)) == [
        (AlertKind.function, AlertTier.critical),
        (AlertKind.engagement, AlertTier.low),
    ]
    now.advance(days=6)
    assert (AlertKind.engagement, AlertTier.high) in kinds(alerts.patient_alerts(staff))
    # A clinic that waits longer before a low engagement alert, and still gets the high one.
    later = AlertThresholds.with_overrides({"engagement_low_hours": 13 * 24})
    assert (AlertKind.engagement, AlertTier.high) in kinds(alerts.patient_alerts(staff, later))

    screening.record_screening(me, {**NO, "fever": True})
    found = alerts.patient_alerts(staff)
    assert kinds(found)[0] == (AlertKind.warning_sign, AlertTier.critical)
    assert AlertKind.engagement not in {a.kind for a in found}  # told to stop: not chased for sessions


def test_the_rules_read_a_bounded_window_of_the_record(
    app: App, care: dict[str, Actor], maya: PatientEntry, now: MovableNow
) -> None:
    me = mine(app, maya)
    activity = activities.add_activity(me, "Walking to the shop", 3)
    for pain in (2, 3, 4, 4):
        sessions.log_session(me, pain, pain, "right", [], {})
        activities.rate_activity(me, activity.id, pain + 2)
        now.advance(days=1)
    facts = alerts.alert_facts(Scope(app, care["physio"], maya.person_id))
    assert [(c.before, c.after) for c in facts.check_ins] == [(4, 4), (4, 4)]
    assert [r.score for r in facts.function] == [6, 6]
    assert facts.last_session_at is not None and facts.program_since is not None
    assert facts.last_session_at > facts.program_since


def test_on_one_machine_the_person_sees_their_own_pain_alerts(ctx: Scope, now: MovableNow) -> None:
    assert alerts.my_alerts(ctx) == [] and alerts.patient_alerts(ctx) == []  # nobody yet
    programs.set_profile(ctx, example_profile("maya", sessions_per_day=1, minutes_per_session=20))
    sessions.log_session(ctx, 5, 5, "right", [], {})
    now.advance(days=1)
    sessions.log_session(local_scope(ctx.app), 5, 6, "right", [], {})
    (notice,) = alerts.my_alerts(ctx)
    assert notice.kind is AlertKind.pain_rise and "from 5 to 6 out of 10" in notice.words
    assert kinds(alerts.patient_alerts(ctx)) == [(AlertKind.pain_rise, AlertTier.low)]


def test_a_deleted_patient_s_acknowledgements_go_with_the_record(
    app: App, care: dict[str, Actor], maya: PatientEntry
) -> None:
    sessions.log_session(mine(app, maya), 2, 5, "hard", [], {})
    (rise,) = alerts.alerts_of(app, care["physio"], maya.public_id)
    alerts.acknowledge(app, care["physio"], maya.public_id, rise.key, "Seen; phoned her.")
    patient = Actor(Role.patient, maya.person_id, None, maya.clinic_id, "maya@example.org")
    clinic.request_deletion(app, patient)
    clinic.confirm_deletion(app, care["admin"], maya.public_id)
    with app.database.sessions() as db:
        assert db.scalar(select(func.count()).select_from(AlertAck)) == 0
    assert clinic.audit_trail(app, care["admin"], action="alert_acknowledged")  # the trail keeps its row
