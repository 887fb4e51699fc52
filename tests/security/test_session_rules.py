"""Idle and absolute session timeouts, per role, on an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.security.session_rules import (
    ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT,
    session_state,
    timeouts_for,
)

SIGNED_IN = datetime(2026, 3, 14, 8, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_staff_timeouts_are_nist_aal2():
    for role in ("admin", "physio"):
        assert timeouts_for(role) == (timedelta(minutes=30), timedelta(hours=12))
    assert timeouts_for("admin") == (IDLE_TIMEOUT, ABSOLUTE_TIMEOUT)


def test_patients_stay_signed_in_longer_but_not_past_aal1():
    idle, absolute = timeouts_for("patient")
    assert idle > timeouts_for("physio")[0]
    assert idle <= absolute <= timedelta(days=30)


def test_an_unknown_role_is_an_error():
    with pytest.raises(ValueError):
        timeouts_for("superuser")


def test_a_physio_session_goes_idle_after_30_minutes():
    last = SIGNED_IN + timedelta(hours=2)
    assert session_state(SIGNED_IN, last, last + 29 * MINUTE, "physio") == "live"
    assert session_state(SIGNED_IN, last, last + 30 * MINUTE, "physio") == "idle_expired"


def test_a_busy_physio_session_still_ends_after_12_hours():
    now = SIGNED_IN + timedelta(hours=12)
    assert session_state(SIGNED_IN, now - MINUTE, now - MINUTE, "physio") == "live"
    assert session_state(SIGNED_IN, now - MINUTE, now, "physio") == "absolute_expired"


def test_absolute_wins_when_both_have_passed():
    assert session_state(SIGNED_IN, SIGNED_IN, SIGNED_IN + timedelta(days=40), "patient") == "absolute_expired"


def test_a_patient_left_for_an_hour_mid_session_is_still_signed_in():
    assert session_state(SIGNED_IN, SIGNED_IN, SIGNED_IN + timedelta(hours=1), "patient") == "live"
    assert session_state(SIGNED_IN, SIGNED_IN, SIGNED_IN + timedelta(hours=1), "physio") == "idle_expired"


@given(
    st.sampled_from(["admin", "physio", "patient"]),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60)),
)
def test_the_state_follows_the_two_limits(role: str, active_for: timedelta, idle_for: timedelta):
    idle, absolute = timeouts_for(role)
    last_seen = SIGNED_IN + active_for
    now = last_seen + idle_for
    state = session_state(SIGNED_IN, last_seen, now, role)
    if now - SIGNED_IN >= absolute:
        assert state == "absolute_expired"
    elif idle_for >= idle:
        assert state == "idle_expired"
    else:
        assert state == "live"
