"""Random secrets a person or a browser hands back to us, and how the database keeps them.

The database never stores a token or code itself, only `token_digest` of it, so a copy of the
database does not let anyone sign in. A code a person types goes through `normalise_code` first:
store `code_digest(code)` when the code is made, and look up `code_digest(what_they_typed)`.

ASVS 5.0 V7.2.3: session tokens come from a CSPRNG and carry at least 128 bits (we use 256).
ASVS 5.0 V6.5.2: lookup secrets (recovery codes) under 112 bits must be stored with a salted
password hash; ours carry 120 bits, so a plain SHA-256 digest is allowed and lookups stay cheap.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

SESSION_TOKEN_BYTES = 32  # 256 bits

# Crockford's base32: digits and capitals without I, L, O and U, so nothing looks like anything else.
# 32 symbols give exactly 5 bits each.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BITS_PER_SYMBOL = 5

# An invitation code is 8 symbols (40 bits), shown as two groups of four: "K7QM-3XPD".
# Why 40 bits is enough: a code works once and only until it expires (days, not months, ASVS 5.0
# V6.4.1), and redeeming one is throttled like a sign-in. 2**40 is about 1.1e12; even a guess a
# second, day and night for a week (6e5 guesses) against 100 invitations open at once has about
# a 1 in 18,000 chance of hitting any of them. Keep the caller's throttle on failed redemptions
# (by client address and overall) and the expiry short, and it stays that way.
INVITATION_SYMBOLS = 8
# A recovery code is 24 symbols (120 bits, over the 112 of ASVS 5.0 V6.5.2), as six groups of four.
RECOVERY_SYMBOLS = 24
GROUP = 4

# What people type for a symbol that is not in the alphabet, and what it must have meant.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = frozenset("-_\u2010\u2011\u2012\u2013\u2014\u2212.")


def new_session_token() -> str:
    """A fresh session token: 256 random bits, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(SESSION_TOKEN_BYTES)


def token_digest(token: str) -> str:
    """The SHA-256 of a token, as 64 hex digits: what the database stores and looks up."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    """Whether two digests are equal, taking the same time wherever they first differ."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _random_symbols(count: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(count))


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def new_invitation_code() -> str:
    """A one-time invitation code a person can read out and type: "K7QM-3XPD" (40 bits)."""
    return _grouped(_random_symbols(INVITATION_SYMBOLS))


def new_recovery_codes(count: int = 10) -> list[str]:
    """`count` different recovery codes, each six groups of four symbols (120 bits)."""
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    codes: list[str] = []
    while len(codes) < count:  # a repeat is all but impossible at 120 bits; still, never hand out two alike
        code = _grouped(_random_symbols(RECOVERY_SYMBOLS))
        if code not in codes:
            codes.append(code)
    return codes


def _normalise_once(text: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).upper())
    kept = "".join(ch for ch in folded if not ch.isspace() and ch not in _SEPARATORS)
    return kept.translate(_LOOKALIKES)


def normalise_code(text: str) -> str:
    """A typed code as it was issued: without spaces or dashes, in capitals, O read as 0 and
    I or L as 1. Full-width and other compatibility characters are folded first (NFKC)."""
    # Taking out a space can let the characters either side of it combine ("K" and an accent), so
    # repeat until nothing changes (it takes one pass for anything a person would type).
    for _ in range(8):
        again = _normalise_once(text)
        if again == text:
            break
        text = again
    return text


def code_digest(text: str) -> str:
    """`token_digest` of a code once normalised: store it when issuing, look it up when typed."""
    return token_digest(normalise_code(text))
