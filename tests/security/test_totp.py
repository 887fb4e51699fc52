"""Authenticator-app codes: right now, a step either side, never twice, never from further off."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.security.totp import new_totp_secret, provisioning_uri, qr_svg, step_at, totp_step

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
AT = datetime(2026, 3, 14, 9, 26, 45, tzinfo=UTC)  # 15 s into its step
NOW_STEP = int(AT.timestamp()) // 30


def code_at(moment: datetime, secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(moment)


def test_the_code_for_now_is_accepted():
    assert totp_step(SECRET, code_at(AT), AT, None) == NOW_STEP


@pytest.mark.parametrize(("offset", "step"), [(-30, NOW_STEP - 1), (30, NOW_STEP + 1), (-15, NOW_STEP), (14, NOW_STEP)])
def test_a_step_either_side_is_accepted(offset: int, step: int):
    assert totp_step(SECRET, code_at(AT + timedelta(seconds=offset)), AT, None) == step


@pytest.mark.parametrize("offset", [-90, -60, -46, 46, 60, 90])
def test_codes_from_further_off_are_refused(offset: int):
    assert totp_step(SECRET, code_at(AT + timedelta(seconds=offset)), AT, None) is None


def test_a_code_is_refused_the_second_time():
    step = totp_step(SECRET, code_at(AT), AT, None)
    assert step is not None
    assert totp_step(SECRET, code_at(AT), AT, step) is None
    assert totp_step(SECRET, code_at(AT), AT + timedelta(seconds=20), step) is None  # still in the window


def test_an_earlier_step_is_refused_after_a_later_one_was_used():
    later = totp_step(SECRET, code_at(AT + timedelta(seconds=30)), AT, None)
    assert later == NOW_STEP + 1
    assert totp_step(SECRET, code_at(AT), AT, later) is None
    assert totp_step(SECRET, code_at(AT + timedelta(seconds=60)), AT + timedelta(seconds=60), later) == NOW_STEP + 2


@pytest.mark.parametrize("spaced", ["{0} {1}", " {0} {1} ", "{0}\u00a0{1}", "{0}{1}\n"])
def test_spaces_in_the_code_are_ignored(spaced: str):
    code = code_at(AT)
    assert totp_step(SECRET, spaced.format(code[:3], code[3:]), AT, None) == NOW_STEP


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12-456"])
def test_malformed_codes_are_refused(bad: str):
    assert totp_step(SECRET, bad, AT, None) is None


def test_another_secrets_code_is_refused():
    assert totp_step(SECRET, code_at(AT, new_totp_secret()), AT, None) is None  # could match by chance, 3 in a million


def test_the_moment_must_carry_a_timezone():
    with pytest.raises(ValueError):
        totp_step(SECRET, code_at(AT), AT.replace(tzinfo=None), None)
    other_zone = AT.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert totp_step(SECRET, code_at(AT), other_zone, None) == NOW_STEP


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_any_moments_code_is_accepted_once(at: datetime):
    code = code_at(at)
    step = totp_step(SECRET, code, at, None)
    assert step == step_at(at)
    assert totp_step(SECRET, code, at, step) is None


def test_new_secrets_are_160_bit_base32_and_differ():
    secrets = {new_totp_secret() for _ in range(100)}
    assert len(secrets) == 100
    for secret in secrets:
        assert re.fullmatch("[A-Z2-7]{32}", secret)


def test_the_provisioning_uri_is_what_authenticator_apps_read():
    uri = provisioning_uri(SECRET, "priya@clinic.example", "backcoach")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert unquote(parsed.path) == "/backcoach:priya@clinic.example"
    assert parse_qs(parsed.query) == {"secret": [SECRET], "issuer": ["backcoach"]}


def test_the_qr_code_is_a_scalable_inline_svg():
    svg = qr_svg(provisioning_uri(SECRET, "priya@clinic.example", "backcoach"))
    assert svg.startswith("<svg ") and not svg.startswith("<?xml")
    root = ET.fromstring(svg)
    assert root.tag == "svg"
    assert "viewBox" in root.attrib
    assert "width" not in root.attrib and "height" not in root.attrib
    assert root.attrib["role"] == "img"
    assert root.find("title") is not None
