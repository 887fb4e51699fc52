"""Pain over a whole review window, compared with where the program started and with the last review.

A single check-in says little: a week at 8/10 that ends with two sessions at 4/10 is not a
week "with no pain". So the review reads every rating in its window (before and after each
session, and each pain stop): the worst one and the typical one (the median). Then:

- **critical**: any rating of 7 or more (Medbridge Pathways' critical level);
- **act**: the typical pain is 2 points or more above the program's starting pain or the
  last review's, or pain rose by 2 or more within one session (Medbridge Pathways' "high"
  rise; Ostelo et al. 2008 make 2 points the smallest real change);
- **watch**: typical pain of 5 or more with a rise of 1 or more (Medbridge Pathways' "low");
- **stable**: the typical pain is less than 1 point above both the start and the last review.
  Only a stable window lets a dose grow.

Comparing with the start as well as with the last review catches pain that creeps up a point
a week: 2, 3, 4 is a rise of 2 from the start at the third review, though each step is 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from backcoach.core.history import SessionRecord
from backcoach.core.rules import ACT_RISE, CRITICAL_PAIN, NOT_EASING_REVIEWS, RISING_REVIEWS, WATCH_LEVEL, WATCH_RISE


@dataclass(frozen=True)
class PastReview:
    """What an earlier review found: the typical pain of its window, and whether it alarmed."""

    level: float | None
    alarm: bool


@dataclass(frozen=True)
class PainWindow:
    worst: int | None
    typical: float | None
    session_rise: int | None  # the biggest rise from before to after within one session


def pain_window(sessions: Sequence[SessionRecord]) -> PainWindow:
    ratings: list[int] = []
    worst: list[int] = []
    rises: list[int] = []
    for s in sessions:
        if s.check_in is not None:
            given = [v for v in (s.check_in.pain_before, s.check_in.pain_after) if v is not None]
            ratings += given
            worst += given
            if s.check_in.pain_before is not None and s.check_in.pain_after is not None:
                rises.append(s.check_in.pain_after - s.check_in.pain_before)
        worst += [o.pain_score for o in s.outcomes if o.pain_score is not None]
    return PainWindow(
        max(worst) if worst else None,
        float(median(ratings)) if ratings else None,
        max(rises) if rises else None,
    )


@dataclass(frozen=True)
class PainSignals:
    window: PainWindow
    baseline: float  # the pain the program started from
    previous: float | None  # the typical pain at the last review, if there was one

    @property
    def level(self) -> float | None:
        return self.window.typical

    @property
    def rise(self) -> float | None:
        """The rise of the typical pain against the start or the last review, whichever is larger."""
        if self.window.typical is None:
            return None
        references = [self.baseline, *([self.previous] if self.previous is not None else [])]
        return max(self.window.typical - r for r in references)

    @property
    def critical(self) -> bool:
        return self.window.worst is not None and self.window.worst >= CRITICAL_PAIN

    @property
    def act(self) -> bool:
        within = self.window.session_rise is not None and self.window.session_rise >= ACT_RISE
        return within or (self.rise is not None and self.rise >= ACT_RISE)

    @property
    def watch(self) -> bool:
        return self.level is not None and self.level >= WATCH_LEVEL and (self.rise or 0) >= WATCH_RISE

    @property
    def stable(self) -> bool:
        """Stable or falling against both the start and the last review: the only window where
        a dose may grow. With no rating at all, nothing is known, so nothing grows."""
        return self.rise is not None and self.rise < WATCH_RISE and not self.alarm

    @property
    def alarm(self) -> bool:
        return self.critical or self.act


def pain_signals(sessions: Sequence[SessionRecord], baseline: float, previous: float | None) -> PainSignals:
    return PainSignals(pain_window(sessions), baseline, previous)


def see_a_professional(signals: PainSignals, past: Sequence[PastReview]) -> str | None:
    """Advice to see a doctor or physiotherapist when pain does not settle (NICE NG59 advises
    reviewing people whose pain is not improving). `past` is newest first. Pain that stays at the
    watch level (5 or more, Medbridge Pathways) without easing at two reviews in a row counts as
    not improving too."""
    if signals.critical:
        return f"Your pain reached {signals.window.worst} out of 10. Please see a doctor or physiotherapist."
    last = past[0] if past else None
    level = signals.level
    earlier = past[: int(NOT_EASING_REVIEWS.value) - 1]
    if signals.alarm and len(earlier) == NOT_EASING_REVIEWS.value - 1 and all(p.alarm for p in earlier):
        return "Your pain has been high or rising at two reviews in a row. Please see a doctor or physiotherapist."
    if last is not None and last.alarm and level is not None and last.level is not None and level >= last.level:
        return (
            "Your pain has not eased since we made your program easier at the last review. "
            "Please see a doctor or physiotherapist."
        )
    # This review and the two before it: two reviews in a row without easing, at 5 or more.
    steady = [v for v in [level, *(p.level for p in past[: int(NOT_EASING_REVIEWS.value)])] if v is not None]
    if (
        len(steady) == NOT_EASING_REVIEWS.value + 1
        and all(v >= WATCH_LEVEL for v in steady)
        and all(newer >= older for newer, older in pairwise(steady))
    ):
        return (
            "Your pain has stayed at 5 or more without easing at two reviews in a row. "
            "Please see a doctor or physiotherapist."
        )
    levels = [level, *(p.level for p in past[: int(RISING_REVIEWS.value) - 1])]
    known = [v for v in levels if v is not None]
    if len(known) == RISING_REVIEWS.value and all(newer > older for newer, older in pairwise(known)):
        return "Your pain has gone up review after review. Please see a doctor or physiotherapist."
    return None
