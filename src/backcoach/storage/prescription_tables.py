"""The tables of prescribing: a physiotherapist's prescription (the limits it sets on the weekly
review) and a clinic's saved templates. Neither is in a person's export (`info history False`):
the program version a prescription made is, with its reasons; the limits belong to the clinic's
care, and a template belongs to the clinic, not to anyone's record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.storage.clinic_tables import NOT_HISTORY, new_public_id
from backcoach.storage.tables import Base


class Prescription(Base):
    """The program version a physiotherapist made, the review setting chosen with it, and the doses
    prescribed (the review's ceiling). The newest one of a person is the one that may be in force."""

    __tablename__ = "prescription"
    __table_args__ = (Index("ix_prescription_person", "person_id", "id"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    program_id: Mapped[int] = mapped_column(ForeignKey("program_version.id"))
    review: Mapped[str] = mapped_column(String(20))
    doses: Mapped[dict[str, Any]]  # exercise id -> the dose prescribed
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    actor: Mapped[str] = mapped_column(String(320))  # who, as they were named then (an email)
    created_at: Mapped[datetime]


class ClinicTemplate(Base):
    """A saved program of one clinic: a name and its exercises with doses (and any reasons)."""

    __tablename__ = "clinic_template"
    __table_args__ = (Index("ix_clinic_template_clinic", "clinic_id", "name"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    name: Mapped[str] = mapped_column(String(200))
    exercises: Mapped[list[Any]]  # [{"id", "dose", "reason"}]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime]
