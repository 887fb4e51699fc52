"""Codes from an authenticator app (TOTP, RFC 6238: 6 digits, SHA-1, 30-second steps).

A code is accepted for the step it belongs to and one step either side, for a phone clock a little
off and the time taken to type (RFC 6238 section 5.2 allows a step of drift). Each code works once
(ASVS 5.0 V6.5.1): the caller stores the step `totp_step` returns and passes it back next time, and
no code from that step or an earlier one is accepted again. The moment is the server's own clock,
passed in, never one the browser sends (ASVS 5.0 V6.5.8).

The secret is 160 random bits (RFC 4226 section 4 recommends 160) from a CSPRNG (ASVS 5.0 V6.5.3).
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1  # steps accepted either side of the current one


def new_totp_secret() -> str:
    """A new shared secret, base32 (32 characters, 160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str, issuer: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account_name, issuer_name=issuer
    )


def qr_svg(uri: str, *, title: str = "QR code to scan with your authenticator app") -> str:
    """The QR code of `uri` as an inline <svg> element for an HTML page: no XML declaration and no
    fixed size (it has a viewBox, so it scales to the width the page gives it). Dark modules on a
    white background with the standard quiet zone of four, so it scans on a dark page too."""
    svg = segno.make(uri, error="m").svg_inline(omitsize=True, border=4, dark="#000", light="#fff", title=title)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def step_at(at: datetime) -> int:
    """The number of the 30-second step `at` falls in, counted from the Unix epoch."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be timezone-aware")
    return int(at.timestamp()) // STEP_SECONDS


def totp_step(secret: str, code: str, at: datetime, last_used_step: int | None) -> int | None:
    """The step `code` belongs to, if it is right at `at` (one step either side) and later than
    `last_used_step`; else None. Spaces in the code are ignored ("123 456")."""
    typed = "".join(code.split())
    if len(typed) != DIGITS or not typed.isascii() or not typed.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now = step_at(at)
    matched = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):  # every step is checked, in constant time
        if hmac.compare_digest(totp.generate_otp(step), typed) and (last_used_step is None or step > last_used_step):
            matched = step
    return matched
