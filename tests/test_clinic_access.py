"""The one access policy, written out as a table and checked in full; and, on the real database,
that a clinic's records stay in the clinic: another clinic's patient and a patient outside one's
care team are not found (the same answer as nobody at all), the audit trail cannot be changed or
deleted, a deleted patient leaves only a tombstone, and the local person never sees a clinic."""

from __future__ import annotations

import itertools
import uuid

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from backcoach.core.access import Action, Actor, PatientRef, Role, allowed
from backcoach.core.errors import InvalidInput, NotAllowed, NotFound
from backcoach.services import accounts, clinic, programs
from backcoach.services.context import App, Scope, local_scope
from backcoach.services.transfer import export_all
from backcoach.storage import tables as t
from backcoach.storage.clinic_tables import AuditEvent
from backcoach.storage.deletion import person_rows
from tests.conftest import MovableNow
from tests.examples import example_profile

HOME, AWAY = 1, 2  # clinic ids
ME, OTHER = 10, 11  # person ids
PHYSIO, OTHER_PHYSIO, ADMIN = 100, 101, 102  # account ids
PATIENT = PatientRef(ME, HOME, frozenset({PHYSIO}))
ACTORS = {
    "local": Actor(Role.local),
    "the patient": Actor(Role.patient, ME, 200, HOME),
    "another patient": Actor(Role.patient, OTHER, 201, HOME),
    "the patient, in another clinic's id": Actor(Role.patient, ME, 200, AWAY),
    "physio in the care team": Actor(Role.physio, None, PHYSIO, HOME),
    "physio outside the care team": Actor(Role.physio, None, OTHER_PHYSIO, HOME),
    "physio of another clinic": Actor(Role.physio, None, PHYSIO, AWAY),
    "admin": Actor(Role.admin, None, ADMIN, HOME),
    "admin of another clinic": Actor(Role.admin, None, ADMIN, AWAY),
    "staff with no clinic": Actor(Role.admin, None, ADMIN, None),
}
# Who may do what to PATIENT's record: every (actor, action) pair not listed is refused.
ON_THE_PATIENT = {
    "the patient": {Action.use, Action.read_record, Action.export_record, Action.request_deletion},
    "physio in the care team": {Action.read_record, Action.change_record, Action.export_record},
    "admin": {Action.confirm_deletion},
}
CLINIC_WIDE = {
    "local": set(Action),  # nothing clinic-wide exists on one machine; nothing to refuse
    "physio in the care team": {Action.invite_patient},
    "physio outside the care team": {Action.invite_patient},
    "physio of another clinic": {Action.invite_patient},  # in their own clinic
    "admin": {Action.invite_patient, Action.manage_staff, Action.read_audit},
    "admin of another clinic": {Action.invite_patient, Action.manage_staff, Action.read_audit},
}


@pytest.mark.parametrize(("who", "action"), list(itertools.product(ACTORS, Action)))
def test_the_policy_table(who: str, action: Action) -> None:
    actor = ACTORS[who]
    assert allowed(actor, action, PATIENT) is (action in ON_THE_PATIENT.get(who, set()))
    assert allowed(actor, action) is (action in CLINIC_WIDE.get(who, set()))


def test_the_local_user_has_everything_local_and_nothing_of_a_clinic() -> None:
    local_person = PatientRef(ME, None)
    assert all(allowed(ACTORS["local"], action, local_person) for action in Action)
    assert not any(allowed(ACTORS["local"], action, PATIENT) for action in Action)


# On the real database --------------------------------------------------------------------------

PASSWORD = "correct horse battery staple"


def staff_actor(app: App, email: str) -> Actor:
    """A signed-in staff member's actor (the second factor is the sign-in tests' concern)."""
    found = app.database.accounts.by_email(email)
    assert found is not None
    return Actor(Role(found.role), found.person_id, found.id, found.clinic_id, found.email)


def new_clinic(app: App, name: str) -> tuple[Actor, Actor]:
    """A clinic with its admin and one physiotherapist, as actors."""
    slug = name.lower()
    clinic.create_clinic(app, name, f"admin@{slug}.example", "Admin", PASSWORD)
    admin = staff_actor(app, f"admin@{slug}.example")
    invite = clinic.add_staff(app, admin, "physio", f"physio@{slug}.example", "Physio")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    return admin, staff_actor(app, f"physio@{slug}.example")


def own_scope(app: App, person_id: int, clinic_id: int) -> Scope:
    """A clinic patient acting on their own record, as their signed-in pages do."""
    return Scope(app, Actor(Role.patient, person_id, None, clinic_id), person_id)


@pytest.fixture
def two_clinics(app: App) -> dict[str, Actor]:
    home_admin, home_physio = new_clinic(app, "Home")
    away_admin, away_physio = new_clinic(app, "Away")
    invite = clinic.add_staff(app, home_admin, "physio", "second@home.example", "Second")
    clinic.accept_invitation(app, invite.token, PASSWORD)
    return {
        "admin": home_admin,
        "physio": home_physio,
        "second physio": staff_actor(app, "second@home.example"),
        "away admin": away_admin,
        "away physio": away_physio,
    }


def test_outside_the_policy_a_patient_is_not_found_like_nobody(app: App, two_clinics: dict[str, Actor]) -> None:
    patient, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    assert clinic.open_patient(app, two_clinics["physio"], patient.public_id).name == "Maya Patel"
    messages = set()
    for who in ("second physio", "away physio", "away admin", "admin"):
        for public_id in (patient.public_id, str(uuid.uuid4()), "not-a-uuid", ""):
            with pytest.raises(NotFound) as refused:
                clinic.open_patient(app, two_clinics[who], public_id)
            messages.add(str(refused.value))
    assert messages == {clinic.NO_SUCH_PATIENT}  # one answer: nothing tells that Maya exists
    assert [p.name for p in clinic.patients(app, two_clinics["physio"])] == ["Maya Patel"]
    assert clinic.patients(app, two_clinics["second physio"]) == []
    assert clinic.patients(app, two_clinics["away admin"]) == []


def test_an_admin_adds_a_physio_to_a_care_team_of_their_own_clinic_only(
    app: App, two_clinics: dict[str, Actor]
) -> None:
    patient, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    second = app.database.accounts.by_email("second@home.example")
    away = app.database.accounts.by_email("physio@away.example")
    assert second is not None and away is not None
    with pytest.raises(NotFound):
        clinic.add_to_care_team(app, two_clinics["admin"], patient.public_id, away.public_id)
    with pytest.raises(NotFound):
        clinic.add_to_care_team(app, two_clinics["away admin"], patient.public_id, away.public_id)
    clinic.add_to_care_team(app, two_clinics["admin"], patient.public_id, second.public_id)
    assert clinic.open_patient(app, two_clinics["second physio"], patient.public_id).name == "Maya Patel"


def test_staff_reads_and_sign_ins_are_in_the_audit_trail(app: App, two_clinics: dict[str, Actor]) -> None:
    patient, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org", "192.0.2.9")
    clinic.patient_record(app, two_clinics["physio"], patient.public_id, "192.0.2.9")
    with pytest.raises(InvalidInput):
        accounts.sign_in(app, "physio@home.example", "wrong password here", "192.0.2.9")
    trail = clinic.audit_trail(app, two_clinics["admin"])
    actions = [(e.action, e.patient_public_id) for e in trail]
    assert ("read_record", patient.public_id) in actions
    assert ("patient_created", patient.public_id) in actions
    assert ("sign_in_failed", None) in actions
    assert clinic.audit_trail(app, two_clinics["away admin"], patient=patient.public_id) == []
    assert [e.action for e in clinic.audit_trail(app, two_clinics["admin"], action="read_record")] == ["read_record"]
    csv_text = clinic.audit_trail_csv(app, two_clinics["admin"])
    assert csv_text.splitlines()[0].startswith("at (UTC),who,action")
    assert "read_record" in csv_text


def test_a_formula_in_the_audit_trail_is_not_a_formula_in_a_spreadsheet(
    app: App, two_clinics: dict[str, Actor]
) -> None:
    with pytest.raises(InvalidInput):
        accounts.sign_in(app, '=HYPERLINK("http://evil.example")@x.example', "whatever it is", "192.0.2.1")
    home = app.database.clinic(two_clinics["admin"].clinic_id or 0)
    home.audit(None, "=cmd|' /C calc'!A0", "note", app.now(), detail="+1+1")
    csv_text = clinic.audit_trail_csv(app, two_clinics["admin"])
    assert "'=cmd" in csv_text and "'+1+1" in csv_text
    assert "\n=cmd" not in csv_text and ",=cmd" not in csv_text


def test_the_app_cannot_change_or_delete_the_audit_trail(app: App, two_clinics: dict[str, Actor]) -> None:
    sessions = app.database.sessions
    with sessions() as db:
        before = db.scalar(select(func.count()).select_from(AuditEvent))
    assert before
    for statement in (
        update(AuditEvent).values(action="nothing happened"),
        delete(AuditEvent),
        text("DELETE FROM audit_event"),
    ):
        with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as db:
            db.execute(statement)
    with sessions() as db:
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == before
        assert "nothing happened" not in db.scalars(select(AuditEvent.action)).all()


def test_a_deleted_patient_leaves_only_a_tombstone(app: App, two_clinics: dict[str, Actor], now: MovableNow) -> None:
    maya, maya_invite = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    sam, _ = clinic.invite_patient(app, two_clinics["physio"], "Sam Lee", "sam@example.org")
    clinic.accept_invitation(app, maya_invite.token, PASSWORD)
    for entry in (maya, sam):
        programs.set_profile(
            Scope(app, Actor(Role.patient, entry.person_id, None, entry.clinic_id), entry.person_id), example_profile()
        )
    token = accounts.sign_in(app, "maya@example.org", PASSWORD, "192.0.2.5").token
    maya_login = accounts.current_login(app, token)
    assert maya_login is not None
    with pytest.raises(InvalidInput):
        clinic.confirm_deletion(app, two_clinics["admin"], maya.public_id)  # she has not asked
    clinic.request_deletion(app, maya_login.actor)
    with pytest.raises(NotFound):
        clinic.confirm_deletion(app, two_clinics["physio"], maya.public_id)  # an admin's to confirm
    clinic.confirm_deletion(app, two_clinics["admin"], maya.public_id)
    assert accounts.current_login(app, token) is None
    with app.database.sessions() as db:
        for table in t.Base.metadata.sorted_tables:
            rows = person_rows(table, maya.person_id)
            if rows is not None and table is not AuditEvent.__table__:
                assert db.execute(rows).first() is None, table.name
        assert db.execute(person_rows(t.Person.__table__, sam.person_id)).first() is not None  # type: ignore[arg-type]
        tombstone = db.scalars(select(AuditEvent.action).where(AuditEvent.patient_public_id == maya.public_id)).all()
    assert "patient_deleted" in tombstone
    sam_scope = own_scope(app, sam.person_id, sam.clinic_id)
    assert programs.current_program(sam_scope) is not None  # nobody else's record is touched


def test_the_local_person_never_sees_a_clinic(app: App, two_clinics: dict[str, Actor]) -> None:
    patient, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    programs.set_profile(
        Scope(app, Actor(Role.patient, patient.person_id, None, patient.clinic_id), patient.person_id),
        example_profile(),
    )
    local = local_scope(app)
    assert local.patient_id != patient.person_id
    assert programs.current_program(local) is None
    with pytest.raises(NotAllowed):
        export_all(local)  # the whole database holds the clinic's patients


def test_one_persons_export_moves_into_a_clinic_without_touching_anyone_else(
    app: App, two_clinics: dict[str, Actor], now: MovableNow
) -> None:
    from backcoach.core.errors import NotEmpty
    from backcoach.services import sessions
    from backcoach.services.transfer import export_patient, import_patient

    local = local_scope(app)
    programs.set_profile(local, example_profile())
    live = sessions.start(local, resume=False)
    while not live.ended:
        live.go_on()
    from backcoach.core.rules import EndReason

    sessions.finish(local, live.session_id, EndReason.finished, 3, 2, "right")
    maya, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    ben, _ = clinic.invite_patient(app, two_clinics["physio"], "Ben Ode", "ben@example.org")
    programs.set_profile(own_scope(app, ben.person_id, ben.clinic_id), example_profile())
    ben_before = export_patient(own_scope(app, ben.person_id, ben.clinic_id))
    # The local person's own record, as a clinic patient's "Download my data" would give it
    mine = export_patient(Scope(app, Actor(Role.local), local.patient_id))
    maya_scope = own_scope(app, maya.person_id, maya.clinic_id)
    assert import_patient(maya_scope, mine) > 5
    assert [p.id for p in programs.current_program(maya_scope).exercises] == [  # type: ignore[union-attr]
        p.id
        for p in programs.current_program(local).exercises  # type: ignore[union-attr]
    ]
    assert len(maya_scope.repo.history()) == len(local.repo.history()) == 1
    with pytest.raises(NotEmpty):
        import_patient(maya_scope, mine)  # her record has history now
    with pytest.raises(NotAllowed):
        import_patient(Scope(app, two_clinics["second physio"], ben.person_id), mine)  # not his care team
    assert export_patient(own_scope(app, ben.person_id, ben.clinic_id)) == ben_before
    assert len(local.repo.history()) == 1  # the local record is still there, unchanged
