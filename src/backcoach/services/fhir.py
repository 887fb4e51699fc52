"""A patient's record as a FHIR R4B Bundle (`exports/fhir`), for a clinic's own health record
system: for a member of the care team, for the patient themselves, and for the local person.

A staff export asks the policy for `export_record` on that patient (NotFound otherwise, exactly as
for a patient who does not exist); every clinic export is written to the audit trail as
"fhir_export".
"""

from __future__ import annotations

from backcoach.core.access import Action, Actor, Role, allowed
from backcoach.core.errors import NoProgram, NotAllowed
from backcoach.exports.fhir import PatientFacts, ProgramFacts, RecordFacts, bundle_json
from backcoach.services import clinic
from backcoach.services.context import App, Scope
from backcoach.services.programs import program_versions

AUDIT_EVENT = "fhir_export"


def record_facts(scope: Scope, patient: PatientFacts) -> RecordFacts:
    """What the bundle is made of, read through the scope's own record."""
    repo = scope.repo
    programs = tuple(
        ProgramFacts(v.id, v.version, v.created_at, v.reason, v.exercises) for v in program_versions(scope)
    )
    return RecordFacts(
        patient=patient,
        programs=programs,
        sessions=tuple(repo.history()),
        checked_at=repo.past.checked_at(),
        ratings=tuple(repo.psfs.history()),
        exercise_names={e: scope.catalogue.get(e).name for e in scope.catalogue.ids()},
        exported_at=scope.now(),
    )


def fhir_bundle(app: App, actor: Actor, patient_public_id: str, address: str = "") -> str:
    """A clinic patient's record as FHIR JSON, for a member of their care team (or themselves)."""
    patient, scope = clinic.patient_record(
        app, actor, patient_public_id, address, action=Action.export_record, event=AUDIT_EVENT
    )
    if actor.role is Role.patient:
        clinic.audit_own(app, actor, AUDIT_EVENT, address)
    facts = PatientFacts(f"patient:{patient.public_id}", patient.public_id, patient.name)
    return bundle_json(record_facts(scope, facts))


def fhir_bundle_mine(scope: Scope, address: str = "") -> str:
    """One's own record as FHIR JSON: a clinic's patient, or the one person on this machine."""
    if scope.actor.role is Role.patient:
        entry = clinic.own_entry(scope.app, scope.actor)
        return fhir_bundle(scope.app, scope.actor, entry.public_id, address)
    if scope.actor.role is not Role.local:
        raise NotAllowed("Staff export a patient's record from the patient's page.")
    person = scope.app.database.person(scope.patient_id)
    ref = scope.app.database.patient_ref(scope.patient_id)
    if person is None or ref is None:
        raise NoProgram("There is nothing to export yet.")
    if not allowed(scope.actor, Action.export_record, ref):
        raise NotAllowed("You may not export this person's record.")
    facts = PatientFacts(f"local:{person.id}:{person.created_at.isoformat()}", None, None)
    return bundle_json(record_facts(scope, facts))
