"""The safety screen: any warning sign means no program, and the urgency is right."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.core.screening import QUESTION_IDS, QUESTIONS, MissingAnswers, Urgency, screen
from backcoach.core.sources import GUIDELINES

NO = dict.fromkeys(QUESTION_IDS, False)
EMERGENCY_SIGNS = {"saddle_numbness", "bladder_bowel", "leg_weakness", "pain_both_legs"}


def answers(*yes: str) -> dict[str, bool]:
    return {**NO, **dict.fromkeys(yes, True)}


def test_all_no_is_clear():
    result = screen(NO)
    assert result.status is Urgency.clear and result.is_clear


@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.counts_alone], ids=lambda q: q.id)
def test_each_sign_alone_stops_the_program(question):
    result = screen(answers(question.id))
    assert result.status is question.urgency
    assert not result.is_clear
    expected = Urgency.emergency if question.id in EMERGENCY_SIGNS else Urgency.see_doctor
    assert result.status is expected


def test_upper_back_pain_alone_is_not_a_warning_sign():
    assert screen(answers("thoracic_pain")).is_clear


def test_upper_back_pain_counts_with_another_sign():
    result = screen(answers("thoracic_pain", "unwell"))
    assert result.status is Urgency.see_doctor
    assert set(result.signs) == {"thoracic_pain", "unwell"}


def test_tom_is_sent_to_emergency_care():
    result = screen(answers("saddle_numbness", "bladder_bowel", "onset_age"))
    assert result.status is Urgency.emergency
    assert "emergency" in result.message.lower()


def test_inflammatory_pain_is_not_an_emergency():
    result = screen(answers("inflammatory"))
    assert result.status is Urgency.see_doctor
    assert "not an emergency" in result.message


def test_a_missing_answer_is_not_a_no():
    partial = dict(NO)
    del partial["fever"]
    with pytest.raises(MissingAnswers, match="fever"):
        screen(partial)


def test_an_unknown_question_is_rejected():
    with pytest.raises(MissingAnswers, match="headache"):
        screen({**NO, "headache": True})


def test_every_question_cites_a_guideline():
    for question in QUESTIONS:
        assert question.source in GUIDELINES
    assert len(set(QUESTION_IDS)) == len(QUESTIONS)


@given(st.fixed_dictionaries({q: st.booleans() for q in QUESTION_IDS}))
def test_clear_only_when_no_sign_counts(given_answers):
    yes = {q for q, v in given_answers.items() if v}
    result = screen(given_answers)
    assert result.is_clear == (not yes or yes == {"thoracic_pain"})
    if yes & EMERGENCY_SIGNS:
        assert result.status is Urgency.emergency
