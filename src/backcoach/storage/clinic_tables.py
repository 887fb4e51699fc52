"""The clinic's own tables: clinics, accounts, sign-in sessions, care teams, invitations, the audit
trail and acknowledged alerts. None of them is a person's history, so none is in a person's export
(`info history False`).

A patient of a clinic is an ordinary `person` (their history lives in the same tables as the local
person's) with a `clinic_patient` row naming their clinic and the public id that addresses them.
The local person is the one person with no such row. Times are naive UTC, as everywhere.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.storage.tables import Base

NOT_HISTORY = {"info": {"history": False}}
ACCOUNT_ROLES = ("admin", "physio", "patient")


def new_public_id() -> str:
    """A public id reveals nothing: not how many there are, nor in which order they came."""
    return str(uuid.uuid4())


class Clinic(Base):
    __tablename__ = "clinic"
    __table_args__ = (NOT_HISTORY,)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Account(Base):
    """Someone who signs in: staff (admin, physio) or a patient (linked to their person)."""

    __tablename__ = "account"
    __table_args__ = (
        CheckConstraint("role in ('admin', 'physio', 'patient')", name="ck_account_role"),
        CheckConstraint("(role = 'patient') = (person_id is not null)", name="ck_account_patient_person"),
        Index("ix_account_clinic_role", "clinic_id", "role"),
        NOT_HISTORY,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    role: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored folded to lower case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))  # None until a password is chosen
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # the last code's time step: a code works once
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    created_at: Mapped[datetime]
    disabled_at: Mapped[datetime | None]


class LoginSession(Base):
    """A signed-in browser. Only a digest of its token is kept, so a copy of the database signs
    nobody in. Staff are half signed in (`second_factor_at` None) until their code is checked."""

    __tablename__ = "login_session"
    __table_args__ = (Index("ix_login_session_account", "account_id", "revoked_at"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    second_factor_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class RecoveryCode(Base):
    __tablename__ = "recovery_code"
    __table_args__ = (NOT_HISTORY,)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    code_digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class ClinicPatient(Base):
    __tablename__ = "clinic_patient"
    __table_args__ = (Index("ix_clinic_patient_clinic", "clinic_id", "person_id"), NOT_HISTORY)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    deletion_requested_at: Mapped[datetime | None]


class CareTeam(Base):
    """Which physiotherapists care for which patient: one row each."""

    __tablename__ = "care_team"
    __table_args__ = (Index("ix_care_team_account", "account_id", "person_id"), NOT_HISTORY)

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    added_at: Mapped[datetime]


class Invitation(Base):
    """A one-time way in for a new patient: a link (its token) or a short code, until it expires."""

    __tablename__ = "invitation"
    __table_args__ = (NOT_HISTORY,)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_public_id)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))  # the patient's account, no password yet
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("account.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AuditEvent(Base):
    """Who did what to whose record, and when. Append-only: the database itself refuses to change
    or delete a row (triggers made by the migration), so the app has no way to."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_clinic_at", "clinic_id", "at"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinic.id"))
    actor_account_id: Mapped[int | None]  # no foreign key: the row outlives the account
    actor: Mapped[str] = mapped_column(String(320))  # who, as they were named then (an email)
    action: Mapped[str] = mapped_column(String(60))
    patient_public_id: Mapped[str | None] = mapped_column(String(36))  # stays after a deletion
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(64), default="")


class LoginThrottle(Base):
    """Failed sign-ins in a row, by account name and by client address (each keyed apart)."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("key"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    failures: Mapped[int]
    last_failure_at: Mapped[datetime]


class AlertAck(Base):
    """A clinician's acknowledgement of one alert, with a note. The key names the alert's kind, tier
    and the fact that caused it (`core.alerts.Alert.key`), so new facts make a new alert."""

    __tablename__ = "alert_ack"
    __table_args__ = (UniqueConstraint("person_id", "alert_key"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    alert_key: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    actor: Mapped[str] = mapped_column(String(320))  # who, as they were named then (an email)
    acknowledged_at: Mapped[datetime]


class ClinicianNote(Base):
    """A clinician's note on a patient's record: kept with the record (deleted with it), written once
    and never changed, like a line in a paper file. Not in the patient's own export: it is the care
    team's working note, shown to them only."""

    __tablename__ = "clinician_note"
    __table_args__ = (Index("ix_clinician_note_person", "person_id", "id"), NOT_HISTORY)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    author: Mapped[str] = mapped_column(String(200))  # the clinician's name as it was then
    text: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime]


class PatientStatus(Base):
    """One patient's summary for the clinic's list, kept so the list never reads every record: the
    open alerts that do not move with the clock (as `core.alerts` gives them with the clinic's
    thresholds), what the engagement tier is read from, and a few recent facts to show. Any write
    to the person's record marks the row dirty in the same transaction (`storage.patient_status`);
    a read refreshes the dirty rows first (`services.roster`). `version` counts the writes, so a
    refresh that raced a write leaves the row dirty."""

    __tablename__ = "patient_status"
    __table_args__ = (
        Index("ix_patient_status_clinic_rank", "clinic_id", "stored_rank"),
        Index("ix_patient_status_clinic_since", "clinic_id", "engagement_since"),
        Index("ix_patient_status_clinic_dirty", "clinic_id", "dirty"),
        Index("ix_patient_status_clinic_stale", "clinic_id", "stale_at"),
        NOT_HISTORY,
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"))
    version: Mapped[int] = mapped_column(default=1)
    dirty: Mapped[bool] = mapped_column(default=True)
    stored_rank: Mapped[int] = mapped_column(default=0)  # the top open tier apart from engagement (0: none)
    alerts: Mapped[list[Any]] = mapped_column(default=list)  # open alerts apart from engagement: kind, tier, key, words
    engagement_since: Mapped[datetime | None]  # None while a warning sign stands, or with no program yet
    engagement_acked: Mapped[int] = mapped_column(default=0)  # a bit per tier rank acknowledged for this `since`
    last_session_at: Mapped[datetime | None]  # the last session with an exercise done
    done_days: Mapped[list[Any]] = mapped_column(default=list)  # ISO days of the last 28 with an exercise done
    pains: Mapped[list[Any]] = mapped_column(default=list)  # the latest check-ins' worst pain: [ISO day, score]
    stale_at: Mapped[datetime | None]  # when the stored alerts change with time alone (a pain stop ages out)
    refreshed_at: Mapped[datetime | None]


class ClinicThresholds(Base):
    """A clinic's own alert thresholds: only those that differ from the cited defaults."""

    __tablename__ = "clinic_thresholds"
    __table_args__ = (NOT_HISTORY,)

    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinic.id"), primary_key=True)
    values: Mapped[dict[str, Any]] = mapped_column(default=dict)
    changed_at: Mapped[datetime]
    changed_by: Mapped[str] = mapped_column(String(320))
