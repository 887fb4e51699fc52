"""The password policy and Argon2id storage."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from backcoach.security import passwords
from backcoach.security.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    PERSONAL,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    dummy_verify,
    hash_password,
    password_problem,
    verify_password,
)

PASSPHRASE = "lantern orbit pickle saxophone"
MESSAGES = {TOO_SHORT, TOO_LONG, PERSONAL, TOO_COMMON}


@pytest.fixture(scope="module")
def stored() -> str:
    return hash_password(PASSPHRASE)


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "iloveyou1", "letmein!", "passwordpassword"])
def test_common_passwords_are_refused(password: str):
    assert password_problem(password) == TOO_COMMON


@pytest.mark.parametrize("password", ["backcoach1", "physiotherapy"])
def test_words_about_the_service_count_as_easy(password: str):
    assert password_problem(password) == TOO_COMMON


def test_a_passphrase_is_accepted():
    assert password_problem(PASSPHRASE) is None
    assert password_problem("correct horse battery staple") is None


def test_a_64_character_passphrase_is_accepted():
    phrase = "marmalade tugboat velvet quasar thimble hickory lagoon pendulum!"
    assert len(phrase) == 64
    assert password_problem(phrase) is None


def test_the_longest_allowed_and_one_more():
    phrase = ("marmalade tugboat velvet quasar thimble hickory lagoon pendulum " * 2)[:MAX_LENGTH]
    assert len(phrase) == MAX_LENGTH
    assert password_problem(phrase) is None
    assert password_problem(phrase + "x") == TOO_LONG


def test_too_short():
    assert password_problem("") == TOO_SHORT
    assert password_problem("x7#Kq2!") == TOO_SHORT  # 7 characters, however random


def test_length_counts_characters_after_nfc_not_code_units():
    decomposed = "e\u0301" * 7  # 14 code points as typed, 7 letters "é" once composed
    assert password_problem(decomposed) == TOO_SHORT
    assert password_problem("e\u0301" * 8) != TOO_SHORT
    # emoji are one character each (two UTF-16 units, four bytes)
    assert password_problem("🦘🌵🎻🧲🪁🥨🛶") == TOO_SHORT
    assert password_problem("🦘🌵🎻🧲🪁🥨🛶🦉") != TOO_SHORT


def test_spaces_are_allowed_and_kept():
    assert password_problem("quiet   walrus   tempo   fig") is None


@pytest.mark.parametrize(
    "password", ["MayaJones-rocks-42!", "jones.family.garden", "maya.jones@example.com", "xx mayajones xx"]
)
def test_the_persons_name_or_email_is_refused(password: str):
    assert password_problem(password, user_inputs=["Maya Jones", "maya.jones@example.com"]) == PERSONAL


def test_short_name_parts_do_not_turn_passphrases_away():
    assert password_problem("tomato parsnip glacier quill", user_inputs=["Tom Li"]) is None


@given(st.text(max_size=MIN_LENGTH - 1))
def test_anything_shorter_than_the_minimum_is_too_short(password: str):
    if len(unicodedata.normalize("NFC", password)) < MIN_LENGTH:
        assert password_problem(password) == TOO_SHORT


@given(st.text(min_size=MAX_LENGTH + 1, max_size=MAX_LENGTH + 40, alphabet=st.characters(codec="ascii")))
def test_anything_longer_than_the_maximum_is_too_long(password: str):
    assert password_problem(password) == TOO_LONG


@given(st.text(max_size=MAX_LENGTH + 5), st.lists(st.text(max_size=30), max_size=3))
def test_the_answer_is_none_or_one_known_message(password: str, user_inputs: list[str]):
    assert password_problem(password, user_inputs=user_inputs) in MESSAGES | {None}


def test_the_right_password_verifies_and_needs_no_upgrade(stored: str):
    assert stored.startswith("$argon2id$")
    assert verify_password(PASSPHRASE, stored) == (True, None)


@pytest.mark.parametrize(
    "wrong", ["lantern orbit pickle saxophon", "Lantern orbit pickle saxophone", "", " " + PASSPHRASE]
)
def test_a_wrong_password_fails(stored: str, wrong: str):
    assert verify_password(wrong, stored) == (False, None)


def test_no_truncation(stored: str):
    longer = hash_password("a" * MAX_LENGTH)
    assert verify_password("a" * (MAX_LENGTH - 1), longer) == (False, None)
    assert verify_password("a" * MAX_LENGTH, longer) == (True, None)


def test_composed_and_decomposed_accents_are_the_same_password():
    stored = hash_password("caf\u00e9 sur la plage")
    assert verify_password("cafe\u0301 sur la plage", stored) == (True, None)


def test_each_hash_has_its_own_salt(stored: str):
    assert hash_password(PASSPHRASE) != stored


def test_a_weaker_hash_is_upgraded_on_sign_in():
    weak = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),)).hash(PASSPHRASE)
    ok, new = verify_password(PASSPHRASE, weak)
    assert ok
    assert new is not None and new != weak and new.startswith("$argon2id$")
    assert verify_password(PASSPHRASE, new) == (True, None)
    assert verify_password("not it at all", weak) == (False, None)  # no upgrade for a wrong password


@pytest.mark.parametrize("junk", ["", "plaintext-password", "$2b$12$notreallybcrypt", "$argon2id$v=19$m=1,t=1,p=1$x$y"])
def test_a_stored_value_that_is_not_a_hash_never_matches(junk: str):
    assert verify_password("plaintext-password", junk) == (False, None)


def test_dummy_verify_takes_about_as_long_as_a_real_check(stored: str):
    dummy_verify()  # makes the decoy hash once

    def fastest(check) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            check()
            times.append(time.perf_counter() - start)
        return min(times)

    real = fastest(lambda: verify_password("wrong guess here", stored))
    decoy = fastest(dummy_verify)
    # Same algorithm and parameters: the same work. A loose bound, since the machine is shared.
    assert decoy > real / 3
    assert passwords._dummy_hash().startswith("$argon2id$")
