"""Reading prescriptions back, and a clinic's templates. A prescription is written with the program
version it made, in one transaction (`PatientRepository.save_program(prescribed=...)`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.storage.prescription_tables import ClinicTemplate, Prescription

PUBLIC_ID_LENGTH = 36


@dataclass(frozen=True)
class PrescriptionRecord:
    program_id: int
    review: str
    doses: dict[str, Any]
    actor: str
    created_at: datetime


@dataclass(frozen=True)
class TemplateRecord:
    public_id: str
    name: str
    exercises: tuple[dict[str, Any], ...]  # {"id", "dose", "reason"}
    note: str
    created_at: datetime


class PrescriptionRecords:
    """One person's prescriptions. Every query is filtered by `person_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], person_id: int) -> None:
        self._sessions = sessions
        self.person_id = person_id

    def latest(self) -> PrescriptionRecord | None:
        with self._sessions() as db:
            row = db.scalars(
                select(Prescription).where(Prescription.person_id == self.person_id).order_by(Prescription.id.desc())
            ).first()
            if row is None:
                return None
            return PrescriptionRecord(row.program_id, row.review, dict(row.doses), row.actor, row.created_at)


def _template(row: ClinicTemplate) -> TemplateRecord:
    return TemplateRecord(row.public_id, row.name, tuple(row.exercises), row.note, row.created_at)


class ClinicTemplates:
    """One clinic's saved programs, and nobody else's: every query is filtered by `clinic_id`."""

    def __init__(self, sessions: sessionmaker[OrmSession], clinic_id: int) -> None:
        self._sessions = sessions
        self.clinic_id = clinic_id

    def add(
        self, name: str, exercises: list[dict[str, Any]], note: str, created_by: int | None, now: datetime
    ) -> TemplateRecord:
        with self._sessions.begin() as db:
            row = ClinicTemplate(
                clinic_id=self.clinic_id,
                name=name,
                exercises=exercises,
                note=note,
                created_by=created_by,
                created_at=now,
            )
            db.add(row)
            db.flush()
            return _template(row)

    def all(self) -> list[TemplateRecord]:
        with self._sessions() as db:
            rows = db.scalars(
                select(ClinicTemplate)
                .where(ClinicTemplate.clinic_id == self.clinic_id)
                .order_by(ClinicTemplate.name, ClinicTemplate.id)
            )
            return [_template(r) for r in rows]

    def get(self, public_id: str) -> TemplateRecord | None:
        if len(public_id) > PUBLIC_ID_LENGTH:
            return None
        with self._sessions() as db:
            row = db.scalars(
                select(ClinicTemplate).where(
                    ClinicTemplate.clinic_id == self.clinic_id, ClinicTemplate.public_id == public_id
                )
            ).first()
            return None if row is None else _template(row)

    def delete(self, public_id: str) -> TemplateRecord | None:
        """Delete one template; the one deleted, or None when this clinic has no such template."""
        found = self.get(public_id)
        if found is None:
            return None
        with self._sessions.begin() as db:
            db.execute(
                delete(ClinicTemplate).where(
                    ClinicTemplate.clinic_id == self.clinic_id, ClinicTemplate.public_id == public_id
                )
            )
        return found
