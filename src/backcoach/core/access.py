"""Who may do what to whose record: the one policy every use case asks.

On one machine there is one person and no account: the local user may do everything to the local
record. In a clinic there are four roles. A patient acts on their own record. A physiotherapist
reads and changes the records of the patients whose care team they are in, and brings new
patients in. An admin runs the clinic (staff, care teams, the audit trail, confirming a deletion)
but does not read clinical records unless they are also in the care team. Nobody reaches another
clinic: a record there answers as if it did not exist.

`allowed` is pure: the caller loads the patient (from a repository scoped to the actor's clinic,
so another clinic's patient is never even loaded) and asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    local = "local"  # the one person on this machine: no account
    patient = "patient"
    physio = "physio"
    admin = "admin"


STAFF = frozenset({Role.physio, Role.admin})


class Action(StrEnum):
    use = "use"  # a patient's everyday use of their own record: screen, program, sessions, check-ins
    read_record = "read_record"  # see a patient's record (staff reads are audited)
    change_record = "change_record"  # a clinician's change: clearing a pause, a program
    export_record = "export_record"  # the whole record as one document
    request_deletion = "request_deletion"
    confirm_deletion = "confirm_deletion"
    invite_patient = "invite_patient"  # clinic-wide: create a patient and an invitation
    manage_staff = "manage_staff"  # clinic-wide: staff accounts, care teams, disabling
    read_audit = "read_audit"  # clinic-wide


CLINIC_WIDE = frozenset({Action.invite_patient, Action.manage_staff, Action.read_audit})
PATIENT_MAY = frozenset({Action.use, Action.read_record, Action.export_record, Action.request_deletion})
CARE_TEAM_MAY = frozenset({Action.read_record, Action.change_record, Action.export_record})
ADMIN_MAY_ON_PATIENT = frozenset({Action.confirm_deletion})
CLINIC_WIDE_BY_ROLE = {
    Role.physio: frozenset({Action.invite_patient}),
    Role.admin: frozenset({Action.invite_patient, Action.manage_staff, Action.read_audit}),
}


@dataclass(frozen=True)
class Actor:
    role: Role
    person_id: int | None = None  # a patient: their own record
    account_id: int | None = None  # every signed-in actor
    clinic_id: int | None = None  # every signed-in actor (None: a patient with no clinic, in tests)
    name: str = ""  # how the audit trail names them (an email address)


LOCAL_USER = Actor(Role.local)


@dataclass(frozen=True)
class PatientRef:
    """What the policy needs to know about a patient: whose clinic, who cares for them."""

    person_id: int
    clinic_id: int | None
    care_team: frozenset[int] = field(default_factory=frozenset)  # staff account ids


def allowed(actor: Actor, action: Action, patient: PatientRef | None = None) -> bool:
    """Whether `actor` may do `action`: to `patient`'s record, or (patient None) clinic-wide."""
    if actor.role is Role.local:
        return patient is None or patient.clinic_id is None
    if actor.role is Role.patient:
        if patient is None or actor.person_id is None:
            return False
        same_place = patient.clinic_id == actor.clinic_id
        return same_place and actor.person_id == patient.person_id and action in PATIENT_MAY
    if actor.clinic_id is None or actor.account_id is None:
        return False
    if patient is None:
        return action in CLINIC_WIDE_BY_ROLE.get(actor.role, frozenset())
    if patient.clinic_id != actor.clinic_id:
        return False
    in_team = actor.account_id in patient.care_team
    if in_team and action in CARE_TEAM_MAY:
        return True
    return actor.role is Role.admin and action in ADMIN_MAY_ON_PATIENT
