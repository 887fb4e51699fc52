"""Session tokens, invitation and recovery codes, digests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from backcoach.security.tokens import (
    CODE_ALPHABET,
    code_digest,
    new_invitation_code,
    new_recovery_codes,
    new_session_token,
    normalise_code,
    same_digest,
    token_digest,
)

URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")


def test_session_tokens_carry_256_bits_and_are_url_safe():
    token = new_session_token()
    assert URL_SAFE.fullmatch(token)
    assert len(base64.urlsafe_b64decode(token + "=")) * 8 >= 256


def test_session_tokens_do_not_repeat():
    made = {new_session_token() for _ in range(2000)}
    assert len(made) == 2000


def test_session_tokens_look_random():
    # Every URL-safe symbol turns up across many tokens: not a counter, not a narrow alphabet.
    seen = set("".join(new_session_token() for _ in range(200)))
    assert len(seen) == 64


def test_the_digest_is_sha256_hex():
    assert token_digest("abc") == hashlib.sha256(b"abc").hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", token_digest(new_session_token()))


@given(st.text(), st.text())
def test_digests_match_exactly_when_tokens_do(a: str, b: str):
    assert same_digest(token_digest(a), token_digest(b)) == (a == b)


def test_same_digest_compares_in_constant_time(monkeypatch: pytest.MonkeyPatch):
    called: list[tuple[bytes, bytes]] = []

    def spy(x: bytes, y: bytes) -> bool:
        called.append((x, y))
        return x == y

    monkeypatch.setattr(hmac, "compare_digest", spy)
    assert same_digest("ab", "ab") and not same_digest("ab", "ac")
    assert called == [(b"ab", b"ab"), (b"ab", b"ac")]


def test_same_digest_takes_any_text():
    assert not same_digest("é", "e")
    assert same_digest("é", "é")


def test_the_alphabet_has_no_lookalikes():
    assert len(set(CODE_ALPHABET)) == 32
    assert not set("ILOU") & set(CODE_ALPHABET)


def test_invitation_codes_are_eight_symbols_in_two_groups():
    code = new_invitation_code()
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}", code)
    assert 8 * math.log2(len(CODE_ALPHABET)) >= 40


def test_invitation_codes_do_not_repeat():
    assert len({new_invitation_code() for _ in range(2000)}) == 2000


def test_recovery_codes():
    codes = new_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    for code in codes:
        assert re.fullmatch(f"([{CODE_ALPHABET}]{{4}}-){{5}}[{CODE_ALPHABET}]{{4}}", code)
    assert 24 * math.log2(len(CODE_ALPHABET)) >= 112  # ASVS 5.0 V6.5.2: a plain digest is allowed
    assert len(new_recovery_codes(3)) == 3
    with pytest.raises(ValueError):
        new_recovery_codes(0)


FULL_WIDTH = "\uff2b\uff17\uff31\uff2d\uff13\uff38\uff30\uff24"  # K7QM3XPD as typed on a CJK keyboard


@pytest.mark.parametrize(
    "typed", ["K7QM-3XPD", "k7qm3xpd", " k7qm 3xpd ", "K7QM\u20133XPD", "k7qm_3xpd", FULL_WIDTH, "K7QM\t3XPD\n"]
)
def test_what_people_type_matches_the_code(typed: str):
    assert normalise_code(typed) == "K7QM3XPD"
    assert same_digest(code_digest(typed), code_digest("K7QM-3XPD"))


def test_lookalike_letters_read_as_digits():
    assert normalise_code("OIL0-1ABC") == "01101ABC"


@st.composite
def typed_versions(draw: st.DrawFn) -> tuple[str, str]:
    """A code as issued, and as someone might type it: any case, spaces and dashes anywhere."""
    code = draw(st.sampled_from([new_invitation_code(), *new_recovery_codes(2)]))
    out = []
    for ch in code:
        out.append(draw(st.sampled_from(["", " ", "-", "  "])))
        out.append(ch.lower() if draw(st.booleans()) else ch)
    return code, "".join(out)


@given(typed_versions())
def test_any_typing_of_a_code_normalises_to_it(pair: tuple[str, str]):
    code, typed = pair
    assert normalise_code(typed) == code.replace("-", "")
    assert code_digest(typed) == code_digest(code)


@given(st.text())
@example("K\u00b4")  # the acute accent folds to a space and an accent; without the space it joins the K
def test_normalising_twice_changes_nothing(text: str):
    assert normalise_code(normalise_code(text)) == normalise_code(text)


def test_different_codes_stay_different():
    a, b = new_recovery_codes(2)
    assert code_digest(a) != code_digest(b)
