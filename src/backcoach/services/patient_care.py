"""A care team's work on one patient's record: the whole record as the patient page shows it, the
clinician's notes, clearing a paused exercise or a warning sign after an assessment, and the
printed handout with the clinic's name.

Every use case opens the patient through `services.clinic.open_patient` (one policy, a 404 outside
it) and writes what it did to the audit trail. Clearing runs the very use cases a person runs on
their own machine (`services.programs.clear_exercise`, `services.screening.clear_warning`), with the
clinician's name as who checked, today as when, and their assessment kept as a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backcoach.core.access import Action, Actor
from backcoach.core.alerts import Alert, AlertThresholds
from backcoach.core.errors import InvalidInput
from backcoach.core.notes import check_note
from backcoach.core.screening import ScreenResult
from backcoach.exports.handout import Handout
from backcoach.services import clearances
from backcoach.services.alerts import open_and_acknowledged
from backcoach.services.clinic import open_patient
from backcoach.services.context import App, Scope
from backcoach.services.handouts import program_handout
from backcoach.services.history_pages import HistoryPage, history_page
from backcoach.services.programs import ProgramView, clear_exercise, current_program, program_versions
from backcoach.services.progress import Progress, progress
from backcoach.services.screening import clear_warning
from backcoach.storage.alerts import AckRecord
from backcoach.storage.clinic_directory import PatientEntry
from backcoach.storage.notes import NoteRecord
from backcoach.storage.records import PauseRecord

SESSIONS_PER_PAGE = 10
CHART_WEEKS = 12  # the care team's charts show the latest weeks; the sessions table has every one
NOTES_SHOWN = 50
NOT_BACK_YET = "It is not in the program now (it does not fit the time or the answers); it can be chosen again."
NO_PLAN_YET = "The patient answers the first questions to get a program."


@dataclass(frozen=True)
class RecordView:
    """Everything the patient page shows a care team member, read for one request."""

    patient: PatientEntry
    progress: Progress | None  # the latest CHART_WEEKS; None before the first program
    sessions: HistoryPage  # newest first, a page at a time
    programs: list[ProgramView]  # every version, oldest first, each with its reason
    notes: list[NoteRecord]  # newest first
    warning: ScreenResult | None  # a warning sign waiting for a professional's check
    paused: list[PauseRecord]  # exercises paused because they hurt
    alerts: list[Alert]  # open, most urgent first
    acknowledged: list[tuple[Alert, AckRecord]]


def record_view(
    app: App,
    actor: Actor,
    public_id: str,
    before: str | None = None,
    address: str = "",
    thresholds: AlertThresholds | None = None,
) -> RecordView:
    """The patient's record for their care team (an audited read); alerts by the clinic's
    thresholds unless told others."""
    patient = open_patient(app, actor, public_id, Action.read_record, address)
    scope = Scope(app, actor, patient.person_id)
    standing = clearances.standing_warning(scope)
    open_alerts, acknowledged = open_and_acknowledged(scope, thresholds)
    return RecordView(
        patient,
        progress(scope, CHART_WEEKS),
        history_page(scope, SESSIONS_PER_PAGE, before),
        program_versions(scope),
        scope.repo.notes.newest(NOTES_SHOWN),
        None if standing is None else standing.result(),
        clearances.paused(scope),
        open_alerts,
        acknowledged,
    )


def _audit(app: App, actor: Actor, patient: PatientEntry, event: str, address: str, detail: str = "") -> None:
    app.database.clinic(patient.clinic_id).audit(
        actor.account_id, actor.name, event, app.now(), patient.public_id, detail, address
    )


def _signer(app: App, actor: Actor) -> str:
    """The clinician's name as the record shows it (the trail names them by email)."""
    account = app.database.accounts.by_id(actor.account_id) if actor.account_id is not None else None
    return account.name if account is not None else actor.name


def add_note(app: App, actor: Actor, public_id: str, text: str, address: str = "") -> NoteRecord:
    """A note on the record, signed with the clinician's name (the trail says a note was written;
    the note itself stays with the record)."""
    patient = open_patient(app, actor, public_id, Action.change_record, address, audit=False)
    cleaned = check_note(text)
    note = app.database.patient(patient.person_id).notes.add(actor.account_id, _signer(app, actor), cleaned, app.now())
    _audit(app, actor, patient, "note_written", address)
    return note


def clear_after_assessment(
    app: App, actor: Actor, public_id: str, assessment: str, exercise_id: str = "", address: str = ""
) -> str:
    """The clinician assessed the patient: a paused exercise (`exercise_id`) may be offered again,
    or the warning sign waiting for a check is cleared and the program planned again. The
    assessment is kept as a note, the clearance is audited; returns what happened, in a sentence."""
    patient = open_patient(app, actor, public_id, Action.change_record, address, audit=False)
    cleaned = check_note(assessment, "assessment")
    scope = Scope(app, actor, patient.person_id)
    today, signer = clearances.today(scope), _signer(app, actor)
    if exercise_id:
        said = _clear_exercise(scope, exercise_id, signer, today)
        what = f"Cleared {scope.catalogue.get(exercise_id).name}"
        event = "exercise_cleared"
    else:
        done = clear_warning(scope, signer, today)
        planned = f"A new program was planned (version {done.version})." if done.version else NO_PLAN_YET
        said, what, event = f"The warning sign is cleared. {planned}", "Cleared the warning sign", "warning_cleared"
    scope.repo.notes.add(actor.account_id, signer, f"{what} after an assessment: {cleaned}", app.now())
    _audit(app, actor, patient, event, address, exercise_id)
    return said


def _clear_exercise(scope: Scope, exercise_id: str, signer: str, today: date) -> str:
    """Lift the pause on one exercise; what happened, in a sentence."""
    if exercise_id not in {p.exercise_id for p in clearances.paused(scope)}:
        raise InvalidInput("exercise", "this exercise is not paused now: look at the record again")
    name = scope.catalogue.get(exercise_id).name
    found = current_program(scope)
    in_program = found is not None and exercise_id in {p.id for p in found.exercises}
    version = clear_exercise(scope, exercise_id, signer, today)
    if version is not None:
        return f"{name} may be offered again. It is back in the program (version {version.version})."
    if in_program:
        return f"{name} may be offered again. It is in the sessions again from the next one."
    return f"{name} may be offered again. {NOT_BACK_YET}"


def patient_handout(app: App, actor: Actor, public_id: str, address: str = "") -> Handout:
    """The patient's current program to print, headed with the clinic's name (an audited read).
    NoProgram or ProgramPaused when there is nothing to print."""
    patient = open_patient(app, actor, public_id, Action.read_record, address, event="handout_printed")
    return program_handout(Scope(app, actor, patient.person_id), person=patient.name)
