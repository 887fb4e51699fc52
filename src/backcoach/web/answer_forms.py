"""Reading the warning-sign and health-condition answers from the web forms.

Each warning-sign question is a group of three radios (yes, no, not sure). A form that leaves
one out, or sends a value or a question the page never offered, is refused with a sentence
that says what to fix; nothing is saved from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import FormData

from backcoach.core.exercise import Condition
from backcoach.core.screening import NECK_QUESTION_IDS, NECK_QUESTIONS, UNSURE, Answer, Question

WORDS: dict[str, Answer] = {"yes": True, "no": False, "unsure": UNSURE}
NONE_OF_THESE = "none"
CONDITION_LABELS = {
    Condition.osteoporosis: "I have thin bones (osteoporosis)",
    Condition.hip_replacement: "I have had a hip replacement",
    Condition.pregnancy: "I am pregnant",
}


def word_of(answer: Answer) -> str:
    """The radio value for a stored answer: "yes", "no" or "unsure"."""
    return "unsure" if answer == UNSURE else ("yes" if answer else "no")


def read_answers(
    form: FormData, questions: Iterable[Question], prefix: str = ""
) -> tuple[dict[str, str], dict[str, Answer], list[str]]:
    """The radios as sent (to show them again), the answers, and a sentence for each one missing."""
    shown: dict[str, str] = {}
    answers: dict[str, Answer] = {}
    errors: list[str] = []
    for q in questions:
        value = form.get(prefix + q.id)
        if isinstance(value, str) and value in WORDS:
            shown[q.id] = value
            answers[q.id] = WORDS[value]
        else:
            errors.append(f"Please answer: {q.text}")
    return shown, answers, errors


def read_neck(form: FormData, neck: bool) -> tuple[dict[str, str], dict[str, Answer], list[str]]:
    """The neck questions: every one when the neck is chosen; none otherwise, and never another."""
    unknown = [k for k in form if k.startswith("neck_") and k not in NECK_QUESTION_IDS]
    if unknown:
        return {}, {}, ["This form had an answer to a question we did not ask. Please fill it in again."]
    if neck:
        return read_answers(form, NECK_QUESTIONS)
    if any(form.get(q) for q in NECK_QUESTION_IDS):
        # Shown again without them, so sending the form once more clears them.
        return (
            {},
            {},
            [
                "You answered the neck questions, but did not pick your neck as a place that hurts. "
                "Pick your neck if it hurts, or send the form again without those answers."
            ],
        )
    return {}, {}, []


def read_conditions(form: FormData) -> tuple[list[str], list[str]]:
    """The ticked conditions as sent, and a sentence if the answer is missing or contradicts itself."""
    ticked = [v for v in form.getlist("conditions") if isinstance(v, str)]
    known = {c.value for c in Condition} | {NONE_OF_THESE}
    if not ticked:
        return [], ["Health conditions: tick the ones that apply to you, or tick None of these."]
    if any(v not in known for v in ticked):
        return [], ["Health conditions: this form sent one we did not ask about. Please tick them again."]
    if NONE_OF_THESE in ticked and len(ticked) > 1:
        return ticked, ["Health conditions: tick None of these, or the ones that apply, not both."]
    return ticked, []
