"""Every clinical threshold and every status word, defined once.

The planner, the pain-stop rules, the weekly review, the history summaries, the storage
constraints, the API schema and the faces all import from here; none keeps a copy. Each number
is a `Rule` that names its source, and `docs/clinical-rules.md` is checked against this list by
a test (`tests/test_clinical_rules_doc.py`), so the document cannot drift from the code.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from backcoach.core.exercise import Exercise, Kind


@dataclass(frozen=True)
class Rule:
    id: str
    value: float
    words: str  # what the number means, in one line
    source: str  # a named guideline or a seed's human title


PAIN_CRITICAL = Rule(
    "pain-critical", 7, "Pain of 7/10 or more is critical: the session ends, strengthening waits", "Medbridge Pathways"
)
PAIN_RISE_ACT = Rule(
    "pain-rise-act", 2, "A rise in pain of 2 points or more: act (ease the program)", "Medbridge Pathways"
)
PAIN_WATCH_LEVEL = Rule("pain-watch-level", 5, "Pain of 5/10 or more with a 1-point rise: watch", "Medbridge Pathways")
PAIN_WATCH_RISE = Rule(
    "pain-watch-rise", 1, "The 1-point rise that, at 5/10 or more, means watch", "Medbridge Pathways"
)
MEANINGFUL_POINTS = Rule("meaningful-points", 2, "A change in pain of 2 points is a real change", "Ostelo et al. 2008")
MEANINGFUL_FRACTION = Rule(
    "meaningful-fraction", 0.30, "A change in pain of 30% is a real change", "Ostelo et al. 2008"
)
EASY_IN_A_ROW = Rule(
    "easy-in-a-row",
    2,
    "An exercise grows after two sessions in a row that felt easy",
    'NSCA "2-for-2" rule (Baechle and Earle, Essentials of Strength Training and Conditioning)',
)
RISING_REVIEWS = Rule(
    "rising-reviews",
    3,
    "Pain rising at this many reviews in a row means: see a professional",
    "product rule after NICE NG59 (review people whose pain is not improving)",
)
NOT_EASING_REVIEWS = Rule(
    "not-easing-reviews",
    2,
    "Pain high or rising, or not easing after the program was eased, at this many reviews in a row: see a professional",
    "product rule after NICE NG59 (review people whose pain is not improving)",
)
REVIEW_EVERY_DAYS = Rule("review-every-days", 7, "The program is reviewed once a week", "product rule (PRODUCT.md)")
PSFS_ACTIVITY_CHANGE = Rule(
    "psfs-activity-change",
    3,
    "A change of 3 points in one activity's 0-10 rating is a real change",
    "Stratford et al. 1995 (the Patient-Specific Functional Scale: smallest change beyond error for one activity)",
)

# The care team's alerts (`core/alerts.py`): Medbridge Pathways' monitoring tiers for engagement and
# function; its pain tiers are the four pain rules above.
ENGAGEMENT_LOW_HOURS = Rule(
    "engagement-low-hours",
    49,
    "No session with an exercise done for 49 hours: a low alert (counted from sessions, not sign-ins)",
    "Medbridge Pathways",
)
ENGAGEMENT_HIGH_DAYS = Rule(
    "engagement-high-days", 14, "No session with an exercise done for 14 days: a high alert", "Medbridge Pathways"
)
ENGAGEMENT_DROPPED_DAYS = Rule(
    "engagement-dropped-days",
    21,
    "No session with an exercise done for 21 days: dropped out, a critical alert",
    "Medbridge Pathways",
)
FUNCTION_FLAT_ASSESSMENTS = Rule(
    "function-flat-assessments",
    2,
    "An activity's rating no higher over its last two assessments: a high alert",
    "Medbridge Pathways",
)
FUNCTION_DROP_FRACTION = Rule(
    "function-drop-fraction",
    0.20,
    "An activity's rating 20% or more below the assessment before: a critical alert",
    "Medbridge Pathways",
)

RULES: tuple[Rule, ...] = (
    PAIN_CRITICAL,
    PAIN_RISE_ACT,
    PAIN_WATCH_LEVEL,
    PAIN_WATCH_RISE,
    MEANINGFUL_POINTS,
    MEANINGFUL_FRACTION,
    EASY_IN_A_ROW,
    RISING_REVIEWS,
    NOT_EASING_REVIEWS,
    REVIEW_EVERY_DAYS,
    PSFS_ACTIVITY_CHANGE,
    ENGAGEMENT_LOW_HOURS,
    ENGAGEMENT_HIGH_DAYS,
    ENGAGEMENT_DROPPED_DAYS,
    FUNCTION_FLAT_ASSESSMENTS,
    FUNCTION_DROP_FRACTION,
)

DOC_START = "<!-- rules:start (written from backcoach.core.rules by `python3 dev.py docs`) -->"
DOC_END = "<!-- rules:end -->"


def rules_table() -> str:
    """The thresholds as the Markdown table that `docs/clinical-rules.md` holds between its markers."""
    lines = ["| Rule | Number | What it means | Source |", "|------|--------|---------------|--------|"]
    for rule in RULES:
        number = f"{rule.value:g}" if rule.value >= 1 else f"{rule.value:.0%}"
        lines.append(f"| `{rule.id}` | {number} | {rule.words} | {rule.source} |")
    return "\n".join([DOC_START, *lines, DOC_END])


# The numbers as the code compares them.
CRITICAL_PAIN = int(PAIN_CRITICAL.value)
ACT_RISE = int(PAIN_RISE_ACT.value)
WATCH_LEVEL = int(PAIN_WATCH_LEVEL.value)
WATCH_RISE = int(PAIN_WATCH_RISE.value)


def pain_rose(before: int | None, after: int) -> bool:
    """A rise at a check-in worth asking the warning signs again: critical, or a rise to act on."""
    return after >= CRITICAL_PAIN or (before is not None and after - before >= ACT_RISE)


def ask_warning_signs_again(
    before: int | None, after: int | None, stop_scores: Collection[int], into_the_legs: bool
) -> bool:
    """After a session: symptoms that changed mean the warning signs are asked again (NICE NG59
    advises re-assessing red flags when symptoms change). That is a check-in where pain rose
    (Medbridge Pathways' act or critical level), a pain stop at the critical level, or pain that
    went into the legs (pain down the legs is among NICE NG59's signs of nerve compression)."""
    rose = after is not None and pain_rose(before, after)
    return rose or any(score >= CRITICAL_PAIN for score in stop_scores) or into_the_legs


# Status words ---------------------------------------------------------------------------------


class Difficulty(StrEnum):
    """How a session felt, as the person says at the check-in."""

    easy = "easy"
    right = "right"
    hard = "hard"


class OutcomeStatus(StrEnum):
    """What happened to one exercise in a session."""

    done = "done"
    skipped = "skipped"
    stopped_for_pain = "stopped_for_pain"


class EndReason(StrEnum):
    """Why a session ended, as a player reports it."""

    finished = "finished"
    pain = "pain"
    quit = "quit"


class SessionStatus(StrEnum):
    """A stored session's state: open, or how it ended."""

    in_progress = "in_progress"
    finished = "finished"
    stopped_for_pain = "stopped_for_pain"
    quit = "quit"


END_STATUS = {
    EndReason.finished: SessionStatus.finished,
    EndReason.pain: SessionStatus.stopped_for_pain,
    EndReason.quit: SessionStatus.quit,
}


def sql_in(column: str, vocabulary: type[StrEnum], nullable: bool = False) -> str:
    """A CHECK constraint's text that keeps a column to one vocabulary."""
    values = ", ".join(f"'{v.value}'" for v in vocabulary)
    check = f"{column} in ({values})"
    return f"{column} is null or {check}" if nullable else check


# What counts as strengthening ----------------------------------------------------------------


def is_strengthening(exercise: Exercise) -> bool:
    """Strengthening only: an exercise that also stretches or mobilises counts as gentle."""
    return Kind.strengthen in exercise.kind and not ({Kind.stretch, Kind.mobilise} & set(exercise.kind))
