"""Reading and writing history. Each write is its own short transaction, so a crash loses at
most the step in progress.

`Database` does whole-database work (people, export and import). `PatientRepository` is one
person's history and nothing else: it is made for one person id, every query is filtered by
it, and a session, program or activity id of someone else's is simply not found.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext, suppress
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.access import PatientRef
from backcoach.core.errors import AlreadyRecorded, NotFound, SessionEnded
from backcoach.core.history import SessionRecord
from backcoach.core.profile import Profile
from backcoach.core.rules import OutcomeStatus, SessionStatus
from backcoach.core.session_run import ExerciseOutcome
from backcoach.storage import tables as t
from backcoach.storage.accounts import Accounts
from backcoach.storage.alerts import AlertRecords
from backcoach.storage.clinic_directory import ClinicDirectory
from backcoach.storage.clinic_tables import CareTeam, ClinicPatient
from backcoach.storage.database import Sessions
from backcoach.storage.history import HistoryRecords
from backcoach.storage.idempotency import IdempotentRequests
from backcoach.storage.lessons import LessonMarks
from backcoach.storage.locks import lost_a_race, one_at_a_time
from backcoach.storage.notes import ClinicianNotes
from backcoach.storage.patient_status import StatusStore
from backcoach.storage.prescription_tables import Prescription
from backcoach.storage.prescriptions import ClinicTemplates, PrescriptionRecords
from backcoach.storage.psfs import PsfsRecords
from backcoach.storage.records import (
    LastCheckIn,
    PersonRecord,
    ProgramRecord,
    ReminderRecord,
    ReviewRecord,
    ScreeningRecord,
    SessionState,
    StoredOutcome,
)
from backcoach.storage.safety import SafetyRecords
from backcoach.storage.time_zone import chosen_time_zone

MAX_ID = 2**63 - 1  # ids beyond what the databases store name nothing
# The people who are nobody's patient in a clinic: on one machine, the local person.
LOCAL_PEOPLE = select(t.Person).where(
    ~select(ClinicPatient.person_id).where(ClinicPatient.person_id == t.Person.id).exists()
)
# Read on every request on one machine: built once, of the two columns, on the tables themselves.
_PEOPLE, _PATIENTS = t.Person.__table__.c, ClinicPatient.__table__.c
FIRST_LOCAL_PERSON = (
    select(_PEOPLE.id, _PEOPLE.created_at)
    .where(~select(_PATIENTS.person_id).where(_PATIENTS.person_id == _PEOPLE.id).exists())
    .order_by(_PEOPLE.id)
    .limit(1)
)
# Read by nearly every page and use case (the program, the profile, the warning signs): built
# once on the tables, given only the person, their rows read without the ORM's bookkeeping.
_PROGRAMS, _PROFILES, _SCREENINGS = (table.__table__ for table in (t.ProgramVersion, t.ProfileVersion, t.Screening))
PROGRAMS_OF = select(_PROGRAMS).where(_PROGRAMS.c.person_id == bindparam("person")).order_by(_PROGRAMS.c.version)
LATEST_PROFILE = (
    select(_PROFILES.c.data)
    .where(_PROFILES.c.person_id == bindparam("person"))
    .order_by(_PROFILES.c.id.desc())
    .limit(1)
)
WARNINGS_OF = (
    select(_SCREENINGS)
    .where(_SCREENINGS.c.person_id == bindparam("person"), _SCREENINGS.c.status != "ok")
    .order_by(_SCREENINGS.c.id.desc())
)


class Database:
    def __init__(self, sessions: sessionmaker[OrmSession]) -> None:
        self.sessions = sessions
        self.idempotent = IdempotentRequests(sessions)  # answers kept for requests sent again
        self.status = StatusStore(sessions)  # the clinic's per-patient summaries (marked dirty on every write)
        self.accounts = Accounts(sessions)
        # SQLite: the database is a file of this machine, its reads wait on no network.
        self.is_sqlite: bool = sessions.kw["bind"].dialect.name == "sqlite"

    def one_read(self) -> AbstractContextManager[None]:
        """Reads inside share one session where that saves round trips (`Sessions.one_read`)."""
        return self.sessions.one_read() if isinstance(self.sessions, Sessions) else nullcontext()

    def clinic(self, clinic_id: int) -> ClinicDirectory:
        """One clinic's patients, staff and audit trail, and nobody else's."""
        return ClinicDirectory(self.sessions, clinic_id)

    def templates(self, clinic_id: int) -> ClinicTemplates:
        """One clinic's saved programs, and nobody else's."""
        return ClinicTemplates(self.sessions, clinic_id)

    def find_first_person(self) -> PersonRecord | None:
        """The local person: the first who is nobody's patient in a clinic."""
        with self.sessions() as db:
            row = db.execute(FIRST_LOCAL_PERSON).first()
            return None if row is None else PersonRecord(row.id, row.created_at)

    def first_person(self, now: datetime) -> PersonRecord:
        """The single local person, created on first use (once, however many requests ask at once)."""
        with self.sessions.begin() as db:
            one_at_a_time(db, "first person")
            row = db.scalars(LOCAL_PEOPLE.order_by(t.Person.id)).first()
            if row is None:
                row = t.Person(created_at=now)
                db.add(row)
                db.flush()
            return PersonRecord(row.id, row.created_at)

    def add_person(self, now: datetime, name: str = "") -> PersonRecord:
        with self.sessions.begin() as db:
            row = t.Person(created_at=now, name=name)
            db.add(row)
            db.flush()
            return PersonRecord(row.id, row.created_at)

    def person(self, person_id: int) -> PersonRecord | None:
        with self.sessions() as db:
            row = db.get(t.Person, person_id) if 0 < person_id <= MAX_ID else None
            return None if row is None else PersonRecord(row.id, row.created_at)

    def patient_ref(self, person_id: int) -> PatientRef | None:
        """What the access policy needs about a person: their clinic (None for the local person)
        and their care team; None when there is no such person."""
        if not 0 < person_id <= MAX_ID:
            return None
        with self.sessions() as db:
            found = db.execute(
                select(t.Person.id, ClinicPatient.clinic_id)
                .outerjoin(ClinicPatient, ClinicPatient.person_id == t.Person.id)
                .where(t.Person.id == person_id)
            ).first()
            if found is None:
                return None
            clinic_id = found[1]
            if clinic_id is None:  # the local person: no care team
                return PatientRef(person_id, None, frozenset())
            team = db.scalars(select(CareTeam.account_id).where(CareTeam.person_id == person_id))
            return PatientRef(person_id, clinic_id, frozenset(team))

    def patient(self, person_id: int) -> PatientRepository:
        return PatientRepository(self.sessions, person_id)


def _program(row: t.ProgramVersion | Row[Any]) -> ProgramRecord:
    return ProgramRecord(
        row.id,
        row.version,
        row.created_at,
        row.profile_id,
        row.reason,
        tuple(row.exercises),
        tuple(row.changes or ()),
        row.explanation,
    )


def _outcome_row(session_id: int, outcome: ExerciseOutcome, now: datetime) -> t.ExerciseOutcomeRow:
    pain = outcome.pain
    return t.ExerciseOutcomeRow(
        session_id=session_id,
        exercise_id=outcome.exercise_id,
        status=outcome.status.value,
        dose=asdict(outcome.dose),
        pain_kind=pain.kind.value if pain else None,
        pain_score=pain.score if pain else None,
        pain_place=pain.place.value if pain else None,
        recorded_at=now,
    )


def _screening(row: t.Screening | Row[Any]) -> ScreeningRecord:
    return ScreeningRecord(row.id, row.answered_at, dict(row.answers), row.status, row.after_session_id)


def _state(row: t.Session) -> SessionState:
    plan = None if row.plan is None else tuple(row.plan)
    return SessionState(row.id, row.program_id, row.started_at, row.status, plan, row.pending_pain, row.pain_before)


def _stored_outcomes(db: OrmSession, session_id: int) -> list[StoredOutcome]:
    rows = db.scalars(
        select(t.ExerciseOutcomeRow)
        .where(t.ExerciseOutcomeRow.session_id == session_id)
        .order_by(t.ExerciseOutcomeRow.id)
    )
    return [StoredOutcome(r.exercise_id, r.status, dict(r.dose), r.pain_kind, r.pain_score, r.pain_place) for r in rows]


def _set_aside(row: t.Session, status: str, now: datetime) -> None:
    row.status = status
    row.ended_at = now
    row.pending_pain = None


class PatientRepository:
    """One person's history. Every read and write is limited to `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id
        self.safety = SafetyRecords(sessions, person_id)
        self.past = HistoryRecords(sessions, person_id)  # sessions read back: all, a page, day by day
        self.lessons = LessonMarks(sessions, person_id)  # lessons read, and the last one offered
        self.alerts = AlertRecords(sessions, person_id)  # what the alert rules read, and acknowledgements
        self.psfs = PsfsRecords(sessions, person_id)  # the functional scale's activities and ratings
        self.notes = ClinicianNotes(sessions, person_id)  # the care team's notes on the record
        self.prescriptions = PrescriptionRecords(sessions, person_id)  # a physiotherapist's, read back

    def _own_session(self, db: OrmSession, session_id: int) -> t.Session:
        row = db.get(t.Session, session_id) if 0 < session_id <= MAX_ID else None
        if row is None or row.person_id != self.person_id:
            raise NotFound(f"There is no session {session_id} of yours.")
        return row

    def _open_for_change(self, db: OrmSession, session_id: int) -> t.Session:
        """The session, locked for this transaction (PostgreSQL; a SQLite write holds the whole
        database), and still open: a finish that came first is never undone by a later write."""
        row = db.get(t.Session, session_id, with_for_update=True) if 0 < session_id <= MAX_ID else None
        if row is None or row.person_id != self.person_id:
            raise NotFound(f"There is no session {session_id} of yours.")
        if row.status != SessionStatus.in_progress:
            raise SessionEnded(session_id)
        return row

    # Screening and profile ---------------------------------------------------------------

    def save_screening(self, answers: Mapping[str, Any], status: str, now: datetime) -> None:
        """Store the answers, marked with the newest checked-in session they come after."""
        with self._sessions.begin() as db:
            after = db.scalar(
                select(func.max(t.Session.id))
                .join(t.CheckIn, t.CheckIn.session_id == t.Session.id)
                .where(t.Session.person_id == self.person_id)
            )
            db.add(
                t.Screening(
                    person_id=self.person_id,
                    answered_at=now,
                    answers=dict(answers),
                    status=status,
                    after_session_id=after,
                )
            )

    def warnings(self) -> list[ScreeningRecord]:
        """Every screening with a warning sign, newest first, whatever came after each."""
        with self._sessions() as db:
            return [_screening(row) for row in db.connection().execute(WARNINGS_OF, {"person": self.person_id})]

    def latest_screening(self) -> ScreeningRecord | None:
        with self._sessions() as db:
            row = db.scalars(
                select(t.Screening).where(t.Screening.person_id == self.person_id).order_by(t.Screening.id.desc())
            ).first()
            if row is None:
                return None
            return _screening(row)

    def save_profile(self, profile: Profile, now: datetime) -> int:
        with self._sessions.begin() as db:
            row = t.ProfileVersion(person_id=self.person_id, created_at=now, data=profile.model_dump(mode="json"))
            db.add(row)
            db.flush()
            return row.id

    def profile(self, profile_id: int) -> Profile:
        with self._sessions() as db:
            row = db.get(t.ProfileVersion, profile_id) if 0 < profile_id <= MAX_ID else None
            if row is None or row.person_id != self.person_id:
                raise NotFound(f"There is no profile {profile_id} of yours.")
            return Profile.model_validate(row.data, context={"stored": True})

    def latest_profile_id(self) -> int:
        with self._sessions() as db:
            found = db.scalar(select(func.max(t.ProfileVersion.id)).where(t.ProfileVersion.person_id == self.person_id))
            if found is None:
                raise NotFound("There is no profile yet.")
            return int(found)

    def latest_profile(self) -> Profile | None:
        """The profile as it was stored. It is not checked against today's screening questions:
        a profile saved before a question was added still loads (re-screening is a use case)."""
        with self._sessions() as db:
            data = db.connection().execute(LATEST_PROFILE, {"person": self.person_id}).scalar()
        return None if data is None else Profile.model_validate(data, context={"stored": True})

    # Programs ------------------------------------------------------------------------------

    def save_program(
        self,
        profile_id: int,
        exercises: list[dict[str, Any]],
        reason: str,
        changes: list[dict[str, Any]],
        explanation: dict[str, Any],
        now: datetime,
        prescribed: dict[str, Any] | None = None,
    ) -> ProgramRecord:
        """A new program version. `prescribed` (review, doses, account_id, actor): a physiotherapist
        made it, and their prescription is written with it, in the same transaction."""
        with self._sessions.begin() as db:
            one_at_a_time(db, f"program of {self.person_id}")  # two saves at once number their versions in turn
            latest = db.scalar(
                select(func.max(t.ProgramVersion.version)).where(t.ProgramVersion.person_id == self.person_id)
            )
            row = t.ProgramVersion(
                person_id=self.person_id,
                version=(latest or 0) + 1,
                created_at=now,
                profile_id=profile_id,
                reason=reason,
                exercises=exercises,
                changes=changes,
                explanation=explanation,
            )
            db.add(row)
            db.flush()
            if prescribed is not None:
                db.add(Prescription(person_id=self.person_id, program_id=row.id, created_at=now, **prescribed))
            return _program(row)

    def current_program(self) -> ProgramRecord | None:
        with self._sessions() as db:
            row = db.scalars(
                select(t.ProgramVersion)
                .where(t.ProgramVersion.person_id == self.person_id)
                .order_by(t.ProgramVersion.version.desc())
            ).first()
            return None if row is None else _program(row)

    def program(self, program_id: int) -> ProgramRecord:
        with self._sessions() as db:
            row = db.get(t.ProgramVersion, program_id) if 0 < program_id <= MAX_ID else None
            if row is None or row.person_id != self.person_id:
                raise NotFound(f"There is no program {program_id} of yours.")
            return _program(row)

    def programs(self) -> list[ProgramRecord]:
        with self._sessions() as db:
            return [_program(row) for row in db.connection().execute(PROGRAMS_OF, {"person": self.person_id})]

    # Sessions and what happened in them -------------------------------------------------

    def start_session(
        self,
        program_id: int,
        plan: list[dict[str, Any]],
        pain_before: int | None,
        now: datetime,
        set_aside: int | None = None,
    ) -> int:
        """Open a new session. With `set_aside`, that open session is ended first ("quit"), in the
        same transaction (one write to disk for both); one that has ended meanwhile stays as it ended."""
        with self._sessions.begin() as db:
            program = db.get(t.ProgramVersion, program_id) if 0 < program_id <= MAX_ID else None
            if program is None or program.person_id != self.person_id:
                raise NotFound(f"There is no program {program_id} of yours.")
            if set_aside is not None:
                with suppress(SessionEnded):
                    _set_aside(self._open_for_change(db, set_aside), SessionStatus.quit, now)
                    db.flush()  # before the insert: one open session at a time
            row = t.Session(
                person_id=self.person_id,
                program_id=program_id,
                started_at=now,
                status=SessionStatus.in_progress,
                plan=plan,
                pain_before=pain_before,
            )
            db.add(row)
            try:
                db.flush()
            except IntegrityError as error:  # another device opened one at the same moment
                if not lost_a_race(error):
                    raise
                raise AlreadyRecorded("A session is already open: carry on with it.") from None
            return row.id

    def session(self, session_id: int) -> SessionState:
        with self._sessions() as db:
            return _state(self._own_session(db, session_id))

    def open_session(self) -> SessionState | None:
        """The newest session that was never finished, if any: it can be resumed."""
        with self._sessions() as db:
            row = db.scalars(
                select(t.Session)
                .where(t.Session.person_id == self.person_id, t.Session.status == SessionStatus.in_progress)
                .order_by(t.Session.id.desc())
            ).first()
            return None if row is None else _state(row)

    def sessions_taken_between(self, start: datetime, end: datetime, ending: int | None = None) -> int:
        """How many sessions started in [start, end), are no longer open (or are the open session
        `ending`, about to be set aside), and got as far as one exercise tried (a session left
        before anything happened, or with every exercise skipped, does not use up one of the
        day's sessions)."""
        with self._sessions() as db:
            began = (
                select(t.ExerciseOutcomeRow.id)
                .where(
                    t.ExerciseOutcomeRow.session_id == t.Session.id,
                    t.ExerciseOutcomeRow.status != OutcomeStatus.skipped,
                )
                .exists()
            )
            return int(
                db.scalar(
                    select(func.count())
                    .select_from(t.Session)
                    .where(
                        t.Session.person_id == self.person_id,
                        t.Session.started_at >= start,
                        t.Session.started_at < end,
                        or_(t.Session.status != SessionStatus.in_progress, t.Session.id == (ending or 0)),
                        began,
                    )
                )
                or 0
            )

    def set_pain_before(self, session_id: int, pain_before: int) -> None:
        with self._sessions.begin() as db:
            self._open_for_change(db, session_id).pain_before = pain_before

    def set_session_state(
        self, session_id: int, plan: list[dict[str, Any]] | None, pending_pain: dict[str, Any] | None
    ) -> None:
        with self._sessions.begin() as db:
            row = self._open_for_change(db, session_id)
            if plan is not None:
                row.plan = plan
            row.pending_pain = pending_pain

    def record_outcome(
        self, session_id: int, outcome: ExerciseOutcome, now: datetime, pending_pain: dict[str, Any] | None = None
    ) -> None:
        """Save one exercise's outcome and the session's pending pain choice (or none) together."""
        with self._sessions.begin() as db:
            row = self._open_for_change(db, session_id)
            row.pending_pain = pending_pain
            self._add_outcome(db, session_id, outcome, now)

    def _add_outcome(self, db: OrmSession, session_id: int, outcome: ExerciseOutcome, now: datetime) -> None:
        db.add(_outcome_row(session_id, outcome, now))
        try:
            db.flush()
        except IntegrityError as error:  # the same outcome sent twice at once (a double tap, two devices)
            if not lost_a_race(error):
                raise
            raise AlreadyRecorded(f"{outcome.exercise_id} already has an outcome in this session.") from None

    def save_choice(
        self, session_id: int, outcome: ExerciseOutcome | None, plan: list[dict[str, Any]], now: datetime
    ) -> None:
        """After a pain-stop choice: its outcome (if it ended the exercise), the session's new plan,
        and the cleared choice, in one transaction, so a crash keeps all of it or none."""
        with self._sessions.begin() as db:
            row = self._open_for_change(db, session_id)
            if row.pending_pain is None or row.pending_pain.get("ended"):  # chosen a moment ago, by another request
                raise AlreadyRecorded("That choice is already made.")
            row.plan = plan
            row.pending_pain = None
            if outcome is not None:
                self._add_outcome(db, session_id, outcome, now)

    def outcomes(self, session_id: int) -> list[StoredOutcome]:
        with self._sessions() as db:
            self._own_session(db, session_id)
            return _stored_outcomes(db, session_id)

    def session_with_outcomes(self, session_id: int) -> tuple[SessionState, list[StoredOutcome]]:
        """The session and its outcomes so far, read together (one transaction)."""
        with self._sessions() as db:
            return _state(self._own_session(db, session_id)), _stored_outcomes(db, session_id)

    def end_session(self, session_id: int, status: str, now: datetime) -> None:
        """Set an open session aside; one that has ended meanwhile (a finish from another device) stays as it ended."""
        with self._sessions.begin() as db:
            try:
                row = self._open_for_change(db, session_id)
            except SessionEnded:
                return
            _set_aside(row, status, now)

    def finish_session(
        self,
        session_id: int,
        status: str,
        pain_before: int | None,
        pain_after: int | None,
        difficulty: str | None,
        now: datetime,
    ) -> None:
        """End a session and store its check-in together: both are saved, or neither. A second finish
        (a double tap, two devices at once) is refused and changes nothing."""
        with self._sessions.begin() as db:
            row = self._open_for_change(db, session_id)
            row.status = status
            row.ended_at = now
            if row.pending_pain is not None and not row.pending_pain.get("ended"):
                row.pending_pain = None  # a choice no longer waits; a stop that ended it stays on record
            db.add(
                t.CheckIn(
                    session_id=session_id,
                    pain_before=pain_before,
                    pain_after=pain_after,
                    difficulty=difficulty,
                    recorded_at=now,
                )
            )

    def last_check_in(self) -> LastCheckIn | None:
        with self._sessions() as db:
            found = db.execute(
                select(
                    t.Session.id,
                    t.Session.ended_at,
                    t.CheckIn.pain_before,
                    t.CheckIn.pain_after,
                    t.Session.pending_pain,
                )
                .join(t.CheckIn, t.CheckIn.session_id == t.Session.id)
                .where(t.Session.person_id == self.person_id)
                .order_by(t.Session.id.desc())
                .limit(1)
            ).first()
            if found is None or found[1] is None:
                return None
            stops = db.execute(
                select(t.ExerciseOutcomeRow.pain_score, t.ExerciseOutcomeRow.pain_place).where(
                    t.ExerciseOutcomeRow.session_id == found[0], t.ExerciseOutcomeRow.pain_score.is_not(None)
                )
            ).all()
            reports = [(score, place) for score, place in stops]
            ended = found[4]  # a stop in the rest between exercises
            if ended is not None and ended.get("ended"):
                reports.append((int(ended["pain"]["score"]), str(ended["pain"]["place"])))
            scores = tuple(score for score, _ in reports if score is not None)
            legs = any(place == "legs" for _, place in reports)
            return LastCheckIn(found[0], found[1], found[2], found[3], scores, legs)

    # Reviews ----------------------------------------------------------------------------------

    def save_review(
        self,
        period_start: datetime,
        program_id: int | None,
        advice: list[str],
        alarm: bool,
        pain_level: float | None,
        now: datetime,
    ) -> None:
        with self._sessions.begin() as db:
            db.add(
                t.Review(
                    person_id=self.person_id,
                    reviewed_at=now,
                    period_start=period_start,
                    program_id=program_id,
                    advice=advice,
                    alarm=alarm,
                    pain_level=pain_level,
                )
            )

    def last_review(self) -> ReviewRecord | None:
        recent = self.recent_reviews(1)
        return recent[0] if recent else None

    def recent_reviews(self, count: int) -> list[ReviewRecord]:
        """The newest `count` reviews, newest first."""
        with self._sessions() as db:
            rows = db.scalars(
                select(t.Review).where(t.Review.person_id == self.person_id).order_by(t.Review.id.desc()).limit(count)
            )
            return [ReviewRecord(row.reviewed_at, row.pain_level, row.alarm) for row in rows]

    # Reminders ------------------------------------------------------------------------------

    def time_zone(self) -> str | None:
        """The time zone the person chose with their reminders, or None."""
        with self._sessions() as db:
            return chosen_time_zone(db, self.person_id)

    def reminders(self) -> ReminderRecord | None:
        with self._sessions() as db:
            row = db.get(t.ReminderSettings, self.person_id)
            if row is None:
                return None
            return ReminderRecord(tuple(row.times), row.timezone, row.alarm_minutes, row.updated_at)

    def save_reminders(self, times: list[str], timezone: str, alarm_minutes: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.merge(
                t.ReminderSettings(
                    person_id=self.person_id,
                    times=times,
                    timezone=timezone,
                    alarm_minutes=alarm_minutes,
                    updated_at=now,
                )
            )

    # History for the pure core --------------------------------------------------------------

    def history(self, since: datetime | None = None, after: datetime | None = None) -> list[SessionRecord]:
        """Sessions with their outcomes and check-in, oldest first: all, or those started at `since`
        or later, or strictly `after` a moment (the last review's). See `storage.history`."""
        return self.past.sessions(since, after)
