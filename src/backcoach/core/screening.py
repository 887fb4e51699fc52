"""The safety screen: warning signs ("red flags") that mean medical care, not exercise.

The questions and the rules that combine them are in `warning_signs`, with their sources.
Here they are decided: each answer is yes, no or "not sure", and "not sure" counts as a yes
for the level it would lead to, since nobody can check it for the person. The most urgent
level wins. A result says what to do and how soon, names the guideline behind it, and never
reassures after a positive answer. backcoach does not diagnose: it only says where to go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backcoach.core.errors import InvalidInput
from backcoach.core.sources import GUIDELINES, SEEDS
from backcoach.core.warning_signs import (
    ALL_QUESTION_IDS,
    ALL_QUESTIONS,
    ANSWERS,
    BACK_QUESTIONS,
    BY_ID,
    NECK_QUESTION_IDS,
    NECK_QUESTIONS,
    QUESTION_IDS,
    QUESTIONS,
    RANK,
    RULES,
    UNSURE,
    Answer,
    Cause,
    Question,
    Rule,
    Urgency,
)

__all__ = [
    "ALL_QUESTIONS",
    "ALL_QUESTION_IDS",
    "ANSWERS",
    "BACK_QUESTIONS",
    "BEFORE_YOU_START",
    "NECK_QUESTIONS",
    "NECK_QUESTION_IDS",
    "QUESTIONS",
    "QUESTION_IDS",
    "UNSURE",
    "Answer",
    "MissingAnswers",
    "Question",
    "Rule",
    "ScreenResult",
    "Urgency",
    "questions_for",
    "screen",
]

BEFORE_YOU_START = (
    "Before you start a new exercise plan for your back, it is wise to check with a doctor or "
    f"physiotherapist, as one of our sources advises ({SEEDS['002_17edfd41803de707.txt'].title}). "
    "Stop any exercise that hurts. backcoach guides exercise; it does not diagnose."
)

_ACTION = {
    Urgency.emergency: "Go to an emergency department now, or call your local emergency number.",
    Urgency.same_day: (
        "See a doctor today. Call your doctor now. If you cannot see them today, go to an urgent care service."
    ),
    Urgency.see_doctor: "Book a visit with your doctor soon. It is not an emergency.",
}
_NICE = "NICE, the UK health guidance body,"
# Why, for each cause, naming who advises it. No timing here: the action line says how soon.
_WHY = {
    Cause.nerves: f"These can be signs that nerves at the bottom of your spine are squeezed. {_NICE} says "
    "this needs care at once.",
    Cause.injury: f"{_NICE} advises a doctor's check of the spine after a big accident. With severe pain, "
    "numbness or weakness, it is needed at once.",
    Cause.bones: f"A fall or lifting can break a bone in the spine when bones are weak. {_NICE} advises a "
    "doctor's check.",
    Cause.infection: f"Signs like these can come with an infection. {_NICE} advises a doctor's check the same day.",
    Cause.serious: f"Back pain with signs like these needs a doctor to look for a serious cause. {_NICE} advises "
    "a check the same day.",
    Cause.age: "A guide to back pain warning signs from the US National Library of Medicine advises a doctor's "
    "check when back pain first begins at these ages.",
    Cause.inflammation: "Back pain like yours is sometimes caused by inflammation, which has its own treatment. "
    f"{_NICE} advises seeing a doctor about it.",
    Cause.neck_cord: f"These can be signs that the spinal cord in your neck is pressed on. {_NICE} advises an "
    "urgent doctor's check.",
    Cause.neck_artery: "These can be signs of a problem with a blood vessel in your neck. The international "
    "guide that physiotherapists use to check the neck (IFOMPT) advises a doctor's check before any neck exercise.",
    Cause.neck_injury: f"{_NICE} advises a doctor's check of the neck after an injury.",
    Cause.limb_nerves: f"Numbness or weakness in your hands or feet can mean a nerve is pressed on. {_NICE} "
    "advises a doctor's check.",
}
_CLOSING = "Do not start these exercises until a doctor has checked you."
_CLEAR = "You answered no to every warning sign. You can start gently. Stop any exercise that hurts."
_CLEAR_WITH_ANSWERS = (
    "Your answers do not stop you from starting. Tell your doctor what you told us at your next visit. "
    "You can start gently. Stop any exercise that hurts."
)


@dataclass(frozen=True)
class ScreenResult:
    status: Urgency
    message: str
    signs: tuple[str, ...]  # ids of the warning signs that count ("not sure" ones too)
    unsure: tuple[str, ...] = ()  # ids answered "not sure", among all the answers
    sources: tuple[str, ...] = ()  # the guidelines behind the level, as GUIDELINES ids

    @property
    def is_clear(self) -> bool:
        return self.status is Urgency.clear


class MissingAnswers(InvalidInput, ValueError):
    """Answers that cannot be screened: a question left out, an unknown one, or a bad value."""

    def __init__(
        self, missing: list[str], unknown: list[str], not_asked: list[str] | None = None, bad: list[str] | None = None
    ) -> None:
        self.missing = missing
        self.unknown = unknown
        self.not_asked = not_asked or []
        self.bad = bad or []
        parts = []
        if missing:
            parts.append(f"no answer for {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown question {', '.join(unknown)}")
        if self.not_asked:
            parts.append(f"the neck questions are only for a neck region: {', '.join(self.not_asked)}")
        if self.bad:
            parts.append(f'answer true, false or "unsure" for {", ".join(self.bad)}')
        super().__init__("red_flags", "; ".join(parts), "red_flags: " + "; ".join(parts))


def questions_for(neck: bool) -> tuple[Question, ...]:
    """The questions a person is asked: the neck ones too when the neck is one of their regions."""
    return ALL_QUESTIONS if neck else BACK_QUESTIONS


def _check(answers: Mapping[str, object], neck: bool | None) -> None:
    given_neck = [q for q in NECK_QUESTION_IDS if q in answers]
    # With `neck` unknown (a re-screen, say), the neck questions are all answered or none is.
    wants_neck = bool(given_neck) if neck is None else neck
    missing = [q.id for q in questions_for(wants_neck) if q.id not in answers]
    unknown = sorted(k for k in answers if k not in BY_ID)
    not_asked = given_neck if neck is False else []
    bad = [k for k, v in answers.items() if k in BY_ID and not (isinstance(v, bool) or v == UNSURE)]
    if missing or unknown or not_asked or bad:
        raise MissingAnswers(missing, unknown, not_asked, bad)


def _fires(rule: Rule, positive: set[str]) -> bool:
    return rule.all_of <= positive and (not rule.any_of or bool(rule.any_of & positive))


def _words(ids: list[str]) -> str:
    words = [BY_ID[i].words for i in ids]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def screen(answers: Mapping[str, Answer], neck: bool | None = None) -> ScreenResult:
    """Decide from the answers. Every question asked must be answered: silence is not a 'no'.

    `neck` says whether the neck is one of the person's regions (its questions are then
    required, and otherwise refused); None accepts them all or none."""
    _check(answers, neck)
    asked = [q for q in ALL_QUESTIONS if q.id in answers]
    positive = {q.id for q in asked if answers[q.id] is True or answers[q.id] == UNSURE}
    unsure_all = tuple(q.id for q in asked if answers[q.id] == UNSURE)
    signs = {q for q in positive if BY_ID[q].urgency is not None}
    fired = [r for r in RULES if _fires(r, positive)]
    alone = any(BY_ID[q].counts_alone for q in signs)
    # A sign that needs company counts next to any other sign, or next to a pattern that fired.
    counting = set(signs) if alone or len(signs) > 1 or fired else set()
    for rule in fired:
        counting |= rule.all_of | (rule.any_of & positive)
    if not counting:
        message = _CLEAR if not positive else _CLEAR_WITH_ANSWERS
        if unsure_all:
            message += f" You were not sure about {_words(list(unsure_all))}. Please ask a doctor to check it."
        return ScreenResult(Urgency.clear, message, (), unsure_all)
    levels: list[tuple[Urgency, Cause, str]] = [
        (u, BY_ID[q].cause, BY_ID[q].source) for q in counting if (u := BY_ID[q].urgency) is not None
    ]
    levels += [(r.urgency, r.cause, r.source) for r in fired]
    top = max(RANK[u] for u, _, _ in levels)
    status = next(u for u, _, _ in levels if RANK[u] == top)
    causes = list(dict.fromkeys(c for u, c, _ in sorted(levels, key=_cause_order) if u is status))
    sources = tuple(dict.fromkeys(s for u, _, s in sorted(levels, key=_cause_order) if u is status))
    ordered = [q.id for q in ALL_QUESTIONS if q.id in counting]
    sure = [q for q in ordered if q not in unsure_all]
    unsure = [q for q in ordered if q in unsure_all]
    parts = [_ACTION[status]]
    if sure:
        parts.append(f"You told us about {_words(sure)}.")
    parts += [_WHY[c] for c in causes]
    if unsure:
        parts.append(f"You were not sure about {_words(unsure)}. Please ask a doctor to check it.")
    parts.append(_CLOSING)
    parts.append(
        ("Source: " if len(sources) == 1 else "Sources: ") + "; ".join(GUIDELINES[s].title for s in sources) + "."
    )
    return ScreenResult(status, " ".join(parts), tuple(ordered), unsure_all, sources)


def _cause_order(level: tuple[Urgency, Cause, str]) -> int:
    return list(Cause).index(level[1])
