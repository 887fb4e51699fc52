"""The functional scale's rules in the core: what a name and a rating may be, and words that call a
change real only from 3 points on one activity (Stratford et al. 1995), never before."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.core.errors import InvalidInput
from backcoach.core.psfs import (
    MAX_ACTIVITIES,
    MAX_NAME,
    REAL_CHANGE,
    activity_change,
    check_name,
    check_new,
    check_score,
)
from backcoach.core.rules import PSFS_ACTIVITY_CHANGE, RULES
from backcoach.core.sources import GUIDELINES

REAL = "a real change"
TOO_SMALL = "too small to call a change yet"


def test_the_threshold_is_a_cited_rule_of_three_points():
    assert PSFS_ACTIVITY_CHANGE in RULES and REAL_CHANGE == 3
    assert "Stratford" in PSFS_ACTIVITY_CHANGE.source
    assert {"STRATFORD-1995", "ABBOTT-2014"} <= set(GUIDELINES)


@pytest.mark.parametrize(
    ("scores", "words", "real"),
    [
        ([4, 7], "4 → 7 out of 10. Up 3 points since you started: a real change.", True),
        ([4, 6], "4 → 6 out of 10. Up 2 points since you started: too small to call a change yet.", False),
        ([4, 5], "4 → 5 out of 10. Up 1 point since you started: too small to call a change yet.", False),
        ([4, 4], "4 → 4 out of 10. The same as when you started.", False),
        ([6, 5], "6 → 5 out of 10. Down 1 point since you started: too small to call a change yet.", False),
        ([6, 4], "6 → 4 out of 10. Down 2 points since you started: too small to call a change yet.", False),
        (
            [6, 3],
            "6 → 3 out of 10. Down 3 points since you started: a real change. "
            "If it stays this hard, talk to your doctor or physiotherapist.",
            True,
        ),
        ([0, 10], "0 → 10 out of 10. Up 10 points since you started: a real change.", True),
        ([5], "5 out of 10. Rate it again in a week or so to see how it changes.", False),
    ],
)
def test_the_words_call_a_change_real_from_three_points(scores: list[int], words: str, real: bool):
    change = activity_change(scores)
    assert change.words == words
    assert change.real is real
    assert change.first == scores[0] and change.latest == scores[-1] and change.ratings == len(scores)


def test_only_the_first_and_the_latest_rating_count():
    """A good week in the middle is not the change: the latest rating is compared with the first."""
    assert not activity_change([4, 9, 5]).real
    assert activity_change([4, 2, 7]).real and activity_change([4, 2, 7]).change == 3


@given(st.lists(st.integers(0, 10), min_size=1, max_size=12))
def test_the_words_never_overclaim(scores: list[int]):
    change = activity_change(scores)
    moved = abs(scores[-1] - scores[0])
    assert change.real == (len(scores) > 1 and moved >= REAL_CHANGE)
    assert (REAL in change.words) == change.real
    assert (TOO_SMALL in change.words) == (len(scores) > 1 and 0 < moved < REAL_CHANGE)


def test_a_name_is_trimmed_one_line_and_not_too_long():
    assert check_name("  Putting on socks ") == "Putting on socks"
    assert check_name("x" * MAX_NAME) == "x" * MAX_NAME
    for bad in ("", "   ", "x" * (MAX_NAME + 1), "Socks\nand shoes", "Tab\there"):
        with pytest.raises(InvalidInput) as refused:
            check_name(bad)
        assert refused.value.field == "name"


def test_a_new_activity_is_refused_when_it_is_the_fourth_or_one_the_person_has():
    check_new("Gardening", ["Putting on socks", "Sitting at my desk"])
    with pytest.raises(InvalidInput, match=f"already have {MAX_ACTIVITIES} activities"):
        check_new("Gardening", ["Putting on socks", "Sitting at my desk", "Lifting my child"])
    with pytest.raises(InvalidInput, match='already have "Putting on socks"'):
        check_new("putting  on SOCKS", ["Putting on socks"])


@pytest.mark.parametrize("score", [-1, 11, 100])
def test_a_rating_outside_the_scale_is_refused(score: int):
    with pytest.raises(InvalidInput, match="whole number from 0 to 10"):
        check_score(score)
    assert [check_score(s) for s in (0, 10)] == [0, 10]
