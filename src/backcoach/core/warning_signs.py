"""The warning-sign questions and the combinations that decide how urgent care is.

Each question asks one thing. A question's `urgency` is the level its "yes" (or "not sure")
leads to; `None` means it is only a part of a pattern (a `Rule`) and means nothing alone.
`counts_alone=False` marks a sign that counts only next to another sign. The neck questions
(`region=neck`) are asked only when the neck is one of the person's regions.

Where each level comes from (the wording is ours):
- Cauda equina signs: NICE NG59 1.1.1 lists them; NICE CKS low back pain asks for emergency
  care at once.
- A major injury: NICE NG41 (spinal injury) asks for an assessment; with severe pain, or with
  numbness or weakness in the hands or feet (its 1.1.3 factors), for emergency care.
- Possible infection or cancer: NICE CKS low back pain asks for a same-day assessment when a
  spinal infection is suspected, and for urgent care when cancer may have spread to the spine.
  NCBI Bookshelf NBK52120 and NICE NG59 1.1.1 list the signs. A single sign of this kind is
  decided conservatively, as same day: backcoach cannot examine anyone, and these guidelines
  give no lower level for it alone.
- First onset under 20 or over 50 with nothing else, and the inflammatory pattern (NICE NG65):
  see a doctor soon.
- Neck: signs of spinal cord compression (NICE CKS neck pain: urgent referral, decided here as
  same day); signs of a neck artery problem (the IFOMPT 2020 cervical framework: like a stroke,
  they need emergency care; dizziness alone is common, so same day); neck pain after an injury
  (NICE NG41).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from backcoach.core.exercise import Region

Unsure = Literal["unsure"]
Answer = bool | Unsure
UNSURE: Unsure = "unsure"
ANSWERS: tuple[Answer, ...] = (True, False, UNSURE)


class Urgency(StrEnum):
    """How soon to get care. The stored values of the first three levels are kept as they were."""

    emergency = "emergency"
    same_day = "same_day"
    see_doctor = "see_doctor"  # see a doctor soon
    clear = "ok"


# The order of the levels: a higher rank is more urgent.
RANK = {Urgency.clear: 0, Urgency.see_doctor: 1, Urgency.same_day: 2, Urgency.emergency: 3}


class Cause(StrEnum):
    """What a sign may point to, as the result explains it (never as a diagnosis)."""

    nerves = "nerves"
    injury = "injury"
    bones = "bones"
    infection = "infection"
    serious = "serious"
    age = "age"
    inflammation = "inflammation"
    neck_cord = "neck_cord"
    neck_artery = "neck_artery"
    neck_injury = "neck_injury"
    limb_nerves = "limb_nerves"


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    words: str  # the sign in a few plain words, for the result: "you told us about ..."
    urgency: Urgency | None  # None: only a part of a pattern (see RULES)
    cause: Cause
    source: str
    counts_alone: bool = True  # False: only a warning sign together with another one
    region: Region | None = None  # asked only when this is one of the person's regions


# Facts of a person's history that stay true once a doctor has checked them: a clearance covers
# them when they are answered "yes" again later. Any other sign (a symptom now: fever, weight
# loss, night pain, numbness...) needs a new check each time it is answered "yes".
LASTING_SIGNS = frozenset(
    {
        "cancer_history",
        "onset_under_20",
        "onset_over_50",
        "long_steroids",
        "weak_immunity",
        "injects_drugs",
        "major_injury",
        "minor_injury",
        "thin_bones",
        "over_3_months",
        "started_before_45",
        "neck_injury",
    }
)


@dataclass(frozen=True)
class Rule:
    """A combination of answers that decides a level: every `all_of`, and one of `any_of` if given."""

    id: str
    all_of: frozenset[str]
    any_of: frozenset[str]
    urgency: Urgency
    cause: Cause
    source: str


E, D, S = Urgency.emergency, Urgency.same_day, Urgency.see_doctor
CKS, NG41, NG59, NG65, BOOK = "NICE-CKS-LBP", "NICE-NG41", "NICE-NG59", "NICE-NG65", "NCBI-NBK52120"
NECK = Region.neck

BACK_QUESTIONS: tuple[Question, ...] = (
    # Cauda equina: emergency care now.
    Question(
        "saddle_numbness",
        "Is the skin around your bottom, genitals or inner thighs numb or tingling?",
        "numbness or tingling around your bottom or genitals",
        E,
        Cause.nerves,
        CKS,
    ),
    Question(
        "passing_urine",
        "Is it new that you find it hard to pass urine?",
        "new trouble passing urine",
        E,
        Cause.nerves,
        CKS,
    ),
    Question(
        "bladder_control",
        "Is it new that you cannot control when you pass urine?",
        "new loss of bladder control",
        E,
        Cause.nerves,
        CKS,
    ),
    Question(
        "bowel_control",
        "Is it new that you cannot control your bowels?",
        "new loss of bowel control",
        E,
        Cause.nerves,
        CKS,
    ),
    Question("leg_weakness", "Are your legs getting weaker?", "legs getting weaker", E, Cause.nerves, CKS),
    Question(
        "pain_both_legs",
        "Do you feel pain, numbness or tingling down both legs?",
        "symptoms down both legs",
        E,
        Cause.nerves,
        CKS,
    ),
    # A big injury: same day alone; emergency with severe pain, numbness or weakness (NG41 1.1.3).
    Question(
        "major_injury",
        "Did this pain start after a big accident, such as a car crash or a bad fall?",
        "a big accident",
        D,
        Cause.injury,
        NG41,
    ),
    Question("severe_pain", "Is your pain severe, the worst you have had?", "severe pain", None, Cause.injury, NG41),
    # On their own, numb or weak hands or feet can mean a pressed nerve: NICE NG59 asks for an
    # assessment of such signs, so a doctor should check (after a big injury, at once: see RULES).
    Question("numb_hands_feet", "Do your hands or feet feel numb?", "numb hands or feet", S, Cause.limb_nerves, NG59),
    Question("weak_hands_feet", "Are your hands or feet weak?", "weak hands or feet", S, Cause.limb_nerves, NG59),
    # A small injury with weak bones (CKS: suspect a fracture). Thin bones alone is a condition the
    # profile asks about and the exercises allow for, not a reason to stop.
    Question(
        "minor_injury",
        "Did this pain start after a small fall, or after lifting something heavy?",
        "a small fall or heavy lifting",
        S,
        Cause.bones,
        CKS,
        counts_alone=False,
    ),
    Question(
        "thin_bones",
        "Has a doctor told you that you have thin bones (osteoporosis)?",
        "thin bones",
        S,
        Cause.bones,
        CKS,
        counts_alone=False,
    ),
    # Long steroid use weakens the bones and the immune system (NBK52120 lists it for both): same
    # day, as for a weak immune system.
    Question(
        "long_steroids",
        "Have you taken steroid tablets for a long time?",
        "steroid tablets for a long time",
        D,
        Cause.infection,
        BOOK,
    ),
    # Possible infection (CKS: same day). Alone, each is decided as same day too (see the docstring).
    Question("fever", "Do you have a fever, or chills?", "fever or chills", D, Cause.infection, CKS),
    Question(
        "recent_infection",
        "Have you had an infection caused by bacteria lately, such as a urine infection?",
        "a recent infection",
        D,
        Cause.infection,
        CKS,
    ),
    Question("injects_drugs", "Do you inject drugs?", "injecting drugs", D, Cause.infection, CKS),
    Question(
        "weak_immunity",
        "Is your immune system weak, from an illness or from medicines?",
        "a weak immune system",
        D,
        Cause.infection,
        CKS,
    ),
    # Possible cancer (CKS: a history of cancer with new back pain needs an urgent check). The other
    # signs of this kind are decided as same day too, conservatively (NBK52120 lists them).
    Question("cancer_history", "Have you ever had cancer?", "cancer in the past", D, Cause.serious, CKS),
    Question(
        "weight_loss", "Have you lost weight without trying?", "weight loss without trying", D, Cause.serious, BOOK
    ),
    Question(
        "pain_lying_down",
        "Is the pain worse when you lie down?",
        "pain that is worse lying down",
        D,
        Cause.serious,
        BOOK,
    ),
    Question("night_pain", "Is the pain very bad at night?", "very bad pain at night", D, Cause.serious, BOOK),
    Question("unwell", "Do you feel unwell in yourself, not just sore?", "feeling unwell", D, Cause.serious, BOOK),
    # First onset under 20 or over 50, with nothing else: see a doctor soon (NBK52120; CKS).
    Question(
        "onset_under_20",
        "Did back pain like this first start before you were 20?",
        "back pain that first began before 20",
        S,
        Cause.age,
        BOOK,
    ),
    Question(
        "onset_over_50",
        "Did back pain like this first start after you were 50?",
        "back pain that first began after 50",
        S,
        Cause.age,
        BOOK,
    ),
    # Upper-back pain counts only with another sign, and then it is at least same day (NBK52120).
    Question(
        "thoracic_pain",
        "Is the pain mainly in your upper back, between your shoulder blades?",
        "pain mainly in your upper back",
        D,
        Cause.serious,
        BOOK,
        counts_alone=False,
    ),
    # The inflammatory pattern (NICE NG65): the four parts together, never one alone.
    Question(
        "over_3_months",
        "Have you had this back pain for more than 3 months?",
        "pain for over 3 months",
        None,
        Cause.inflammation,
        NG65,
    ),
    Question(
        "started_before_45",
        "Did this back pain start before you were 45?",
        "pain that began before 45",
        None,
        Cause.inflammation,
        NG65,
    ),
    Question(
        "eases_moving",
        "Does the pain get better when you move about?",
        "pain that eases when you move",
        None,
        Cause.inflammation,
        NG65,
    ),
    Question(
        "wakes_late_night",
        "Does the pain wake you in the second half of the night?",
        "pain that wakes you late at night",
        None,
        Cause.inflammation,
        NG65,
    ),
)

NECK_QUESTIONS: tuple[Question, ...] = (
    # Spinal cord compression (NICE CKS neck pain: refer urgently; decided here as same day).
    Question(
        "neck_clumsy_hands",
        "Have your hands become clumsy, for example with buttons or writing?",
        "clumsy hands",
        D,
        Cause.neck_cord,
        "NICE-CKS-NECK",
        region=NECK,
    ),
    Question(
        "neck_unsteady_walking",
        "Has your walking become unsteady?",
        "unsteady walking",
        D,
        Cause.neck_cord,
        "NICE-CKS-NECK",
        region=NECK,
    ),
    Question(
        "neck_both_arms",
        "Do you feel pain, numbness or tingling in both arms?",
        "symptoms in both arms",
        D,
        Cause.neck_cord,
        "NICE-CKS-NECK",
        region=NECK,
    ),
    # Neck artery problems (IFOMPT 2020): signs like a stroke's need emergency care. Dizziness alone
    # has many causes, so it is same day.
    Question(
        "neck_dizziness",
        "Since your neck pain began, have you felt dizzy?",
        "dizziness",
        D,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    Question(
        "neck_double_vision",
        "Since your neck pain began, have you seen double?",
        "double vision",
        E,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    Question(
        "neck_speaking",
        "Since your neck pain began, have you had trouble speaking?",
        "trouble speaking",
        E,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    Question(
        "neck_swallowing",
        "Since your neck pain began, have you had trouble swallowing?",
        "trouble swallowing",
        E,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    Question(
        "neck_sudden_falls",
        "Have you suddenly fallen down, without warning?",
        "sudden falls",
        E,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    Question(
        "neck_face_numbness",
        "Is part of your face numb?",
        "numbness in your face",
        E,
        Cause.neck_artery,
        "IFOMPT-2020",
        region=NECK,
    ),
    # Neck pain after an injury (NICE NG41): same day; with nerve signs, emergency (see RULES).
    Question(
        "neck_injury",
        "Did your neck pain start after a fall, a crash or a blow to the head?",
        "a neck injury",
        D,
        Cause.neck_injury,
        NG41,
        region=NECK,
    ),
)

QUESTIONS = BACK_QUESTIONS  # the first screen asks these of everyone
ALL_QUESTIONS: tuple[Question, ...] = BACK_QUESTIONS + NECK_QUESTIONS
QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in BACK_QUESTIONS)
NECK_QUESTION_IDS: tuple[str, ...] = tuple(q.id for q in NECK_QUESTIONS)
ALL_QUESTION_IDS: tuple[str, ...] = QUESTION_IDS + NECK_QUESTION_IDS
BY_ID = {q.id: q for q in ALL_QUESTIONS}

_NERVE_SIGNS = frozenset({"severe_pain", "numb_hands_feet", "weak_hands_feet", "leg_weakness", "saddle_numbness"})
_CORD_SIGNS = frozenset({"neck_clumsy_hands", "neck_unsteady_walking", "neck_both_arms"})

RULES: tuple[Rule, ...] = (
    # NG41 1.1.3: after a big injury, severe pain, numbness or weakness mean emergency care.
    Rule("injury_with_nerve_signs", frozenset({"major_injury"}), _NERVE_SIGNS, E, Cause.injury, NG41),
    Rule(
        "neck_injury_with_nerve_signs",
        frozenset({"neck_injury"}),
        _CORD_SIGNS | {"numb_hands_feet", "weak_hands_feet", "severe_pain"},
        E,
        Cause.neck_injury,
        NG41,
    ),
    # CKS: fever with a risk factor for infection means a same-day check.
    Rule(
        "fever_with_risk",
        frozenset({"fever"}),
        frozenset({"injects_drugs", "weak_immunity", "recent_infection", "long_steroids"}),
        D,
        Cause.infection,
        CKS,
    ),
    # CKS: a small injury or heavy lifting with thin bones or long steroid use: a possible fracture.
    Rule(
        "minor_injury_weak_bones",
        frozenset({"minor_injury"}),
        frozenset({"thin_bones", "long_steroids"}),
        D,
        Cause.bones,
        CKS,
    ),
    # NG65, shortened and so more cautious than its full referral criteria: the four parts together.
    Rule(
        "inflammatory_pattern",
        frozenset({"over_3_months", "started_before_45", "eases_moving", "wakes_late_night"}),
        frozenset(),
        S,
        Cause.inflammation,
        NG65,
    ),
)
