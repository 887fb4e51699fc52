"""One clinic's patients, staff and care teams, and its audit trail. A `ClinicDirectory` is made for
one clinic and every query it runs is limited to that clinic, so a forgotten check elsewhere can
never hand out another clinic's patient: that patient is simply not found.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.access import PatientRef
from backcoach.storage import clinic_tables as c
from backcoach.storage import tables as t
from backcoach.storage.accounts import AccountRecord, account_record

AUDIT_PAGE = 200  # rows on one page of the audit trail


@dataclass(frozen=True)
class PatientEntry:
    person_id: int
    public_id: str
    clinic_id: int
    name: str
    email: str
    created_at: datetime
    care_team: frozenset[int]  # staff account ids
    deletion_requested_at: datetime | None
    has_password: bool  # False until the invitation is accepted

    @property
    def ref(self) -> PatientRef:
        return PatientRef(self.person_id, self.clinic_id, self.care_team)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    patient_public_id: str | None
    detail: str
    address: str


class ClinicDirectory:
    def __init__(self, sessions: sessionmaker[OrmSession], clinic_id: int) -> None:
        self._sessions = sessions
        self.clinic_id = clinic_id

    # Patients -----------------------------------------------------------------------------------

    def _patients(self, db: OrmSession, *where: object, limit: int | None = None) -> list[PatientEntry]:
        query = (
            select(c.ClinicPatient, c.Account.email, c.Account.password_hash)
            .join(c.Account, c.Account.person_id == c.ClinicPatient.person_id)
            .where(c.ClinicPatient.clinic_id == self.clinic_id, *where)  # type: ignore[arg-type]
            .order_by(c.ClinicPatient.name, c.ClinicPatient.person_id)
            .limit(limit)
        )
        found = db.execute(query).all()
        ids = [row.person_id for row, _, _ in found]
        teams: dict[int, set[int]] = {i: set() for i in ids}
        if ids:
            for person_id, account_id in db.execute(
                select(c.CareTeam.person_id, c.CareTeam.account_id).where(c.CareTeam.person_id.in_(ids))
            ):
                teams[person_id].add(account_id)
        return [
            PatientEntry(
                row.person_id,
                row.public_id,
                row.clinic_id,
                row.name,
                email,
                row.created_at,
                frozenset(teams[row.person_id]),
                row.deletion_requested_at,
                password_hash is not None,
            )
            for row, email, password_hash in found
        ]

    def patient(self, public_id: str) -> PatientEntry | None:
        with self._sessions() as db:
            found = self._patients(db, c.ClinicPatient.public_id == public_id)
            return found[0] if found else None

    def patient_by_person(self, person_id: int) -> PatientEntry | None:
        with self._sessions() as db:
            found = self._patients(db, c.ClinicPatient.person_id == person_id)
            return found[0] if found else None

    def patients(self, cared_for_by: int | None = None, limit: int = 500) -> list[PatientEntry]:
        """The clinic's patients by name; with `cared_for_by`, only those in that person's care team."""
        with self._sessions() as db:
            if cared_for_by is None:
                return self._patients(db, limit=limit)
            mine = select(c.CareTeam.person_id).where(c.CareTeam.account_id == cared_for_by)
            return self._patients(db, c.ClinicPatient.person_id.in_(mine), limit=limit)

    def add_patient(self, name: str, email: str, created_by: int, now: datetime) -> tuple[PatientEntry, AccountRecord]:
        """A new person, their place in this clinic, their account (no password yet) and, when a
        physiotherapist brings them in, that physiotherapist in their care team: one transaction."""
        with self._sessions.begin() as db:
            person = t.Person(created_at=now, name="")
            db.add(person)
            db.flush()
            db.add(
                c.ClinicPatient(
                    person_id=person.id, clinic_id=self.clinic_id, name=name, created_at=now, created_by=created_by
                )
            )
            account = c.Account(
                clinic_id=self.clinic_id, role="patient", email=email, name=name, created_at=now, person_id=person.id
            )
            db.add(account)
            db.add(c.PatientStatus(person_id=person.id, clinic_id=self.clinic_id))  # dirty until first read
            creator = db.get(c.Account, created_by)
            if creator is not None and creator.clinic_id == self.clinic_id and creator.role == "physio":
                db.add(c.CareTeam(person_id=person.id, account_id=created_by, added_at=now))
            db.flush()
            entry = self._patients(db, c.ClinicPatient.person_id == person.id)[0]
            return entry, account_record(account)

    def add_to_care_team(self, person_id: int, account_id: int, now: datetime) -> bool:
        """False when the patient or the physiotherapist is not this clinic's."""
        with self._sessions.begin() as db:
            patient = db.get(c.ClinicPatient, person_id)
            staff = db.get(c.Account, account_id)
            if patient is None or staff is None or patient.clinic_id != self.clinic_id:
                return False
            if staff.clinic_id != self.clinic_id or staff.role != "physio":
                return False
            if db.get(c.CareTeam, (person_id, account_id)) is None:
                db.add(c.CareTeam(person_id=person_id, account_id=account_id, added_at=now))
            return True

    def request_deletion(self, person_id: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            row = db.get(c.ClinicPatient, person_id)
            if row is not None and row.clinic_id == self.clinic_id and row.deletion_requested_at is None:
                row.deletion_requested_at = now

    # Staff --------------------------------------------------------------------------------------

    def staff(self) -> list[AccountRecord]:
        with self._sessions() as db:
            rows = db.scalars(
                select(c.Account)
                .where(c.Account.clinic_id == self.clinic_id, c.Account.role != "patient")
                .order_by(c.Account.name, c.Account.id)
            )
            return [account_record(r) for r in rows]

    def account(self, public_id: str) -> AccountRecord | None:
        with self._sessions() as db:
            row = db.scalars(
                select(c.Account).where(c.Account.clinic_id == self.clinic_id, c.Account.public_id == public_id)
            ).first()
            return None if row is None else account_record(row)

    def patient_count(self) -> int:
        with self._sessions() as db:
            return int(
                db.scalar(
                    select(func.count()).select_from(c.ClinicPatient).where(c.ClinicPatient.clinic_id == self.clinic_id)
                )
                or 0
            )

    # The audit trail ----------------------------------------------------------------------------

    def audit(
        self,
        actor_account_id: int | None,
        actor: str,
        action: str,
        now: datetime,
        patient_public_id: str | None = None,
        detail: str = "",
        address: str = "",
    ) -> None:
        with self._sessions.begin() as db:
            db.add(
                c.AuditEvent(
                    at=now,
                    clinic_id=self.clinic_id,
                    actor_account_id=actor_account_id,
                    actor=actor,
                    action=action,
                    patient_public_id=patient_public_id,
                    detail=detail[:2000],
                    address=address[:64],
                )
            )

    def audit_events(
        self,
        action: str | None = None,
        actor: str | None = None,
        patient_public_id: str | None = None,
        limit: int | None = AUDIT_PAGE,
    ) -> list[AuditRecord]:
        """Newest first, filtered by action, by who (a part of their email) or by patient."""
        query = select(c.AuditEvent).where(c.AuditEvent.clinic_id == self.clinic_id)
        if action:
            query = query.where(c.AuditEvent.action == action)
        if actor:
            query = query.where(c.AuditEvent.actor.contains(actor.lower(), autoescape=True))
        if patient_public_id:
            query = query.where(c.AuditEvent.patient_public_id == patient_public_id)
        with self._sessions() as db:
            rows = db.scalars(query.order_by(c.AuditEvent.id.desc()).limit(limit))
            return [AuditRecord(r.id, r.at, r.actor, r.action, r.patient_public_id, r.detail, r.address) for r in rows]


def audit_csv(events: list[AuditRecord]) -> str:
    """The audit trail as CSV. A cell that a spreadsheet would read as a formula is quoted with a
    leading apostrophe (OWASP's advice on CSV injection)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at (UTC)", "who", "action", "patient", "detail", "address"])
    for e in events:
        cells = [e.at.isoformat(), e.actor, e.action, e.patient_public_id or "", e.detail, e.address]
        writer.writerow(["'" + v if v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in cells])
    return out.getvalue()
