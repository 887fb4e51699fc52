"""The safety screen: warning signs ("red flags") that mean medical care, not exercise.

Any answer other than "no" to a warning sign means no program. Signs of cauda equina mean
emergency care now; signs of possible cancer, infection or fracture, or of inflammatory back
pain, mean seeing a doctor first. The questions follow NICE NG59 (1.1.1), NCBI Bookshelf
NBK52120 and NICE NG65; the wording is ours. backcoach does not diagnose: it only says
where to go and how soon.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from backcoach.core.errors import InvalidInput


class Urgency(StrEnum):
    clear = "ok"
    see_doctor = "see_doctor"
    emergency = "emergency"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    urgency: Urgency
    group: str
    source: str
    counts_alone: bool = True  # False: only a warning sign together with another one


QUESTIONS: tuple[Question, ...] = (
    # Signs of cauda equina: the nerves at the base of the spine may be squeezed.
    Question(
        "saddle_numbness",
        "Do you have numbness or tingling around your bottom, genitals or inner thighs?",
        Urgency.emergency,
        "nerves",
        "NICE-NG59",
    ),
    Question(
        "bladder_bowel",
        "Is it new that you have trouble passing urine, or controlling your bladder or bowels?",
        Urgency.emergency,
        "nerves",
        "NICE-NG59",
    ),
    Question(
        "leg_weakness",
        "Are your legs getting weaker, or is walking getting harder?",
        Urgency.emergency,
        "nerves",
        "NICE-NG59",
    ),
    Question(
        "pain_both_legs",
        "Does pain, numbness or tingling go down both of your legs?",
        Urgency.emergency,
        "nerves",
        "NICE-NG59",
    ),
    # Possible cancer or infection.
    Question("cancer_history", "Have you ever had cancer?", Urgency.see_doctor, "your health history", "NICE-NG59"),
    Question(
        "weight_loss",
        "Have you lost weight without trying?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    Question(
        "fever",
        "Do you have a fever, or chills and shivers?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    Question(
        "recent_infection",
        "Have you had an infection caused by bacteria lately, such as a urine infection?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    Question("injects_drugs", "Do you inject drugs?", Urgency.see_doctor, "your health history", "NCBI-NBK52120"),
    Question(
        "weak_immunity",
        "Is your immune system weak, for example from illness or medicines?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    Question(
        "night_pain",
        "Is the pain worse when you lie down, or very bad at night?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    Question(
        "onset_age",
        "Did back pain like this first start before you were 20, or after you were 50?",
        Urgency.see_doctor,
        "your health history",
        "NCBI-NBK52120",
    ),
    # Possible fracture.
    Question(
        "major_trauma",
        "Did the pain start after a bad fall, a crash or a hard hit?",
        Urgency.see_doctor,
        "a possible injury to the spine",
        "NICE-NG59",
    ),
    Question(
        "minor_trauma_weak_bones",
        "Did it start after a small fall or lifting something heavy, and you have thin bones or have taken "
        "steroid tablets for a long time?",
        Urgency.see_doctor,
        "a possible injury to the spine",
        "NCBI-NBK52120",
    ),
    Question(
        "unwell", "Do you feel unwell in yourself, not just sore?", Urgency.see_doctor, "how you feel", "NCBI-NBK52120"
    ),
    # Pain mainly in the upper back is a warning sign only together with another sign.
    Question(
        "thoracic_pain",
        "Is the pain mainly in your upper back, between your shoulder blades?",
        Urgency.see_doctor,
        "how you feel",
        "NCBI-NBK52120",
        counts_alone=False,
    ),
    # Inflammatory back pain: a reason to see a doctor, not an emergency.
    Question(
        "inflammatory",
        "Has your back pain lasted over 3 months, started before you were 45, and does it ease when you move "
        "but wake you late in the night?",
        Urgency.see_doctor,
        "long-lasting stiffness",
        "NICE-NG65",
    ),
)

QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in QUESTIONS)
_BY_ID = {q.id: q for q in QUESTIONS}

BEFORE_YOU_START = (
    "Before you start a new exercise plan for your back, it is wise to check with a doctor or "
    "physiotherapist, as one of our sources advises (002_17edfd41803de707.txt). "
    "Stop any exercise that hurts. backcoach guides exercise; it does not diagnose."
)

_EMERGENCY = (
    "Go to an emergency department now, or call your local emergency number. What you told us can be a sign "
    "that the nerves at the base of your spine are being squeezed. This needs checking at once, not exercise."
)
_SEE_DOCTOR = (
    "Please see a doctor before you exercise your back. {signs} should be checked first; it is "
    "probably nothing serious, but it needs a proper look. Contact your doctor soon."
)
_INFLAMMATORY = (
    "Please book a visit with your doctor. Back pain like yours is sometimes caused by inflammation, "
    "which has its own treatment. It is not an emergency."
)
_CLEAR = "No warning signs. You can start gently. Stop any exercise that hurts."


@dataclass(frozen=True)
class ScreenResult:
    status: Urgency
    message: str
    signs: tuple[str, ...]  # ids of the warning signs that count

    @property
    def is_clear(self) -> bool:
        return self.status is Urgency.clear


class MissingAnswers(InvalidInput, ValueError):
    def __init__(self, missing: list[str], unknown: list[str]) -> None:
        self.missing = missing
        self.unknown = unknown
        parts = []
        if missing:
            parts.append(f"no answer for {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown question {', '.join(unknown)}")
        super().__init__("red_flags", "; ".join(parts), "; ".join(parts))


def _sign_words(ids: list[str]) -> str:
    groups = sorted({_BY_ID[i].group for i in ids})
    return "What you told us about " + " and ".join(groups) if groups else "What you told us"


def screen(answers: Mapping[str, bool]) -> ScreenResult:
    """Decide from yes/no answers. Every question must be answered: silence is not a 'no'."""
    missing = [q for q in QUESTION_IDS if q not in answers]
    unknown = sorted(k for k in answers if k not in _BY_ID)
    if missing or unknown:
        raise MissingAnswers(missing, unknown)
    yes = [q for q in QUESTION_IDS if answers[q]]
    counting = [q for q in yes if _BY_ID[q].counts_alone]
    if counting:
        counting = yes  # a sign that needs company now has it
    emergency = [q for q in counting if _BY_ID[q].urgency is Urgency.emergency]
    if emergency:
        return ScreenResult(Urgency.emergency, _EMERGENCY, tuple(counting))
    if counting == ["inflammatory"]:
        return ScreenResult(Urgency.see_doctor, _INFLAMMATORY, tuple(counting))
    if counting:
        return ScreenResult(Urgency.see_doctor, _SEE_DOCTOR.format(signs=_sign_words(counting)), tuple(counting))
    return ScreenResult(Urgency.clear, _CLEAR, ())
