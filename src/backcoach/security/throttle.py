"""Waits after failed sign-ins that grow with each failure, and no lockout.

After a failure the next attempt must wait: 1 second, then 2, 4, 8 and so on, doubling, up to
MAX_DELAY (60 seconds). A success clears it. Nothing is ever locked for good, so an attacker who
types wrong passwords for someone's account costs that person at most a minute's wait, not their
account (ASVS 5.0 V6.1.1, V6.3.1: brute force slowed without malicious lockout).

At the cap an attacker gets at most 60 guesses an hour at one account. NIST SP 800-63B 5.2.2 allows
no more than 100 consecutive failed attempts per account; FAILURE_LIMIT is that number, and
`ThrottleState.at_limit` says when it is reached, so the caller can ask for more than a password
(for staff the TOTP code is asked for anyway) and tell the person and an administrator.

The caller keeps two states and checks both before trying a password, waiting the longer:
- one keyed by the account identifier (as typed, normalised), whichever address the tries come
  from: it slows guessing at one account from many addresses;
- one keyed by the client address, whichever accounts it tries: it slows one address trying
  many accounts (credential stuffing).
Record a failure in both. On success, clear the account's state; clear the address's state too
only if the caller accepts that an attacker with an account of their own could sign in to it to
reset their address's count (the account key still holds for every other account).

A state is recorded for an unknown account name too, exactly as for a real one, so the wait
does not tell who has an account.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

FIRST_DELAY = timedelta(seconds=1)
MAX_DELAY = timedelta(seconds=60)
FAILURE_LIMIT = 100  # NIST SP 800-63B 5.2.2: consecutive failed attempts on one account


def delay_after(failures: int) -> timedelta:
    """How long to wait after `failures` consecutive failures: 0, 1 s, 2 s, 4 s ... up to MAX_DELAY."""
    if failures <= 0:
        return timedelta(0)
    doublings = min(failures - 1, 16)  # 2**16 s is far past the cap; keeps the number small
    delay: timedelta = FIRST_DELAY * (2**doublings)
    return min(delay, MAX_DELAY)


def retry_after(failures: int, last_failure_at: datetime | None, now: datetime) -> timedelta:
    """How long from `now` until the next attempt is allowed; zero if it is allowed now.

    If the clock reads earlier than the last failure (it was set back), the full delay applies
    from now, never more."""
    if failures <= 0 or last_failure_at is None:
        return timedelta(0)
    delay = delay_after(failures)
    remaining = last_failure_at + delay - now
    return max(timedelta(0), min(remaining, delay))


@dataclass(frozen=True)
class ThrottleState:
    """Consecutive failed attempts for one key (an account or a client address)."""

    failures: int = 0
    last_failure_at: datetime | None = None

    def after_failure(self, now: datetime) -> ThrottleState:
        return replace(self, failures=self.failures + 1, last_failure_at=now)

    def after_success(self) -> ThrottleState:
        return ThrottleState()

    def retry_after(self, now: datetime) -> timedelta:
        return retry_after(self.failures, self.last_failure_at, now)

    def allowed(self, now: datetime) -> bool:
        return self.retry_after(now) == timedelta(0)

    @property
    def at_limit(self) -> bool:
        """Whether FAILURE_LIMIT failures in a row have been reached (see the module's notes)."""
        return self.failures >= FAILURE_LIMIT
