"""How long a signed-in session lasts: an idle timeout (since the last request) and an absolute one
(since sign-in), after either of which the person signs in again (ASVS 5.0 V7.3.1, V7.3.2; the
choices and reasons are documented here, V7.1.1).

Staff (admin, physio) see many patients' health data and sign in with a password and a TOTP code,
NIST SP 800-63B's AAL2. We use its AAL2 limits (section 4.2.3 of 800-63B-3): sign in again
after 30 minutes idle and after 12 hours in any case; a clinic day fits inside 12 hours. The
newer revision, 800-63B-4, states its own figures: read them before making these longer.

A patient sees only their own record, usually on their own phone, most likely with a password
alone (AAL1, where 800-63B asks for a new sign-in at least every 30 days and sets no idle limit).
A session player may sit unused for an hour-long session and send its results afterwards, so an
idle timeout of 24 hours (a daily routine stays signed in; a phone left a day asks again), and an
absolute one of 7 days, well inside AAL1's 30.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

Role = Literal["admin", "physio", "patient"]
SessionState = Literal["live", "idle_expired", "absolute_expired"]

STAFF_IDLE_TIMEOUT = timedelta(minutes=30)  # NIST SP 800-63B-3 4.2.3, AAL2
STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)  # NIST SP 800-63B-3 4.2.3, AAL2
PATIENT_IDLE_TIMEOUT = timedelta(hours=24)  # our choice, see above; AAL1 sets no idle limit
PATIENT_ABSOLUTE_TIMEOUT = timedelta(days=7)  # inside NIST SP 800-63B-3 4.1.3's 30 days for AAL1
# The defaults, for code that has no role yet: the staff ones, the stricter.
IDLE_TIMEOUT = STAFF_IDLE_TIMEOUT
ABSOLUTE_TIMEOUT = STAFF_ABSOLUTE_TIMEOUT

_TIMEOUTS: dict[str, tuple[timedelta, timedelta]] = {
    "admin": (STAFF_IDLE_TIMEOUT, STAFF_ABSOLUTE_TIMEOUT),
    "physio": (STAFF_IDLE_TIMEOUT, STAFF_ABSOLUTE_TIMEOUT),
    "patient": (PATIENT_IDLE_TIMEOUT, PATIENT_ABSOLUTE_TIMEOUT),
}


def timeouts_for(role: str) -> tuple[timedelta, timedelta]:
    """(idle timeout, absolute timeout) for a role; an unknown role is an error, not a default."""
    try:
        return _TIMEOUTS[role]
    except KeyError:
        raise ValueError(f"unknown role {role!r}: expected one of {sorted(_TIMEOUTS)}") from None


def session_state(created_at: datetime, last_seen_at: datetime, now: datetime, role: str) -> SessionState:
    """Whether a session may go on at `now`. The absolute limit wins when both have passed. A
    session is over at the limit itself (a session 30 minutes idle is expired)."""
    idle, absolute = timeouts_for(role)
    if now - created_at >= absolute:
        return "absolute_expired"
    if now - last_seen_at >= idle:
        return "idle_expired"
    return "live"
