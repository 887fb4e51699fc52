"""What happens when a person says "this hurts" in the middle of a session.

Rules and their sources:
- Sharp, spreading or worsening pain ends the session (Smith et al. 2017: some discomfort is
  not harmful, but these are reasons to stop; 002_17edfd41803de707.txt: stop if you feel pain;
  004_7cab17a5ac68f44c.txt: pain during an exercise may mean it is done wrong).
- Pain of 7 or more out of 10 ends the session (Medbridge Pathways treats 7 as critical).
- Pain that goes into the legs counts as spreading.
- Mild discomfort never continues at the same dose: the person may take an easier dose or an
  easier exercise, or skip it. "Keep going, with a smaller movement" is no longer offered: it
  is too close to carrying on unchanged, which the seeds' "stop if it hurts" rules out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from backcoach.core.exercise import Exercise
from backcoach.core.rules import CRITICAL_PAIN
from backcoach.core.timing import Dose


class PainKind(StrEnum):
    mild = "mild"  # an ache or stretch that is uncomfortable, not sharp
    sharp = "sharp"
    spreading = "spreading"
    worsening = "worsening"


# Kinds of pain that end a session and pause the exercise until a professional clears it.
SEVERE_KINDS = frozenset(kind for kind in PainKind if kind is not PainKind.mild)


class PainPlace(StrEnum):
    neck = "neck"
    upper_back = "upper_back"
    middle_back = "middle_back"
    lower_back = "lower_back"
    hips = "hips"
    legs = "legs"
    other = "other"
    not_asked = "not_asked"  # only "into a leg or not" was asked (the phone's one-tap report): not the legs


# The questions' words, the same in every face.
KIND_WORDS: dict[PainKind, str] = {
    PainKind.mild: "A mild ache or stretch",
    PainKind.sharp: "Sharp",
    PainKind.spreading: "Spreading, for example down a leg",
    PainKind.worsening: "Getting worse",
}
PLACE_WORDS: dict[PainPlace, str] = {  # in the order the terminal numbers them
    PainPlace.neck: "Neck",
    PainPlace.upper_back: "Upper back",
    PainPlace.middle_back: "Middle back",
    PainPlace.lower_back: "Lower back",
    PainPlace.hips: "Hips or bottom",
    PainPlace.legs: "Legs",
    PainPlace.other: "Somewhere else",
    PainPlace.not_asked: "Not in the legs",
}
ASKED_PLACES = tuple(place for place in PLACE_WORDS if place is not PainPlace.not_asked)


class PainAction(StrEnum):
    end_session = "end_session"
    offer_easier = "offer_easier"


class OptionKind(StrEnum):
    easier_dose = "easier_dose"
    easier_exercise = "easier_exercise"
    smaller_movement = "smaller_movement"  # no longer offered; kept so stored choices still read
    skip = "skip"


@dataclass(frozen=True)
class PainReport:
    kind: PainKind
    score: int  # 0-10
    place: PainPlace


@dataclass(frozen=True)
class Option:
    kind: OptionKind
    label: str
    dose: Dose | None = None
    exercise_id: str | None = None

    @property
    def id(self) -> str:
        """Unique among the options of one decision: two easier exercises are two options."""
        return f"{self.kind.value}:{self.exercise_id}" if self.exercise_id else self.kind.value


@dataclass(frozen=True)
class PainDecision:
    action: PainAction
    message: str
    options: tuple[Option, ...] = ()


END_MESSAGE = (
    "Stop here for today. Sharp, spreading or worsening pain is a sign to stop. Rest in a position that "
    "feels easy. If the pain does not settle, see a doctor or physiotherapist. If you get numbness around "
    "your bottom or genitals, weak legs, or trouble with your bladder or bowels, get emergency help now."
)
HIGH_MESSAGE = (
    "Your pain is {score} out of 10. That is too high to carry on today. Rest in a position that feels easy. "
    "If it stays this high, see a doctor or physiotherapist."
)
ONLY_SKIP_MESSAGE = (
    "Some mild discomfort is normal and not harmful. Do not push through it: this one is already at its "
    "easiest, so skip it for today."
)
MILD_MESSAGE = (
    "Some mild discomfort is normal and not harmful. Do not push through it at the same dose: choose an "
    "easier way, or skip this one."
)


def easier_dose(exercise: Exercise, current: Dose) -> Dose | None:
    """The same exercise at the low end of its sources' ranges, if that is less than now."""
    limits = exercise.dose_limits()

    def lowest(name: str) -> int | None:
        value, limit = getattr(current, name), limits[name]
        return limit[0] if value is not None and limit is not None else value

    lowered = replace(
        current,
        hold_seconds=lowest("hold_seconds"),
        hold_breaths=lowest("hold_breaths"),
        reps=lowest("reps"),
        sets=lowest("sets"),
    )
    return None if lowered == current else lowered


def ends_session(report: PainReport) -> bool:
    """Whether this pain ends the session: the one test both players and the server share."""
    return report.kind is not PainKind.mild or report.place is PainPlace.legs or report.score >= CRITICAL_PAIN


def pauses_the_exercise(report: PainReport) -> bool:
    """Whether the exercise itself is paused until a professional clears it: sharp, spreading or
    worsening pain, or pain into the legs (Smith et al. 2017 name these as reasons to stop).
    High but mild pain ends the session without blaming the exercise."""
    return report.kind in SEVERE_KINDS or report.place is PainPlace.legs


def decide(
    report: PainReport,
    exercise: Exercise,
    current: Dose,
    allowed_easier: set[str],
    names: dict[str, str] | None = None,
) -> PainDecision:
    """Decide what to do after a pain stop. `allowed_easier` holds the ids the person can do;
    `names` gives their names, so an option reads "pelvic tilt", not an id."""
    names = names or {}
    if ends_session(report):
        if report.kind is PainKind.mild and report.place is not PainPlace.legs:
            return PainDecision(PainAction.end_session, HIGH_MESSAGE.format(score=report.score))
        return PainDecision(PainAction.end_session, END_MESSAGE)
    options: list[Option] = []
    lower = easier_dose(exercise, current)
    if lower is not None:
        options.append(Option(OptionKind.easier_dose, "Do fewer or shorter repeats", dose=lower))
    for other in exercise.easier:
        if other in allowed_easier:
            options.append(
                Option(
                    OptionKind.easier_exercise,
                    f"Switch to an easier exercise: {names.get(other, other.replace('-', ' '))}",
                    exercise_id=other,
                )
            )
    options.append(Option(OptionKind.skip, "Skip this exercise"))
    # Only "skip" left (already at its easiest, no easier exercise the person can do): say just that.
    message = ONLY_SKIP_MESSAGE if len(options) == 1 else MILD_MESSAGE
    return PainDecision(PainAction.offer_easier, message, tuple(options))
