"""Accounts and what signing in keeps: sign-in sessions, second factors, recovery codes, failed
attempts and invitations. Plain values go out, never ORM rows. Only digests of secrets are stored
(tokens, codes) and only password hashes; the secrets themselves never reach the database, except
the TOTP secret, which the server must read to check a code.

Signing in happens before anyone's clinic is known, so this repository is not scoped to a clinic;
everything it hands out names its clinic, and `storage/clinic_directory.py` (scoped to one clinic)
is what reads patients.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.core.errors import InvalidInput
from backcoach.storage import clinic_tables as c


@dataclass(frozen=True)
class AccountRecord:
    id: int
    public_id: str
    clinic_id: int
    role: str
    email: str
    name: str
    password_hash: str | None
    totp_secret: str | None
    totp_confirmed: bool
    totp_last_step: int | None
    person_id: int | None
    created_at: datetime
    disabled: bool


@dataclass(frozen=True)
class LoginRecord:
    id: int
    account: AccountRecord
    created_at: datetime
    last_seen_at: datetime
    second_factor_done: bool


@dataclass(frozen=True)
class InvitationRecord:
    id: int
    public_id: str
    clinic_id: int
    account_id: int
    created_at: datetime
    expires_at: datetime
    used: bool


def _changed(result: Result[Any]) -> int:
    """How many rows an UPDATE changed (a compare-and-set: 0 means another request came first)."""
    return cast(CursorResult[Any], result).rowcount


def account_record(row: c.Account) -> AccountRecord:
    return AccountRecord(
        row.id,
        row.public_id,
        row.clinic_id,
        row.role,
        row.email,
        row.name,
        row.password_hash,
        row.totp_secret,
        row.totp_confirmed_at is not None,
        row.totp_last_step,
        row.person_id,
        row.created_at,
        row.disabled_at is not None,
    )


def _invitation(row: c.Invitation) -> InvitationRecord:
    return InvitationRecord(
        row.id, row.public_id, row.clinic_id, row.account_id, row.created_at, row.expires_at, row.used_at is not None
    )


class Accounts:
    def __init__(self, sessions: sessionmaker[OrmSession]) -> None:
        self._sessions = sessions

    # Clinics and accounts -----------------------------------------------------------------------

    def add_clinic(self, name: str, now: datetime) -> int:
        with self._sessions.begin() as db:
            row = c.Clinic(name=name, created_at=now)
            db.add(row)
            db.flush()
            return row.id

    def clinic_name(self, clinic_id: int) -> str | None:
        with self._sessions() as db:
            row = db.get(c.Clinic, clinic_id)
            return None if row is None else row.name

    def any_clinic(self) -> bool:
        with self._sessions() as db:
            return db.scalars(select(c.Clinic.id).limit(1)).first() is not None

    def add_account(
        self, clinic_id: int, role: str, email: str, name: str, now: datetime, person_id: int | None = None
    ) -> AccountRecord:
        """A new account with no password yet; Conflict if the email address is taken."""
        try:
            with self._sessions.begin() as db:
                row = c.Account(
                    clinic_id=clinic_id, role=role, email=email, name=name, created_at=now, person_id=person_id
                )
                db.add(row)
                db.flush()
                return account_record(row)
        except IntegrityError:
            raise InvalidInput("email", "an account with this email address already exists") from None

    def by_email(self, email: str) -> AccountRecord | None:
        with self._sessions() as db:
            row = db.scalars(select(c.Account).where(c.Account.email == email)).first()
            return None if row is None else account_record(row)

    def by_id(self, account_id: int) -> AccountRecord | None:
        with self._sessions() as db:
            row = db.get(c.Account, account_id)
            return None if row is None else account_record(row)

    def set_password_hash(self, account_id: int, password_hash: str) -> None:
        with self._sessions.begin() as db:
            db.execute(update(c.Account).where(c.Account.id == account_id).values(password_hash=password_hash))

    def set_totp_secret(self, account_id: int, secret: str) -> None:
        """A new secret, not yet confirmed: signing in keeps asking to set it up until a code works."""
        with self._sessions.begin() as db:
            db.execute(
                update(c.Account)
                .where(c.Account.id == account_id)
                .values(totp_secret=secret, totp_confirmed_at=None, totp_last_step=None)
            )

    def use_totp_step(self, account_id: int, step: int, now: datetime) -> bool:
        """Take a code's time step, once: False if this step (or a later one) was already used, so
        two requests with the same code cannot both pass. Confirms a new secret."""
        with self._sessions.begin() as db:
            done = db.execute(
                update(c.Account)
                .where(
                    c.Account.id == account_id,
                    or_(c.Account.totp_last_step.is_(None), c.Account.totp_last_step < step),
                )
                .values(totp_last_step=step)
            )
            if _changed(done):
                db.execute(
                    update(c.Account)
                    .where(c.Account.id == account_id, c.Account.totp_confirmed_at.is_(None))
                    .values(totp_confirmed_at=now)
                )
            return bool(_changed(done))

    def replace_recovery_codes(self, account_id: int, digests: list[str]) -> None:
        with self._sessions.begin() as db:
            for row in db.scalars(select(c.RecoveryCode).where(c.RecoveryCode.account_id == account_id)):
                db.delete(row)
            db.add_all(c.RecoveryCode(account_id=account_id, code_digest=d) for d in digests)

    def use_recovery_code(self, account_id: int, digest: str, now: datetime) -> bool:
        with self._sessions.begin() as db:
            done = db.execute(
                update(c.RecoveryCode)
                .where(
                    c.RecoveryCode.account_id == account_id,
                    c.RecoveryCode.code_digest == digest,
                    c.RecoveryCode.used_at.is_(None),
                )
                .values(used_at=now)
            )
            return bool(_changed(done))

    def recovery_codes_left(self, account_id: int) -> int:
        with self._sessions() as db:
            left = db.scalar(
                select(func.count()).where(c.RecoveryCode.account_id == account_id, c.RecoveryCode.used_at.is_(None))
            )
            return int(left or 0)

    def disable(self, account_id: int, now: datetime) -> None:
        """A disabled account signs in no more, and every session it had ends now."""
        with self._sessions.begin() as db:
            db.execute(update(c.Account).where(c.Account.id == account_id).values(disabled_at=now))
            db.execute(
                update(c.LoginSession)
                .where(c.LoginSession.account_id == account_id, c.LoginSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    # Sign-in sessions ---------------------------------------------------------------------------

    def add_login(self, account_id: int, digest: str, now: datetime, second_factor_done: bool) -> int:
        with self._sessions.begin() as db:
            row = c.LoginSession(
                token_digest=digest,
                account_id=account_id,
                created_at=now,
                last_seen_at=now,
                second_factor_at=now if second_factor_done else None,
            )
            db.add(row)
            db.flush()
            return row.id

    def login(self, digest: str) -> LoginRecord | None:
        """The live (not revoked) sign-in session with this token digest, with its account."""
        with self._sessions() as db:
            found = db.execute(
                select(c.LoginSession, c.Account)
                .join(c.Account, c.Account.id == c.LoginSession.account_id)
                .where(c.LoginSession.token_digest == digest, c.LoginSession.revoked_at.is_(None))
            ).first()
            if found is None:
                return None
            login, account = found
            return LoginRecord(
                login.id,
                account_record(account),
                login.created_at,
                login.last_seen_at,
                login.second_factor_at is not None,
            )

    def touch(self, login_id: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.execute(update(c.LoginSession).where(c.LoginSession.id == login_id).values(last_seen_at=now))

    def second_factor_done(self, login_id: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.execute(
                update(c.LoginSession)
                .where(c.LoginSession.id == login_id)
                .values(second_factor_at=now, last_seen_at=now)
            )

    def revoke(self, login_id: int, now: datetime) -> None:
        with self._sessions.begin() as db:
            db.execute(
                update(c.LoginSession)
                .where(c.LoginSession.id == login_id, c.LoginSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    def revoke_all(self, account_id: int, now: datetime) -> int:
        with self._sessions.begin() as db:
            done = db.execute(
                update(c.LoginSession)
                .where(c.LoginSession.account_id == account_id, c.LoginSession.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            return int(_changed(done))

    # Failed attempts ----------------------------------------------------------------------------

    def failures(self, key: str) -> tuple[int, datetime | None]:
        with self._sessions() as db:
            row = db.scalars(select(c.LoginThrottle).where(c.LoginThrottle.key == key)).first()
            return (0, None) if row is None else (row.failures, row.last_failure_at)

    def add_failure(self, key: str, now: datetime) -> None:
        with self._sessions.begin() as db:
            row = db.scalars(select(c.LoginThrottle).where(c.LoginThrottle.key == key).with_for_update()).first()
            if row is None:
                db.add(c.LoginThrottle(key=key, failures=1, last_failure_at=now))
            else:
                row.failures += 1
                row.last_failure_at = now

    def clear_failures(self, key: str) -> None:
        with self._sessions.begin() as db:
            for row in db.scalars(select(c.LoginThrottle).where(c.LoginThrottle.key == key)):
                db.delete(row)

    # Invitations --------------------------------------------------------------------------------

    def add_invitation(
        self,
        clinic_id: int,
        account_id: int,
        token_digest: str,
        code_digest: str,
        created_by: int,
        now: datetime,
        expires_at: datetime,
    ) -> InvitationRecord:
        with self._sessions.begin() as db:
            # One way in at a time: a new invitation ends the account's earlier ones still open.
            db.execute(
                update(c.Invitation)
                .where(
                    c.Invitation.account_id == account_id, c.Invitation.used_at.is_(None), c.Invitation.expires_at > now
                )
                .values(expires_at=now)
            )
            row = c.Invitation(
                clinic_id=clinic_id,
                account_id=account_id,
                token_digest=token_digest,
                code_digest=code_digest,
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
            db.add(row)
            db.flush()
            return _invitation(row)

    def invitation(self, *, token_digest: str | None = None, code_digest: str | None = None) -> InvitationRecord | None:
        query = select(c.Invitation)
        if token_digest is not None:
            query = query.where(c.Invitation.token_digest == token_digest)
        elif code_digest is not None:
            query = query.where(c.Invitation.code_digest == code_digest)
        else:
            return None
        with self._sessions() as db:
            row = db.scalars(query).first()
            return None if row is None else _invitation(row)

    def accept_invitation(self, invitation_id: int, password_hash: str, now: datetime) -> bool:
        """Use the invitation once and set the patient's password, in one transaction: False (and
        nothing changed) when it was already used, so a link cannot be taken twice."""
        with self._sessions.begin() as db:
            done = db.execute(
                update(c.Invitation)
                .where(c.Invitation.id == invitation_id, c.Invitation.used_at.is_(None))
                .values(used_at=now)
            )
            if not _changed(done):
                return False
            invitation = db.get(c.Invitation, invitation_id)
            assert invitation is not None
            db.execute(
                update(c.Account).where(c.Account.id == invitation.account_id).values(password_hash=password_hash)
            )
            return True
