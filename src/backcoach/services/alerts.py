"""A patient's alerts: the facts gathered from their record (a bounded window, `storage.alerts`), the
pure rules of `core.alerts`, and a clinician's acknowledgement with a note, in the audit trail.

Staff reach a patient's alerts only through the one policy: reading them takes `read_record`,
acknowledging one `change_record`; outside the policy the patient is "not found" (404), exactly as
`services.clinic.open_patient` answers. An acknowledged alert is not shown again until the facts
change, since a new fact makes a new key. A patient sees only the alerts about their own pain, in
their words (`my_alerts`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backcoach.core.access import Action, Actor, PatientRef, Role, allowed
from backcoach.core.alerts import (
    STOP_WINDOW,
    Alert,
    AlertFacts,
    AlertKind,
    AlertThresholds,
    StopFact,
    WarningFact,
    alerts_for,
)
from backcoach.core.errors import NotAllowed, NotFound
from backcoach.core.notes import check_note
from backcoach.services.clearances import standing_warning
from backcoach.services.clinic import NO_SUCH_PATIENT, open_patient
from backcoach.services.context import App, Scope
from backcoach.services.thresholds import clinic_thresholds
from backcoach.storage.alerts import AckRecord

NO_SUCH_ALERT = "There is no such alert now: it may have changed since you looked. Look at the alerts again."


@dataclass(frozen=True)
class PatientNotice:
    """An alert as the patient sees it: their own words only, never the clinician's."""

    kind: AlertKind
    key: str
    words: str


def _named(scope: Scope, stop: StopFact) -> StopFact:
    ids = scope.catalogue.ids()
    return replace(stop, exercise_name=scope.catalogue.get(stop.exercise_id).name) if stop.exercise_id in ids else stop


def alert_facts(scope: Scope) -> AlertFacts:
    """What the rules read of this scope's record, as of now."""
    window = scope.repo.alerts.window(scope.now() - STOP_WINDOW)
    standing = standing_warning(scope)
    warning = None
    if standing is not None:
        found = next((w for w in scope.repo.warnings() if w.id == standing.screening_id), None)
        after = found is not None and found.after_session_id is not None
        warning = WarningFact(standing.screening_id, standing.answered_at, standing.status, standing.signs, after)
    return AlertFacts(
        program_since=window.program_since,
        last_session_at=window.last_session_at,
        check_ins=window.check_ins,
        pain_stops=tuple(_named(scope, s) for s in window.pain_stops),
        function=window.function,
        warning=warning,
    )


def _allowed(scope: Scope, action: Action) -> PatientRef | None:
    """The scope's record, if its actor may do `action` to it; None for the local person before
    their first write (no record yet, and nothing to be alerted about)."""
    ref = scope.app.database.patient_ref(scope.patient_id)
    if ref is None:
        if scope.actor.role is Role.local:
            return None
        raise NotFound(NO_SUCH_PATIENT)
    if not allowed(scope.actor, action, ref):
        raise NotFound(NO_SUCH_PATIENT)
    return ref


def _clinic_thresholds(scope: Scope, ref: PatientRef) -> AlertThresholds:
    """The thresholds of the patient's clinic (the cited defaults on one machine), when the caller
    gives none: a clinic's own values cannot be forgotten by a face."""
    return clinic_thresholds(scope.app, ref.clinic_id)


def _care_team_only(actor: Actor) -> None:
    """The clinician's alerts are the care team's (and the one person's on their own machine); a
    patient sees theirs in their own words (`my_alerts`)."""
    if actor.role is Role.patient:
        raise NotAllowed("These alerts are for your care team; yours are on your own pages.")


def current_alerts(scope: Scope, thresholds: AlertThresholds | None = None) -> list[Alert]:
    """Every alert now, acknowledged or not, most urgent first (the policy's `read_record`)."""
    _care_team_only(scope.actor)
    ref = _allowed(scope, Action.read_record)
    if ref is None:
        return []
    return alerts_for(alert_facts(scope), thresholds or _clinic_thresholds(scope, ref), scope.now())


def open_and_acknowledged(
    scope: Scope, thresholds: AlertThresholds | None = None
) -> tuple[list[Alert], list[tuple[Alert, AckRecord]]]:
    """The alerts of now, worked out once: those not acknowledged yet (most urgent first), and
    those a clinician acknowledged, each with who did, when and their note."""
    found = current_alerts(scope, thresholds)
    done = scope.repo.alerts.acknowledged([a.key for a in found])
    return [a for a in found if a.key not in done], [(a, done[a.key]) for a in found if a.key in done]


def patient_alerts(scope: Scope, thresholds: AlertThresholds | None = None) -> list[Alert]:
    """The alerts a clinician has not acknowledged yet, most urgent first."""
    return open_and_acknowledged(scope, thresholds)[0]


def acknowledged_alerts(scope: Scope, thresholds: AlertThresholds | None = None) -> list[tuple[Alert, AckRecord]]:
    """The alerts of now that a clinician has acknowledged, each with who did, when and their note."""
    return open_and_acknowledged(scope, thresholds)[1]


def alerts_of(
    app: App, actor: Actor, patient_public_id: str, thresholds: AlertThresholds | None = None, address: str = ""
) -> list[Alert]:
    """A staff member's view of one patient's open alerts: the read is audited (`open_patient`)."""
    _care_team_only(actor)
    patient = open_patient(app, actor, patient_public_id, Action.read_record, address)
    return patient_alerts(Scope(app, actor, patient.person_id), thresholds)


def acknowledge(
    app: App,
    actor: Actor,
    patient_public_id: str,
    alert_key: str,
    note: str,
    thresholds: AlertThresholds | None = None,
    address: str = "",
) -> AckRecord:
    """A clinician in the care team acknowledges an alert shown now, with a note. It is stored, and
    the audit trail says who acknowledged which alert of whose record (the note stays with the
    record, not in the trail). NotFound outside the policy, and for an alert not shown now."""
    patient = open_patient(app, actor, patient_public_id, Action.change_record, address, audit=False)
    cleaned = check_note(note)
    scope = Scope(app, actor, patient.person_id)
    if alert_key not in {a.key for a in current_alerts(scope, thresholds)}:
        raise NotFound(NO_SUCH_ALERT)
    record = scope.repo.alerts.acknowledge(alert_key, cleaned, actor.account_id, actor.name, app.now())
    app.database.clinic(patient.clinic_id).audit(
        actor.account_id, actor.name, "alert_acknowledged", app.now(), patient.public_id, alert_key, address
    )
    return record


PATIENT_KINDS = (AlertKind.pain_level, AlertKind.pain_rise)


def my_alerts(scope: Scope, thresholds: AlertThresholds | None = None) -> list[PatientNotice]:
    """A patient's own alerts: only those about their pain, in their words. Acknowledged or not:
    a clinician's acknowledgement does not make the patient's pain less."""
    if scope.actor.role not in (Role.patient, Role.local):
        raise NotAllowed("Only a patient sees their own alerts.")
    ref = _allowed(scope, Action.use)
    if ref is None:
        return []
    found = alerts_for(alert_facts(scope), thresholds or _clinic_thresholds(scope, ref), scope.now())
    return [PatientNotice(a.kind, a.key, a.patient_words) for a in found if a.patient_words and a.kind in PATIENT_KINDS]
