"""A patient's record as a FHIR R4B Bundle (HL7's format for health records), for a clinic's own
system to read. Pure: the application layer hands over plain values (`RecordFacts`); nothing here
reads a database.

The bundle is a "collection": a set of records gathered for exchange. A "document" would need a
Composition first and mean a clinical document someone attests to, which an export is not.

What goes in, and how:
- Patient: the clinic's public id for them (system `urn:backcoach:patient`) and their name, nothing
  else. The local person has no public id, so theirs carries no identifier.
- CarePlan per program version: the current one active (on-hold when the program is paused), every
  earlier one revoked (it was replaced before it ran its course), each `replaces` the one before.
- ServiceRequest per exercise of the current program, coded SNOMED CT 229065009 "Exercise therapy".
  How often is the Timing (times a day, or a week). The rest of the dose (holds, repeats, sets,
  rests) is in plain words in the patient instruction and a note: Timing's `duration` is how long
  each occurrence lasts and `quantity` is one amount, so neither says "hold 5 s, 10 times, 2 sets",
  and an extension would need a definition nobody reading the bundle has.
- Observation per pain score of a check-in (LOINC 72514-3), and per PSFS rating. LOINC has no
  code for the Patient-Specific Functional Scale that we could confirm, so that one is text only.
  Both are whole numbers, so `valueInteger`.
- Procedure per session in which an exercise was done (a Procedure is something done to or by the
  patient; an Encounter would be a visit, which a session at home is not), coded 229065009,
  completed (in-progress while the session is still open), with what happened to each exercise in
  a note. The pain scores of its check-in are `partOf` it.

Every id is a uuid5 of the record's own ids, under one namespace per patient, so the same record
exports with the same ids every time; entries refer to one another by `urn:uuid:` fullUrls.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from backcoach.core.dose_text import describe_single_dose
from backcoach.core.history import OutcomeRecord, PsfsRecord, SessionRecord
from backcoach.core.planner import PlannedExercise
from backcoach.core.psfs import SCALE_WORDS
from backcoach.core.rules import OutcomeStatus, SessionStatus
from backcoach.core.timing import Dose

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
PATIENT_SYSTEM = "urn:backcoach:patient"
EXERCISE_THERAPY = {"system": SNOMED, "code": "229065009", "display": "Exercise therapy"}
PAIN_SCORE = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
PSFS_TEXT = "Patient-Specific Functional Scale"
SURVEY = [{"coding": [{"system": CATEGORY, "code": "survey", "display": "Survey"}]}]
BACKCOACH = uuid.uuid5(uuid.NAMESPACE_URL, "urn:backcoach")
DOSE_FIELDS = {f.name for f in fields(Dose)}


@dataclass(frozen=True)
class PatientFacts:
    key: str  # what every id in the bundle is made from: unique to this patient
    public_id: str | None  # a clinic patient's public id; None for the local person
    name: str | None


@dataclass(frozen=True)
class ProgramFacts:
    id: int
    version: int
    created_at: datetime
    reason: str
    exercises: tuple[PlannedExercise, ...]  # empty: the program was paused


@dataclass(frozen=True)
class RecordFacts:
    patient: PatientFacts
    programs: tuple[ProgramFacts, ...]  # oldest first: the last is the current one
    sessions: tuple[SessionRecord, ...]
    checked_at: Mapping[int, datetime]  # session id: when its check-in was saved
    ratings: tuple[PsfsRecord, ...]
    exercise_names: Mapping[str, str]  # catalogue id: name, for the sessions' outcomes
    exported_at: datetime


def utc_text(moment: datetime) -> str:
    """A moment in UTC, written with a 'Z' (stored moments are naive UTC)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="seconds").replace("+00:00", "Z")


class _Ids:
    def __init__(self, key: str) -> None:
        self._space = uuid.uuid5(BACKCOACH, key)

    def __call__(self, *parts: object) -> str:
        return str(uuid.uuid5(self._space, ":".join(str(p) for p in parts)))


def url(resource_id: str) -> str:
    return f"urn:uuid:{resource_id}"


def _ref(resource_id: str) -> dict[str, str]:
    return {"reference": url(resource_id)}


def _patient(facts: PatientFacts, ids: _Ids) -> dict[str, Any]:
    found: dict[str, Any] = {"resourceType": "Patient", "id": ids("patient")}
    if facts.public_id is not None:
        found["identifier"] = [{"system": PATIENT_SYSTEM, "value": facts.public_id}]
    if facts.name:
        found["name"] = [{"text": facts.name}]
    return found


def _care_plan_status(index: int, programs: tuple[ProgramFacts, ...]) -> str:
    if index < len(programs) - 1:
        return "revoked"
    return "on-hold" if not programs[index].exercises else "active"


def _care_plan(index: int, programs: tuple[ProgramFacts, ...], subject: str, ids: _Ids) -> dict[str, Any]:
    program = programs[index]
    current = index == len(programs) - 1
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": ids("careplan", program.id),
        "status": _care_plan_status(index, programs),
        "intent": "plan",
        "title": f"Exercise program, version {program.version}",
        "description": program.reason,
        "subject": _ref(subject),
        "created": utc_text(program.created_at),
        "period": {"start": utc_text(program.created_at)},
    }
    if not current:
        plan["period"]["end"] = utc_text(programs[index + 1].created_at)
    if index > 0:
        plan["replaces"] = [_ref(ids("careplan", programs[index - 1].id))]
    if current:
        activities = [{"reference": _ref(ids("exercise", program.id, p.id))} for p in program.exercises]
    else:  # its exercises are no longer asked for: described, not requested
        activities = [{"detail": _stopped(p)} for p in program.exercises]
    if activities:
        plan["activity"] = activities
    return plan


def _stopped(planned: PlannedExercise) -> dict[str, Any]:
    return {
        "kind": "ServiceRequest",
        "code": {"coding": [EXERCISE_THERAPY], "text": planned.exercise.name},
        "status": "stopped",
        "description": describe_single_dose(planned.dose),
    }


def _timing(dose: Dose) -> dict[str, Any] | None:
    if dose.times_per_day:
        return {"repeat": {"frequency": dose.times_per_day, "period": 1, "periodUnit": "d"}}
    if dose.times_per_week:
        return {"repeat": {"frequency": dose.times_per_week, "period": 1, "periodUnit": "wk"}}
    return None


def instruction(planned: PlannedExercise) -> str:
    """The exercise in plain words: how to start, what to do, and how much."""
    ex = planned.exercise
    return f"Start: {' '.join(ex.start)} Then: {' '.join(ex.action)} How much: {describe_single_dose(planned.dose)}."


def _service_request(program: ProgramFacts, planned: PlannedExercise, subject: str, ids: _Ids) -> dict[str, Any]:
    request: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": ids("exercise", program.id, planned.id),
        "identifier": [{"system": "urn:backcoach:exercise", "value": planned.id}],
        "status": "active",
        "intent": "plan",
        "basedOn": [_ref(ids("careplan", program.id))],
        "code": {"coding": [EXERCISE_THERAPY], "text": planned.exercise.name},
        "subject": _ref(subject),
        "authoredOn": utc_text(program.created_at),
        "patientInstruction": instruction(planned),
        "note": [{"text": f"Dose: {describe_single_dose(planned.dose)}. Why: {planned.why}"}],
    }
    timing = _timing(planned.dose)
    if timing is not None:
        request["occurrenceTiming"] = timing
    return request


def _observation(resource_id: str, code: dict[str, Any], subject: str, at: datetime, value: int) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": SURVEY,
        "code": code,
        "subject": _ref(subject),
        "effectiveDateTime": utc_text(at),
        "valueInteger": value,
    }


def _pain(session: SessionRecord, facts: RecordFacts, subject: str, ids: _Ids) -> list[dict[str, Any]]:
    check = session.check_in
    if check is None:
        return []
    code = {"coding": [PAIN_SCORE], "text": "Pain, 0 (none) to 10 (worst)"}
    after_at = facts.checked_at.get(session.id, session.started_at)
    found = []
    for when, score, at in (("before", check.pain_before, session.started_at), ("after", check.pain_after, after_at)):
        if score is None:
            continue
        seen = _observation(ids("pain", when, session.id), code, subject, at, score)
        seen["note"] = [{"text": f"Pain {when} the session."}]
        if session.did_exercise:
            seen["partOf"] = [_ref(ids("session", session.id))]
        found.append(seen)
    return found


def _psfs(rating: PsfsRecord, subject: str, ids: _Ids) -> dict[str, Any]:
    key = rating.rating_id or f"{rating.activity_id}:{utc_text(rating.rated_at)}"
    seen = _observation(ids("psfs", key), {"text": PSFS_TEXT}, subject, rating.rated_at, rating.score)
    seen["note"] = [{"text": f"Activity: {rating.activity}. {SCALE_WORDS}"}]
    return seen


def _outcome_words(outcome: OutcomeRecord, names: Mapping[str, str]) -> str:
    name = names.get(outcome.exercise_id, outcome.exercise_id)
    dose = {k: v for k, v in outcome.dose.items() if k in DOSE_FIELDS}
    amount = describe_single_dose(Dose(**dose)) if dose else "no amount recorded"
    if outcome.status == OutcomeStatus.stopped_for_pain:
        felt = f"{outcome.pain_kind or 'pain'}, {outcome.pain_score}/10" if outcome.pain_score is not None else "pain"
        return f"{name}: stopped for pain ({felt})."
    return f"{name}: {outcome.status.replace('_', ' ')} ({amount})."


def _procedure(session: SessionRecord, facts: RecordFacts, subject: str, ids: _Ids) -> dict[str, Any]:
    done: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": ids("session", session.id),
        "status": "in-progress" if session.status == SessionStatus.in_progress else "completed",
        "code": {"coding": [EXERCISE_THERAPY], "text": "Exercise session"},
        "subject": _ref(subject),
        "performedDateTime": utc_text(session.started_at),
        "note": [{"text": _outcome_words(o, facts.exercise_names)} for o in session.outcomes],
    }
    if any(p.id == session.program_id for p in facts.programs):
        done["basedOn"] = [_ref(ids("careplan", session.program_id))]
    return done


def resources(facts: RecordFacts) -> list[dict[str, Any]]:
    """Every resource of the bundle, as FHIR JSON: the patient first, then programs, exercises,
    sessions and observations, each in the order it happened."""
    ids = _Ids(facts.patient.key)
    patient = _patient(facts.patient, ids)
    subject = patient["id"]
    found = [patient]
    found += [_care_plan(i, facts.programs, subject, ids) for i in range(len(facts.programs))]
    if facts.programs:
        current = facts.programs[-1]
        found += [_service_request(current, p, subject, ids) for p in current.exercises]
    found += [_procedure(s, facts, subject, ids) for s in facts.sessions if s.did_exercise]
    for session in facts.sessions:
        found += _pain(session, facts, subject, ids)
    found += [_psfs(r, subject, ids) for r in facts.ratings]
    return found


def bundle(facts: RecordFacts) -> Bundle:
    """The record as a Bundle, checked against FHIR R4B by fhir.resources as it is built."""
    ids = _Ids(facts.patient.key)
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": ids("bundle", utc_text(facts.exported_at)),
            "type": "collection",
            "timestamp": utc_text(facts.exported_at),
            "entry": [{"fullUrl": url(r["id"]), "resource": r} for r in resources(facts)],
        }
    )


def bundle_json(facts: RecordFacts) -> str:
    return bundle(facts).model_dump_json(exclude_none=True, indent=2)
