"""Growing waits after failed sign-ins, capped, with no lockout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from backcoach.security.throttle import (
    FAILURE_LIMIT,
    MAX_DELAY,
    ThrottleState,
    delay_after,
    retry_after,
)

T0 = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)
S = timedelta(seconds=1)


def test_no_failures_no_wait():
    assert retry_after(0, None, T0) == timedelta(0)
    assert ThrottleState().allowed(T0)


def test_the_wait_doubles_from_one_second_up_to_the_cap():
    assert [delay_after(n) for n in range(1, 9)] == [S, 2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S, 60 * S]
    assert delay_after(10_000) == MAX_DELAY == 60 * S


def test_the_wait_counts_down_from_the_last_failure():
    assert retry_after(3, T0, T0) == 4 * S
    assert retry_after(3, T0, T0 + 3 * S) == S
    assert retry_after(3, T0, T0 + 4 * S) == timedelta(0)
    assert retry_after(3, T0, T0 + timedelta(days=1)) == timedelta(0)


def test_a_clock_set_back_never_makes_the_wait_longer_than_the_delay():
    assert retry_after(3, T0, T0 - timedelta(hours=1)) == 4 * S


def test_failures_add_up_and_a_success_clears_them():
    state = ThrottleState()
    for n in range(1, 6):
        state = state.after_failure(T0 + n * timedelta(minutes=1))
        assert state.failures == n
    assert state.last_failure_at == T0 + 5 * timedelta(minutes=1)
    assert not state.allowed(state.last_failure_at)
    assert state.retry_after(state.last_failure_at) == 16 * S
    assert state.after_success() == ThrottleState()


def test_the_state_is_a_frozen_value():
    state = ThrottleState()
    after = state.after_failure(T0)
    assert state == ThrottleState() and after != state
    assert hash(after) == hash(ThrottleState(1, T0))


def test_the_limit_is_flagged_but_never_locks_out():
    state = ThrottleState(FAILURE_LIMIT - 1, T0)
    assert not state.at_limit
    state = state.after_failure(T0)
    assert state.at_limit
    assert state.allowed(T0 + MAX_DELAY)  # a minute later the real person may still try


@given(st.integers(min_value=0, max_value=10_000))
def test_the_wait_never_shrinks_with_more_failures_and_never_passes_the_cap(failures: int):
    assert delay_after(failures) <= delay_after(failures + 1) <= MAX_DELAY


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=-100_000, max_value=100_000))
def test_the_wait_is_between_zero_and_the_delay(failures: int, seconds_later: int):
    wait = retry_after(failures, T0, T0 + seconds_later * S)
    assert timedelta(0) <= wait <= delay_after(failures)
    if seconds_later >= 0:
        assert wait == max(timedelta(0), delay_after(failures) - seconds_later * S)
