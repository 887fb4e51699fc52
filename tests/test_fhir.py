"""The FHIR export: bundles built from generated histories are valid FHIR R4B (parsed back by
fhir.resources), keep FHIR's invariants (checked with FHIRPath), and say what the record says; on
the real database, the care team and the patient get the same bundle, it is audited, and whoever
the policy refuses finds no patient at all."""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhirpathpy import evaluate
from fhirpathpy.models import models
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.catalogue.loader import load_catalogue
from backcoach.core.access import Actor
from backcoach.core.errors import NoProgram, NotFound
from backcoach.core.history import CheckInRecord, OutcomeRecord, PsfsRecord, SessionRecord
from backcoach.core.planner import PlannedExercise, starting_dose
from backcoach.core.rules import Difficulty, OutcomeStatus, SessionStatus
from backcoach.core.timing import exercise_seconds
from backcoach.exports.fhir import PatientFacts, ProgramFacts, RecordFacts, bundle_json
from backcoach.services import activities, clinic, programs, sessions
from backcoach.services.context import App, local_scope
from backcoach.services.fhir import AUDIT_EVENT, fhir_bundle, fhir_bundle_mine
from tests import test_clinic_access, test_clinic_route_matrix
from tests.conftest import MovableNow
from tests.examples import example_profile
from tests.strategies import examples
from tests.test_clinic_access import own_scope
from tests.test_clinic_route_matrix import Clinics

CATALOGUE = load_catalogue()
EXERCISES = sorted(CATALOGUE.ids())
NAMES = {e: CATALOGUE.get(e).name for e in EXERCISES}
START = datetime(2026, 3, 2, 8, 0)
R4 = models["r4"]
two_clinics = test_clinic_access.two_clinics  # the fixtures, shared
clinics = test_clinic_route_matrix.clinics
WORDS = st.from_regex(r"[A-Za-z][A-Za-z ,.]{0,40}", fullmatch=True)
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
MOMENTS = ("effectiveDateTime", "performedDateTime", "created", "authoredOn", "timestamp", "start", "end")


def planned(exercise_id: str, per_day: int) -> PlannedExercise:
    exercise = CATALOGUE.get(exercise_id)
    dose = starting_dose(exercise, per_day)
    return PlannedExercise(exercise, dose, exercise_seconds(dose, exercise.pace), "Chosen for the test.")


@st.composite
def outcomes(draw: st.DrawFn, program: ProgramFacts) -> OutcomeRecord:
    p = draw(st.sampled_from(program.exercises))
    status = draw(st.sampled_from(list(OutcomeStatus)))
    hurt = status is OutcomeStatus.stopped_for_pain
    kind = draw(st.sampled_from(["sharp", "spreading", "worse"])) if hurt else None
    score = draw(st.integers(0, 10)) if hurt else None
    return OutcomeRecord(p.id, status.value, asdict(p.dose), kind, score)


@st.composite
def records(draw: st.DrawFn) -> RecordFacts:
    per_day = draw(st.integers(1, 3))
    versions = []
    for index in range(draw(st.integers(0, 3))):
        chosen = draw(st.lists(st.sampled_from(EXERCISES), unique=True, max_size=5))
        at = START + timedelta(days=7 * index)
        versions.append(
            ProgramFacts(100 + index, index + 1, at, draw(WORDS), tuple(planned(e, per_day) for e in chosen))
        )
    with_exercises = [p for p in versions if p.exercises]
    history = []
    for number in range(draw(st.integers(0, 8)) if with_exercises else 0):
        program = draw(st.sampled_from(with_exercises))
        done = tuple(draw(st.lists(outcomes(program), max_size=4)))
        pain = st.none() | st.integers(0, 10)
        check = draw(st.none() | st.builds(CheckInRecord, pain, pain, st.none() | st.sampled_from(list(Difficulty))))
        status = draw(st.sampled_from(list(SessionStatus))).value
        history.append(
            SessionRecord(500 + number, START + timedelta(hours=13 * number), status, program.id, done, check)
        )
    checked = {s.id: s.started_at + timedelta(minutes=20) for s in history if s.check_in and draw(st.booleans())}
    ratings = [
        PsfsRecord(draw(WORDS), START + timedelta(days=n), draw(st.integers(0, 10)), draw(st.integers(1, 3)), 900 + n)
        for n in range(draw(st.integers(0, 5)))
    ]
    patient = PatientFacts("patient:test", draw(st.none() | st.uuids().map(str)), draw(st.none() | WORDS))
    return RecordFacts(patient, tuple(versions), tuple(history), checked, tuple(ratings), NAMES, START)


def path(bundle: dict[str, Any], expression: str) -> list[Any]:
    return list(evaluate(bundle, expression, model=R4))


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def moments(value: Any) -> list[str]:
    """Every dateTime in a resource, found by its element name."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k in MOMENTS and isinstance(v, str)]
        return found + [m for v in value.values() for m in moments(v)]
    if isinstance(value, list):
        return [m for v in value for m in moments(v)]
    return []


INVARIANTS = {
    # bdl-7, for a bundle without versions: no two entries share a fullUrl
    "fullUrl unique": "Bundle.entry.fullUrl.isDistinct()",
    "fullUrl is the id": "Bundle.entry.all(fullUrl = 'urn:uuid:' + resource.id)",
    "every reference resolves": (
        "Bundle.entry.resource.descendants().reference.ofType(string).all(%urls contains $this)"
    ),
    "one patient, everything about them": (
        "Bundle.entry.resource.where(resourceType != 'Patient').all(subject.reference = %patient)"
    ),
    # obs-6 and the export's own promise: a value, or why there is none
    "observations have a value": (
        "Bundle.entry.resource.ofType(Observation).all(value.exists() xor dataAbsentReason.exists())"
    ),
    "observations are final surveys": (
        "Bundle.entry.resource.ofType(Observation).all(status = 'final' and category.coding.code contains 'survey')"
    ),
    "observations are coded": (
        "Bundle.entry.resource.ofType(Observation).all(code.coding.exists() or code.text.exists())"
    ),
    "exercise therapy is coded": (
        "Bundle.entry.resource.where(resourceType = 'ServiceRequest' or resourceType = 'Procedure')"
        ".all(code.coding.where(system = 'http://snomed.info/sct' and code = '229065009').exists())"
    ),
    # cpl-3: an activity has a reference or a detail, not both
    "care plan activities": "Bundle.entry.resource.ofType(CarePlan).activity.all(detail.empty() or reference.empty())",
    "at most one current plan": "Bundle.entry.resource.ofType(CarePlan).where(status != 'revoked').count() <= 1",
}


def check_invariants(bundle: dict[str, Any]) -> None:
    urls = [e["fullUrl"] for e in bundle["entry"]]
    patient = next(e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    for name, expression in INVARIANTS.items():
        found = list(evaluate(bundle, expression, {"urls": urls, "patient": patient}, model=R4))
        assert found == [True], (name, found)
    assert all(UTC_Z.match(m) for m in moments(bundle)), moments(bundle)


def pain_scores(bundle: dict[str, Any]) -> list[int]:
    coded = "Bundle.entry.resource.ofType(Observation).where(code.coding.code contains '72514-3').value"
    return sorted(path(bundle, coded))


@settings(max_examples=examples(200), deadline=None)  # FHIRPath is slow: about half a second each
@given(records())
def test_every_bundle_is_valid_fhir_and_says_what_the_record_says(facts: RecordFacts) -> None:
    text = bundle_json(facts)
    Bundle.model_validate_json(text)  # FHIR R4B, read back from the text
    bundle = json.loads(text)
    assert bundle["type"] == "collection"
    check_invariants(bundle)
    stored = [p for s in facts.sessions if s.check_in for p in (s.check_in.pain_before, s.check_in.pain_after)]
    assert pain_scores(bundle) == sorted(p for p in stored if p is not None)
    psfs = "Bundle.entry.resource.ofType(Observation).where(code.text = 'Patient-Specific Functional Scale').value"
    assert sorted(path(bundle, psfs)) == sorted(r.score for r in facts.ratings)
    done = [s for s in facts.sessions if s.did_exercise]
    procedures = of_type(bundle, "Procedure")
    assert len(procedures) == len(done)
    for procedure, session in zip(procedures, done, strict=True):
        open_one = session.status == SessionStatus.in_progress
        assert procedure["status"] == ("in-progress" if open_one else "completed")
        assert len(procedure["note"]) == len(session.outcomes)
    assert len(of_type(bundle, "CarePlan")) == len(facts.programs)
    current = facts.programs[-1].exercises if facts.programs else ()
    requests = of_type(bundle, "ServiceRequest")
    assert [r["code"]["text"] for r in requests] == [p.exercise.name for p in current]
    for request, p in zip(requests, current, strict=True):
        repeat = request.get("occurrenceTiming", {}).get("repeat", {})
        assert repeat.get("frequency") == (p.dose.times_per_day or p.dose.times_per_week)
    assert bundle_json(facts) == text  # the same record, the same ids


def test_an_observation_without_a_value_breaks_the_invariant() -> None:
    """The invariants above can fail: a pain score with its value taken away is caught."""
    facts = RecordFacts(
        PatientFacts("patient:x", None, None),
        (ProgramFacts(1, 1, START, "Your first program.", (planned("bridge", 1),)),),
        (SessionRecord(7, START, "finished", 1, (), CheckInRecord(4, None, None)),),
        {},
        (),
        NAMES,
        START,
    )
    bundle = json.loads(bundle_json(facts))
    check_invariants(bundle)
    [observation] = of_type(bundle, "Observation")
    del observation["valueInteger"]
    with pytest.raises(AssertionError):
        check_invariants(bundle)
    observation["valueInteger"] = 4
    observation["subject"] = {"reference": "urn:uuid:00000000-0000-0000-0000-000000000000"}
    with pytest.raises(AssertionError):
        check_invariants(bundle)


# On the real database --------------------------------------------------------------------------


def _history(app: App, now: MovableNow, person_id: int, clinic_id: int) -> list[tuple[int, int]]:
    """Three sessions on three days and an activity rated twice, by the patient, through the services."""
    scope = own_scope(app, person_id, clinic_id)
    programs.set_profile(scope, example_profile())
    pains = [(5, 4), (4, 4), (4, 3)]
    for before, after in pains:
        now.advance(days=1)
        sessions.log_session(scope, before, after, "right", [], {})
    found = activities.add_activity(scope, "Putting on socks", 4)
    now.advance(days=7)
    activities.rate_activity(scope, found.id, 6)
    return pains


def test_the_care_team_and_the_patient_get_the_record_and_it_is_audited(
    app: App, now: MovableNow, two_clinics: dict[str, Actor]
) -> None:
    physio = two_clinics["physio"]
    maya, _ = clinic.invite_patient(app, physio, "Maya Patel", "maya@example.org")
    pains = _history(app, now, maya.person_id, maya.clinic_id)
    text = fhir_bundle(app, physio, maya.public_id, "10.0.0.1")
    Bundle.model_validate_json(text)
    bundle = json.loads(text)
    check_invariants(bundle)
    [patient] = of_type(bundle, "Patient")
    assert patient["identifier"] == [{"system": "urn:backcoach:patient", "value": maya.public_id}]
    assert patient["name"] == [{"text": "Maya Patel"}]
    assert "maya@example.org" not in text  # nothing personal beyond the name
    assert pain_scores(bundle) == sorted(p for pair in pains for p in pair)
    assert len(of_type(bundle, "Procedure")) == 3
    assert sorted(o["valueInteger"] for o in of_type(bundle, "Observation") if "72514-3" not in json.dumps(o)) == [4, 6]
    [plan] = of_type(bundle, "CarePlan")
    assert plan["status"] == "active" and len(plan["activity"]) == len(of_type(bundle, "ServiceRequest")) > 0
    events = clinic.audit_trail(app, two_clinics["admin"], action=AUDIT_EVENT, patient=maya.public_id)
    assert [(e.actor, e.address) for e in events] == [("physio@home.example", "10.0.0.1")]
    mine = fhir_bundle_mine(own_scope(app, maya.person_id, maya.clinic_id))
    assert json.loads(mine) == bundle  # the same record, the same ids, whoever asks
    assert len(clinic.audit_trail(app, two_clinics["admin"], action=AUDIT_EVENT, patient=maya.public_id)) == 2


def test_outside_the_policy_there_is_no_such_patient(app: App, two_clinics: dict[str, Actor]) -> None:
    maya, _ = clinic.invite_patient(app, two_clinics["physio"], "Maya Patel", "maya@example.org")
    for who in ("second physio", "admin", "away physio", "away admin"):
        for public_id in (maya.public_id, "00000000-0000-0000-0000-000000000000"):
            with pytest.raises(NotFound, match=clinic.NO_SUCH_PATIENT):
                fhir_bundle(app, two_clinics[who], public_id)
    assert clinic.audit_trail(app, two_clinics["admin"], action=AUDIT_EVENT) == []


def test_the_local_person_exports_their_own_record_with_no_identifier(app: App, now: MovableNow) -> None:
    scope = local_scope(app)
    with pytest.raises(NoProgram):
        fhir_bundle_mine(scope)  # nothing there yet
    programs.set_profile(scope, example_profile())
    now.advance(hours=1)
    sessions.log_session(scope, 3, 2, "easy", [], {})
    bundle = json.loads(fhir_bundle_mine(scope))
    check_invariants(bundle)
    [patient] = of_type(bundle, "Patient")
    assert set(patient) == {"resourceType", "id"}
    assert pain_scores(bundle) == [2, 3]


def test_the_pages_give_the_bundle_as_a_fhir_download(clinics: Clinics) -> None:
    physio = clinics.clients["physio in the care team"]
    page = physio.get(f"/clinic/patients/{clinics.patient_id}")
    assert f"/clinic/patients/{clinics.patient_id}/fhir.json" in page.text
    for client, where in (
        (physio, f"/clinic/patients/{clinics.patient_id}/fhir.json"),
        (clinics.clients["the patient"], "/account/fhir.json"),
    ):
        answer = client.get(where)
        assert answer.status_code == 200, where
        assert answer.headers["content-type"].startswith("application/fhir+json")
        assert answer.headers["content-disposition"].startswith("attachment;")
        Bundle.model_validate_json(answer.text)
    assert "/account/fhir.json" in clinics.clients["the patient"].get("/account").text
    assert (
        clinics.clients["physio outside the care team"]
        .get(f"/clinic/patients/{clinics.patient_id}/fhir.json")
        .status_code
        == 404
    )


def test_backcoach_export_fhir_writes_the_bundle(cli_at: Any, tmp_path: Any) -> None:
    from tests.examples import write_profile

    cli = cli_at("2026-03-02T09:00:00")
    cli("setup", "--profile", str(write_profile(tmp_path)))
    cli("log", "--pain-before", "4", "--pain-after", "3", "--difficulty", "easy")
    target = tmp_path / "record.fhir.json"
    assert "Exported to" in cli("export", "--fhir", str(target))
    bundle = json.loads(target.read_text(encoding="utf-8"))
    check_invariants(bundle)
    assert pain_scores(bundle) == [3, 4]
    cli("export", str(tmp_path / "x.json"), "--fhir", str(target), code=2)
