"""A clinic's own use cases: its first admin, staff accounts, bringing a patient in with an
invitation, care teams, opening a patient's record, deletion, and the audit trail.

Every use case is told who acts (an `Actor` from a sign-in) and asks the one policy
(`core/access.allowed`). Patients are looked up in a directory made for the actor's clinic, so
another clinic's patient is never found; a patient outside one's care team answers exactly the
same way (NotFound: 404, never 403), so nothing tells whether they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from backcoach.core.access import Action, Actor, Role, allowed
from backcoach.core.errors import InvalidInput, NotAllowed, NotFound
from backcoach.security import passwords, tokens
from backcoach.services.accounts import check_email, check_password, count_failure, fold_email, wait_after_failures
from backcoach.services.context import App, Scope
from backcoach.storage.accounts import AccountRecord
from backcoach.storage.clinic_directory import AuditRecord, ClinicDirectory, PatientEntry, audit_csv
from backcoach.storage.deletion import delete_person

INVITATION_LIFETIME = timedelta(days=7)  # long enough for a patient to open it at home
NO_SUCH_PATIENT = "There is no such patient."
STAFF_ROLES = {"admin": Role.admin, "physio": Role.physio}


@dataclass(frozen=True)
class Invite:
    """Shown once to whoever made it: the link's token and the short code are not kept."""

    token: str
    code: str
    expires_at: datetime
    account: AccountRecord


def _directory(app: App, actor: Actor) -> ClinicDirectory:
    if actor.clinic_id is None:
        raise NotAllowed("Only a clinic's staff and patients can do this.")
    return app.database.clinic(actor.clinic_id)


def _require(actor: Actor, action: Action) -> None:
    if not allowed(actor, action):
        raise NotAllowed("Your role in the clinic does not allow this.")


def _name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 200:
        raise InvalidInput("name", "give a name of 1 to 200 characters")
    return cleaned


def create_clinic(app: App, clinic_name: str, email: str, name: str, password: str) -> AccountRecord:
    """A new clinic and its first admin (from the command line, on the clinic's server)."""
    email, name = check_email(email), _name(name)
    check_password(password, email=email, name=name)
    accounts = app.database.accounts
    if accounts.by_email(email) is not None:
        raise InvalidInput("email", "an account with this email address already exists")
    clinic_id = accounts.add_clinic(_name(clinic_name), app.now())
    admin = accounts.add_account(clinic_id, "admin", email, name, app.now())
    accounts.set_password_hash(admin.id, passwords.hash_password(password))
    app.database.clinic(clinic_id).audit(None, "command line", "clinic_created", app.now(), detail=email)
    return admin


def _invite(app: App, actor: Actor, account: AccountRecord) -> Invite:
    token, code = tokens.new_session_token(), tokens.new_invitation_code()
    expires = app.now() + INVITATION_LIFETIME
    app.database.accounts.add_invitation(
        account.clinic_id,
        account.id,
        tokens.token_digest(token),
        tokens.token_digest(tokens.normalise_code(code)),
        actor.account_id or 0,
        app.now(),
        expires,
    )
    return Invite(token, code, expires, account)


def add_staff(app: App, actor: Actor, role: str, email: str, name: str, address: str = "") -> Invite:
    """A new admin or physiotherapist, who chooses a password from the invitation."""
    _require(actor, Action.manage_staff)
    if role not in STAFF_ROLES:
        raise InvalidInput("role", "choose admin or physio")
    account = app.database.accounts.add_account(actor.clinic_id or 0, role, check_email(email), _name(name), app.now())
    _audit(app, actor, "staff_added", address, detail=f"{role} {account.email}")
    return _invite(app, actor, account)


def staff(app: App, actor: Actor) -> list[AccountRecord]:
    _require(actor, Action.manage_staff)
    return _directory(app, actor).staff()


def disable_staff(app: App, actor: Actor, account_public_id: str, address: str = "") -> None:
    _require(actor, Action.manage_staff)
    account = _directory(app, actor).account(account_public_id)
    if account is None or account.role == "patient":
        raise NotFound("There is no such staff account.")
    if account.id == actor.account_id:
        raise InvalidInput("account", "you cannot disable your own account")
    app.database.accounts.disable(account.id, app.now())
    _audit(app, actor, "account_disabled", address, detail=account.email)


def invite_patient(app: App, actor: Actor, name: str, email: str, address: str = "") -> tuple[PatientEntry, Invite]:
    """A new patient (in the inviting physiotherapist's care team) and their invitation."""
    _require(actor, Action.invite_patient)
    directory = _directory(app, actor)
    email = check_email(email)
    if app.database.accounts.by_email(email) is not None:
        raise InvalidInput("email", "an account with this email address already exists")
    patient, account = directory.add_patient(_name(name), email, actor.account_id or 0, app.now())
    _audit(app, actor, "patient_created", address, patient.public_id)
    return patient, _invite(app, actor, account)


def reinvite(app: App, actor: Actor, patient_public_id: str, address: str = "") -> Invite:
    """A new invitation for a patient who has not chosen a password yet."""
    patient = open_patient(app, actor, patient_public_id, Action.change_record, address, audit=False)
    account = app.database.accounts.by_email(patient.email)
    if account is None or account.password_hash is not None:
        raise InvalidInput("patient", "this patient has already chosen a password")
    _audit(app, actor, "invitation_sent", address, patient.public_id)
    return _invite(app, actor, account)


def accept_invitation(app: App, secret: str, password: str, address: str = "") -> AccountRecord:
    """Choose a first password with an invitation's link token or its short code: once only,
    before it expires. Wrong codes are slowed down like wrong passwords."""

    key = f"invitation:{address}"
    wait_after_failures(app, key)
    accounts = app.database.accounts
    digest = tokens.token_digest(secret)
    found = accounts.invitation(token_digest=digest) or accounts.invitation(
        code_digest=tokens.token_digest(tokens.normalise_code(secret))
    )
    if found is None or found.used or found.expires_at <= app.now():
        count_failure(app, key)
        raise InvalidInput(
            "invitation", "not valid", "This invitation does not work: it was used, it expired, or the code is wrong."
        )
    account = accounts.by_id(found.account_id)
    assert account is not None
    check_password(password, email=account.email, name=account.name)
    if not accounts.accept_invitation(found.id, passwords.hash_password(password), app.now()):
        raise InvalidInput("invitation", "used", "This invitation has already been used.")
    app.database.clinic(account.clinic_id).audit(
        account.id, account.email, "invitation_accepted", app.now(), None, "", address
    )
    return account


def patients(app: App, actor: Actor) -> list[PatientEntry]:
    """A physiotherapist's patients (their care teams); for an admin, everyone in the clinic."""
    if actor.role is Role.admin:
        return _directory(app, actor).patients()
    if actor.role is not Role.physio:
        raise NotAllowed("Only staff see the list of patients.")
    return _directory(app, actor).patients(cared_for_by=actor.account_id)


def open_patient(
    app: App,
    actor: Actor,
    public_id: str,
    action: Action = Action.read_record,
    address: str = "",
    audit: bool = True,
    event: str | None = None,
) -> PatientEntry:
    """The patient with this public id, when the policy allows `action`; NotFound otherwise, the
    same for another clinic's patient, someone outside one's care team and nobody at all. Every
    staff read is written to the audit trail (as `event`, or the action's name)."""
    patient = _directory(app, actor).patient(public_id) if actor.clinic_id is not None else None
    if patient is None or not allowed(actor, action, patient.ref):
        raise NotFound(NO_SUCH_PATIENT)
    if audit and actor.role is not Role.patient:
        _audit(app, actor, event or action.value, address, patient.public_id)
    return patient


def patient_record(
    app: App,
    actor: Actor,
    public_id: str,
    address: str = "",
    action: Action = Action.read_record,
    event: str | None = None,
) -> tuple[PatientEntry, Scope]:
    """A staff member's scope on a patient's record, to read it (or, with `action`, export it)
    through the same use cases; audited as `event`, or the action's name."""
    patient = open_patient(app, actor, public_id, action, address, event=event)
    return patient, Scope(app, actor, patient.person_id)


def audit_own(app: App, actor: Actor, action: str, address: str = "") -> None:
    """An event in a signed-in patient's own record, for the audit trail (an export, say)."""
    _audit(app, actor, action, address, own_entry(app, actor).public_id)


def audit_staff(
    app: App, actor: Actor, action: str, address: str = "", patient_public_id: str | None = None, detail: str = ""
) -> None:
    """A staff member's change, for the audit trail (a prescription, a template), once the use case made it."""
    _audit(app, actor, action, address, patient_public_id, detail)


def managed_patient(app: App, actor: Actor, public_id: str) -> PatientEntry:
    """A patient's place in the clinic (name, whether they joined, care team, a deletion asked for),
    for an admin running the clinic: not their clinical record (that takes the care team). NotFound
    the same way as `open_patient`."""
    _require(actor, Action.manage_staff)
    patient = _directory(app, actor).patient(public_id)
    if patient is None:
        raise NotFound(NO_SUCH_PATIENT)
    return patient


def add_to_care_team(app: App, actor: Actor, patient_public_id: str, staff_public_id: str, address: str = "") -> None:
    _require(actor, Action.manage_staff)
    directory = _directory(app, actor)
    patient, physio = directory.patient(patient_public_id), directory.account(staff_public_id)
    if patient is None or physio is None or not directory.add_to_care_team(patient.person_id, physio.id, app.now()):
        raise NotFound("There is no such patient or physiotherapist in this clinic.")
    _audit(app, actor, "care_team_added", address, patient.public_id, physio.email)


def own_entry(app: App, actor: Actor) -> PatientEntry:
    """A signed-in patient's own place in their clinic (their name, whether they asked for deletion)."""
    if actor.role is not Role.patient or actor.person_id is None:
        raise NotAllowed("Only a patient has a record of their own here.")
    patient = _directory(app, actor).patient_by_person(actor.person_id)
    if patient is None or not allowed(actor, Action.use, patient.ref):
        raise NotFound(NO_SUCH_PATIENT)
    return patient


def request_deletion(app: App, actor: Actor, address: str = "") -> None:
    """A patient asks for their record to be deleted; an admin confirms it."""
    if actor.role is not Role.patient or actor.person_id is None:
        raise NotAllowed("Only a patient can ask for their own record to be deleted.")
    directory = _directory(app, actor)
    patient = directory.patient_by_person(actor.person_id)
    if patient is None or not allowed(actor, Action.request_deletion, patient.ref):
        raise NotFound(NO_SUCH_PATIENT)
    directory.request_deletion(patient.person_id, app.now())
    _audit(app, actor, "deletion_requested", address, patient.public_id)


def confirm_deletion(app: App, actor: Actor, patient_public_id: str, address: str = "") -> None:
    """Delete everything of a patient who asked for it. Only the audit trail keeps a trace: the
    patient's public id and that it was deleted (a tombstone)."""
    patient = open_patient(app, actor, patient_public_id, Action.confirm_deletion, address, audit=False)
    if patient.deletion_requested_at is None:
        raise InvalidInput("patient", "has not asked", "This patient has not asked for their record to be deleted.")
    delete_person(app.database.sessions, patient.person_id)
    _audit(app, actor, "patient_deleted", address, patient.public_id)


def audit_trail(
    app: App, actor: Actor, action: str | None = None, who: str | None = None, patient: str | None = None
) -> list[AuditRecord]:
    _require(actor, Action.read_audit)
    return _directory(app, actor).audit_events(action or None, fold_email(who) if who else None, patient or None)


def audit_trail_csv(app: App, actor: Actor, **filters: str | None) -> str:
    _require(actor, Action.read_audit)
    directory = _directory(app, actor)
    who = filters.get("who")
    events = directory.audit_events(
        filters.get("action") or None, fold_email(who) if who else None, filters.get("patient") or None, limit=None
    )
    return audit_csv(events)


def _audit(
    app: App, actor: Actor, action: str, address: str, patient_public_id: str | None = None, detail: str = ""
) -> None:
    _directory(app, actor).audit(actor.account_id, actor.name, action, app.now(), patient_public_id, detail, address)
