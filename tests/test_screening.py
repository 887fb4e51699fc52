"""The safety screen: any warning sign means no program, the urgency follows guidance, and
"not sure" is handled as a yes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.core.screening import (
    ALL_QUESTION_IDS,
    ALL_QUESTIONS,
    NECK_QUESTION_IDS,
    QUESTION_IDS,
    QUESTIONS,
    UNSURE,
    Answer,
    MissingAnswers,
    Urgency,
    screen,
)
from backcoach.core.sources import ALL_SOURCES, GUIDELINES
from backcoach.core.warning_signs import RANK, RULES
from tests.strategies import examples

NO = dict.fromkeys(QUESTION_IDS, False)
NO_NECK = dict.fromkeys(ALL_QUESTION_IDS, False)
CAUDA_EQUINA = {
    "saddle_numbness",
    "passing_urine",
    "bladder_control",
    "bowel_control",
    "leg_weakness",
    "pain_both_legs",
}
ALONE = [q for q in ALL_QUESTIONS if q.counts_alone and q.urgency is not None]
PATTERN_PARTS = [q.id for q in ALL_QUESTIONS if q.urgency is None]
any_answer = st.sampled_from([True, False, UNSURE])


def answers(*yes: str, neck: bool = False) -> dict[str, Answer]:
    return {**(NO_NECK if neck else NO), **dict.fromkeys(yes, True)}


def level(*yes: str) -> Urgency:
    neck = any(q in NECK_QUESTION_IDS for q in yes)
    return screen(answers(*yes, neck=neck), neck=neck).status


def test_all_no_is_clear():
    result = screen(NO)
    assert result.status is Urgency.clear and result.is_clear
    assert "You can start gently" in result.message


@pytest.mark.parametrize("question", ALONE, ids=lambda q: q.id)
@pytest.mark.parametrize("answer", [True, UNSURE])
def test_each_sign_alone_gives_its_level(question, answer):
    neck = question.region is not None
    result = screen({**(NO_NECK if neck else NO), question.id: answer}, neck=neck)
    assert result.status is question.urgency and not result.is_clear
    assert question.id in result.signs
    if answer == UNSURE:
        assert "not sure" in result.message and "ask a doctor to check" in result.message


@pytest.mark.parametrize("part", PATTERN_PARTS)
def test_a_part_of_a_pattern_alone_is_not_a_warning_sign(part):
    assert level(part) is Urgency.clear


def test_every_cauda_equina_sign_is_an_emergency():
    for sign in CAUDA_EQUINA:
        assert level(sign) is Urgency.emergency
        assert "emergency" in screen(answers(sign)).message


def test_upper_back_pain_counts_only_with_another_sign_and_then_same_day():
    assert level("thoracic_pain") is Urgency.clear
    assert level("thoracic_pain", "onset_over_50") is Urgency.same_day
    assert level("thoracic_pain", "minor_injury") is Urgency.same_day
    assert set(screen(answers("thoracic_pain", "cancer_history")).signs) == {"thoracic_pain", "cancer_history"}


def test_injury_levels_follow_nice_ng41():
    assert level("major_injury") is Urgency.same_day
    for sign in ("severe_pain", "numb_hands_feet", "weak_hands_feet"):
        assert level("major_injury", sign) is Urgency.emergency
    assert level("minor_injury") is Urgency.clear
    assert level("thin_bones") is Urgency.clear  # a condition the exercises allow for, not a warning sign
    assert level("minor_injury", "thin_bones") is Urgency.same_day
    assert level("minor_injury", "long_steroids") is Urgency.same_day


def test_infection_and_cancer_need_a_same_day_check():
    for risk in ("injects_drugs", "weak_immunity", "recent_infection"):
        assert level("fever", risk) is Urgency.same_day
    assert level("cancer_history") is Urgency.same_day
    for sign in ("fever", "weight_loss", "night_pain", "unwell", "pain_lying_down"):
        assert level(sign) is Urgency.same_day


def test_onset_age_alone_and_the_inflammatory_pattern_mean_see_a_doctor_soon():
    assert level("onset_under_20") is Urgency.see_doctor
    assert level("onset_over_50") is Urgency.see_doctor
    pattern = ("over_3_months", "started_before_45", "eases_moving", "wakes_late_night")
    result = screen(answers(*pattern))
    assert result.status is Urgency.see_doctor and "not an emergency" in result.message
    assert level(*pattern[:3]) is Urgency.clear


def test_neck_signs_follow_their_guidelines():
    for sign in ("neck_double_vision", "neck_speaking", "neck_swallowing", "neck_sudden_falls", "neck_face_numbness"):
        assert level(sign) is Urgency.emergency
    for sign in ("neck_clumsy_hands", "neck_unsteady_walking", "neck_both_arms", "neck_dizziness", "neck_injury"):
        assert level(sign) is Urgency.same_day
    assert level("neck_injury", "neck_clumsy_hands") is Urgency.emergency


def test_the_neck_questions_are_required_for_the_neck_and_refused_otherwise():
    with pytest.raises(MissingAnswers, match="neck_dizziness"):
        screen(NO, neck=True)
    with pytest.raises(MissingAnswers, match="only for a neck region"):
        screen(NO_NECK, neck=False)
    partial = {**NO, "neck_dizziness": False}
    with pytest.raises(MissingAnswers, match="neck_speaking"):
        screen(partial)  # with the regions unknown: all the neck questions or none
    assert screen(NO_NECK).is_clear and screen(NO).is_clear


def test_a_missing_answer_is_not_a_no():
    partial = dict(NO)
    del partial["fever"]
    with pytest.raises(MissingAnswers, match="fever"):
        screen(partial)


def test_an_unknown_question_or_answer_is_rejected():
    with pytest.raises(MissingAnswers, match="headache"):
        screen({**NO, "headache": True})
    with pytest.raises(MissingAnswers, match="fever"):
        screen({**NO, "fever": "maybe"})  # type: ignore[dict-item]


def test_every_question_asks_one_short_thing_and_cites_a_guideline():
    assert len(set(ALL_QUESTION_IDS)) == len(ALL_QUESTIONS)
    for question in ALL_QUESTIONS:
        assert question.source in GUIDELINES
        assert question.text.count("?") == 1 and question.text.endswith("?")
        assert len(question.text.split()) <= 18, question.text
        assert " and " not in question.text.replace("pain, numbness or tingling", "")
    for rule in RULES:
        assert rule.source in GUIDELINES
        assert (rule.all_of | rule.any_of) <= set(ALL_QUESTION_IDS)
    assert [q.id for q in QUESTIONS] == list(QUESTION_IDS)


every_answer = st.fixed_dictionaries({q: any_answer for q in ALL_QUESTION_IDS})


@settings(max_examples=examples(4000))
@given(every_answer)
def test_the_screen_over_all_answers(given_answers):
    result = screen(given_answers)
    positive = {q for q, v in given_answers.items() if v is True or v == UNSURE}
    alone = {q.id for q in ALONE}
    if positive & alone:
        assert not result.is_clear  # no positive or "not sure" answer to a warning sign is ever clear
    if positive & CAUDA_EQUINA:
        assert result.status is Urgency.emergency
    assert "probably nothing" not in result.message.lower()
    assert not any(source_id in result.message for source_id in ALL_SOURCES)  # titles only, never ids
    if not result.is_clear:
        assert result.sources and all(GUIDELINES[s].title in result.message for s in result.sources)
        unsure = [q for q in result.signs if given_answers[q] == UNSURE]
        assert bool(unsure) == ("not sure" in result.message)
    for sentence in re.split(r"(?<=[.!?]) ", result.message):
        if not sentence.startswith("Source:") and "You told us about" not in sentence and "not sure" not in sentence:
            assert len(sentence.split()) <= 22, sentence  # short sentences, for a reading age of 9 to 11


@settings(max_examples=examples(4000))
@given(every_answer, st.sampled_from(ALL_QUESTION_IDS), st.sampled_from([True, UNSURE]))
def test_adding_a_yes_never_lowers_the_urgency(given_answers, question, answer):
    before = screen({**given_answers, question: False})
    after = screen({**given_answers, question: answer})
    assert RANK[after.status] >= RANK[before.status]
    # "Not sure" counts as a yes: the same level either way.
    assert screen({**given_answers, question: UNSURE}).status is screen({**given_answers, question: True}).status
