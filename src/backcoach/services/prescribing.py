"""Prescribing: a physiotherapist in the care team builds a patient's program and saves it as a
new version; a clinic's templates (saved programs) to start from.

A draft lives in the builder's form, not in storage: only `prescribe` writes, once every check
passes, and then the version and the prescription (the weekly review's limits) together. The
hard rules (`core/prescription.refusals`, a standing warning sign, no answers yet to check against)
refuse with one message and store nothing. Every read and change is audited, as every staff read
of a record is (`clinic.open_patient`).

A prescription stays in force for the weekly review (`limits_in_force`) until the program is
planned afresh from the patient's answers: a first program, changed answers, or a pause for a
warning sign. Versions the review makes, and an exercise back after a clearance, keep it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

from backcoach.core.access import STAFF, Action, Actor
from backcoach.core.catalogue import Catalogue
from backcoach.core.errors import InvalidInput, NotAllowed, NotFound
from backcoach.core.exercise import Exercise
from backcoach.core.planner import Explanation, PlannedExercise, plan_program, starting_dose
from backcoach.core.prescription import (
    REASON_LENGTH,
    ReviewLimits,
    ReviewMode,
    Row,
    dose_fields,
    input_problems,
    outside_sources,
    refusals,
    seconds,
    source_sides,
)
from backcoach.core.profile import Profile, adaptations, ruled_out_because
from backcoach.core.screening import ScreenResult, Urgency
from backcoach.core.timing import Dose, exercise_seconds, session_seconds
from backcoach.services import clinic
from backcoach.services.clearances import standing_warning, unavailable
from backcoach.services.context import App, Scope
from backcoach.services.programs import ProgramView, current_program, program_view
from backcoach.storage.clinic_directory import PatientEntry
from backcoach.storage.prescriptions import TemplateRecord
from backcoach.storage.stored_json import check_dose, exercises_json, explanation_json

NEW_PLAN = frozenset({"first_program", "profile_changed", "nothing_fits", "warning_sign"})
NO_ANSWERS = "The patient has not answered the first questions yet, so nothing can be checked against them."
NOTE_LENGTH = REASON_LENGTH


class PrescriptionRefused(InvalidInput):
    """The draft cannot be saved: one message, and each problem for the builder to show."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("program", problems[0], "Nothing was saved. " + " ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Draft:
    rows: tuple[Row, ...]
    review: ReviewMode = ReviewMode.ceiling
    note: str = ""  # to the patient, in plain words: why the program changed


@dataclass(frozen=True)
class DoseField:
    name: str
    value: int | str | None
    sources: str  # what the sources give, in words ("" when they give nothing for it)


@dataclass(frozen=True)
class RowShown:
    """One row as the builder shows it: the exercise, each field of its dose model, and what lies
    outside the sources' ranges (which needs a reason)."""

    row: Row
    exercise: Exercise | None  # None: an id the catalogue does not know
    fields: tuple[DoseField, ...]
    outside: tuple[str, ...]


def row_shown(catalogue: Catalogue, row: Row) -> RowShown:
    if row.exercise_id not in catalogue.ids():
        return RowShown(row, None, (), ())
    exercise = catalogue.get(row.exercise_id)
    limits = exercise.dose_limits()
    shown = []
    for name in dose_fields(exercise):
        if name == "sides":
            shown.append(DoseField(name, row.dose.sides, " or ".join(sorted(source_sides(exercise)))))
            continue
        limit = limits.get(name)
        words = "" if limit is None else (f"{limit[0]}" if limit[0] == limit[1] else f"{limit[0]} to {limit[1]}")
        shown.append(DoseField(name, getattr(row.dose, name), words))
    return RowShown(row, exercise, tuple(shown), tuple(outside_sources(exercise, row.dose)))


@dataclass(frozen=True)
class Builder:
    """What the builder page shows: the draft, what stops it being saved, what may be added."""

    patient: PatientEntry
    draft: Draft
    problems: tuple[str, ...]  # the hard rules and the input checks, as they stand for this draft
    blocked: str | None  # a warning sign stands, or no answers yet: no program may be saved
    minutes_chosen: int | None  # the minutes a session the patient chose
    seconds: int  # how long the drafted session takes
    choices: tuple[Exercise, ...]  # catalogue exercises this patient may be given, not in the draft
    left_out: tuple[tuple[Exercise, str], ...]  # those they may not, with why
    templates: tuple[TemplateRecord, ...]
    shown: tuple[RowShown, ...]  # the draft's rows, as the builder shows them
    current: ProgramView | None = None  # the patient's program now, with its reason and notes
    prescribed_by: str = ""  # who made the latest prescription, while it is in force
    review_now: ReviewMode | None = None  # the weekly review's setting now, while a prescription is in force


# Reading: where a draft starts, and the builder as it stands --------------------------------------


def _open(app: App, actor: Actor, public_id: str, address: str, event: str) -> tuple[PatientEntry, Scope]:
    patient = clinic.open_patient(app, actor, public_id, Action.change_record, address, event=event)
    return patient, Scope(app, actor, patient.person_id)


def _blocked(scope: Scope) -> tuple[str | None, Profile | None]:
    standing = standing_warning(scope)
    if standing is not None:
        return standing.result().message + " No program can be prescribed until a professional has checked it.", None
    profile = scope.repo.latest_profile()
    return (NO_ANSWERS, None) if profile is None else (None, profile)


def _rows_of(planned: tuple[PlannedExercise, ...], reasons: dict[str, str]) -> tuple[Row, ...]:
    return tuple(Row(p.id, p.dose, reasons.get(p.id, "")) for p in planned)


def _prescribed_reasons(scope: Scope, current: ProgramView) -> dict[str, str]:
    """The reasons kept with the latest prescription, for the doses still as prescribed."""
    found = scope.repo.prescriptions.latest()
    if found is None:
        return {}
    doses = {p.id: p.dose for p in current.exercises}
    return {
        key: str(item.get("reason", ""))
        for key, item in found.doses.items()
        if key in doses and Dose(**item["dose"]) == doses[key]
    }


def template_rows(template: TemplateRecord, catalogue: Catalogue) -> tuple[Row, ...]:
    return tuple(
        Row(item["id"], check_dose(item["dose"]), str(item.get("reason", "")))
        for item in template.exercises
        if item.get("id") in catalogue.ids()
    )


def start(app: App, actor: Actor, public_id: str, source: str, address: str = "") -> Builder:
    """The builder from a start: "current" (the program now), "plan" (a fresh plan from the latest
    answers, as the screen now stands) or a template's public id. An unknown template: InvalidInput."""
    patient, scope = _open(app, actor, public_id, address, "prescribe_opened")
    blocked, profile = _blocked(scope)
    rows: tuple[Row, ...] = ()
    note = ""
    if source == "plan" and profile is not None:
        judged = ScreenResult(Urgency.clear, "", ())
        rows = _rows_of(plan_program(profile, app.catalogue, unavailable(scope), judged).exercises, {})
    elif source not in ("current", "plan"):
        template = app.database.templates(patient.clinic_id).get(source)
        if template is None:
            raise InvalidInput("template", "not found", "There is no such template in this clinic.")
        rows, note = template_rows(template, app.catalogue), template.note
    else:
        current = current_program(scope)
        if current is not None and not current.paused:
            rows = _rows_of(current.exercises, _prescribed_reasons(scope, current))
    return _builder(app, scope, patient, Draft(rows, note=note), blocked, profile)


def builder(app: App, actor: Actor, public_id: str, draft: Draft, address: str = "", add: str = "") -> Builder:
    """The builder for a draft being edited (an audited read: it checks the draft against the
    record). `add`: a catalogue exercise to add, at its starting dose for this patient."""
    patient, scope = _open(app, actor, public_id, address, "prescribe_draft")
    blocked, profile = _blocked(scope)
    if add in app.catalogue.ids() and add not in {r.exercise_id for r in draft.rows}:
        exercise = app.catalogue.get(add)
        dose = starting_dose(exercise, profile.sessions_per_day if profile is not None else 1)
        draft = replace(draft, rows=(*draft.rows, Row(add, dose)))
    return _builder(app, scope, patient, draft, blocked, profile)


def _builder(
    app: App, scope: Scope, patient: PatientEntry, draft: Draft, blocked: str | None, profile: Profile | None
) -> Builder:
    catalogue, paused = app.catalogue, unavailable(scope)
    problems = [] if profile is None else refusals(draft.rows, profile, catalogue, paused)
    problems += input_problems(draft.rows, catalogue) if draft.rows else []
    taken = {r.exercise_id for r in draft.rows}
    choices, left_out = [], []
    for exercise in catalogue:
        if exercise.is_aerobic or exercise.id in taken:
            continue
        why = paused.get(exercise.id) or (ruled_out_because(profile, exercise) if profile is not None else None)
        if why is None:
            choices.append(exercise)
        else:
            left_out.append((exercise, why))
    known = [r for r in draft.rows if r.exercise_id in catalogue.ids()]
    total = session_seconds([seconds(catalogue, r) for r in known]) if known else 0
    return Builder(
        patient,
        draft,
        tuple(dict.fromkeys(problems)),
        blocked,
        None if profile is None else profile.minutes_per_session,
        total,
        tuple(choices),
        tuple(left_out),
        tuple(app.database.templates(patient.clinic_id).all()),
        tuple(row_shown(catalogue, r) for r in draft.rows),
        current_program(scope),
        *_in_force(scope),
    )


def _in_force(scope: Scope) -> tuple[str, ReviewMode | None]:
    found = limits_in_force(scope)
    latest = scope.repo.prescriptions.latest()
    if found is None or latest is None:
        return "", None
    return latest.actor, found[0].mode


# Writing: the prescription ------------------------------------------------------------------------


def _why(exercise: Exercise, row: Row, profile: Profile) -> str:
    """Why it is in the program, for the patient: chosen by their physiotherapist, what it works, any
    change their conditions need, and the physiotherapist's reason for a dose outside the sources."""
    parts = [f"Your physiotherapist chose it. It {exercise.works}."]
    parts += [str(p.how) for p in adaptations(profile, exercise)]
    if outside_sources(exercise, row.dose):
        parts.append(f"Your physiotherapist set this dose on purpose: {' '.join(row.reason.split())}")
    return " ".join(parts)


def _what_changed(before: ProgramView | None, rows: tuple[Row, ...], catalogue: Catalogue) -> list[str]:
    was = {} if before is None else {p.id: p.dose for p in before.exercises}
    lines = []
    for row in rows:
        name = catalogue.get(row.exercise_id).name
        if row.exercise_id not in was:
            lines.append(f"Added: {name}.")
        elif was[row.exercise_id] != row.dose:
            lines.append(f"New dose: {name}.")
    now = {r.exercise_id for r in rows}
    lines += [f"Taken out: {catalogue.get(i).name}." for i in was if i not in now and i in catalogue.ids()]
    return lines


def _refuse_unless_safe(scope: Scope, draft: Draft) -> Profile:
    """The hard rules, before anything is written: PrescriptionRefused with every problem found."""
    blocked, profile = _blocked(scope)
    if blocked is not None or profile is None:
        raise PrescriptionRefused([blocked or NO_ANSWERS])
    problems = refusals(draft.rows, profile, scope.catalogue, unavailable(scope))
    problems += input_problems(draft.rows, scope.catalogue)
    if len(draft.note) > NOTE_LENGTH:
        problems.append(f"Keep the note to the patient under {NOTE_LENGTH} characters.")
    if problems:
        raise PrescriptionRefused(list(dict.fromkeys(problems)))
    return profile


def prescribe(app: App, actor: Actor, public_id: str, draft: Draft, address: str = "") -> ProgramView:
    """Save the draft as the patient's new program version, with the review's limits; audited as
    `program_prescribed`. Refused (PrescriptionRefused, nothing stored) by any hard rule."""
    patient = clinic.open_patient(app, actor, public_id, Action.change_record, address, audit=False)
    scope = Scope(app, actor, patient.person_id)
    with scope.changing():
        profile = _refuse_unless_safe(scope, draft)
        catalogue, repo = scope.catalogue, scope.writer()
        planned = []
        for row in draft.rows:
            exercise = catalogue.get(row.exercise_id)
            planned.append(
                PlannedExercise(
                    exercise, row.dose, exercise_seconds(row.dose, exercise.pace), _why(exercise, row, profile)
                )
            )
        note = " ".join(draft.note.split())
        reason = f"Changed by your physiotherapist: {note}" if note else "Changed by your physiotherapist."
        notes = [
            f"{catalogue.get(r.exercise_id).name}: {'; '.join(outside_sources(catalogue.get(r.exercise_id), r.dose))}."
            f" Your physiotherapist's reason: {' '.join(r.reason.split())}"
            for r in draft.rows
            if outside_sources(catalogue.get(r.exercise_id), r.dose)
        ]
        notes += _what_changed(current_program(scope), draft.rows, catalogue)
        prescribed = {
            "review": draft.review.value,
            "doses": {r.exercise_id: {"dose": asdict(r.dose), "reason": r.reason.strip()} for r in draft.rows},
            "account_id": actor.account_id,
            "actor": actor.name,
        }
        saved = repo.save_program(
            repo.latest_profile_id(),
            exercises_json(planned),
            reason,
            [],
            explanation_json(Explanation("prescribed", reason, notes=tuple(notes))),
            scope.now(),
            prescribed=prescribed,
        )
    detail = f"version {saved.version}; review {draft.review.value}; " + ", ".join(r.exercise_id for r in draft.rows)
    clinic.audit_staff(app, actor, "program_prescribed", address, patient.public_id, detail)
    return program_view(saved, catalogue)


def limits_in_force(scope: Scope) -> tuple[ReviewLimits, int] | None:
    """The latest prescription's limits and the version it made, while it is in force: no version
    since was planned afresh from the patient's answers (`NEW_PLAN`). None otherwise."""
    found = scope.repo.prescriptions.latest()
    if found is None:
        return None
    versions = scope.repo.programs()
    made = next((v.version for v in versions if v.id == found.program_id), None)
    if made is None:
        return None
    for later in versions:
        code = (later.explanation or {}).get("reason_code")
        if later.version > made and code in NEW_PLAN:
            return None
    ceiling = {key: Dose(**item["dose"]) for key, item in found.doses.items()}
    return ReviewLimits(ReviewMode(found.review), ceiling), made


# A clinic's templates -----------------------------------------------------------------------------


def _staff(actor: Actor) -> int:
    if actor.role not in STAFF or actor.clinic_id is None:
        raise NotAllowed("Only a clinic's staff keep its templates.")
    return actor.clinic_id


def templates(app: App, actor: Actor) -> list[TemplateRecord]:
    return app.database.templates(_staff(actor)).all()


def save_template(app: App, actor: Actor, name: str, draft: Draft, address: str = "") -> TemplateRecord:
    """A draft kept as one of the clinic's templates: checked as input (each patient's own rules are
    checked when it is prescribed), audited as `template_created`."""
    clinic_id = _staff(actor)
    cleaned = " ".join(name.split())
    problems = [] if 1 <= len(cleaned) <= 200 else ["Give the template a name of 1 to 200 characters."]
    problems += input_problems(draft.rows, app.catalogue)
    if problems:
        raise PrescriptionRefused(list(dict.fromkeys(problems)))
    items: list[dict[str, Any]] = [
        {"id": r.exercise_id, "dose": asdict(r.dose), "reason": " ".join(r.reason.split())} for r in draft.rows
    ]
    saved = app.database.templates(clinic_id).add(
        cleaned, items, " ".join(draft.note.split())[:NOTE_LENGTH], actor.account_id, app.now()
    )
    clinic.audit_staff(app, actor, "template_created", address, detail=f"{saved.public_id} {cleaned}")
    return saved


def delete_template(app: App, actor: Actor, template_id: str, address: str = "") -> TemplateRecord:
    """Delete one of the clinic's templates (NotFound for another clinic's, or none); audited."""
    found = app.database.templates(_staff(actor)).delete(template_id)
    if found is None:
        raise NotFound("There is no such template.")
    clinic.audit_staff(app, actor, "template_deleted", address, detail=f"{found.public_id} {found.name}")
    return found
