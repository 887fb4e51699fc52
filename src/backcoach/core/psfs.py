"""The Patient-Specific Functional Scale (Stratford et al. 1995): up to three activities a person
names and rates from 0 (cannot do it) to 10 (as well as before the problem), rated again over the
weeks. What a good name and a good rating are, and what a change in one activity's rating means,
in words every face shows the same.

A change counts as real at 3 points on one activity (`PSFS_ACTIVITY_CHANGE`): Stratford et al.
give 3 points as the smallest change in a single activity's score that is more than measurement
error. It is above the important differences Abbott and Schmitt (2014) found for the average of
the activities (1.3 to 2.7 points), so calling 3 points on one activity a real change claims no
more than both. Anything smaller is "too small to call a change yet".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backcoach.core.errors import InvalidInput
from backcoach.core.rules import PSFS_ACTIVITY_CHANGE

MAX_ACTIVITIES = 3  # the scale asks for up to three activities
MAX_NAME = 200
LOWEST, HIGHEST = 0, 10
LOWEST_WORDS = "cannot do it"
HIGHEST_WORDS = "as well as before"
SCALE_WORDS = f"{LOWEST} = {LOWEST_WORDS}, {HIGHEST} = {HIGHEST_WORDS}."
REAL_CHANGE = int(PSFS_ACTIVITY_CHANGE.value)
CHANGE_NOTE = (
    f"A change of {REAL_CHANGE} points or more in one activity is a real change, "
    "more than the ups and downs from one rating to the next. Source: A study of a scale for everyday "
    "activities (1995)."
)


def check_name(name: str) -> str:
    """The name as stored: trimmed, one line of printable text, 1 to MAX_NAME characters."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("name", f"give it a name of 1 to {MAX_NAME} characters")
    if any(not ch.isprintable() for ch in name):
        raise InvalidInput("name", "write the name on one line, with letters, numbers and spaces")
    return name


def same_name(one: str, other: str) -> bool:
    """Two names for the same activity: the same words, whatever their case or spacing."""
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def check_new(name: str, existing: Iterable[str]) -> None:
    """A new activity beside the person's others: at most MAX_ACTIVITIES, and not one they have."""
    names = list(existing)
    same = next((other for other in names if same_name(name, other)), None)
    if same is not None:
        raise InvalidInput("name", f'you already have "{same}"; rate that one again instead')
    if len(names) >= MAX_ACTIVITIES:
        raise InvalidInput("name", f"you already have {MAX_ACTIVITIES} activities; the scale uses up to three")


def check_score(score: int) -> int:
    if not LOWEST <= score <= HIGHEST:
        raise InvalidInput("score", f"give a whole number from {LOWEST} to {HIGHEST}, not {score}")
    return score


@dataclass(frozen=True)
class ActivityChange:
    first: int
    latest: int
    ratings: int  # how many times it has been rated, the first time included
    words: str

    @property
    def change(self) -> int:
        """Positive: easier to do than at the start."""
        return self.latest - self.first

    @property
    def real(self) -> bool:
        return self.ratings > 1 and abs(self.change) >= REAL_CHANGE


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def activity_change(scores: list[int]) -> ActivityChange:
    """What one activity's ratings, oldest first, say: the latest against the first, in words that
    call a change real only from REAL_CHANGE points on."""
    if not scores:
        raise ValueError("an activity always has its first rating")
    return change_since_first(scores[0], scores[-1], len(scores))


def change_since_first(first: int, latest: int, ratings: int) -> ActivityChange:
    """The same words from the first and the latest score and how many ratings there are, so a
    long series need not be read to say them."""
    change = latest - first
    shown = f"{first} → {latest} out of 10."
    if ratings == 1:
        words = f"{latest} out of 10. Rate it again in a week or so to see how it changes."
    elif change == 0:
        words = f"{shown} The same as when you started."
    elif abs(change) < REAL_CHANGE:
        way = "Up" if change > 0 else "Down"
        words = f"{shown} {way} {_points(abs(change))} since you started: too small to call a change yet."
    elif change > 0:
        words = f"{shown} Up {_points(change)} since you started: a real change."
    else:
        words = (
            f"{shown} Down {_points(-change)} since you started: a real change. "
            "If it stays this hard, talk to your doctor or physiotherapist."
        )
    return ActivityChange(first, latest, ratings, words)
