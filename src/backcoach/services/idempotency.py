"""Requests that may come twice: a client names each one with an Idempotency-Key (the IETF
httpapi draft's header), and the answer to the first is kept, so the same request sent again
is answered the same, without being done again.

A key belongs to its scope's owner (`Scope.owner`): one person's key never finds another's
answer. A key is kept for KEEP_FOR. A key claimed by a request that never got an answer (the
server stopped halfway) is free again for the same request after ABANDONED_AFTER.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from backcoach.services.context import Scope, utc_now
from backcoach.storage.idempotency import Answered

__all__ = ["Answered", "answer", "claim", "fingerprint", "release"]

KEEP_FOR = timedelta(days=30)  # a phone may be offline for weeks before it sends its queue
ABANDONED_AFTER = timedelta(minutes=5)  # far longer than any request takes


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What was asked, as one hash: the method, the path (with any query) and the body. A JSON
    body counts by its content, not its spacing or the order of its keys."""
    try:
        content = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode("utf-8")
    except ValueError:  # not JSON (or not text): the bytes as sent
        content = body
    digest = hashlib.sha256()
    for part in (method.upper().encode("ascii"), path.encode("utf-8"), content):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def claim(scope: Scope, key: str, asked: str) -> Answered | None:
    """None: this request is the first with `key`, and should be answered (then `answer`ed or
    `release`d). Otherwise what the key was used for, and the answer it got so far."""
    now = utc_now()
    return scope.app.database.idempotent.claim(scope.owner, key, asked, now, now - ABANDONED_AFTER, now - KEEP_FOR)


def answer(scope: Scope, key: str, status_code: int, body: bytes, media_type: str) -> None:
    scope.app.database.idempotent.answer(scope.owner, key, status_code, body, media_type)


def release(scope: Scope, key: str) -> None:
    scope.app.database.idempotent.release(scope.owner, key)
