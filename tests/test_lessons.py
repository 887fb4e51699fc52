"""The lessons: every file loads and names a source for each paragraph, reads at or below the
reading-age limit, names no seed file; the one rule for which lesson to offer, and when; and the
use cases every face calls (read marks, one offer a day, the flare-up plan when pain rises)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backcoach.catalogue.lessons import load_lessons, load_lessons_from
from backcoach.catalogue.loader import load_catalogue
from backcoach.core.catalogue import CatalogueError
from backcoach.core.lessons import FLARE_UP, OfferReason, choose_offer, for_program, pain_went_up
from backcoach.core.rules import CRITICAL_PAIN, EndReason
from backcoach.core.sources import ALL_SOURCES, SEED_FILE_NAME, SEEDS
from backcoach.services import programs, sessions
from backcoach.services.context import Scope
from backcoach.services.lessons import lessons, offer_after_session, read_lesson
from tests.readability import grade
from tests.test_storage import maya

GRADE_LIMIT = 6.0  # Flesch-Kincaid grade 6 is a reading age of about 11 (grade plus 5)
LESSONS = load_lessons()
FOLDER = Path(__file__).resolve().parents[1] / "src" / "backcoach" / "catalogue" / "lessons"
TOPICS = {"why-it-helps", "stretch-and-strengthen", "start-slow", "how-long", "stay-active", "hurt-and-harm"}


def test_every_lesson_file_loads_and_every_topic_is_there():
    files = sorted(p.stem for p in FOLDER.glob("*.yaml"))
    assert sorted(LESSONS.ids()) == files
    assert TOPICS | {"posture", FLARE_UP} <= set(files)


@pytest.mark.parametrize("lesson", LESSONS.lessons, ids=lambda lesson: lesson.id)
def test_each_paragraph_names_a_known_source(lesson):
    assert 3 <= len(lesson.parts) <= 6
    for part in lesson.parts:
        assert part.sources and all(s in ALL_SOURCES for s in part.sources), part.text


@pytest.mark.parametrize("lesson", LESSONS.lessons, ids=lambda lesson: lesson.id)
def test_each_lesson_reads_at_a_reading_age_of_eleven_or_below(lesson):
    whole = " ".join(lesson.texts)
    assert grade(whole) <= GRADE_LIMIT, (lesson.id, round(grade(whole), 1))
    for part in lesson.parts:  # no one paragraph much harder than the rest
        assert grade(part.text) <= GRADE_LIMIT + 3, (part.text, round(grade(part.text), 1))


def test_the_readability_formula_tells_plain_words_from_hard_ones():
    assert grade("Keep moving. Rest when you need to.") < 3
    hard = (
        "Musculoskeletal rehabilitation necessitates individualised progressive loading interventions "
        "incorporating neuromuscular proprioceptive re-education."
    )
    assert grade(hard) > 14


def test_no_lesson_shows_a_seed_file_name():
    for lesson in LESSONS:
        for text in lesson.texts:
            assert not SEED_FILE_NAME.search(text), text


def test_the_topics_rest_on_the_sources_the_issue_names():
    cites = {lesson.id: set(lesson.sources) for lesson in LESSONS}
    seed = {s[:3]: s for s in SEEDS}
    assert {seed["000"], seed["002"], seed["004"]} <= cites["why-it-helps"]
    assert {seed["000"], seed["004"]} <= cites["stretch-and-strengthen"]
    assert {seed["000"], seed["003"]} <= cites["start-slow"]
    assert {seed["003"], seed["004"]} <= cites["how-long"]
    assert {seed["002"], "NICE-NG59"} <= cites["stay-active"]
    assert {"SMITH-2017", seed["002"], seed["004"]} <= cites["hurt-and-harm"]
    assert {seed["004"]} <= cites["posture"]


def test_every_number_a_lesson_states_is_a_rule_of_the_app():
    """A number in a lesson is one of the app's own thresholds (the critical pain level, from
    Medbridge Pathways), cited where it stands: no number of its own."""
    for lesson in LESSONS:
        for part in lesson.parts:
            numbers = re.findall(r"\d+", part.text)
            stated = re.findall(r"(\d+) out of 10", part.text)  # a score on the 0 to 10 scale
            assert len(numbers) == 2 * len(stated), (lesson.id, part.text)
            for number in stated:
                assert int(number) == CRITICAL_PAIN and "MEDBRIDGE" in part.sources, (lesson.id, part.text)


def test_the_flare_up_plan_puts_the_warning_signs_first():
    flare = LESSONS.flare_up
    assert flare.warning_signs and flare.style == "steps"
    first = flare.parts[0].text.lower()
    assert "warning signs" in first and "emergency" in first
    assert "bladder" in first and "numbness" in first and "weaker" in first
    assert any(f"{CRITICAL_PAIN} out of 10" in p.text for p in flare.parts)  # when only the gentlest moves


def write(folder: Path, name: str, data: dict) -> None:
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def good(lesson_id: str = FLARE_UP, **changes: object) -> dict:
    parts = [{"text": "Keep moving gently today.", "sources": ["NICE-NG59"]}] * 3
    data = {"id": lesson_id, "title": "A plan", "summary": "What to do today.", "order": 1, "parts": parts}
    return {**data, "warning_signs": True, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"parts": [{"text": "Keep moving gently today.", "sources": []}] * 3}, "parts.0.sources", "at least 1"),
        ({"parts": [{"text": "Keep moving gently today.", "sources": ["a blog"]}] * 3}, "sources", "known source"),
        ({"parts": [{"text": "Keep moving gently today.", "sources": ["NICE-NG59"]}]}, "parts", "at least 3"),
        (
            {"parts": [{"text": "See 002_17edfd41803de707.txt for more.", "sources": ["NICE-NG59"]}] * 3},
            "text",
            "seed file",
        ),
        ({"figure": "moonwalk"}, "figure", "not an exercise"),
        ({"warning_signs": False}, "warning_signs", "warning signs"),
        ({"colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_a_bad_lesson_file_stops_loading_naming_the_file_and_field(tmp_path, changes, field, problem):
    write(tmp_path, FLARE_UP, good(**changes))
    with pytest.raises(CatalogueError) as refused:
        load_lessons_from(tmp_path, load_catalogue().ids())
    assert "flare-up.yaml" in str(refused.value) and field in str(refused.value) and problem in str(refused.value)


def test_lessons_without_a_flare_up_plan_do_not_load(tmp_path):
    write(tmp_path, "other", good("other"))
    with pytest.raises(CatalogueError, match="flare-up plan"):
        load_lessons_from(tmp_path, [])


# The rule ------------------------------------------------------------------------------------

TODAY = date(2026, 3, 2)


def test_a_day_brings_the_first_lesson_not_read_yet_then_nothing_more_that_day():
    first = choose_offer(LESSONS, set(), TODAY, None, False, False)
    assert first is not None and first.lesson.id == LESSONS.ids()[0] and first.reason is OfferReason.daily
    assert choose_offer(LESSONS, set(), TODAY, TODAY, False, False) is None
    tomorrow = choose_offer(LESSONS, {first.lesson.id}, TODAY + timedelta(days=1), TODAY, False, False)
    assert tomorrow is not None and tomorrow.lesson.id == LESSONS.ids()[1]
    assert choose_offer(LESSONS, set(LESSONS.ids()), TODAY + timedelta(days=1), TODAY, False, False) is None


@given(
    read=st.sets(st.sampled_from(LESSONS.ids())),
    last=st.none() | st.dates(date(2026, 1, 1), date(2026, 6, 1)),
    today=st.dates(date(2026, 1, 1), date(2026, 6, 1)),
    rose=st.booleans(),
    stop=st.booleans(),
)
def test_the_rule_as_a_property(read, last, today, rose, stop):
    offer = choose_offer(LESSONS, read, today, last, rose, stop)
    if rose or stop:  # always the flare-up plan, read or not, offered today or not
        assert offer is not None and offer.lesson.id == FLARE_UP and offer.reason is OfferReason.flare
    elif last is not None and last >= today:
        assert offer is None  # never more than one a day
    elif offer is not None:
        assert offer.lesson.id not in read and offer.reason is OfferReason.daily
    else:
        assert read == set(LESSONS.ids())


def test_pain_went_up_is_any_rise():
    assert pain_went_up(3, 4) and not pain_went_up(4, 4) and not pain_went_up(None, 5) and not pain_went_up(5, None)


def test_the_handout_lessons_fit_the_program(catalogue):
    gentle = [catalogue.get("knee-rolls")]
    picked = {lesson.id for lesson in for_program(LESSONS, gentle)}
    assert FLARE_UP in picked and "stretch-and-strengthen" in picked and "posture" not in picked


# The use cases -------------------------------------------------------------------------------


def do_session(ctx: Scope, before: int, after: int) -> sessions.Finished:
    live = sessions.start(ctx, pain_before=before)
    while not live.ended:
        live.go_on()
    return sessions.finish(ctx, live.session_id, EndReason.finished, before, after, "right")


def test_one_lesson_a_day_after_a_session_and_the_flare_up_plan_when_pain_rose(ctx: Scope, now):
    programs.set_profile(ctx, maya())
    first = do_session(ctx, 4, 3).summary.lesson
    assert first is not None and first.lesson.id == "why-it-helps"
    assert offer_after_session(ctx, 4, 3, pain_stop=False) is None  # the same day: nothing more
    for before, after, stop in ((3, 4, False), (4, 4, True)):  # but pain that rose, or a pain stop
        rose = offer_after_session(ctx, before, after, pain_stop=stop)
        assert rose is not None and rose.lesson.id == FLARE_UP and rose.reason is OfferReason.flare
    assert not any(v.read for v in lessons(ctx))  # offered is not read
    now.advance(days=1)
    read_lesson(ctx, "why-it-helps")
    assert [v.lesson.id for v in lessons(ctx) if v.read] == ["why-it-helps"]
    again = do_session(ctx, 4, 3).summary.lesson
    assert again is not None and again.lesson.id == "stretch-and-strengthen"


def test_reading_before_any_answers_stores_nothing(ctx: Scope):
    assert read_lesson(ctx, "posture").read
    assert ctx.repo.lessons.read() == set() and ctx.app.database.find_first_person() is None
