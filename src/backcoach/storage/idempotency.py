"""Requests sent with an Idempotency-Key, and the answers they got (`tables.IdempotentRequest`).

A key is claimed by the first request that brings it, in a transaction of its own, before
anything is done; its answer is stored once it is known. Two requests claiming the same key at
once are settled by the unique (owner, key) constraint: one claims it, the other is told what
the first got, or that it is still being answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import sessionmaker

from backcoach.storage import tables as t
from backcoach.storage.locks import lost_a_race


@dataclass(frozen=True)
class Answered:
    """What a key was used for, and the answer it got (no status yet: still being answered)."""

    fingerprint: str
    status_code: int | None
    body: bytes
    media_type: str


def _answered(row: t.IdempotentRequest) -> Answered:
    return Answered(row.fingerprint, row.status_code, row.body or b"", row.media_type or "application/json")


class IdempotentRequests:
    def __init__(self, sessions: sessionmaker[OrmSession]) -> None:
        self._sessions = sessions

    @staticmethod
    def _find(owner: str, key: str) -> Select[t.IdempotentRequest]:
        return select(t.IdempotentRequest).where(t.IdempotentRequest.owner == owner, t.IdempotentRequest.key == key)

    def claim(
        self, owner: str, key: str, fingerprint: str, now: datetime, abandoned_before: datetime, forget_before: datetime
    ) -> Answered | None:
        """None: the key is this request's now, to answer. Otherwise what the key was used for
        and its answer. A claim older than `abandoned_before` with no answer was left by a server
        that stopped: the same request takes it over. Keys claimed before `forget_before` are forgotten."""
        try:
            with self._sessions.begin() as db:
                db.execute(delete(t.IdempotentRequest).where(t.IdempotentRequest.claimed_at < forget_before))
                return self._claim(db, owner, key, fingerprint, now, abandoned_before)
        except IntegrityError as error:
            if not lost_a_race(error):
                raise
        with self._sessions() as db:  # claimed a moment ago by a request with the same key
            return _answered(db.scalars(self._find(owner, key)).one())

    def _claim(
        self, db: OrmSession, owner: str, key: str, fingerprint: str, now: datetime, abandoned_before: datetime
    ) -> Answered | None:
        row = db.scalars(self._find(owner, key).with_for_update()).first()
        if row is None:
            db.add(t.IdempotentRequest(owner=owner, key=key, fingerprint=fingerprint, claimed_at=now))
            db.flush()
            return None
        if row.status_code is None and row.fingerprint == fingerprint and row.claimed_at < abandoned_before:
            row.claimed_at = now
            return None
        return _answered(row)

    def answer(self, owner: str, key: str, status_code: int, body: bytes, media_type: str) -> None:
        with self._sessions.begin() as db:
            db.execute(
                update(t.IdempotentRequest)
                .where(t.IdempotentRequest.owner == owner, t.IdempotentRequest.key == key)
                .values(status_code=status_code, body=body, media_type=media_type)
            )

    def release(self, owner: str, key: str) -> None:
        """The request failed before it had an answer to keep (a server error): the key is free again."""
        with self._sessions.begin() as db:
            db.execute(
                delete(t.IdempotentRequest).where(
                    t.IdempotentRequest.owner == owner,
                    t.IdempotentRequest.key == key,
                    t.IdempotentRequest.status_code.is_(None),
                )
            )
