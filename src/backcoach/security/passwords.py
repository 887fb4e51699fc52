"""The password policy, and password storage with Argon2id.

The policy (OWASP ASVS 5.0 V6.2, after NIST SP 800-63B 5.1.1.2):
- at least 8 characters (V6.2.1; it strongly recommends 15 where a password is the only factor,
  and staff sign in with a TOTP code too, V6.3.2);
- up to 128 characters, so 64-character passphrases fit (V6.2.9) while the hashing cost of one
  request stays bounded;
- any characters, spaces included, and no rules about capitals, digits or symbols (V6.2.5);
- never truncated, never case-changed (V6.2.8). The one change made is Unicode NFC normalisation,
  so that "é" typed as one character or as "e" plus an accent is the same password on every
  keyboard (NIST SP 800-63B 5.1.1.2 asks verifiers to normalise); it is applied both when a
  password is set and when it is checked, and length is counted after it, in code points;
- refused if it is common or easy to guess (V6.2.4, V6.2.12): zxcvbn ships frequency lists of
  the 30,000 most common leaked passwords, English words, names and keyboard patterns, and estimates the
  guesses needed. We require its score 3 or more (at least 10**8 guesses);
- refused if it contains the person's own name or email (V6.2.11), or one of CONTEXT_WORDS, the
  documented list of words about this service (V6.1.2).
"""

from __future__ import annotations

import re
import secrets
import threading
import unicodedata
from collections.abc import Sequence
from functools import cache

import zxcvbn
from pwdlib import PasswordHash
from pwdlib.exceptions import HashVerificationError, UnknownHashError

MIN_LENGTH = 8  # ASVS 5.0 V6.2.1
MAX_LENGTH = 128  # at least 64 must be allowed, ASVS 5.0 V6.2.9
MIN_SCORE = 3  # zxcvbn's 0-4 scale; 3 means it estimates at least 10**8 guesses
# Words about this service that make a password easy to guess for anyone who knows where it is
# used (ASVS 5.0 V6.1.2, V6.2.11). They count as known words, like the person's own details.
CONTEXT_WORDS = ("backcoach", "back coach", "physio", "physiotherapy", "clinic", "exercise", "backpain")
# A part of a name or email this long or longer may not appear in the password. Shorter parts
# ("Al", "Li") would turn away far too many good passphrases; zxcvbn still weighs them.
MIN_PERSONAL_PART = 4

TOO_SHORT = f"Use at least {MIN_LENGTH} characters. A few words in a row make a good password."
TOO_LONG = f"Use at most {MAX_LENGTH} characters."
PERSONAL = "Leave your name and email address out of your password."
TOO_COMMON = (
    "This password is too common or too easy to guess. Try three or four words that have nothing to do with each other."
)

_hasher = PasswordHash.recommended()  # Argon2id with argon2-cffi's recommended parameters
# zxcvbn keeps the words of the current call in a module-level table, so two threads checking at
# once could see each other's names. One check at a time.
_zxcvbn_lock = threading.Lock()


def _normalised(password: str) -> str:
    return unicodedata.normalize("NFC", password)


def _personal_parts(user_inputs: Sequence[str]) -> set[str]:
    """The parts of a name or email worth looking for: "Maya Jones", "maya.jones@example.com"
    give maya, jones, example, mayajones and the whole lowercased inputs."""
    parts: set[str] = set()
    for text in user_inputs:
        folded = _normalised(text).casefold().strip()
        local = folded.split("@", 1)[0]
        pieces = [p for p in re.split(r"[\W_]+", folded) if p]
        parts.update([folded, local, "".join(re.split(r"[\W_]+", local)), *pieces])
    return {p for p in parts if len(p) >= MIN_PERSONAL_PART}


def _guessable(password: str, user_inputs: Sequence[str]) -> bool:
    with _zxcvbn_lock:
        result = zxcvbn.zxcvbn(password, user_inputs=[*user_inputs, *CONTEXT_WORDS], max_length=MAX_LENGTH)
    return int(result["score"]) < MIN_SCORE


def password_problem(password: str, *, user_inputs: Sequence[str] = ()) -> str | None:
    """None if `password` may be set, else the one thing to change, in words for the person.

    `user_inputs` are the person's own details (name, email) that the password must not contain."""
    password = _normalised(password)
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    folded = password.casefold()
    if any(part in folded for part in _personal_parts(user_inputs)):
        return PERSONAL
    if _guessable(password, user_inputs):
        return TOO_COMMON
    return None


def hash_password(password: str) -> str:
    """The Argon2id hash to store (PHC string format; it holds its own salt and parameters)."""
    return _hasher.hash(_normalised(password))


def verify_password(password: str, stored_hash: str) -> tuple[bool, str | None]:
    """Whether `password` matches `stored_hash`, and a new hash to store in its place when the
    stored one was made with weaker parameters than today's (else None).

    A stored value that is not a hash we know counts as a mismatch: it never signs anyone in."""
    try:
        return _hasher.verify_and_update(_normalised(password), stored_hash)
    except (UnknownHashError, HashVerificationError):  # not a hash, or one that cannot be decoded
        dummy_verify()  # take as long as a real check, whatever is in the database
        return False, None


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def dummy_verify() -> None:
    """Spend the time of one real password check, for a sign-in to an account that does not exist,
    so that the response time does not tell who has an account (ASVS 5.0 V6.3.8).

    The first call also makes the decoy hash it checks against: call it once at start-up."""
    _hasher.verify(secrets.token_urlsafe(16), _dummy_hash())
